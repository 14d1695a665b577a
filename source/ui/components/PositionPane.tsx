import {memo} from 'react';
import type {Position} from '../../state/types.js';
import {amount, multiplier, percent, safe, signedAmount} from '../format.js';
import {segment, wrapWords, type Segment, type SegmentLine} from '../segments.js';
import {pnlColour} from '../theme.js';
import {Pane, type PaneFrame} from './Pane.js';

export type PositionData = {
	position: Position | undefined;
	/** The --player being tracked, if any. */
	player: string | undefined;
};

export const noPositionHint = 'No position: attach to your logged-in rugs.fun tab (--source cdp) or track a player with --player NAME';

const sourceWords: Record<Position['source'], string> = {
	playerUpdate: 'your account',
	gameStatePlayerUpdate: 'your account',
	leaderboard: 'leaderboard',
};

function field(label: string, ...value: Segment[]): SegmentLine {
	return [segment(label.padEnd(9), {dim: true}), ...value];
}

/** The user's (or the tracked player's) position; when nothing is known, how to get it. */
export function positionLines({position, player}: PositionData, width: number): SegmentLine[] {
	if (position === undefined) {
		const text = player === undefined
			? noPositionHint
			: `Waiting for ${safe(player, 32)} on the leaderboard (only the top players are listed)`;
		return wrapWords(text, width).map(line => [segment(line, {dim: true})]);
	}

	const who = safe(position.name, 32) || (position.source === 'leaderboard' ? safe(player, 32) : 'you');
	const lines: SegmentLine[] = [
		[
			segment(who, {bold: true}),
			segment(` · ${sourceWords[position.source]}`, {dim: true}),
			...(position.onLeaderboard ? [] : [segment(' · not on the leaderboard now', {colour: 'yellow'})]),
		],
		field('PnL', segment(`${signedAmount(position.pnl)} SOL (${percent(position.pnlPercent)})`, {colour: pnlColour(position.pnl)})),
		field('qty', segment(amount(position.qty))),
		field('avg cost', segment(multiplier(position.avgCost))),
		field('invested', segment(`${amount(position.totalInvested)} SOL`)),
	];
	if (position.cash !== undefined) {
		lines.splice(2, 0, field('cash', segment(`${amount(position.cash)} SOL`)));
	}

	return lines;
}

export const PositionPane = memo((props: PositionData & PaneFrame) => <Pane {...props} lines={positionLines(props, props.width)}/>);
