import {memo} from 'react';
import {hasPlayed, isFlat, sessionTotal} from '../../state/position.js';
import type {Leaders, Position, SessionPnl} from '../../state/types.js';
import {fieldLine, firstFit, type Part} from '../fields.js';
import {fit, multiplier, percent, quantity, safe, shortId, signedSol, sol, solDecimals} from '../format.js';
import {segment, wrapWords, type SegmentLine} from '../segments.js';
import {pnlColour} from '../theme.js';
import {innerSize, Pane, type PaneFrame} from './Pane.js';

type PositionData = {
	position: Position | undefined;
	session: SessionPnl;
	/** The price now, for what the position is worth. */
	price: number | undefined;
	/** The --player being tracked, if any. */
	player: string | undefined;
	/** The game's leaderboard, shown while no position is known. */
	leaders: Leaders | undefined;
	/** The game running now, to say whose leaderboard it is. */
	gameId: string | undefined;
};

export const noPositionHint = 'No position: attach to your logged-in rugs.fun tab (--source cdp) or track a player with --player NAME';

const sourceWords: Record<Position['source'], string> = {
	playerUpdate: 'your account',
	gameStatePlayerUpdate: 'your account',
	leaderboard: 'leaderboard',
};

/** Whose position the pane shows and from where: the frame's note. */
export function positionNote(position: Position | undefined, player: string | undefined): ((room: number) => string) | undefined {
	if (position === undefined) {
		return player === undefined ? undefined : () => `--player ${safe(player, 32)}`;
	}

	const who = safe(position.name, 32) || (position.source === 'leaderboard' ? safe(player, 32) : 'you');
	const variants = [
		`${who} · ${sourceWords[position.source]}${position.onLeaderboard ? '' : ' · not on the leaderboard now'}`,
		`${who}${position.onLeaderboard ? '' : ' · not on the leaderboard'}`,
		who,
	];
	return room => variants.find(text => text.length <= room) ?? who;
}

const labelWidth = 10;
const decimals = solDecimals.position;

type Row = {label: string; value: string; colour?: ReturnType<typeof pnlColour>; unit?: string; extra?: Part; rank: number};

/**
This game's position (reset when a game starts: "flat" until the player buys),
its PnL, what it is worth now and what went in; then the last game's final
PnL and the session's, apart from it; and the account's cash. SOL amounts
share one column and one number of decimals. On a short pane the most
useful rows stay (rank), in this order.
*/
/**
The leaderboard's top rows (name, PnL, its share), while the pane has no
position of its own to show: on the public feed that is what there is.
*/
function leaderLines(leaders: Leaders, gameId: string | undefined, width: number, rows: number): SegmentLine[] {
	if (leaders.rows.length === 0 || rows < 2) {
		return [];
	}

	const shown = leaders.rows.slice(0, rows - 1);
	const pnls = shown.map(row => signedSol(row.pnl));
	const shares = shown.map(row => percent(row.pnlPercent));
	const pnlWidth = Math.max(...pnls.map(text => text.length));
	const shareWidth = Math.max(...shares.map(text => text.length));
	const withShare = width - pnlWidth - shareWidth - 2 >= 6;
	const nameWidth = Math.max(4, width - pnlWidth - 1 - (withShare ? shareWidth + 1 : 0));
	const whose = leaders.gameId !== undefined && leaders.gameId !== gameId ? 'the last game\'s leaderboard' : 'this game\'s leaderboard';
	return [
		[segment(fit(`top of ${whose}`, width), {bold: true})],
		...shown.map((row, index) => [
			segment(fit(shortId(safe(row.name, 64), nameWidth), nameWidth)),
			segment(` ${pnls[index]!.padStart(pnlWidth)}`, {colour: pnlColour(row.pnl)}),
			segment(withShare ? ` ${shares[index]!.padStart(shareWidth)}` : '', {dim: true}),
		]),
	];
}

