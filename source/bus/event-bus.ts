/**
Typed publish/subscribe shared by every source and consumer.

Delivery is synchronous and in order, but no subscriber can break or block the
others: a handler that throws is isolated (the error is counted and reported
through `onError`), and a handler that returns a promise is treated as busy
until it settles — later messages wait in that subscriber's own bounded queue
while everyone else keeps receiving them at once. When a slow subscriber's
queue is full, its oldest message is dropped and counted.

A message published from inside a handler is delivered once the current one
has reached every subscriber (still before the outer `publish` returns), so
all subscribers see all messages in the same order. A subscriber that keeps
publishing from its handler cannot hang the bus: past `maxNested` messages in
one publish the rest are dropped and reported. A subscriber that fails while
handling a message published by the error reporter is counted, not reported
again, so a failing `problem` subscriber cannot feed itself.
*/

type Handler<T> = (message: T) => void | Promise<void>;

type SubscribeOptions = {
	/** Shown in statistics and error reports. */
	name?: string;
	/** Most messages held for a subscriber that is still busy. */
	maxQueue?: number;
};

type SubscriberStats = {
	name: string;
	topic: string;
	delivered: number;
	errors: number;
	dropped: number;
	queued: number;
};

export type SubscriberError = {topic: string; name: string; error: unknown};

type Subscriber<T> = {
	readonly name: string;
	readonly topic: string;
	readonly handler: Handler<T>;
	readonly maxQueue: number;
	queue: Array<Queued<T>>;
	busy: boolean;
	active: boolean;
	/** Handling a message published by the error reporter: its failures are not reported again. */
	handlingReport: boolean;
	delivered: number;
	errors: number;
	dropped: number;
};

type Queued<T> = {message: T; fromReport: boolean};

const defaultMaxQueue = 10_000;
/** Messages that may be published from handlers during one outer publish. */
const maxNested = 10_000;

function isThenable(value: unknown): value is PromiseLike<unknown> {
	return typeof value === 'object' && value !== null && typeof (value as {then?: unknown}).then === 'function';
}

export class EventBus<Topics extends Record<string, unknown>> {
	readonly #subscribers = new Map<keyof Topics, Array<Subscriber<any>>>();
	readonly #onError: ((report: SubscriberError) => void) | undefined;
	#reportingError = false;
	/** Messages published from handlers during the current outer publish, in order. */
	#nested: Array<{topic: keyof Topics; message: unknown; fromReport: boolean}> = [];
	#publishing = false;
	#overflow: {topic: string; dropped: number} | undefined;

	constructor(options: {onError?: (report: SubscriberError) => void} = {}) {
		this.#onError = options.onError;
	}

	subscribe<K extends keyof Topics>(topic: K, handler: Handler<Topics[K]>, options: SubscribeOptions = {}): () => void {
		const subscriber: Subscriber<Topics[K]> = {
			name: options.name ?? (handler.name || 'anonymous'),
			topic: String(topic),
			handler,
			maxQueue: Math.max(1, options.maxQueue ?? defaultMaxQueue),
			queue: [],
			busy: false,
			active: true,
			handlingReport: false,
			delivered: 0,
			errors: 0,
			dropped: 0,
		};
		const list = this.#subscribers.get(topic) ?? [];
		// Copy on write: a publish in progress keeps iterating its own array.
		this.#subscribers.set(topic, [...list, subscriber]);
		return () => {
			subscriber.active = false;
			subscriber.queue = [];
			const current = this.#subscribers.get(topic) ?? [];
			this.#subscribers.set(topic, current.filter(item => item !== subscriber));
		};
	}

