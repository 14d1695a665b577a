import {describe, expect, test} from 'vitest';
import {maxTimerDelayMs, sleepFor, timerDelay} from '../source/sources/timer-delay.js';

/**
Delays computed from input go through one helper, so that none reaches a Node
timer outside the range it supports (which would fire after 1 ms with a
TimeoutOverflowWarning): clamped for a timer, or waited in timer-sized steps.
*/

describe('timerDelay', () => {
	test.each([
		[0, 0],
		[-5, 0],
		[Number.NaN, 0],
		[Number.NEGATIVE_INFINITY, 0],
		[1.5, 1.5],
		[25_000, 25_000],
		[maxTimerDelayMs, maxTimerDelayMs],
		[maxTimerDelayMs + 1, maxTimerDelayMs],
		[30 * 86_400_000, maxTimerDelayMs],
		[1e12, maxTimerDelayMs],
		[Number.POSITIVE_INFINITY, maxTimerDelayMs],
	])('%d → %d', (input, output) => {
		expect(timerDelay(input)).toBe(output);
	});
});

describe('sleepFor', () => {
	test('a wait longer than any timer (30 days, Infinity) waits, without a warning, until aborted', async () => {
		const warnings: Error[] = [];
		const onWarning = (warning: Error) => {
			warnings.push(warning);
		};

		process.on('warning', onWarning);
		try {
			for (const ms of [30 * 86_400_000, Number.POSITIVE_INFINITY]) {
				const controller = new AbortController();
				let done = false;
				const sleeping = sleepFor(ms, controller.signal).then(() => {
					done = true;
				});
				await new Promise(resolve => {
					setTimeout(resolve, 100);
				});
				expect(done).toBe(false);
				controller.abort();
				await sleeping;
				expect(done).toBe(true);
			}
		} finally {
			process.off('warning', onWarning);
		}

		expect(warnings).toEqual([]);
	});

	test('short, zero and NaN waits end; an aborted signal ends it at once', async () => {
		await sleepFor(5);
		await sleepFor(0);
		await sleepFor(Number.NaN);
		await sleepFor(Number.POSITIVE_INFINITY, AbortSignal.abort());
	});
});
