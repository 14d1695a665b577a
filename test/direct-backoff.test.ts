import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {defaultBackoff, nextRetry, reconnectDelay} from '../source/sources/backoff.js';

const fixed = (value: number) => () => value;

describe('reconnectDelay', () => {
	it('doubles from 1 s, spread upward, and never goes below 1 s', () => {
		expect([1, 2, 3, 4, 5].map(attempt => reconnectDelay(attempt, defaultBackoff, fixed(0)))).toEqual([1000, 2000, 4000, 8000, 16_000]);
		// The largest spread: up to 50 % more.
		expect([1, 2, 3, 4, 5].map(attempt => reconnectDelay(attempt, defaultBackoff, fixed(0.999_999)))).toEqual([1500, 3000, 6000, 12_000, 24_000]);
	});

	it('holds at 30 s, spread downward there so retries at the ceiling do not line up', () => {
		for (const attempt of [6, 7, 20, 1000]) {
			expect(reconnectDelay(attempt, defaultBackoff, fixed(0))).toBe(30_000);
			expect(reconnectDelay(attempt, defaultBackoff, fixed(0.999_999))).toBe(22_500);
			expect(reconnectDelay(attempt, defaultBackoff, fixed(0.5))).toBe(26_250);
		}
	});

	it('is deterministic without jitter', () => {
		const policy = {minMs: 100, maxMs: 1000, jitter: 0};
		expect([1, 2, 3, 4, 5, 6].map(attempt => reconnectDelay(attempt, policy, Math.random))).toEqual([100, 200, 400, 800, 1000, 1000]);
	});

	it('always lies in [min, max], whatever the attempt, policy or random source', () => {
		fc.assert(fc.property(
			fc.integer({min: -5, max: 10_000}),
			fc.integer({min: 0, max: 60_000}),
			fc.integer({min: 0, max: 120_000}),
			fc.double({min: -1, max: 2, noNaN: true}),
			fc.double({min: -2, max: 2, noNaN: true}),
			(attempt, minMs, maxMs, jitter, random) => {
				const delay = reconnectDelay(attempt, {minMs, maxMs, jitter}, fixed(random));
				expect(Number.isInteger(delay)).toBe(true);
				expect(delay).toBeGreaterThanOrEqual(minMs);
				expect(delay).toBeLessThanOrEqual(Math.max(minMs, maxMs));
			},
		));
	});

	it('grows with the attempt number while below the ceiling', () => {
		fc.assert(fc.property(fc.integer({min: 1, max: 4}), fc.double({min: 0, max: 0.999, noNaN: true}), fc.double({min: 0, max: 0.999, noNaN: true}), (attempt, a, b) => {
			// The shortest delay of the next attempt (2×) beats the longest of this one (1.5×).
			expect(reconnectDelay(attempt + 1, defaultBackoff, fixed(a))).toBeGreaterThan(reconnectDelay(attempt, defaultBackoff, fixed(b)));
		}));
	});
});

describe('nextRetry', () => {
	it('retries for ever when no cap is set', () => {
		for (const failures of [1, 2, 10, 10_000]) {
			const decision = nextRetry(failures, undefined, defaultBackoff, fixed(0));
			expect(decision).toEqual({retry: true, attempt: failures, delayMs: reconnectDelay(failures, defaultBackoff, fixed(0))});
		}
	});

	it('makes exactly N reconnection attempts with --max-reconnects N', () => {
		expect(nextRetry(1, 3, defaultBackoff, fixed(0))).toMatchObject({retry: true, attempt: 1});
		expect(nextRetry(2, 3, defaultBackoff, fixed(0))).toMatchObject({retry: true, attempt: 2});
		expect(nextRetry(3, 3, defaultBackoff, fixed(0))).toMatchObject({retry: true, attempt: 3});
		expect(nextRetry(4, 3, defaultBackoff, fixed(0))).toEqual({retry: false, attempts: 3});
	});

	it('never retries with --max-reconnects 0', () => {
		expect(nextRetry(1, 0, defaultBackoff, fixed(0))).toEqual({retry: false, attempts: 0});
	});
});
