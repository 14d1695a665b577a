import {memo} from 'react';
import type {CurrentGame} from '../../state/types.js';
import {bigText, bigWidth} from '../big-digits.js';
import {fieldLine, firstFit, type Part} from '../fields.js';
import {age as ageText, clock, count, countdownSeconds, multiplier, safe, shortId, tick as tickText} from '../format.js';
import {segment, type Segment, type SegmentLine} from '../segments.js';
import {phaseColours, type Colour} from '../theme.js';
import {innerSize, Pane, type PaneFrame} from './Pane.js';

/** How the pane tells when the last event came: its age on a live feed, its recorded time in a replay. */
type LastEvent =
	| {kind: 'live'; arrival: number | undefined; now: number}
	| {kind: 'replay'; ts: number | undefined; finished: boolean};

type TickData = {
	game: CurrentGame | undefined;
	lastEvent: LastEvent;
};

/** Seconds until the next game starts (cooldown and presale); the feed counts it down in cooldownTimer. */
function countdown(game: CurrentGame): string {
	if (game.phase !== 'COOLDOWN' && game.phase !== 'PRESALE') {
		return '–';
	}

	if (game.cooldownPaused) {
		return 'paused';
	}

	return countdownSeconds(game.cooldownTimer);
}

/** Beside the badge: the tick while a game runs, the countdown while the next one waits. */
function headline(game: CurrentGame): string {
	if (game.phase === 'COOLDOWN' || game.phase === 'PRESALE') {
		const left = countdown(game);
		return left === 'paused' ? ' countdown paused' : ` starts in ${left}`;
	}

	return game.tick >= 0 ? ` tick ${game.tick}` : '';
}

function phaseBadge(game: CurrentGame | undefined): Segment {
	if (game?.phase === undefined) {
		return segment(game === undefined ? ' WAITING ' : ' UNKNOWN ', {inverse: true, colour: 'gray'});
	}

	return segment(` ${game.phase} `, {inverse: true, bold: true, colour: phaseColours[game.phase]});
}

/** Which way the price moved at the current tick: green up, red down (and red once rugged). */
function direction(game: CurrentGame): Colour | undefined {
	if (game.rugTick !== undefined) {
		return 'red';
	}

	const now = game.prices[game.tick];
	const before = game.prices[game.tick - 1];
	if (now === undefined || before === undefined || !Number.isFinite(now) || !Number.isFinite(before) || now === before) {
		return undefined;
	}

	return now > before ? 'green' : 'red';
}

/** What the big digits show: the multiplier while a game runs, the seconds left while the next one waits. */
function bigValue(game: CurrentGame): {text: string; colour: Colour | undefined} | undefined {
	if (game.phase === 'COOLDOWN' || game.phase === 'PRESALE') {
		const left = game.cooldownPaused || game.cooldownTimer === undefined ? undefined : countdownSeconds(game.cooldownTimer);
		return left === undefined ? undefined : {text: left, colour: phaseColours[game.phase]};
	}

	return game.price === undefined ? undefined : {text: multiplier(game.price), colour: direction(game)};
}

const labelWidth = 11;

function lastEventParts(last: LastEvent): Part[] {
	if (last.kind === 'replay') {
		return last.ts === undefined
			? [{text: 'none yet'}]
			: [{text: clock(last.ts)}, {text: last.finished ? ' · finished' : ' recorded', style: {dim: true}, priority: -1}];
	}

	return [{text: last.arrival === undefined ? 'no events yet' : `${ageText(last.now - last.arrival)} ago`}];
}

/**
Phase and tick (or countdown), the multiplier in big digits coloured by its
direction, then the game, peak, players, trades, last event, rug, seed hash
and version, the most useful first: a short pane keeps the top lines.
*/
function tickLines({game, lastEvent}: TickData, width: number, height = Number.POSITIVE_INFINITY): SegmentLine[] {
	const field = (label: string, parts: Part[]) => fieldLine(label, parts, width, labelWidth);
	if (game === undefined) {
		return [[phaseBadge(undefined)], [segment('waiting for game state', {dim: true})], field('last event', lastEventParts(lastEvent))];
	}

	const badge = phaseBadge(game);
	const short = headline(game).replace(' starts in ', ' ').replace(' countdown paused', ' paused');
	const lines: SegmentLine[] = [firstFit([[badge, segment(headline(game), {bold: true})], [badge, segment(short, {bold: true})], [badge]], width)];
	const big = bigValue(game);
	// The big digits need three rows and still leave a line of fields; else the value goes on the headline.
	if (big !== undefined && bigWidth(big.text) <= width && height >= 5) {
		for (const row of bigText(big.text)) {
			lines.push([segment(row, {colour: big.colour, bold: true})]);
		}
	} else if (big !== undefined && game.phase !== 'COOLDOWN' && game.phase !== 'PRESALE') {
		lines[0] = fieldLine(undefined, [{text: badge.text, style: badge}, {text: short, style: {bold: true}, priority: 1}, {text: `  ${big.text}`, style: {colour: big.colour, bold: true}, priority: 2}], width);
	}

	const idWidth = Math.max(8, width - labelWidth);
	lines.push(
		field('game', [{text: shortId(safe(game.id, 64), idWidth)}]),
		field('peak', [{text: multiplier(game.peak)}]),
		field('last event', lastEventParts(lastEvent)),
		field('players', [{text: count(game.connectedPlayers)}]),
		field('trades', [{text: count(game.tradeCount)}]),
		field('rug', [{text: game.rugTick === undefined ? '–' : `tick ${tickText(game.rugTick)}`}, {text: game.rugTick === undefined ? '' : ` → ${multiplier(game.rugPrice)}`, priority: 1}]),
		field('seed hash', [{text: shortId(game.serverSeedHash, idWidth)}]),
		field('version', [{text: safe(game.gameVersion, 16) || '–'}]),
	);
	return lines;
}

export const TickPane = memo((props: TickData & PaneFrame) => {
	const inner = innerSize(props.width, props.height);
	return <Pane {...props} lines={tickLines(props, inner.width, inner.height)}/>;
});
