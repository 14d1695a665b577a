import {memo, useMemo} from 'react';
import type {CurrentGame} from '../../state/types.js';
import {priceChart, type PriceChart} from '../chart.js';
import {multiplier} from '../format.js';
import {segment, type SegmentLine} from '../segments.js';
import {Pane, type PaneFrame} from './Pane.js';

export type PriceData = {
	/** The game whose path is shown (the current one, or the last one during cooldown). */
	game: CurrentGame | undefined;
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

/** The chart of the path, the ▲ peak / ✕ rug markers, and a summary line. */
export function priceLines(game: CurrentGame | undefined, chart: PriceChart | undefined, peakAt: number | undefined): SegmentLine[] {
	if (game === undefined || chart === undefined || chart.lines.length === 0) {
		return [[segment(game === undefined ? 'no price yet' : 'no price path yet: the game has not started', {dim: true})]];
	}

	const rugged = game.rugTick !== undefined;
	const colour = rugged ? 'red' : 'green';
	// The rug first when there is one: in a narrow pane the end of this line is what gets cut.
	const summary: SegmentLine = [
		...(rugged
			? [segment(`✕ rugged at tick ${game.rugTick} → ${multiplier(game.rugPrice ?? game.price)}`, {colour: 'red', bold: true})]
			: [segment('now ', {dim: true}), segment(multiplier(game.price), {colour, bold: true}), segment(`  tick ${Math.max(0, game.tick)}`, {dim: true})]),
		segment('  peak ', {dim: true}),
		segment(multiplier(game.peak)),
		...(peakAt === undefined ? [] : [segment(` @t${peakAt}`, {dim: true})]),
	];
	return [
		...chart.lines.map(line => [segment(line, {colour})]),
		[segment(chart.markers, {colour: 'yellow'})],
		summary,
	];
}

export const PricePane = memo((props: PriceData & PaneFrame) => {
	const {game, width, height} = props;
	// The plot leaves two lines: the markers and the summary (and the header takes one).
	const chartHeight = Math.max(1, height - 3);
	const rugged = game?.rugTick !== undefined;
	const prices = game?.prices;
	const chart = useMemo(
		() => (prices === undefined ? undefined : priceChart(prices, {width, height: chartHeight, rugged})),
		[prices, width, chartHeight, rugged],
	);
	// The path is scanned once per new path, not once per render.
	const peakAt = useMemo(() => (prices === undefined ? undefined : peakTick(prices)), [prices]);
	return <Pane {...props} lines={priceLines(game, chart, peakAt)}/>;
});
