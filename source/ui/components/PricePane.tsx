import {memo, useMemo} from 'react';
import type {CurrentGame} from '../../state/types.js';
import {chartMarks, priceChart, type PriceChart} from '../chart.js';
import {fieldLine, type Part} from '../fields.js';
import {multiplier} from '../format.js';
import {segment, type SegmentLine} from '../segments.js';
import {innerSize, Pane, type PaneFrame} from './Pane.js';

type PriceData = {
	/** The game whose path is shown (the current one, or the last one during cooldown). */
	game: CurrentGame | undefined;
	/** The average cost of the position held in that game, if any: drawn on the chart. */
	avgCost: number | undefined;
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

/** The line under the chart: the rug (or the price now and its tick), the peak and its tick, the cost line. */
function summaryLine(game: CurrentGame, peakAt: number | undefined, avgCost: number | undefined, width: number): SegmentLine {
	const rugged = game.rugTick !== undefined;
	const parts: Part[] = rugged
		? [{text: `${chartMarks.rug} rugged at tick ${game.rugTick} → ${multiplier(game.rugPrice ?? game.price)}`, style: {colour: 'red', bold: true}, priority: 10}]
		: [{text: 'now ', style: {dim: true}, priority: 1}, {text: multiplier(game.price), style: {colour: 'green', bold: true}, priority: 10}, {text: `  tick ${Math.max(0, game.tick)}`, style: {dim: true}, priority: 5}];
	parts.push(
		{text: `  ${chartMarks.peak} peak ${multiplier(game.peak)}`, style: {colour: 'yellow'}, priority: 8},
		{text: peakAt === undefined ? '' : ` @t${peakAt}`, style: {dim: true}, priority: 4},
	);
	if (avgCost !== undefined) {
		parts.push({text: `  ${chartMarks.avgCost} your avg cost ${multiplier(avgCost)}`, style: {colour: 'yellow'}, priority: 6});
	}

	parts.push({text: `  ${chartMarks.reference} 1.00x`, style: {dim: true}, priority: 2});
	return fieldLine(undefined, parts, width);
}

/** The chart of the path and the summary line under it. */
function priceLines(game: CurrentGame | undefined, chart: PriceChart | undefined, peakAt: number | undefined, width: number, avgCost?: number): SegmentLine[] {
	if (game === undefined || chart === undefined || chart.lines.length === 0) {
		return [[segment(game === undefined ? 'no price yet' : 'no price path yet: the game has not started', {dim: true})]];
	}

	return [...chart.lines, summaryLine(game, peakAt, avgCost, width)];
}

export const PricePane = memo((props: PriceData & PaneFrame) => {
	const {game, avgCost} = props;
	const inner = innerSize(props.width, props.height);
	// The plot and its tick numbers leave one line: the summary.
	const chartHeight = Math.max(1, inner.height - 1);
	const rugged = game?.rugTick !== undefined;
	const prices = game?.prices;
	const chart = useMemo(
		() => (prices === undefined ? undefined : priceChart(prices, {width: inner.width, height: chartHeight, rugged, avgCost, colour: rugged ? 'red' : 'green'})),
		[prices, inner.width, chartHeight, rugged, avgCost],
	);
	// The path is scanned once per new path, not once per render.
	const peakAt = useMemo(() => (prices === undefined ? undefined : peakTick(prices)), [prices]);
	return <Pane {...props} lines={priceLines(game, chart, peakAt, inner.width, avgCost)}/>;
});
