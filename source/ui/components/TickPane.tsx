import {memo} from 'react';
import type {CurrentGame} from '../../state/types.js';
import {age as ageText, count, countdownSeconds, multiplier, safe, shortId} from '../format.js';
import {segment, type Segment, type SegmentLine} from '../segments.js';
import {phaseColours} from '../theme.js';
import {Pane, type PaneFrame} from './Pane.js';

export type TickData = {
	game: CurrentGame | undefined;
	/** Wall-clock ms the last event arrived, and now. */
	lastArrival: number | undefined;
	now: number;
};

/** Seconds until the next game starts (cooldown and presale); the feed counts it down in cooldownTimer. */
export function countdown(game: CurrentGame): string {
	if (game.phase !== 'COOLDOWN' && game.phase !== 'PRESALE') {
		return '–';
	}

	if (game.cooldownPaused) {
		return 'paused';
	}

	return countdownSeconds(game.cooldownTimer);
}

/** Beside the badge: the tick while a game runs, the countdown while the next one waits. */
export function headline(game: CurrentGame): string {
	if (game.phase === 'COOLDOWN' || game.phase === 'PRESALE') {
		const left = countdown(game);
		return left === 'paused' ? ' countdown paused' : ` starts in ${left}`;
	}

	return game.tick >= 0 ? ` tick ${game.tick}` : '';
}

export function phaseBadge(game: CurrentGame | undefined): Segment {
	if (game?.phase === undefined) {
		return segment(game === undefined ? ' WAITING ' : ' UNKNOWN ', {inverse: true, colour: 'gray'});
	}

	return segment(` ${game.phase} `, {inverse: true, bold: true, colour: phaseColours[game.phase]});
}

function field(label: string, ...value: Segment[]): SegmentLine {
	return [segment(label.padEnd(11), {dim: true}), ...value];
}

/** Phase, game, tick, countdown, players, trade count and the age of the last event; the most useful lines first. */
export function tickLines({game, lastArrival, now}: TickData, width: number): SegmentLine[] {
	const age = segment(lastArrival === undefined ? 'no events yet' : `${ageText(now - lastArrival)} ago`);
	if (game === undefined) {
		return [[phaseBadge(undefined)], [segment('waiting for game state', {dim: true})], field('last event', age)];
	}

	const idWidth = Math.max(8, width - 11);
	return [
		[phaseBadge(game), segment(headline(game), {bold: true})],
		field('game', segment(shortId(safe(game.id, 64), idWidth))),
		field('price', segment(multiplier(game.price)), segment('  peak ', {dim: true}), segment(multiplier(game.peak))),
		field('next game', segment(countdown(game))),
		field('last event', age),
		field('players', segment(count(game.connectedPlayers))),
		field('trades', segment(count(game.tradeCount))),
		field('rug', segment(game.rugTick === undefined ? '–' : `tick ${game.rugTick} → ${multiplier(game.rugPrice)}`)),
		field('seed hash', segment(shortId(game.serverSeedHash, idWidth))),
		field('version', segment(safe(game.gameVersion, 16) || '–')),
	];
}

export const TickPane = memo((props: TickData & PaneFrame) => <Pane {...props} lines={tickLines(props, props.width)}/>);
