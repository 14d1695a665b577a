import {memo} from 'react';
import type {FinishedGame} from '../../state/types.js';
import {multiplier, widthOf} from '../format.js';
import {segment, type Segment, type SegmentLine} from '../segments.js';
import {verificationMark} from '../theme.js';
import {Lines} from './Lines.js';

const historyLength = 10;

/** The last finished games, newest first, each game once (the feed repeats every game in ~10 frames). */
export function recentGames(history: readonly FinishedGame[], limit = historyLength): FinishedGame[] {
	const seen = new Set<string>();
	const games: FinishedGame[] = [];
	for (const game of history) {
		if (seen.has(game.id)) {
			continue;
		}

		seen.add(game.id);
		games.push(game);
		if (games.length === limit) {
			break;
		}
	}

	return games;
}

function historyItem(game: FinishedGame): string {
	return `${multiplier(game.peak)} t${game.rugTick ?? '?'}`;
}

/** One line: peak and rug tick of the last 10 games with their provably-fair mark (v shows the details). */
function historyLine(history: readonly FinishedGame[], width: number): SegmentLine {
	const label = 'last games ';
	const games = recentGames(history);
	if (games.length === 0) {
		return [segment(`${label}none finished yet · v: provably-fair details`, {dim: true})];
	}

	// Items are added while they fit, so a mark is never cut away from its game.
	const line: Segment[] = [segment(label, {dim: true})];
	let used = widthOf(label);
	for (const [index, game] of games.entries()) {
		const text = historyItem(game);
		const separator = index === 0 ? '' : ' │ ';
		const cells = widthOf(separator) + widthOf(text) + 2;
		if (used + cells > width) {
			break;
		}

		used += cells;
		const mark = verificationMark(game.verification);
		if (separator !== '') {
			line.push(segment(separator, {dim: true}));
		}

		line.push(segment(`${text} `), segment(mark.mark, {colour: mark.colour}));
	}

	return line;
}

export const HistoryStrip = memo(({history, width}: {history: readonly FinishedGame[]; width: number}) => (
	<Lines lines={[historyLine(history, width)]} width={width} height={1}/>
));
