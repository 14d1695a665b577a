import {memo} from 'react';
import type {CurrentGame, SidebetRow} from '../../state/types.js';
import {amount, fit, safe} from '../format.js';
import {segment, type SegmentLine} from '../segments.js';
import {Pane, type PaneFrame} from './Pane.js';

/** Share of a bet's window that has passed at `tick`, 0–1. */
export function windowProgress(bet: Pick<SidebetRow, 'startTick' | 'endTick' | 'outcome'>, tick: number): number {
	if (bet.outcome !== 'pending') {
		return 1;
	}

	const span = Math.max(1, bet.endTick - bet.startTick);
	return Math.min(1, Math.max(0, (tick - bet.startTick) / span));
}

export function progressBar(fraction: number, width: number): string {
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

function betLine(bet: SidebetRow, tick: number, width: number, previous: boolean): SegmentLine {
	const left = Math.max(0, bet.endTick - Math.max(tick, bet.startTick));
	const stake = bet.betAmount === undefined ? '?' : amount(bet.betAmount);
	const pays = bet.betAmount === undefined ? `${bet.xPayout}x` : `${amount(bet.betAmount * bet.xPayout)} (${bet.xPayout}x)`;
	const status = bet.outcome === 'pending' ? `${String(left).padStart(2)} left` : outcomeWords[bet.outcome];
	// name | stake | bar | status | payout: the bar takes what is left.
	const nameWidth = Math.min(14, Math.max(6, Math.floor(width / 5)));
	const fixed = nameWidth + 1 + 7 + 1 + 1 + 8 + 1 + 15;
	const barWidth = Math.max(4, Math.min(40, width - fixed));
	const name = safe(bet.owner, 32);
	const colour = outcomeColours[bet.outcome];
	return [
		segment(fit(bet.mine && name !== 'you' ? `${name} (you)` : name, nameWidth), {bold: bet.mine, dim: previous}),
		segment(` ${fit(stake, 7, 'right')} `),
		segment(progressBar(windowProgress(bet, tick), barWidth), {colour}),
		segment(' '),
		segment(fit(status, 8), {colour, bold: bet.outcome !== 'pending'}),
		segment(` ${pays}`, {dim: true}),
	];
}

export type SidebetsData = {
	sidebets: readonly SidebetRow[];
	game: CurrentGame | undefined;
	previousGame: CurrentGame | undefined;
};

/** Each bet with its 40-tick window as a bar, ticks left, the 5x payout and, once decided, the outcome. */
export function sidebetLines({sidebets, game, previousGame}: SidebetsData, width: number): SegmentLine[] {
	const summary: SegmentLine = [segment(`${game?.leaderboardSidebets ?? 0} on this game's leaderboard · 40-tick window · 5x if the rug comes by its end`, {dim: true})];
	const rows = betsToShow(sidebets, game?.id, previousGame?.id);
	if (rows.length === 0) {
		return [summary, [segment('no sidebets seen in this game', {dim: true})]];
	}

	return [
		summary,
		...rows.map(bet => {
			const previous = bet.gameId !== game?.id;
			const tick = previous ? previousGame?.tick ?? bet.endTick : game?.tick ?? 0;
			return betLine(bet, tick, width, previous);
		}),
	];
}

export const SidebetsPane = memo((props: SidebetsData & PaneFrame) => <Pane {...props} lines={sidebetLines(props, props.width)}/>);
