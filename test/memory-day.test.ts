import path from 'node:path';
import {expect, test} from 'vitest';
import {defaultDayOptions} from '../bench/day-options.js';
import {runDay} from '../bench/day.js';
import {assertBuilt} from './helpers/cli.js';
import {projectRoot} from './helpers/project.js';

/**
The short variant of the "a day in a minute" benchmark (`npm run bench day`
runs the full 8,000 games): 400 games streamed as wire frames from a feed
process through the frame decoder, the store and the UI (the real App in Ink,
drawing at --fps), in a process of its own with --expose-gc. Only memory is
asserted, never time.
*/

test('400 games at full speed: memory bounded and flat once warm, nothing lost, nothing miscounted', async () => {
	// The UI at 60 frames a second: several hundred frames, so that a leak per frame shows too.
	assertBuilt();
	const result = await runDay({...defaultDayOptions, games: 400, fps: 60}, path.join(projectRoot, '.build/bench/day-run.js'));
	expect(result.gcExposed).toBe(true);
	expect(result.games).toBe(400);
	expect(result.ticks).toBeGreaterThan(400 * 30);
	// Every frame decoded and used: no decode error, no field error, no internal error.
	expect(result.decodeErrors).toBe(0);
	expect(result.events).toBe(result.frames);
	expect(result.stats).toMatchObject({events: result.events, internalErrors: 0, fieldErrors: 0, unknownEvents: 0});
	// The UI drew while the games went by, at both sizes.
	expect(result.drawn).toBeGreaterThan(10);
	expect(result.resizes).toBeGreaterThan(0);
	// Medians of the samples (each after a full garbage collection) around the middle and at the end.
	const heapBetween = (low: number, high: number) => {
		const values = result.samples.filter(item => item.at >= low && item.at <= high).map(item => item.heapUsed).toSorted((a, b) => a - b);
		return values[Math.floor(values.length / 2)]!;
	};

	// What the state and the UI hold does not grow from game 160–240 to game 360–400. Ink's own
	// text-measure cache did (5 KB a frame, about 1 MB here; see source/ui/components/Lines.tsx).
	expect(heapBetween(90, 100) - heapBetween(40, 60)).toBeLessThan(512 * 1024);
	// The whole process stays far below the 150 MB target.
	expect(result.peakRss).toBeLessThan(150 * 1e6);
}, 180_000);
