import {memo, useMemo} from 'react';
import {Text} from 'ink';
import type {CurrentGame} from '../../state/types.js';
import {priceChart} from '../chart.js';
import {multiplier} from '../format.js';
import {Line} from './Pane.js';

export type PricePaneProps = {
	/** The game whose path is shown (the current one, or the last one during cooldown). */
	game: CurrentGame | undefined;
	width: number;
	height: number;
};

/** During cooldown and presale the current game has no path yet (presale's tick 0 at most): show the one that just rugged. */
export function chartedGame(game: CurrentGame | undefined, previous: CurrentGame | undefined): {game: CurrentGame | undefined; isLastGame: boolean} {
	const waiting = game?.phase === 'COOLDOWN' || game?.phase === 'PRESALE' || (game !== undefined && game.tick < 0);
	return waiting && previous !== undefined ? {game: previous, isLastGame: true} : {game, isLastGame: false};
}

function peakTick(prices: readonly number[]): number | undefined {
	let best: number | undefined;
	for (const [tick, price] of prices.entries()) {
		if (Number.isFinite(price) && (best === undefined || price > prices[best]!)) {
			best = tick;
		}
	}

	return best;
}

function PricePaneView({game, width, height}: PricePaneProps) {
	const chartHeight = Math.max(1, height - 2);
	const rugged = game?.rugTick !== undefined;
	const prices = game?.prices;
	const chart = useMemo(
		() => (prices === undefined ? undefined : priceChart(prices, {width, height: chartHeight, rugged})),
		[prices, width, chartHeight, rugged],
	);
	if (game === undefined || chart === undefined || chart.lines.length === 0) {
		return <Line dim>{game === undefined ? 'no price yet' : 'no price path yet: the game has not started'}</Line>;
	}

	const peakAt = peakTick(game.prices);
	const colour = rugged ? 'red' : 'green';
	// The rug first when there is one: in a narrow pane the end of this line is what gets cut.
	const summary = (
		<Line key='summary'>
			{rugged
				? <Text color='red' bold>{`✕ rugged at tick ${game.rugTick} → ${multiplier(game.rugPrice ?? game.price)}`}</Text>
				: <Text><Text dimColor>now </Text><Text bold color={colour}>{multiplier(game.price)}</Text><Text dimColor>{`  tick ${Math.max(0, game.tick)}`}</Text></Text>}
			<Text dimColor>  peak </Text>{multiplier(game.peak)}{peakAt === undefined ? '' : <Text dimColor>{` @t${peakAt}`}</Text>}
		</Line>
	);
	return [
		...chart.lines.map((line, index) => <Line key={`plot-${index}`}><Text color={colour}>{line}</Text></Line>),
		<Line key='markers'><Text color='yellow'>{chart.markers}</Text></Line>,
		summary,
	].slice(0, Math.max(1, height));
}

export const PricePane = memo(PricePaneView);
