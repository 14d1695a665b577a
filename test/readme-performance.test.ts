import {readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {formatFigure, performanceBlock, withPerformanceBlock, type BenchResults} from '../bench/format.js';
import {projectRoot} from './helpers/project.js';

/** The README's performance table is bench/results.json, the last full `npm run bench`, and nothing else. */

const readme = readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
const results = JSON.parse(readFileSync(path.join(projectRoot, 'bench/results.json'), 'utf8')) as BenchResults;

describe('README performance table', () => {
	test('bench/results.json is a full run that measured every figure beside its baseline', () => {
		expect(results.quick).toBe(false);
		expect(results.only).toEqual([]);
		expect(results.rows.length).toBeGreaterThan(40);
		const unmeasured = results.rows.filter(row => !Number.isFinite(row.value) || (row.baseline !== undefined && !Number.isFinite(row.baseline.value)));
		expect(unmeasured.map(row => row.name)).toEqual([]);
	});

	test('is the table written from bench/results.json (npm run readme:performance)', () => {
		expect(withPerformanceBlock(readme, results)).toBe(readme);
	});

	test('shows every row, its target and whether it was met', () => {
		const block = performanceBlock({date: '2026-01-02T03:04:05Z', node: 'v20.0.0', cores: 2, quick: false, only: [], seconds: 12.4, rows: [
			{name: 'a | b', value: 12_345, unit: 'events/s', baseline: {name: 'JSON.parse', value: 0.5}, ratio: 24_690, better: 'higher', target: '≥ 1×', met: false},
			{name: 'c', value: 3.141_59, unit: 'ms', better: 'lower'},
		]});
		expect(block).toContain('on 2026-01-02 (v20.0.0, 2 cores), 12 s for the whole run');
		expect(block).toContain(String.raw`| a \| b | 12.3k events/s | JSON.parse: 0.500 | 24690.00× | ≥ 1× | **no** |`);
		expect(block).toContain('| c | 3.14 ms | – | – | – | – |');
		expect([formatFigure(1_234_567), formatFigure(150.4), formatFigure(Number.NaN)]).toEqual(['1.23M', '150', '–']);
	});
});
