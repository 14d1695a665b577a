import {memo, type ReactNode} from 'react';
import {Text} from 'ink';
import type {Position} from '../../state/types.js';
import {amount, multiplier, percent, safe, signedAmount} from '../format.js';
import {pnlColour} from '../theme.js';
import {Line} from './Pane.js';

export type PositionPaneProps = {
	position: Position | undefined;
	/** The --player being tracked, if any. */
	player: string | undefined;
	width: number;
	height: number;
};

export const noPositionHint = 'No position: attach to your logged-in rugs.fun tab (--source cdp) or track a player with --player NAME';

const sourceWords: Record<Position['source'], string> = {
	playerUpdate: 'your account',
	gameStatePlayerUpdate: 'your account',
	leaderboard: 'leaderboard',
};

function field(label: string, value: ReactNode, key: string) {
	return <Line key={key}><Text dimColor>{label.padEnd(9)}</Text>{value}</Line>;
}

function PositionPaneView({position, player, height}: PositionPaneProps) {
	if (position === undefined) {
		const text = player === undefined
			? noPositionHint
			: `Waiting for ${safe(player, 32)} on the leaderboard (only the top players are listed)`;
		return <Text wrap='wrap' dimColor>{text}</Text>;
	}

	const who = safe(position.name, 32) || (position.source === 'leaderboard' ? safe(player, 32) : 'you');
	const lines = [
		<Line key='who'><Text bold>{who}</Text><Text dimColor>{` · ${sourceWords[position.source]}`}</Text>{position.onLeaderboard ? '' : <Text color='yellow'> · not on the leaderboard now</Text>}</Line>,
		field('PnL', <Text color={pnlColour(position.pnl)}>{`${signedAmount(position.pnl)} SOL (${percent(position.pnlPercent)})`}</Text>, 'pnl'),
		field('qty', amount(position.qty), 'qty'),
		field('avg cost', multiplier(position.avgCost), 'avg'),
		field('invested', `${amount(position.totalInvested)} SOL`, 'invested'),
	];
	if (position.cash !== undefined) {
		lines.splice(2, 0, field('cash', `${amount(position.cash)} SOL`, 'cash'));
	}

	return lines.slice(0, height);
}

export const PositionPane = memo(PositionPaneView);
