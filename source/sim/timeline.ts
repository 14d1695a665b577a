import type {Direction} from '../protocol/envelope.js';

/** One event as the simulated server schedules it. */
type Scheduled = {
	/** When the server means to send it (epoch ms). */
	ts: number;
	event: string;
	args: unknown[];
	direction: Direction;
	ackId?: number;
	/** Insertion order: ties in `ts` keep the order the simulator produced them in. */
	order: number;
};

/** The feed goes quiet over [from, until), then flushes what it held back in one burst. */
type Stall = {from: number; until: number; spacing: number};

/**
Events of one stretch of the session, scheduled out of order (a trade lags its
tick, the old game's last frame lands inside the next cooldown), then delivered
in time order with their arrival times: stalls hold events back and release
them together, as the real feed does around a rug (up to ~48 events within
250 ms). Delivery times never go backwards.
*/
export class Timeline {
	#items: Scheduled[] = [];
	#stalls: Stall[] = [];
	#order = 0;

	add(ts: number, event: string, args: unknown[], direction: Direction = 'received', ackId?: number): void {
		const item: Scheduled = {ts, event, args, direction, order: this.#order++};
		if (ackId !== undefined) {
			item.ackId = ackId;
		}

		this.#items.push(item);
	}

	stall(stall: Stall): void {
		this.#stalls.push(stall);
	}

	get size(): number {
		return this.#items.length;
	}

	/**
	Every event, in delivery order with its delivery time, leaving the timeline
	empty. `after` is the last delivery time already handed out: times never go
	backwards across calls.
	*/
	take(after: number): Scheduled[] {
		const items = this.#items;
		const stalls = this.#stalls;
		this.#items = [];
		this.#stalls = [];
		items.sort((a, b) => (a.ts - b.ts) || (a.order - b.order));

		let last = after;
		let burst = 0;
		let current: Stall | undefined;
		for (const item of items) {
			const stall = stalls.find(window => item.ts >= window.from && item.ts < window.until);
			if (stall === undefined) {
				item.ts = Math.max(item.ts, last);
			} else {
				if (stall !== current) {
					current = stall;
					burst = 0;
				}

				item.ts = Math.max(stall.until + (burst * stall.spacing), last);
				burst++;
			}

			last = item.ts;
		}

		return items;
	}
}
