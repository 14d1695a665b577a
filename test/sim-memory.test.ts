import {setFlagsFromString} from 'node:v8';
import {runInNewContext} from 'node:vm';
import {expect, test} from 'vitest';
import {generateSession} from '../source/sim/generate-session.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function heapAfterGc(): number {
	collectGarbage();
	collectGarbage();
	return process.memoryUsage().heapUsed;
}

function median(values: readonly number[]): number {
	return values.toSorted((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

test('2,000 games stream with flat memory: nothing accumulates from game to game', () => {
	let rugs = 0;
	let envelopes = 0;
	const early: number[] = [];
	const late: number[] = [];
	// Measured while the session is still live (a finished generator frees everything it held).
	for (const envelope of generateSession({seed: 'memory', games: 2000, authenticated: true})) {
		envelopes++;
		const data = envelope.data as Record<string, unknown>;
		if (envelope.event === 'gameStateUpdate' && data['rugged'] === true && data['gameHistory'] === undefined) {
			rugs++;
			if (rugs % 100 === 0 && rugs >= 200 && rugs <= 600) {
				early.push(heapAfterGc());
			} else if (rugs % 100 === 0 && rugs >= 1600) {
				late.push(heapAfterGc());
			}
		}
	}

	expect(rugs).toBe(2000);
	expect(envelopes).toBeGreaterThan(1_000_000);
	expect(late).toHaveLength(5);
	// Medians smooth out a long game's timeline held for a moment. Keeping even 1% of each
	// game (about 0.5 KB) would add about 1 MB a thousand games; keeping each game's
	// history entry adds about 70 MB.
	expect(median(late) - median(early)).toBeLessThan(8 * 1024 * 1024);
}, 300_000);
