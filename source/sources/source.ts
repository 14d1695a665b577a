import type {SourceKind} from '../protocol/envelope.js';

/**
A live source: connects somewhere and publishes what it sees on the bus it was
created with — `envelope` for each event, `status` for its connection
lifecycle, `problem` for anything it had to skip. It never throws to its
caller after `start()`; failures become status and problems, and it retries
where that makes sense.
*/
export type Source = {
	readonly kind: SourceKind;
	/** Begin connecting. Returns at once. */
	start(): void;
	/** Disconnect and release everything (sockets, timers, browsers). Idempotent. */
	stop(): Promise<void>;
};
