import {memo, type ReactNode} from 'react';
import {Text} from 'ink';
import type {CurrentGame} from '../../state/types.js';
import {age as ageText, count, countdownSeconds, multiplier, safe, shortId} from '../format.js';
import {phaseColours} from '../theme.js';
import {Line} from './Pane.js';

export type TickPaneProps = {
	game: CurrentGame | undefined;
	/** Wall-clock ms the last event arrived, and now. */
	lastArrival: number | undefined;
	now: number;
	width: number;
	height: number;
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

export function PhaseBadge({game}: {game: CurrentGame | undefined}) {
	if (game?.phase === undefined) {
		return <Text inverse color='gray'>{game === undefined ? ' WAITING ' : ' UNKNOWN '}</Text>;
	}

	return <Text bold inverse color={phaseColours[game.phase]}>{` ${game.phase} `}</Text>;
}

function field(label: string, value: ReactNode, key: string) {
	return <Line key={key}><Text dimColor>{label.padEnd(11)}</Text>{value}</Line>;
}

/** Phase, game, tick, countdown, players, trade count and the age of the last event; the most useful lines first. */
function TickPaneView({game, lastArrival, now, width, height}: TickPaneProps) {
	const age = lastArrival === undefined ? 'no events yet' : `${ageText(now - lastArrival)} ago`;
	if (game === undefined) {
		return [
			<Line key='badge'><PhaseBadge game={undefined}/></Line>,
			<Line key='wait' dim>waiting for game state</Line>,
			field('last event', age, 'age'),
		].slice(0, height);
	}

	const idWidth = Math.max(8, width - 11);
	const lines = [
		<Line key='badge'><PhaseBadge game={game}/><Text bold>{headline(game)}</Text></Line>,
		field('game', shortId(safe(game.id, 64), idWidth), 'game'),
		field('price', <Text>{multiplier(game.price)}<Text dimColor>  peak </Text>{multiplier(game.peak)}</Text>, 'price'),
		field('next game', countdown(game), 'cooldown'),
		field('last event', age, 'age'),
		field('players', count(game.connectedPlayers), 'players'),
		field('trades', count(game.tradeCount), 'trades'),
		field('rug', game.rugTick === undefined ? '–' : `tick ${game.rugTick} → ${multiplier(game.rugPrice)}`, 'rug'),
		field('seed hash', shortId(game.serverSeedHash, idWidth), 'hash'),
		field('version', safe(game.gameVersion, 16) || '–', 'version'),
	];
	return lines.slice(0, height);
}

export const TickPane = memo(TickPaneView);
