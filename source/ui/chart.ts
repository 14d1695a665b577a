import asciichart from 'asciichart';
import {multiplier} from './format.js';
import {segment, type Segment, type SegmentLine, type Style} from './segments.js';
import type {Colour} from './theme.js';

/**
The price path as an asciichart plot fitted to a pane, and dressed for
reading: a y-axis of round multipliers (at least 0.8x–1.2x, so a game's
first ticks are not eleven rows of 1.00x), a dotted 1.00x line, the
average cost of a position held, the peak marked where it happened with its
value, tick numbers under the plot, and after a rug the same axis as before
it with the drop marked ✕ (the rug price, 0.002–0.02x, would otherwise drag
the axis down to labels such as 0.011x). The path fills the plot's width:
a short game is stretched, a long one downsampled with its peak kept. Pure:
the same prices and size always give the same lines, each at most `width`
cells wide.
*/

type Downsampled = {
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

function peakIndexOf(values: readonly number[]): number {
	let peakIndex = 0;
	for (let index = 1; index < values.length; index++) {
		if (values[index]! > values[peakIndex]!) {
			peakIndex = index;
		}
	}

	return peakIndex;
}

/**
At most `columns` points: each column shows the last price of its bucket of
ticks (so the final column is the latest or rug price), except the column that
holds the peak, which shows the peak — a spike is never averaged away.
*/
export function downsample(values: readonly number[], columns: number, firstTick = 0): Downsampled {
	const n = values.length;
	const peakIndex = peakIndexOf(values);
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

/**
Fewer ticks than columns: spread them over all `columns`, each tick's own
price at its column and straight lines between, so the path uses the whole
plot (a maximised pane included) whatever the game's length.
*/
function stretch(values: readonly number[], columns: number, firstTick = 0): Downsampled {
	const n = values.length;
	if (n === 0 || columns <= n) {
		return downsample(values, columns, firstTick);
	}

	const span = Math.max(1, n - 1);
	const at = (index: number) => (n === 1 ? 0 : Math.round((index * (columns - 1)) / span));
	const result: number[] = Array.from({length: columns}, () => 0);
	const ticks: number[] = Array.from({length: columns}, () => firstTick);
	for (let index = 0; index < n; index++) {
		const from = at(index);
		const to = index === n - 1 ? columns - 1 : at(index + 1);
		const next = values[Math.min(n - 1, index + 1)]!;
		for (let column = from; column <= to; column++) {
			const share = to === from ? 0 : (column - from) / (to - from);
			result[column] = values[index]! + ((next - values[index]!) * share);
			ticks[column] = firstTick + index + (share >= 0.5 ? 1 : 0);
		}

		// Each tick's own price exactly at its own column.
		result[from] = values[index]!;
		ticks[from] = firstTick + index;
	}

	const peakIndex = peakIndexOf(values);
	return {values: result, peakColumn: at(peakIndex), ticks};
}

/** 1, 2, 2.5, 5 × 10^k: the steps between two rows of the y-axis. */
function niceSteps(from: number): number[] {
	const exponent = Math.floor(Math.log10(Math.max(from, 1e-6)));
	const steps: number[] = [];
	for (let power = exponent - 1; power <= exponent + 2; power++) {
		for (const mantissa of [1, 2, 2.5, 5]) {
			steps.push(mantissa * (10 ** power));
		}
	}

	return steps.filter(step => step >= from * 0.999);
}

/** Decimals a label needs to show multiples of `step` exactly (0.25 → 2, 0.5 → 2, 5 → 0, 2.5 → 1). */
function labelDecimals(step: number): number {
	if (step >= 1) {
		return Number.isInteger(step) && step >= 10 ? 0 : 1;
	}

	let decimals = 2;
	while (decimals < 6 && Math.abs(Math.round(step * (10 ** decimals)) - (step * (10 ** decimals))) > 1e-9) {
		decimals++;
	}

	return decimals;
}

export type Axis = {min: number; max: number; step: number; rows: number; decimals: number};

/** The smallest range the y-axis shows: a game's first ticks still read as small moves. */
const minimumSpan = 0.4;

/**
A y-axis over [low, high] (1.00x always in it) with `rows` rows, each row a
round multiple of `step`, leaving at least one row above the highest price
(for the peak's mark) and centring the path in what is spare.
*/
function chooseAxis(low: number, high: number, rows: number): Axis | undefined {
	let lo = Math.min(low, 1);
	let hi = Math.max(high, 1);
	if (hi - lo < minimumSpan) {
		const centre = (hi + lo) / 2;
		lo = Math.max(0, centre - (minimumSpan / 2));
		hi = lo + minimumSpan;
	}

	if (!Number.isFinite(hi - lo) || !(hi > lo) || rows < 2) {
		return undefined;
	}

	const intervals = rows - 1;
	const room = intervals >= 3 ? intervals - 1 : intervals;
	for (const step of niceSteps((hi - lo) / room)) {
		const bottom = Math.floor(lo / step) * step;
		const needed = Math.ceil(((hi - bottom) / step) - 1e-9);
		if (needed <= room) {
			const spare = intervals - needed;
			const min = Math.max(0, bottom - (Math.floor(spare / 2) * step));
			const max = min + (intervals * step);
			// Near the largest doubles the top of the axis overflows: no axis for such prices.
			return Number.isFinite(max) && max > min ? {min, max, step, rows, decimals: labelDecimals(step)} : undefined;
		}
	}

	return undefined;
}

type ChartOptions = {
	width: number;
	/** Rows for the plot and the tick numbers under it. */
	height: number;
	/** The last price is the rug's. */
	rugged: boolean;
	/** The average cost of the position held, drawn as a line. */
	avgCost?: number;
	/** The path's colour (green while it runs, red once rugged). */
	colour?: Colour;
};

export type PriceChart = {
	/** The plot rows, top first, then the row of tick numbers; each at most `width` cells. */
	lines: SegmentLine[];
	/** Width of the label column left of the plot (the axis is the next cell). */
	labelWidth: number;
	axis: Axis | undefined;
	/** Where the peak is drawn: plot row (from the top) and cell. */
	peak: {row: number; cell: number} | undefined;
};

const empty: PriceChart = {lines: [], labelWidth: 0, axis: undefined, peak: undefined};

/** Glyphs drawn over the plot, one cell each. */
export const chartMarks = {reference: '┈', avgCost: '╌', peak: '▼', rug: '✕'} as const;

type Cell = {char: string; style: Style};

function rowOf(value: number, axis: Axis): number {
	// Rows from the top, as asciichart puts them.
	return (axis.rows - 1) - Math.round((value - axis.min) / axis.step);
}

/** Cells as segments, one per run of a style; blanks at the end of the line dropped. */
function toSegments(cells: readonly Cell[]): SegmentLine {
	const line: Segment[] = [];
	let text = '';
	let style: Style | undefined;
	for (const cell of cells) {
		if (style !== undefined && cell.style !== style) {
			line.push(segment(text, style));
			text = '';
		}

		style = cell.style;
		text += cell.char;
	}

	if (style !== undefined) {
		line.push(segment(text, style));
	}

	while (line.length > 0) {
		const last = line.at(-1)!;
		const trimmed = last.text.trimEnd();
		if (trimmed !== '') {
			line[line.length - 1] = {...last, text: trimmed};
			break;
		}

		line.pop();
	}

	return line;
}

/** The row under the plot: tick numbers at round ticks, where their column is. */
function tickRow(ticks: readonly number[], labelWidth: number, width: number, style: Style): Cell[] {
	const cells: Cell[] = Array.from({length: Math.min(width, labelWidth + ticks.length)}, () => ({char: ' ', style}));
	if (labelWidth >= 5) {
		for (const [index, char] of [...'tick'.padStart(labelWidth - 1)].entries()) {
			cells[index] = {char, style};
		}
	}

	const last = ticks.at(-1) ?? 0;
	const labelCells = String(last).length + 2;
	const wanted = Math.max(1, Math.floor(ticks.length / labelCells));
	let step = 1;
	for (const candidate of [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000]) {
		step = candidate;
		if ((ticks.at(-1)! - ticks[0]!) / candidate <= wanted) {
			break;
		}
	}

	let free = labelWidth;
	let next = Math.ceil(ticks[0]! / step) * step;
	for (const [column, tick] of ticks.entries()) {
		if (tick < next) {
			continue;
		}

		const text = String(next);
		const cell = labelWidth + column;
		next = (Math.floor(tick / step) + 1) * step;
		if (cell < free || cell + text.length > cells.length) {
			continue;
		}

		for (const [index, char] of [...text].entries()) {
			cells[cell + index] = {char, style};
		}

		free = cell + text.length + 1;
	}

	return cells;
}

/** asciichart's rows for `values` on `axis`, each label padded to `labelWidth`. */
function plotted(values: readonly number[], axis: Axis, labelWidth: number, text: (value: number, index: number) => string): string[] {
	return asciichart.plot([...values], {
		height: axis.rows - 1,
		min: axis.min,
		max: axis.max,
		offset: 2,
		format: (value: number, index: number) => text(value, index).padStart(labelWidth),
	}).split('\n');
}

/**
Plot `prices` (by tick; NaN for unseen ticks) in `width` × `height` cells:
height - 1 plot rows and the tick numbers. Labels take the left columns,
the path the rest.
*/
export function priceChart(prices: readonly number[], options: ChartOptions): PriceChart {
	const {values, firstTick} = knownSeries(prices);
	const plotRows = Math.max(2, options.height - 1);
	if (values.length === 0 || options.width < 12 || options.height < 3) {
		return empty;
	}

	// After a rug the axis is the one the game had: the rug's price falls to the bottom row, marked.
	const body = options.rugged && values.length > 1 ? values.slice(0, -1) : values;
	let low = Number.POSITIVE_INFINITY;
	let high = Number.NEGATIVE_INFINITY;
	for (const value of body) {
		low = Math.min(low, value);
		high = Math.max(high, value);
	}

	const avgCost = options.avgCost !== undefined && options.avgCost > 0 && Number.isFinite(options.avgCost) ? options.avgCost : undefined;
	if (avgCost !== undefined) {
		low = Math.min(low, avgCost);
		high = Math.max(high, avgCost);
	}

	const axis = chooseAxis(low, high, plotRows);
	if (axis === undefined) {
		// Prices no chart can show (from a broken or hostile feed): no plot rather than a hung screen.
		return empty;
	}

	const label = (value: number) => multiplier(value, axis.decimals);
	const labelWidth = Math.max(label(axis.max).length, label(axis.min).length) + 1;
	const columns = Math.max(2, options.width - labelWidth);
	const sampled = stretch(values, columns, firstTick);
	const clamped = sampled.values.map(value => Math.min(axis.max, Math.max(axis.min, value)));
	// Every other row is labelled once there are many, always including the 1.00x row.
	const referenceRow = rowOf(1, axis);
	const labelEvery = axis.rows > 7 ? 2 : 1;
	let plot: string[];
	try {
		// asciichart counts its rows from the top, as rowOf does.
		plot = plotted(clamped, axis, labelWidth, (value, row) => (Math.abs(row - referenceRow) % labelEvery === 0 ? `${label(value)} ` : ''));
	} catch {
		// asciichart sizes its grid from the values: prices no chart can show draw no chart.
		return empty;
	}

	const styles = {
		label: {dim: true} satisfies Style,
		path: {colour: options.colour} satisfies Style,
		reference: {dim: true} satisfies Style,
		avgCost: {colour: 'yellow'} satisfies Style,
		peak: {colour: 'yellow', bold: true} satisfies Style,
		rug: {colour: 'red', bold: true} satisfies Style,
	};
	const grid: Cell[][] = plot.slice(0, axis.rows).map(row => [...row].map((char, index) => ({char, style: index < labelWidth + 1 ? styles.label : styles.path})));
	// asciichart marks its value-0 row with ┼ on the axis, counting rows from the top: only the path's first point is a ┼.
	const firstRow = rowOf(clamped[0]!, axis);
	for (const [row, cells] of grid.entries()) {
		if (cells[labelWidth]?.char === '┼' && row !== firstRow) {
			cells[labelWidth] = {char: '┤', style: styles.label};
		} else if (row === firstRow && cells[labelWidth] !== undefined) {
			cells[labelWidth] = {char: '┼', style: styles.path};
		}
	}

	const put = (row: number, cell: number, char: string, style: Style, overPath = false) => {
		const target = grid[row]?.[cell];
		if (target !== undefined && (overPath || target.char === ' ')) {
			grid[row]![cell] = {char, style};
		}
	};

	const lineAcross = (row: number, char: string, style: Style) => {
		for (let cell = labelWidth + 1; cell < labelWidth + sampled.values.length; cell++) {
			put(row, cell, char, style);
		}
	};

	lineAcross(referenceRow, chartMarks.reference, styles.reference);
	if (avgCost !== undefined) {
		lineAcross(rowOf(avgCost, axis), chartMarks.avgCost, styles.avgCost);
	}

	let peak: PriceChart['peak'];
	const peakValue = sampled.values[sampled.peakColumn];
	if (peakValue !== undefined && sampled.peakColumn >= 0) {
		const cell = labelWidth + sampled.peakColumn;
		const row = rowOf(Math.min(axis.max, peakValue), axis) - 1;
		if (row >= 0) {
			peak = {row, cell};
			put(row, cell, chartMarks.peak, styles.peak, true);
			const text = multiplier(peakValue);
			const end = labelWidth + sampled.values.length;
			const start = cell + 1 + text.length < end ? cell + 1 : cell - text.length;
			if (start > labelWidth && [...text].every((_, index) => grid[row]?.[start + index]?.char === ' ')) {
				for (const [index, char] of [...text].entries()) {
					put(row, start + index, char, styles.peak);
				}
			}
		}
	}

	if (options.rugged) {
		put(axis.rows - 1, labelWidth + sampled.values.length - 1, chartMarks.rug, styles.rug, true);
	}

	const lines = grid.map(cells => toSegments(cells.slice(0, options.width)));
	lines.push(toSegments(tickRow(sampled.ticks, labelWidth, options.width, styles.label)));
	return {lines, labelWidth, axis, peak};
}
