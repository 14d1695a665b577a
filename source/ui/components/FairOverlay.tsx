import {Box, Text} from 'ink';
import type {FinishedGame} from '../../state/types.js';
import type {Verdict} from '../../verify/verify-game.js';
import {fit, multiplier, safe, shortId} from '../format.js';
import {verdictMark, verificationMark} from '../theme.js';
import {recentGames} from './HistoryStrip.js';
import {Line} from './Pane.js';

export type FairOverlayProps = {
	history: readonly FinishedGame[];
	width: number;
	height: number;
};

const checks = [
	['seedHash', 'seed'],
	['pricePath', 'path'],
	['liveTicks', 'live'],
	['sidebets', 'bets'],
	['peak', 'peak'],
] as const;

function Check({verdict}: {verdict: Verdict | undefined}) {
	const mark = verdict === undefined ? {mark: '·', colour: 'gray' as const} : verdictMark(verdict);
	return <Text color={mark.colour}>{fit(mark.mark, 5)}</Text>;
}

/**
The provably-fair details of the last games (key v): each check of
source/verify — sha256(serverSeed) = the announced hash, the recomputed price
path = the recorded prices, the live ticks seen = the path, sidebet payouts
follow the rug tick — and the first note explaining a ✗ or ?.
*/
export function FairOverlay({history, width, height}: FairOverlayProps) {
	const games = recentGames(history);
	const idWidth = Math.min(26, Math.max(10, width - 60));
	const head = `${fit('game', idWidth)} ${fit('peak', 8)}${fit('rug', 6)} all  ${checks.map(([, name]) => fit(name, 5)).join('')}note`;
	const lines = [
		<Line key='title'><Text bold inverse>{fit(' Provably fair · v or Esc closes · ✓ holds ✗ fails ? cannot be checked · not verified yet ', width)}</Text></Line>,
		<Line key='head' dim>{head}</Line>,
	];
	if (games.length === 0) {
		lines.push(<Line key='none' dim>no finished game yet: each game is checked when its gameHistory entry (with the revealed seed) arrives</Line>);
	}

	for (const game of games) {
		const overall = verificationMark(game.verification);
		const note = game.verification === undefined
			? 'waiting for the revealed seed (gameHistory)'
			: safe(game.verification.notes[0] ?? 'all checks that could run hold', 160);
		lines.push(
			<Line key={game.id}>
				{fit(shortId(game.id, idWidth), idWidth)}{' '}
				{fit(multiplier(game.peak), 8)}{fit(game.rugTick === undefined ? '?' : String(game.rugTick), 6)}
				<Text bold color={overall.colour}>{fit(overall.mark, 5)}</Text>
				{checks.map(([field]) => <Check key={field} verdict={game.verification?.[field]}/>)}
				<Text dimColor>{note}</Text>
			</Line>,
		);
	}

	return (
		<Box flexDirection='column' width={width} height={height} overflow='hidden'>
			{lines.slice(0, height)}
		</Box>
	);
}
