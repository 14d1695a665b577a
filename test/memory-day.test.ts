import {spawn} from 'node:child_process';
import path from 'node:path';
import {expect, test} from 'vitest';
import {dayArgs, defaultDayOptions, type DayOptions} from '../source/bench/day-options.js';
import type {DayResult} from '../source/bench/day-run.js';
import {projectRoot} from './helpers/project.js';

/**
The short variant of the "a day in a minute" benchmark (`npm run bench day`
runs the full 8,000 games): 400 games streamed as wire frames from a feed
process through the frame decoder, the state and the UI's render path, in a
process of its own with --expose-gc. Only memory is asserted, never time.
*/

async function runDay(options: DayOptions): Promise<DayResult> {
	const runner = path.join(projectRoot, 'dist/bench/day-run.js');
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, ['--expose-gc', runner, ...dayArgs(options)], {stdio: ['ignore', 'pipe', 'inherit']});
		let out = '';
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
			out += chunk;
		});
		child.on('error', reject);
		child.on('close', code => {
			if (code === 0) {
				resolve(JSON.parse(out.trim()) as DayResult);
			} else {
				reject(new Error(`day run exited with ${code}`));
			}
		});
	});
}

test('400 games at full speed: memory bounded and flat once warm, nothing lost, nothing miscounted', async () => {
	const result = await runDay({...defaultDayOptions, games: 400});
	expect(result.gcExposed).toBe(true);
	expect(result.games).toBe(400);
	expect(result.ticks).toBeGreaterThan(400 * 30);
	// Every frame decoded and used: no decode error, no field error, no internal error.
	expect(result.decodeErrors).toBe(0);
	expect(result.events).toBe(result.frames);
	expect(result.stats).toMatchObject({events: result.events, internalErrors: 0, fieldErrors: 0, unknownEvents: 0});
	const sample = (percent: number) => result.samples.find(item => item.at === percent)!;
	// What the state and the UI hold after a full garbage collection does not grow from game 200 to game 400:
	// a leak of 5 KB a game would add 1 MB.
	expect(sample(100).heapUsed - sample(50).heapUsed).toBeLessThan(1024 * 1024);
	// The whole process stays far below the 150 MB target.
	expect(result.peakRss).toBeLessThan(150 * 1e6);
}, 180_000);
