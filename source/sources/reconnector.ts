import type {AppBus} from '../bus/app-bus.js';
import type {ConnectionState, ProblemKind, SourceStatus} from '../bus/messages.js';
import type {SourceKind} from '../protocol/envelope.js';
import {nextRetry, type BackoffPolicy} from './backoff.js';
import type {SourceEnd} from './source.js';

/** A connection that lived this long counts as good: the next failure starts a new outage (attempt 1, the backoff afresh). */
export const defaultStableAfterMs = 10_000;

export type ReconnectorSettings = {
	/** Label on everything published. */
	source: SourceKind;
	/** What is being connected to (a URL, a DevTools host:port): on every status. */
	endpoint: string;
	/** Detail of the `connecting` status that starts each attempt. */
	connectingDetail: string;
	/** Give up after this many failed reconnection attempts in a row; undefined = never. */
	maxReconnects: number | undefined;
	backoff: BackoffPolicy;
	/** Random numbers in [0, 1) for the backoff jitter. */
	random: () => number;
	/** How long a connection must hold for its loss to start a new outage. */
	stableAfterMs: number;
	/** Monotonic clock in milliseconds (default `performance.now`). */
	now?: () => number;
};

/** What only the source knows: how to make an attempt, and how to say what went wrong. */
type ReconnectorHooks = {
	/** Make one attempt now; report how it went with `connected()` or `failed()`. */
	connect(): void;
	/**
	The problem to publish for a new outage, or undefined for none. `lost`: an
	established connection went away (rather than an attempt failing); `next`:
	what happens now.
	*/
	outage(reason: string, lost: boolean, next: 'reconnecting' | 'retrying' | 'giving up'): string | undefined;
	/** The message once out of attempts; `gaveUp` reads "gave up after N reconnection attempts". */
	gaveUp(reason: string, gaveUp: string, everConnected: boolean): string;
};

type Failure = {
	/** Why, in words: the status detail, and the end's `lastFailure`. */
	reason: string;
	/**
	Bad input that caused it (with a sample): a `decode` problem every time,
	outage or not, since each one is a frame the monitor had to throw away.
	*/
	badInput?: string;
};

type StatusFields = Omit<Partial<SourceStatus>, 'source' | 'state' | 'ts' | 'endpoint' | 'reconnects'>;

/**
The reconnection policy every live source shares, so that `--max-reconnects`,
the backoff and the status fields mean the same for each.

An attempt is whatever the source does to connect (open a Socket.IO client;
list the tabs and attach to one); it reports back `connected()` once the
connection really works, or `failed()`. Attempts of one outage are numbered
1, 2, … and spaced by ./backoff.ts; after `maxReconnects` failed ones in a row
the source gives up. An outage ends only when a connection has held for
`stableAfterMs`: a connection that drops at once is the same outage going on,
so the count keeps growing and the cap applies.

Reporting: a `connecting` status for every attempt, a `reconnecting` one (with
the attempt number and delay) after every failure, `disconnected` when an
established connection is lost, and `ended` when it gives up or is stopped. One
`source` problem per outage (not one per attempt); bad input is a `decode`
problem each time. Every status carries the endpoint and the count of
successful reconnections.
*/
export class Reconnector {
	readonly ended: Promise<SourceEnd>;

	readonly #bus: AppBus;
	readonly #settings: ReconnectorSettings;
	readonly #hooks: ReconnectorHooks;
	readonly #now: () => number;
	#resolveEnded!: (end: SourceEnd) => void;
	#phase: 'idle' | 'running' | 'over' = 'idle';
	/** Failed attempts of the current outage (a lost connection counts as one): the attempt number. */
	#failures = 0;
	#everConnected = false;
	/** A problem was already published for the current outage. */
	#outageReported = false;
	#connectedAt: number | undefined;
	#retryTimer: NodeJS.Timeout | undefined;
	#reconnects = 0;
	#problems = 0;
	#stopping: Promise<void> | undefined;

	constructor(bus: AppBus, settings: ReconnectorSettings, hooks: ReconnectorHooks) {
		this.#bus = bus;
		this.#settings = settings;
		this.#hooks = hooks;
		this.#now = settings.now ?? (() => performance.now());
		this.ended = new Promise(resolve => {
			this.#resolveEnded = resolve;
		});
	}

	/** Started, not stopped, not given up: attempts are being made or a connection is up. */
	get running(): boolean {
		return this.#phase === 'running';
	}

	/** Successful reconnections since start. */
	get reconnects(): number {
		return this.#reconnects;
	}

	/** Problems published. */
	get problems(): number {
		return this.#problems;
	}

	/** Make the first attempt. Only the first call does anything. */
	start(): void {
		if (this.#phase !== 'idle') {
			return;
		}

		this.#phase = 'running';
		this.#attempt();
	}

