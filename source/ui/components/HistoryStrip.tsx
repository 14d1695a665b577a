import {memo} from 'react';
import {Text} from 'ink';
import type {FinishedGame} from '../../state/types.js';
import {multiplier, truncate, widthOf} from '../format.js';
import {verificationMark} from '../theme.js';

export type HistoryStripProps = {
	history: readonly FinishedGame[];
	width: number;
};

export const historyLength = 10;

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

export function historyItem(game: FinishedGame): string {
	return `${multiplier(game.peak)} t${game.rugTick ?? '?'}`;
}

/** One line: peak and rug tick of the last 10 games with their provably-fair mark (v shows the details). */
function HistoryStripView({history, width}: HistoryStripProps) {
	const label = 'last games ';
	const games = recentGames(history);
	if (games.length === 0) {
		return <Text wrap='truncate-end' dimColor>{truncate(`${label}none finished yet · v: provably-fair details`, width)}</Text>;
	}

	// Items are added while they fit, so a mark is never cut away from its game.
	let used = widthOf(label);
	const items: Array<{text: string; mark: ReturnType<typeof verificationMark>; id: string}> = [];
	for (const game of games) {
		const text = historyItem(game);
		const cells = widthOf(text) + 2 + 3;
		if (used + cells > width) {
			break;
		}

		used += cells;
		items.push({text, mark: verificationMark(game.verification), id: game.id});
	}

	return (
		<Text wrap='truncate-end'>
			<Text dimColor>{label}</Text>
			{items.map((item, index) => (
				<Text key={item.id}>
					{index === 0 ? '' : <Text dimColor> │ </Text>}
					{item.text} <Text color={item.mark.colour}>{item.mark.mark}</Text>
				</Text>
			))}
		</Text>
	);
}

export const HistoryStrip = memo(HistoryStripView);
