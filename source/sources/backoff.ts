/**
When to try again after a live connection failed: pure functions, so the
schedule can be checked exhaustively without sockets or clocks.
*/

export type BackoffPolicy = {
	/** First delay, and the smallest any delay may be. */
	minMs: number;
	/** Ceiling: no delay is longer. */
	maxMs: number;
	/** Spread as a fraction of the delay (0 = none), so many clients never retry in step. */
	jitter: number;
};

/** 1 s, 2 s, 4 s … up to 30 s, each spread by up to 50 %. */
export const defaultBackoff: BackoffPolicy = {minMs: 1000, maxMs: 30_000, jitter: 0.5};

/**
The delay before reconnection attempt `attempt` (1-based), in whole milliseconds.

It doubles from `minMs` and is spread UPWARD by up to `jitter` (so the first try
is never sooner than `minMs`); once doubling reaches the ceiling it is spread
DOWNWARD by up to `jitter / 2` instead (22.5–30 s by default), so the result
always lies in [minMs, maxMs] and retries at the ceiling still do not line up.
`random` must return a number in [0, 1); values outside are clamped.
*/
export function reconnectDelay(attempt: number, policy: BackoffPolicy = defaultBackoff, random: () => number = Math.random): number {
	const minMs = Math.max(0, policy.minMs);
	const maxMs = Math.max(minMs, policy.maxMs);
	const jitter = Math.min(1, Math.max(0, policy.jitter));
	const spread = Math.min(1, Math.max(0, random()));
	// 2 ** 52 already exceeds any sane ceiling; the cap keeps the power finite.
	const doublings = Math.min(Math.max(0, Math.floor(attempt) - 1), 52);
	const base = minMs * (2 ** doublings);
	const delay = base < maxMs
		? Math.min(maxMs, base * (1 + (jitter * spread)))
		: maxMs * (1 - ((jitter / 2) * spread));
	return Math.round(Math.min(maxMs, Math.max(minMs, delay)));
}

type RetryDecision =
	| {retry: true; attempt: number; delayMs: number}
	| {retry: false; attempts: number};

/**
What to do after a failure. `failures` counts consecutive failures including
this one (the initial connection, or a dropped one, is failure 1; reconnection
attempt n failing makes it n + 1). With `maxReconnects` N the source gives up
once N reconnection attempts have failed; undefined means never give up.
*/
export function nextRetry(
	failures: number,
	maxReconnects: number | undefined,
	policy: BackoffPolicy = defaultBackoff,
	random: () => number = Math.random,
): RetryDecision {
	const attempt = Math.max(1, Math.floor(failures));
	if (maxReconnects !== undefined && attempt > maxReconnects) {
		return {retry: false, attempts: attempt - 1};
	}

	return {retry: true, attempt, delayMs: reconnectDelay(attempt, policy, random)};
}
