import {expect, test} from 'vitest';
import {benchFrames} from '../bench/frames.js';

test('without ../shared, the benchmark frames come from the generator, at real sizes', async () => {
	const frames = await benchFrames({quick: true, capturesDir: undefined, log() {
		// The test reads the frames, not the log.
	}});
	expect(frames.origin).toMatch(/^generated session/);
	expect(frames.all.length).toBeGreaterThan(3000);
	expect(frames.all.every(frame => frame.startsWith('42["'))).toBe(true);
	// The gameHistory frames: several per game, 250–600 KB each.
	expect(frames.large.length).toBeGreaterThanOrEqual(20);
	expect(frames.large.every(frame => frame.length >= 250_000 && frame.length < 700_000)).toBe(true);
});
