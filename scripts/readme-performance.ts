import {readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import {performanceEndMarker, performanceStartMarker, withPerformanceBlock, type BenchResults} from '../bench/format.js';

/**
`npm run readme:performance`: rewrite the table in README.md's Performance
section (between the performance markers) from bench/results.json, the last
full `npm run bench`. test/readme-performance.test.ts fails when they differ.
*/
const readmePath = path.resolve(process.argv[2] ?? 'README.md');
const results = JSON.parse(await readFile(path.resolve('bench/results.json'), 'utf8')) as BenchResults;
const readme = await readFile(readmePath, 'utf8');
const partial = results.quick || results.only.length > 0;
const updated = partial ? undefined : withPerformanceBlock(readme, results);
if (partial) {
	process.stderr.write('bench/results.json is not from a full run (quick or a subset): run `npm run bench` first\n');
	process.exitCode = 1;
} else if (updated === undefined) {
	process.stderr.write(`${readmePath}: no ${performanceStartMarker} … ${performanceEndMarker} block\n`);
	process.exitCode = 1;
} else if (updated === readme) {
	process.stdout.write(`${readmePath}: performance table already up to date\n`);
} else {
	await writeFile(readmePath, updated);
	process.stdout.write(`${readmePath}: performance table updated from bench/results.json (${results.date.slice(0, 10)})\n`);
}
