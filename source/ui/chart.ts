import asciichart from 'asciichart';
import {multiplier} from './format.js';

/**
The price path as an asciichart plot fitted to a pane. Pure: the same prices
and size always give the same lines, each at most `width` cells wide.
*/

export type Downsampled = {
	values: number[];
	/** Column of the highest price (the peak survives any downsampling). */
	peakColumn: number;
	/** Tick shown in each column (the last tick of its bucket, or the peak's tick). */
	ticks: number[];
};

/**
Fill the holes (NaN: ticks no frame carried) with the previous known price and
drop the ticks before the first known one, remembering where the series starts.
*/
export function knownSeries(prices: readonly number[]): {values: number[]; firstTick: number} {
	const firstTick = prices.findIndex(price => Number.isFinite(price));
	if (firstTick === -1) {
		return {values: [], firstTick: 0};
	}

	const values: number[] = [];
	let last = prices[firstTick]!;
	for (let tick = firstTick; tick < prices.length; tick++) {
		const price = prices[tick]!;
		if (Number.isFinite(price)) {
			last = price;
		}

		values.push(last);
	}

	return {values, firstTick};
}

/**
At most `columns` points: each column shows the last price of its bucket of
ticks (so the final column is the latest or rug price), except the column that
holds the peak, which shows the peak — a spike is never averaged away.
*/
export function downsample(values: readonly number[], columns: number, firstTick = 0): Downsampled {
	const n = values.length;
	let peakIndex = 0;
	for (let index = 1; index < n; index++) {
		if (values[index]! > values[peakIndex]!) {
			peakIndex = index;
		}
	}

	if (n <= columns || columns <= 0) {
		return {values: [...values], peakColumn: n === 0 ? -1 : peakIndex, ticks: values.map((_, index) => firstTick + index)};
	}

	const result: number[] = [];
	const ticks: number[] = [];
	let peakColumn = 0;
	for (let column = 0; column < columns; column++) {
		const start = Math.floor((column * n) / columns);
		const end = Math.floor(((column + 1) * n) / columns);
		if (peakIndex >= start && peakIndex < end) {
			result.push(values[peakIndex]!);
			ticks.push(firstTick + peakIndex);
			peakColumn = column;
			// The last column must still end on the latest price.
			if (column === columns - 1 && peakIndex !== n - 1) {
				result[column] = values[n - 1]!;
				ticks[column] = firstTick + n - 1;
				result[column - 1] = Math.max(result[column - 1] ?? values[peakIndex]!, values[peakIndex]!);
				ticks[column - 1] = firstTick + peakIndex;
				peakColumn = column - 1;
			}
		} else {
			result.push(values[end - 1]!);
			ticks.push(firstTick + end - 1);
		}
	}

	return {values: result, peakColumn, ticks};
}

export type PriceChart = {
	/** The plot, top row first, each line at most `width` cells. */
	lines: string[];
	/** A row under the plot with ▲ under the peak and ✕ under the rug. */
	markers: string;
	/** Width of the label column left of the plot. */
	labelWidth: number;
};

export type ChartOptions = {
	width: number;
	height: number;
	/** Mark the last point as the rug. */
	rugged: boolean;
};

function label(value: number): string {
	return multiplier(value);
}

/**
Plot `prices` (by tick; NaN for unseen ticks) in `width` × `height` cells plus
the marker row. Labels take the left columns, the path the rest.
*/
export function priceChart(prices: readonly number[], options: ChartOptions): PriceChart {
	const height = Math.max(1, options.height);
	const {values, firstTick} = knownSeries(prices);
	if (values.length === 0 || options.width < 12) {
		return {lines: [], markers: '', labelWidth: 0};
	}

	let min = Math.min(...values);
	let max = Math.max(...values);
	if (max === min) {
		// A flat line still needs a range for the labels: 0.01 around it, or 1% of it for large prices
		// (at 1e167, adding 0.01 changes nothing, and asciichart loops for ever on an empty range).
		const pad = Math.max(0.01, Math.abs(max) / 100);
		max += pad;
		min = Math.max(0, min - pad);
	}

	if (!(max > min) || !Number.isFinite(max - min)) {
		// Prices no chart can show (from a broken or hostile feed): no plot rather than a hung screen.
		return {lines: [], markers: '', labelWidth: 0};
	}

	// Every label below 1000x fits in 7 cells ("0.0051x", "123.4x"); larger ones widen the column.
	const labelWidth = Math.max(7, label(max).length, label(min).length);
	// A plot row is the label, then the series from the axis cell on (column c at
	// cell labelWidth + c), then one blank cell asciichart always leaves at the end.
	const columns = Math.max(2, options.width - labelWidth);
	const sampled = downsample(values, columns, firstTick);
	let lines: string[] = [];
	// asciichart draws about height + 1 rows (rounding can add one): ask for fewer until it fits.
	for (let rows = height - 1; rows >= 0; rows--) {
		lines = asciichart.plot(sampled.values, {
			height: rows,
			min,
			max,
			offset: 2,
			format: (value: number) => label(value).padStart(labelWidth),
		}).split('\n').map(line => line.trimEnd());
		if (lines.length <= height) {
			break;
		}
	}

	// Column c of the series sits at cell labelWidth + 1 + c (the first point on the axis cell).
	const origin = labelWidth;
	const cells = Array.from({length: Math.min(options.width, origin + sampled.values.length)}, () => ' ');
	const peakCell = origin + sampled.peakColumn;
	if (peakCell < cells.length) {
		cells[peakCell] = '▲';
	}

	if (options.rugged) {
		cells[origin + sampled.values.length - 1] = '✕';
	}

	return {lines, markers: cells.join('').trimEnd(), labelWidth};
}
