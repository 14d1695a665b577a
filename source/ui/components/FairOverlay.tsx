import {Box} from 'ink';
import {memo} from 'react';
import type {FinishedGame} from '../../state/types.js';
import type {Verdict} from '../../verify/verify-game.js';
import {fit, multiplier, safe, shortId} from '../format.js';
import {segment, type Segment, type SegmentLine} from '../segments.js';
import {verdictMark, verificationMark} from '../theme.js';
import {recentGames} from './HistoryStrip.js';
import {Lines} from './Lines.js';

const checks = [
	['seedHash', 'seed'],
	['pricePath', 'path'],
	['liveTicks', 'live'],
	['sidebets', 'bets'],
	['peak', 'peak'],
] as const;

function check(verdict: Verdict | undefined): Segment {
	const mark = verdict === undefined ? {mark: '·', colour: 'gray' as const} : verdictMark(verdict);
	return segment(fit(mark.mark, 5), {colour: mark.colour});
}

/**
The provably-fair details of the last games (key v): each check of
source/verify — sha256(serverSeed) = the announced hash, the recomputed price
path = the recorded prices, the live ticks seen = the path, sidebet payouts
follow the rug tick — and the first note explaining a ✗ or ?.
*/
function fairLines(history: readonly FinishedGame[], width: number): SegmentLine[] {
	const games = recentGames(history);
	const idWidth = Math.min(26, Math.max(10, width - 60));
	const head = `${fit('game', idWidth)} ${fit('peak', 8)}${fit('rug', 6)} all  ${checks.map(([, name]) => fit(name, 5)).join('')}note`;
	const lines: SegmentLine[] = [
		[segment(fit(' Provably fair · v or Esc closes · ✓ holds ✗ fails ? cannot be checked · not verified yet ', width), {bold: true, inverse: true})],
		[segment(head, {dim: true})],
	];
	if (games.length === 0) {
		lines.push([segment('no finished game yet: each game is checked when its gameHistory entry (with the revealed seed) arrives', {dim: true})]);
	}

	for (const game of games) {
		const overall = verificationMark(game.verification);
		const note = game.verification === undefined
			? 'waiting for the revealed seed (gameHistory)'
			: safe(game.verification.notes[0] ?? 'all checks that could run hold', 160);
		lines.push([
			segment(`${fit(shortId(game.id, idWidth), idWidth)} ${fit(multiplier(game.peak), 8)}${fit(game.rugTick === undefined ? '?' : String(game.rugTick), 6)}`),
			segment(fit(overall.mark, 5), {bold: true, colour: overall.colour}),
			...checks.map(([field]) => check(game.verification?.[field])),
			segment(note, {dim: true}),
		]);
	}

	return lines;
}

function FairOverlayView({history, width, height}: {history: readonly FinishedGame[]; width: number; height: number}) {
	return (
		<Box width={width} height={height}>
			<Lines lines={fairLines(history, width)} width={width} height={height}/>
		</Box>
	);
}

/** Memoised: while it is open, it redraws only when a game finishes or the size changes. */
export const FairOverlay = memo(FairOverlayView);
