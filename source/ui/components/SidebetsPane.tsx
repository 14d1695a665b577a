import {memo} from 'react';
import {countBets, sidebetPayout, sidebetWindow, type BetCounts} from '../../state/sidebets.js';
import type {CurrentGame, SidebetRow} from '../../state/types.js';
import {firstFit, ruleLine} from '../fields.js';
import {fit, safe, shortId, sol, widthOf} from '../format.js';
import {segment, type SegmentLine} from '../segments.js';
import {innerSize, Pane, type PaneFrame} from './Pane.js';

/** Share of a bet's window that has passed at `tick`, 0–1. */
function windowProgress(bet: Pick<SidebetRow, 'startTick' | 'endTick' | 'outcome'>, tick: number): number {
	if (bet.outcome !== 'pending') {
		return 1;
	}

	const span = Math.max(1, bet.endTick - bet.startTick);
	return Math.min(1, Math.max(0, (tick - bet.startTick) / span));
}

function progressBar(fraction: number, width: number): string {
	const cells = Math.max(1, width);
	const filled = Math.round(fraction * cells);
	return '█'.repeat(filled) + '░'.repeat(cells - filled);
}

const outcomeWords = {pending: 'open', won: 'WON', lost: 'lost'} as const;
const outcomeColours = {pending: 'yellow', won: 'green', lost: 'red'} as const;

/** This game's bets first (open ones at the top), then the last game's decided ones. */
export function betsToShow(sidebets: readonly SidebetRow[], gameId: string | undefined, previousId: string | undefined): SidebetRow[] {
	const current = sidebets.filter(bet => bet.gameId === gameId);
	const open = current.filter(bet => bet.outcome === 'pending');
	const decided = current.filter(bet => bet.outcome !== 'pending');
	const previous = previousId === undefined ? [] : sidebets.filter(bet => bet.gameId === previousId);
	return [...open, ...decided, ...previous];
}

const stakeWidth = 7;
const statusWidth = 7;
const payWidth = 8;
const minBar = 4;
const maxBar = 40;

/** Widths of the columns; 0 for the bar or the payout when the pane has no room for them. */
type BetColumns = {name: number; bar: number; pays: number};

/**
Names as wide as the longest one (a did:privy id whole when the pane is wide
enough), then the payout if it fits, then the bar takes the rest (up to 40).
*/
function betColumns(rows: readonly SidebetRow[], width: number): BetColumns {
	const longest = Math.max(4, ...rows.map(bet => widthOf(ownerName(bet))));
	// Name, then " stake " and the status: what every row shows.
	const room = width - (1 + stakeWidth + 1 + statusWidth);
	const pays = room >= 6 + 1 + minBar + 1 + payWidth ? payWidth : 0;
	const rest = room - (pays > 0 ? pays + 1 : 0);
	const withBar = rest >= 6 + 1 + minBar;
	const name = Math.max(4, Math.min(longest, withBar ? rest - minBar - 1 : rest));
	const bar = withBar ? Math.min(maxBar, rest - name - 1) : 0;
	return {name, bar, pays};
}

function ownerName(bet: SidebetRow): string {
	const name = safe(bet.owner, 64);
	return bet.mine && name !== 'you' ? `${name} (you)` : name;
}

function betLine(bet: SidebetRow, tick: number, columns: BetColumns, previous: boolean): SegmentLine {
	const left = Math.max(0, bet.endTick - Math.max(tick, bet.startTick));
	const status = bet.outcome === 'pending' ? `${String(left).padStart(2)} left` : outcomeWords[bet.outcome];
	const pays = bet.betAmount === undefined ? `${bet.xPayout}x` : sol(bet.betAmount * bet.xPayout);
	const colour = outcomeColours[bet.outcome];
	return [
		segment(fit(shortId(ownerName(bet), columns.name), columns.name), {bold: bet.mine, dim: previous}),
		segment(` ${(bet.betAmount === undefined ? '?' : sol(bet.betAmount)).padStart(stakeWidth)} `),
		segment(columns.bar > 0 ? `${progressBar(windowProgress(bet, tick), columns.bar)} ` : '', {colour}),
		segment(status.padEnd(statusWidth), {colour, bold: bet.outcome !== 'pending'}),
		segment(columns.pays > 0 ? ` ${pays.padStart(columns.pays)}` : '', {dim: true}),
	];
}

function outcomeText(counts: BetCounts): string {
	const parts = [
		counts.open > 0 ? `${counts.open} open` : undefined,
		counts.won > 0 ? `${counts.won} won` : undefined,
		counts.lost > 0 ? `${counts.lost} lost` : undefined,
	].filter(Boolean);
	return parts.join(', ');
}

type SidebetsData = {
	sidebets: readonly SidebetRow[];
	game: CurrentGame | undefined;
	previousGame: CurrentGame | undefined;
};

/**
What the list is, first: this game's bets and how they stand, or, when this
game has none yet, that the rows are the last game's with their outcomes.
Then each bet with its 40-tick window as a bar, ticks left, and what it pays
at 5x (or its outcome); the last game's bets under a line of their own.
*/
export function sidebetLines({sidebets, game, previousGame}: SidebetsData, width: number): SegmentLine[] {
	const rows = betsToShow(sidebets, game?.id, previousGame?.id);
	const current = countBets(sidebets, game?.id);
	const last = countBets(sidebets, previousGame?.id);
	const rule = segment(` · pays ${sidebetPayout}x if the rug comes within ${sidebetWindow} ticks`, {dim: true});
	let heads: string[];
	if (current.bets > 0) {
		heads = [`this game's bets: ${current.bets} (${outcomeText(current)})`, `this game: ${current.bets} (${outcomeText(current)})`, `this game: ${current.bets}`];
	} else if (last.bets > 0) {
		heads = [`no bets in this game yet; the last game's ${last.bets}, with outcomes`, `none yet; last game's ${last.bets}:`, `last game's ${last.bets}:`];
	} else {
		heads = ['no sidebets seen in this game', 'no sidebets yet', 'none yet'];
	}

	const style = current.bets > 0 || last.bets > 0 ? {bold: true} : {dim: true};
	const lines: SegmentLine[] = [firstFit([[segment(heads[0]!, style), rule], ...heads.map(head => [segment(head, style)])], width)];
	const columns = betColumns(rows, width);
	let separated = false;
	for (const bet of rows) {
		const previous = bet.gameId !== game?.id;
		if (previous && !separated) {
			separated = true;
			lines.push(ruleLine([{text: `last game ${shortId(previousGame?.id, 12)}`}, {text: `: ${outcomeText(last)}`, priority: 1}], width));
		}

		const tick = previous ? previousGame?.tick ?? bet.endTick : game?.tick ?? 0;
		lines.push(betLine(bet, tick, columns, previous));
	}

	return lines;
}

export const SidebetsPane = memo((props: SidebetsData & PaneFrame) => {
	const inner = innerSize(props.width, props.height);
	return <Pane {...props} lines={sidebetLines(props, inner.width)}/>;
});
