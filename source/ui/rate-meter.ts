/**
Events per second over a sliding window of whole seconds, in constant memory
and constant time per event however fast events come.
*/
export class RateMeter {
	readonly #buckets: number[];
	readonly #windowSeconds: number;
	/** The second (floor(ms / 1000)) the newest bucket counts. */
	#second: number | undefined;
	#start: number | undefined;

	constructor(windowSeconds = 5) {
		this.#windowSeconds = Math.max(1, Math.floor(windowSeconds));
		this.#buckets = Array.from({length: this.#windowSeconds + 1}, () => 0);
	}

	add(nowMs: number, count = 1): void {
		this.#advance(nowMs);
		this.#start ??= nowMs;
		const index = this.#second! % this.#buckets.length;
		this.#buckets[index] = this.#buckets[index]! + count;
	}

	/**
	Average rate over the last `windowSeconds` whole seconds plus the current
	partial one; before a full window has passed, over the time since the first event.
	*/
	perSecond(nowMs: number): number {
		this.#advance(nowMs);
		if (this.#start === undefined) {
			return 0;
		}

		const total = this.#buckets.reduce((sum, value) => sum + value, 0);
		const partial = (nowMs % 1000) / 1000;
		const span = Math.min(this.#windowSeconds + partial, Math.max(1, (nowMs - this.#start) / 1000));
		return total / span;
	}

	/**
	Average over the last `windowSeconds` completed seconds, the current one
	left out, so that the figure moves only when a second ends (a status bar
	that shows it is not redrawn for it in between). Until a whole second has
	passed since the first event's, the same as `perSecond`.
	*/
	completedPerSecond(nowMs: number): number {
		this.#advance(nowMs);
		if (this.#start === undefined) {
			return 0;
		}

		const current = this.#second!;
		// The first event's second was only partly watched: it does not count as complete.
		const completed = Math.min(this.#windowSeconds, current - Math.floor(this.#start / 1000) - 1);
		if (completed <= 0) {
			return this.perSecond(nowMs);
		}

		let total = 0;
		for (let step = 1; step <= completed; step++) {
			total += this.#buckets[(current - step) % this.#buckets.length]!;
		}

		return total / completed;
	}

	#advance(nowMs: number): void {
		const second = Math.floor(nowMs / 1000);
		if (this.#second === undefined) {
			this.#second = second;
			return;
		}

		if (second <= this.#second) {
			return;
		}

		// Clear the buckets of the seconds that passed without events.
		const steps = Math.min(second - this.#second, this.#buckets.length);
		for (let step = 1; step <= steps; step++) {
			this.#buckets[(this.#second + step) % this.#buckets.length] = 0;
		}

		this.#second = second;
	}
}
