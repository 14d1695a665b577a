/**
What the benchmark needs to know about the screen, measured inside the
process: how often Ink redrew, how long each event took from its arrival at
the store to the first frame that showed it, and whether the feed fell
behind its schedule (a growing backlog). Enabled only on request
(RUGS_TUI_METRICS=FILE); otherwise nothing here runs.
*/

/** Latencies are kept as a 0.1 ms histogram up to this many ms: constant memory however long the run. */
const histogramMs = 10_000;
const binsPerMs = 10;
/** Events waiting for a frame; past this (a very long freeze) the oldest are dropped from the measurement. */
const maxPending = 100_000;
const maxLagSamples = 200_000;

export type LatencyReport = {count: number; p50: number; p99: number; max: number};

export type FrameReport = {
	/** Ink renders (each produced a frame). */
	redraws: number;
	/** Seconds from the first to the last redraw. */
	seconds: number;
	redrawsPerSecond: number;
	/** Most redraws inside any one calendar second. */
	maxRedrawsInASecond: number;
	/** Event arrival at the store → the frame that showed it, milliseconds. */
	latency: LatencyReport;
	/** How late events arrived against the replay's schedule (ms): first and second half of the run. */
	lag: {firstHalfP50: number; secondHalfP50: number; p99: number; max: number; last: number} | undefined;
	/** Events never shown (dropped from the measurement while frozen). */
	unmeasured: number;
	/** Events that reached the store, and the seconds from the first to the last: the rate an unthrottled UI would redraw at. */
	events: number;
	eventSeconds: number;
};

class Histogram {
	readonly #bins = new Uint32Array((histogramMs * binsPerMs) + 1);
	count = 0;
	max = 0;

	add(ms: number): void {
		const value = Math.max(0, ms);
		this.#bins[Math.min(this.#bins.length - 1, Math.round(value * binsPerMs))]!++;
		this.count++;
		this.max = Math.max(this.max, value);
	}

	percentile(p: number): number {
		if (this.count === 0) {
			return Number.NaN;
		}

		const rank = Math.max(1, Math.ceil((p / 100) * this.count));
		let seen = 0;
		for (let bin = 0; bin < this.#bins.length; bin++) {
			seen += this.#bins[bin]!;
			if (seen >= rank) {
				return bin / binsPerMs;
			}
		}

		return this.max;
	}
}

function percentileOf(values: readonly number[], p: number): number {
	if (values.length === 0) {
		return Number.NaN;
	}

	const sorted = values.toSorted((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

type FrameMetricsOptions = {
	/** Monotonic clock, ms. */
	now?: () => number;
	/** Replay speed, to measure lag against the recorded schedule (0 or undefined: not measured). */
	speed?: number;
};

export class FrameMetrics {
	readonly #now: () => number;
	readonly #speed: number;
	/** [version, arrival time] of events not yet on screen, oldest first. */
	#pending: Array<[number, number]> = [];
	#pendingStart = 0;
	#showing = 0;
	readonly #latency = new Histogram();
	#redraws = 0;
	#firstRedraw: number | undefined;
	#lastRedraw: number | undefined;
	#second = -1;
	#inSecond = 0;
	#maxInSecond = 0;
	#unmeasured = 0;
	#schedule: {wall: number; ts: number} | undefined;
	readonly #lags: number[] = [];
	#events = 0;
	#firstArrival: number | undefined;
	#lastArrival = 0;

	constructor(options: FrameMetricsOptions = {}) {
		this.#now = options.now ?? (() => performance.now());
		this.#speed = options.speed ?? 0;
	}

	/** An envelope reached the store and produced `version`; `ts` is the time it carries. */
	arrived(version: number, ts: number): void {
		const now = this.#now();
		this.#events++;
		this.#firstArrival ??= now;
		this.#lastArrival = now;
		if (this.#pending.length - this.#pendingStart >= maxPending) {
			this.#pendingStart++;
			this.#unmeasured++;
		}

		this.#pending.push([version, now]);
		if (this.#speed > 0 && Number.isFinite(ts)) {
			this.#schedule ??= {wall: now, ts};
			if (this.#lags.length < maxLagSamples) {
				this.#lags.push((now - this.#schedule.wall) - ((ts - this.#schedule.ts) / this.#speed));
			}
		}
	}

	/** The next frame shows the store at `version`. */
	showing(version: number): void {
		this.#showing = Math.max(this.#showing, version);
	}

	/** The frame clock found nothing visible to change up to `version`: those events are on screen as they are. */
	settled(version: number): void {
		this.showing(version);
		this.#consume(this.#now());
	}

	/** Ink produced a frame (its onRender callback). */
	rendered(): void {
		const now = this.#now();
		this.#redraws++;
		this.#firstRedraw ??= now;
		this.#lastRedraw = now;
		const second = Math.floor(now / 1000);
		if (second === this.#second) {
			this.#inSecond++;
		} else {
			this.#second = second;
			this.#inSecond = 1;
		}

		this.#maxInSecond = Math.max(this.#maxInSecond, this.#inSecond);
		this.#consume(now);
	}

	/** Events up to the version shown are on screen at `now`. */
	#consume(now: number): void {
		let index = this.#pendingStart;
		while (index < this.#pending.length && this.#pending[index]![0] <= this.#showing) {
			this.#latency.add(now - this.#pending[index]![1]);
			index++;
		}

		if (index === this.#pending.length) {
			this.#pending = [];
			this.#pendingStart = 0;
		} else if (index > 1024) {
			this.#pending = this.#pending.slice(index);
			this.#pendingStart = 0;
		} else {
			this.#pendingStart = index;
		}
	}

	report(): FrameReport {
		const seconds = this.#firstRedraw === undefined ? 0 : (this.#lastRedraw! - this.#firstRedraw) / 1000;
		const lags = this.#lags;
		const half = Math.floor(lags.length / 2);
		let maxLag = Number.NEGATIVE_INFINITY;
		for (const lag of lags) {
			maxLag = Math.max(maxLag, lag);
		}

		return {
			redraws: this.#redraws,
			seconds,
			redrawsPerSecond: seconds > 0 ? (this.#redraws - 1) / seconds : 0,
			maxRedrawsInASecond: this.#maxInSecond,
			latency: {
				count: this.#latency.count,
				p50: this.#latency.percentile(50),
				p99: this.#latency.percentile(99),
				max: this.#latency.max,
			},
			lag: lags.length === 0
				? undefined
				: {
					firstHalfP50: percentileOf(lags.slice(0, half), 50),
					secondHalfP50: percentileOf(lags.slice(half), 50),
					p99: percentileOf(lags, 99),
					max: maxLag,
					last: lags.at(-1)!,
				},
			unmeasured: this.#unmeasured + (this.#pending.length - this.#pendingStart),
			events: this.#events,
			eventSeconds: this.#firstArrival === undefined ? 0 : (this.#lastArrival - this.#firstArrival) / 1000,
		};
	}
}
