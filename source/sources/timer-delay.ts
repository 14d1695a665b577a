import {setTimeout as timerSleep} from 'node:timers/promises';

/**
Delays as Node's timers take them. setTimeout and setInterval accept at most
2^31 − 1 ms (about 24.8 days); anything longer, and anything that is not a
number (NaN from a bad field, Infinity from `--speed 1e-308`), makes Node print
a TimeoutOverflowWarning on stderr and fire after 1 ms instead — the opposite
of a long wait. Every delay computed from input (a recording's gaps, a
server's ping interval, a speed) goes through here.
*/

/** The longest delay a Node timer supports, in milliseconds. */
export const maxTimerDelayMs = 2_147_483_647;

/**
A delay a timer can take as it is: negative or NaN → 0, beyond the timer's
range (Infinity included) → its maximum. For a wait that must really be that
long, use `sleepFor`.
*/
export function timerDelay(ms: number): number {
	if (!(ms > 0)) {
		return 0;
	}

	return Math.min(ms, maxTimerDelayMs);
}

/**
Wait `ms` milliseconds however long that is (Infinity: until aborted), in
steps a timer supports; settles early, without throwing, when `signal` aborts.
*/
export async function sleepFor(ms: number, signal?: AbortSignal): Promise<void> {
	let left = Number.isNaN(ms) ? 0 : ms;
	do {
		if (signal?.aborted) {
			return;
		}

		const step = timerDelay(left);
		await timerSleep(step, undefined, {signal}).catch(() => undefined);
		left -= step;
	} while (left > 0);
}