	/** The attempt under way has worked: the connection is up. Later calls before a failure do nothing. */
	connected(): void {
		if (this.#phase !== 'running' || this.#connectedAt !== undefined) {
			return;
		}

		this.#connectedAt = this.#now();
		if (this.#everConnected) {
			this.#reconnects++;
		}

		this.#everConnected = true;
	}

	/**
	The attempt under way failed, or the connection it made was lost: report it,
	then schedule the next attempt or give up. The source has already let go of
	that attempt (nothing of it may call `connected()` afterwards).
	*/
	failed(failure: Failure): void {
		if (this.#phase !== 'running') {
			return;
		}

		const connectedAt = this.#connectedAt;
		const lost = connectedAt !== undefined;
		if (lost && this.#now() - connectedAt >= this.#settings.stableAfterMs) {
			// The connection held: this is a new outage.
			this.#failures = 0;
			this.#outageReported = false;
		}

		this.#connectedAt = undefined;
		this.#failures++;
		const {reason} = failure;
		const {maxReconnects, backoff, random} = this.#settings;
		const decision = nextRetry(this.#failures, maxReconnects, backoff, random);
		if (failure.badInput !== undefined) {
			this.#problem('decode', `${failure.badInput}; ${decision.retry ? 'reconnecting' : 'giving up'}`);
			this.#outageReported = true;
		} else if (!this.#outageReported) {
			const message = this.#hooks.outage(reason, lost, decision.retry ? (lost ? 'reconnecting' : 'retrying') : 'giving up');
			if (message !== undefined) {
				this.#problem('source', message);
				this.#outageReported = true;
			}
		}

		if (lost) {
			this.#publish('disconnected', {detail: reason});
		}

		if (!decision.retry) {
			this.#phase = 'over';
			const {attempts} = decision;
			const message = this.#hooks.gaveUp(reason, `gave up after ${attempts} reconnection attempt${attempts === 1 ? '' : 's'}`, this.#everConnected);
			this.#publish('ended', {detail: message, attempt: attempts});
			this.#resolveEnded({reason: 'gave-up', attempts, lastFailure: reason, message});
			return;
		}

		this.#publish('reconnecting', {detail: reason, attempt: decision.attempt, nextRetryMs: decision.delayMs});
		this.#retryTimer = setTimeout(() => {
			this.#retryTimer = undefined;
			if (this.#phase === 'running') {
				this.#attempt();
			}
		}, decision.delayMs);
	}

	/**
	The attempt under way found that no attempt can ever work (the source was
	told to connect somewhere it must not: a DevTools host outside loopback):
	a `source` problem, then the end, whatever `--max-reconnects` allows.
	*/
	refused(reason: string): void {
		if (this.#phase !== 'running') {
			return;
		}

		this.#phase = 'over';
		clearTimeout(this.#retryTimer);
		this.#retryTimer = undefined;
		this.#problem('source', reason);
		this.#publish('ended', {detail: reason});
		this.#resolveEnded({reason: 'gave-up', attempts: this.#failures, lastFailure: reason, message: reason});
	}

	/**
	Stop for good: no attempt is made after this, and `connected()`, `failed()`,
	`status()` and `problem()` are ignored. `release` lets go of what the source
	holds; then, if it was running, the last status (`ended`, with `detail()`)
	is published and `ended` settles. Later calls wait for the first.
	*/
	async stop(release: () => Promise<void> | void, detail: () => string): Promise<void> {
		this.#stopping ??= (async () => {
			const wasRunning = this.#phase === 'running';
			this.#phase = 'over';
			clearTimeout(this.#retryTimer);
			this.#retryTimer = undefined;
			await release();
			if (wasRunning) {
				this.#publish('ended', {detail: detail()});
			}

			this.#resolveEnded({reason: 'stopped'});
		})();
		return this.#stopping;
	}

	/** A status of the source's own (connected, or what happens inside a connection), while running. */
	status(state: ConnectionState, fields: StatusFields = {}): void {
		if (this.#phase === 'running') {
			this.#publish(state, fields);
		}
	}

	/** A problem that does not end the connection (a bad frame the source skipped), while running. */
	problem(kind: ProblemKind, message: string): void {
		if (this.#phase === 'running') {
			this.#problem(kind, message);
		}
	}

	#attempt(): void {
		this.#publish('connecting', {detail: this.#settings.connectingDetail, attempt: this.#failures > 0 ? this.#failures : undefined});
		this.#hooks.connect();
	}

	#publish(state: ConnectionState, fields: StatusFields): void {
		const status: SourceStatus = {source: this.#settings.source, state, ts: Date.now(), endpoint: this.#settings.endpoint};
		for (const [key, value] of Object.entries(fields)) {
			if (value !== undefined) {
				(status as Record<string, unknown>)[key] = value;
			}
		}

		status.reconnects = this.#reconnects;
		this.#bus.publish('status', status);
	}

	#problem(kind: ProblemKind, message: string): void {
		this.#problems++;
		this.#bus.publish('problem', {kind, source: this.#settings.source, ts: Date.now(), message});
	}
}