export function positionLines({position, session, price, player, leaders, gameId}: PositionData, width: number, height = Number.POSITIVE_INFINITY): SegmentLine[] {
	if (position === undefined) {
		const [text, short] = player === undefined
			? [noPositionHint, 'No position: --source cdp or --player NAME']
			: [`Waiting for ${safe(player, 32)} on the leaderboard (only the top players are listed)`, `Waiting for ${safe(player, 32)} on the leaderboard`];
		const board = leaders === undefined ? [] : leaderLines(leaders, gameId, width, Math.min(height, 12) - 1);
		if (board.length > 0) {
			const shorter = player === undefined ? ['No position: --player / cdp', 'No position'] : [`Waiting for ${safe(player, 32)}`, 'Waiting'];
			return [firstFit([short, ...shorter].map(words => [segment(words, {dim: true})]), width), ...board];
		}

		const lines = wrapWords(text, width);
		return (lines.length <= height ? lines : wrapWords(short, width)).map(line => [segment(line, {dim: true})]);
	}

	const rows: Row[] = [];
	const flat = isFlat(position);
	const played = hasPlayed(position);
	rows.push({
		label: 'this game',
		value: flat ? 'flat' : `${quantity(position.qty, decimals)} @ ${multiplier(position.avgCost)}`,
		extra: flat || position.avgCost === undefined ? undefined : {text: ' avg', style: {dim: true}, priority: -1},
		rank: 0,
	});
	if (played) {
		rows.push({label: 'PnL', value: signedSol(position.pnl, decimals), colour: pnlColour(position.pnl), unit: ' SOL', extra: {text: `  ${percent(position.pnlPercent)}`, style: {colour: pnlColour(position.pnl)}}, rank: 1});
		if (!flat && price !== undefined) {
			rows.push({label: 'worth', value: sol(position.qty! * price, decimals), unit: ' SOL', extra: {text: ` at ${multiplier(price)}`, style: {dim: true}, priority: -1}, rank: 5});
		}

		rows.push({label: 'invested', value: sol(position.totalInvested, decimals), unit: ' SOL', rank: 6});
	}

	const last = session.lastGame !== undefined && hasPlayed(session.lastGame) ? session.lastGame : undefined;
	if (last !== undefined) {
		rows.push({label: 'last game', value: signedSol(last.pnl, decimals), colour: pnlColour(last.pnl), unit: ' SOL', rank: 3});
	}

	const total = sessionTotal(session);
	const sessionPnl = total.pnl + (played ? position.pnl ?? 0 : 0);
	const games = total.games + (played ? 1 : 0);
	rows.push({label: 'session', value: signedSol(sessionPnl, decimals), colour: pnlColour(sessionPnl), unit: ' SOL', extra: {text: ` · ${games} game${games === 1 ? '' : 's'}`, style: {dim: true}, priority: -1}, rank: 2});
	if (position.cash !== undefined) {
		rows.push({label: 'cash', value: sol(position.cash, decimals), unit: ' SOL', rank: 4});
	}

	const shown = rows.filter(row => rows.filter(other => other.rank < row.rank).length < height);
	// Numbers right-aligned in one column (the position's "qty @ avg" and "flat" are words, left as they are).
	const valueWidth = Math.max(0, ...shown.filter(row => row.unit !== undefined).map(row => row.value.length));
	return shown.map(row => {
		const value = row.unit === undefined ? row.value : row.value.padStart(valueWidth);
		const parts: Part[] = [{text: value, style: {colour: row.colour, bold: row.rank <= 1}}];
		if (row.unit !== undefined) {
			parts.push({text: row.unit, style: {dim: true}, priority: 1});
		}

		if (row.extra !== undefined) {
			parts.push({priority: 0, ...row.extra});
		}

		return fieldLine(row.label, parts, width, labelWidth);
	});
}

export const PositionPane = memo((props: PositionData & PaneFrame) => {
	const inner = innerSize(props.width, props.height);
	return <Pane {...props} lines={positionLines(props, inner.width, inner.height)}/>;
});
