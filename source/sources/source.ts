import type {SourceKind} from '../protocol/envelope.js';

/**
How a live source's run is over: stopped by its owner, or out of reconnection
attempts. `message` says what happened and what to do; the CLI prints it as
its one-line error. A single source adds how many reconnection attempts it
made in a row (`--max-reconnects`) and the last failure; the `auto` manager,
which gives up only when every candidate has, names them all in `message`.
*/
export type SourceEnd =
	| {reason: 'stopped'}
	| {reason: 'gave-up'; message: string; attempts?: number; lastFailure?: string};

/** Anything that runs until it is stopped or gives up: a live source, or the `auto` manager over several. */
export type LiveSource = {
	/** Begin connecting. Returns at once. */
	start(): void;
	/** Disconnect and release everything (sockets, timers, browsers). Idempotent. */
	stop(): Promise<void>;
	/** Settles once it is over: stopped, or out of reconnection attempts. Never rejects. */
	readonly ended: Promise<SourceEnd>;
};

/**
A live source: connects somewhere and publishes what it sees on the bus it was
created with — `envelope` for each event, `status` for its connection
lifecycle, `problem` for anything it had to skip. It never throws to its
caller after `start()`; failures become status and problems, and it retries
where that makes sense (./reconnector.ts).
*/
export type Source = LiveSource & {
	readonly kind: SourceKind;
};
