import {existsSync} from 'node:fs';
import {mkdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {availableParallelism} from 'node:os';
import {formatFigure as format, type BenchResults} from './format.js';
import {benchmarks} from './registry.js';
import type {BenchContext, BenchRow} from './types.js';

function table(rows: readonly BenchRow[]): string {
	const header = ['figure', 'value', 'unit', 'baseline', 'baseline value', 'ratio', 'target', 'met'];
	const body = rows.map(row => [
		row.name,
		format(row.value),
		row.unit,
		row.baseline?.name ?? '–',
		format(row.baseline?.value),
		row.ratio === undefined ? '–' : `${row.ratio.toFixed(2)}×`,
		row.target ?? '–',
		row.met === undefined ? '–' : (row.met ? 'yes' : 'NO'),
	]);
	const widths = header.map((cell, index) => Math.max(cell.length, ...body.map(line => line[index]!.length)));
	const line = (cells: readonly string[]) => `| ${cells.map((cell, index) => cell.padEnd(widths[index]!)).join(' | ')} |`;
	return [line(header), `|${widths.map(width => '-'.repeat(width + 2)).join('|')}|`, ...body.map(cells => line(cells))].join('\n');
}

const capturesDir = path.resolve('../shared/captures');
const context: BenchContext = {
	quick: process.env['BENCH_QUICK'] === '1',
	capturesDir: existsSync(capturesDir) ? capturesDir : undefined,
	log(message) {
		process.stderr.write(`bench: ${message}\n`);
	},
};

const only = process.argv.slice(2);
const started = performance.now();
const rows: BenchRow[] = [];
/** Seconds each benchmark took: the whole run must stay under 5 minutes on a 2-core machine. */
const timings: Record<string, number> = {};
for (const benchmark of benchmarks) {
	if (only.length > 0 && !only.some(name => benchmark.name.includes(name))) {
		continue;
	}

	context.log(`running ${benchmark.name}…`);
	const benchmarkStarted = performance.now();
	try {
		rows.push(...await benchmark.run(context));
	} catch (error) {
		context.log(`${benchmark.name} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
		process.exitCode = 1;
	}

	timings[benchmark.name] = (performance.now() - benchmarkStarted) / 1000;
	context.log(`${benchmark.name}: ${timings[benchmark.name]!.toFixed(0)} s`);
}

const seconds = (performance.now() - started) / 1000;
process.stdout.write(`${table(rows)}\n\n${rows.length} figures in ${seconds.toFixed(0)} s (node ${process.version}, ${process.platform}/${process.arch})\n`);
await mkdir('bench', {recursive: true});
// A run of some benchmarks only (`npm run bench day`) must not replace the full table.
const output = only.length === 0 && !context.quick ? 'results.json' : 'results.partial.json';
await writeFile(
	path.join('bench', output),
	`${JSON.stringify({date: new Date().toISOString(), node: process.version, cores: availableParallelism(), quick: context.quick, only, seconds, timings, rows} satisfies BenchResults & {timings: Record<string, number>}, undefined, '\t')}\n`,
);