	publish<K extends keyof Topics>(topic: K, message: Topics[K]): void {
		const fromReport = this.#reportingError;
		if (this.#publishing) {
			if (this.#nested.length >= maxNested) {
				this.#overflow ??= {topic: String(topic), dropped: 0};
				this.#overflow.dropped++;
				return;
			}

			this.#nested.push({topic, message, fromReport});
			return;
		}

		this.#publishing = true;
		try {
			this.#dispatch(topic, message, fromReport);
			// The queue may grow while it is drained: the array's iterator reaches what is pushed meanwhile (no shift).
			for (const item of this.#nested) {
				this.#dispatch(item.topic, item.message as Topics[keyof Topics], item.fromReport);
			}
		} finally {
			this.#nested = [];
			this.#publishing = false;
		}

		const overflow = this.#overflow;
		if (overflow !== undefined) {
			this.#overflow = undefined;
			this.#report('publish', overflow.topic, new Error(`more than ${maxNested} messages published during one publish (a subscriber publishing from its own handler?); dropped ${overflow.dropped}`));
		}
	}

	/** Number of subscribers of a topic. */
	count<K extends keyof Topics>(topic: K): number {
		return this.#subscribers.get(topic)?.length ?? 0;
	}

	stats(): SubscriberStats[] {
		const result: SubscriberStats[] = [];
		for (const list of this.#subscribers.values()) {
			for (const {name, topic, delivered, errors, dropped, queue} of list) {
				result.push({name, topic, delivered, errors, dropped, queued: queue.length});
			}
		}

		return result;
	}

	/** Resolves once no subscriber is busy or has queued messages. */
	async idle(): Promise<void> {
		for (;;) {
			const pending = [...this.#subscribers.values()].flat().some(subscriber => subscriber.busy || subscriber.queue.length > 0);
			if (!pending) {
				return;
			}

			await new Promise(resolve => {
				setImmediate(resolve);
			});
		}
	}

	#dispatch<K extends keyof Topics>(topic: K, message: Topics[K], fromReport: boolean): void {
		const list = this.#subscribers.get(topic);
		if (list === undefined) {
			return;
		}

		for (const subscriber of list) {
			if (!subscriber.active) {
				continue;
			}

			if (subscriber.busy) {
				if (subscriber.queue.length >= subscriber.maxQueue) {
					subscriber.queue.shift();
					subscriber.dropped++;
				}

				subscriber.queue.push({message, fromReport});
				continue;
			}

			this.#deliver(subscriber, message, fromReport);
		}
	}

	#deliver<T>(subscriber: Subscriber<T>, message: T, fromReport: boolean): void {
		subscriber.handlingReport = fromReport;
		let result: unknown;
		let async: boolean;
		try {
			result = subscriber.handler(message);
			async = isThenable(result);
		} catch (error) {
			this.#failed(subscriber, error);
			return;
		}

		subscriber.delivered++;
		if (!async) {
			return;
		}

		subscriber.busy = true;
		// Promise.resolve: a thenable whose then() throws becomes a rejection here, not a throw into publish().
		Promise.resolve(result).then(
			() => {
				this.#settled(subscriber);
			},
			(error: unknown) => {
				this.#failed(subscriber, error);
				this.#settled(subscriber);
			},
		);
	}

	#settled<T>(subscriber: Subscriber<T>): void {
		subscriber.busy = false;
		while (subscriber.active && !subscriber.busy && subscriber.queue.length > 0) {
			const {message, fromReport} = subscriber.queue.shift()!;
			this.#deliver(subscriber, message, fromReport);
		}
	}

	#failed<T>(subscriber: Subscriber<T>, error: unknown): void {
		subscriber.errors++;
		if (!subscriber.handlingReport) {
			this.#report(subscriber.name, subscriber.topic, error);
		}
	}

	#report(name: string, topic: string, error: unknown): void {
		if (this.#onError === undefined || this.#reportingError) {
			return;
		}

		// A failing error reporter must not recurse into itself.
		this.#reportingError = true;
		try {
			this.#onError({topic, name, error});
		} catch {
			// Nothing more can be done: the error is already counted.
		} finally {
			this.#reportingError = false;
		}
	}
}
