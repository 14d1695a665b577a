import stringWidth from 'string-width';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {downsample, knownSeries, priceChart} from '../source/ui/chart.js';
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

describe('priceChart fits the pane', () => {
	const path = pricePath('seed-for-the-chart', '20251212-0123456789abcdef');

	it.each([[30, 5], [60, 9], [83, 11], [120, 20]])('%i × %i: no line wider than the pane, no more rows than asked', (width, height) => {
		const chart = priceChart([...path, 0.004], {width, height, rugged: true});
		expect(chart.lines.length).toBeGreaterThan(0);
		expect(chart.lines.length).toBeLessThanOrEqual(height);
		for (const line of [...chart.lines, chart.markers]) {
			expect(stringWidth(line)).toBeLessThanOrEqual(width);
		}
	});

	it('marks the peak and the rug under the plot', () => {
		const prices = [1, 1.5, 3, 2, 1.2, 0.004];
		const chart = priceChart(prices, {width: 40, height: 8, rugged: true});
		expect(chart.markers).toContain('▲');
		expect(chart.markers.endsWith('✕')).toBe(true);
		// The ▲ sits under the column of the peak (tick 2), the ✕ under the last (rug) column.
		expect(chart.markers.indexOf('▲')).toBe(chart.labelWidth + 2);
		expect(chart.markers.indexOf('✕')).toBe(chart.labelWidth + 5);
		expect(chart.lines.join('\n')).toContain('3.00x');
	});

	it('does not mark a rug before it happens', () => {
		expect(priceChart([1, 1.1, 1.2], {width: 40, height: 5, rugged: false}).markers).not.toContain('✕');
	});

	it('draws nothing for an empty path or a pane too narrow for labels', () => {
		expect(priceChart([], {width: 40, height: 5, rugged: false}).lines).toEqual([]);
		expect(priceChart([1, 2], {width: 8, height: 5, rugged: false}).lines).toEqual([]);
	});

	it('draws a flat line', () => {
		const chart = priceChart([1, 1, 1, 1], {width: 30, height: 4, rugged: false});
		expect(chart.lines.join('\n')).toContain('─');
	});
});
