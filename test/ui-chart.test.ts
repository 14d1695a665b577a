import stringWidth from 'string-width';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {chartMarks, downsample, knownSeries, priceChart, type PriceChart} from '../source/ui/chart.js';
import {plainText} from '../source/ui/segments.js';
import {pricePath} from '../source/verify/price-path.js';

describe('downsample keeps the peak and the latest price', () => {
	it('leaves a series that already fits alone', () => {
		expect(downsample([1, 2, 3], 10)).toEqual({values: [1, 2, 3], peakColumn: 2, ticks: [0, 1, 2]});
	});

	it('keeps a one-tick spike that a plain resample would lose', () => {
		const values = Array.from({length: 1000}, () => 1);
		values[333] = 50;
		values[999] = 0.004;
		const sampled = downsample(values, 40);
		expect(sampled.values).toHaveLength(40);
		expect(Math.max(...sampled.values)).toBe(50);
		expect(sampled.values[sampled.peakColumn]).toBe(50);
		expect(sampled.ticks[sampled.peakColumn]).toBe(333);
		expect(sampled.values.at(-1)).toBe(0.004);
	});

	it('keeps the peak even when it sits in the last bucket', () => {
		const values = [...Array.from({length: 99}, () => 1), 9, 8];
		const sampled = downsample(values, 10);
		expect(Math.max(...sampled.values)).toBe(9);
		expect(sampled.values.at(-1)).toBe(8);
	});

	it('holds for any series: at most `columns` points, same maximum, same last value', () => {
		fc.assert(fc.property(
			fc.array(fc.double({min: 0.001, max: 1000, noNaN: true}), {minLength: 1, maxLength: 600}),
			fc.integer({min: 2, max: 120}),
			(values, columns) => {
				const sampled = downsample(values, columns);
				expect(sampled.values.length).toBe(Math.min(columns, values.length));
				expect(Math.max(...sampled.values)).toBe(Math.max(...values));
				expect(sampled.values.at(-1)).toBe(values.at(-1));
			},
		));
	});
});

describe('knownSeries', () => {
	it('drops ticks before the first price and carries prices over holes', () => {
		expect(knownSeries([Number.NaN, Number.NaN, 1, Number.NaN, 1.2])).toEqual({values: [1, 1, 1.2], firstTick: 2});
		expect(knownSeries([Number.NaN])).toEqual({values: [], firstTick: 0});
	});
});

const text = (chart: PriceChart) => chart.lines.map(line => plainText([line]));
/** The y-axis labels of a chart, top to bottom. */
const labels = (chart: PriceChart) => text(chart).slice(0, -1).map(line => /^\s*(\d[\d.,]*)x/.exec(line)?.[1]).filter(label => label !== undefined).map(Number);

describe('priceChart fits the pane', () => {
	const path = pricePath('seed-for-the-chart', '20251212-0123456789abcdef');

	it.each([[30, 5], [60, 9], [83, 11], [120, 20], [116, 34]])('%i × %i: no line wider than the pane, no more rows than asked', (width, height) => {
		const chart = priceChart([...path, 0.004], {width, height, rugged: true});
		expect(chart.lines.length).toBeGreaterThan(0);
		expect(chart.lines.length).toBeLessThanOrEqual(height);
		for (const line of text(chart)) {
			expect(stringWidth(line)).toBeLessThanOrEqual(width);
		}
	});

	it('draws nothing for an empty path or a pane too narrow for labels', () => {
		expect(priceChart([], {width: 40, height: 5, rugged: false}).lines).toEqual([]);
		expect(priceChart([1, 2], {width: 8, height: 5, rugged: false}).lines).toEqual([]);
	});

	it('draws a flat line', () => {
		const chart = priceChart([1, 1, 1, 1], {width: 30, height: 4, rugged: false});
		expect(text(chart).join('\n')).toContain('─');
	});
});

describe('the y-axis', () => {
	it('keeps a minimum range around 1.00x: the first ticks are not rows of 1.00x', () => {
		const chart = priceChart([1, 1.002, 1.004], {width: 60, height: 12, rugged: false});
		const shown = labels(chart);
		expect(new Set(shown).size).toBe(shown.length);
		expect(Math.max(...shown) - Math.min(...shown)).toBeGreaterThanOrEqual(0.3);
		expect(shown).toContain(1);
	});

	it('labels rows with round multiples of one step, and always 1.00x', () => {
		for (const prices of [[1, 1.5, 3, 2.2], [1, 0.7, 0.4, 0.9], [1, 12, 48, 30], [1, 1.05, 1.1]]) {
			const chart = priceChart(prices, {width: 60, height: 12, rugged: false});
			const {step} = (chart.axis!);
			expect([1, 2, 2.5, 5]).toContain(Number((step / (10 ** Math.floor(Math.log10(step)))).toFixed(6)));
			for (const label of labels(chart)) {
				expect(Math.abs((label / step) - Math.round(label / step))).toBeLessThan(1e-6);
			}

			if (chart.axis!.step < 1) {
				expect(labels(chart)).toContain(1);
			}
		}
	});

	it('after a rug keeps the axis the game had, and marks the drop', () => {
		const game = [1, 1.1, 1.2, 1.25, 1.3, 1.22, 1.15];
		const before = priceChart(game, {width: 60, height: 10, rugged: false});
		const after = priceChart([...game, 0.011], {width: 60, height: 10, rugged: true});
		expect(after.axis).toStrictEqual(before.axis);
		expect(labels(after).every(label => label >= 0.5)).toBe(true);
		// The rug at the bottom row, at the last column.
		const bottom = text(after).at(-2)!;
		expect(bottom.trimEnd().endsWith(chartMarks.rug)).toBe(true);
	});
});

describe('marks on the chart', () => {
	it('draws the 1.00x line, and the average cost of a position held', () => {
		const chart = priceChart([1, 1.4, 1.8, 2.2, 2.6], {width: 50, height: 12, rugged: false, avgCost: 1.5});
		const rows = text(chart);
		const one = rows.find(line => /^\s*1\.00x/.test(line))!;
		expect(one).toContain(chartMarks.reference);
		expect(rows.filter(line => line.includes(chartMarks.avgCost))).toHaveLength(1);
		expect(priceChart([1, 1.4], {width: 50, height: 12, rugged: false}).lines.some(line => plainText([line]).includes(chartMarks.avgCost))).toBe(false);
	});

	it('marks the peak where it happened, with its value', () => {
		const prices = [1, 1.5, 3, 2, 1.2];
		const chart = priceChart(prices, {width: 44, height: 10, rugged: false});
		const rows = text(chart);
		const {row, cell} = chart.peak!;
		expect(rows[row]![cell]).toBe(chartMarks.peak);
		expect(rows[row]).toContain('3.00x');
		// The peak's column is tick 2's: the path is stretched over the whole width.
		const columns = 44 - chart.labelWidth;
		expect(cell - chart.labelWidth).toBe(Math.round((2 * (columns - 1)) / 4));
		// Right under the mark, the path.
		expect(rows[row + 1]![cell]).not.toBe(' ');
	});

	it('uses the whole width however short the game, and numbers the ticks under it', () => {
		const chart = priceChart([1, 1.1, 1.05], {width: 100, height: 8, rugged: false});
		const rows = text(chart);
		expect(Math.max(...rows.slice(0, -1).map(line => line.trimEnd().length))).toBeGreaterThanOrEqual(99);
		const axis = rows.at(-1)!;
		expect(axis).toMatch(/tick\s+0\b.*\b1\b.*\b2\b/);
		const long = priceChart(pricePath('axis', '20251212-0123456789abcdef').slice(0, 400), {width: 80, height: 8, rugged: false});
		const numbers = [...text(long).at(-1)!.matchAll(/\d+/g)].map(match => Number(match[0]));
		expect(numbers.length).toBeGreaterThanOrEqual(4);
		const steps = new Set(numbers.slice(1).map((value, index) => value - numbers[index]!));
		expect(steps.size).toBe(1);
	});
});

describe('labels of every other row', () => {
	it.each([8, 9, 12, 13])('label the 1.00x row whatever the height (%i rows)', height => {
		const chart = priceChart([1, 1.3, 1.6, 1.2], {width: 50, height, rugged: false});
		expect(labels(chart)).toContain(1);
	});
});
