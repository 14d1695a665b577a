import type {Envelope, SourceKind} from '../protocol/envelope.js';

/** Connection lifecycle of a live source, as the status bar shows it. */
export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'disconnected' | 'ended';

/**
One step of a source's connection lifecycle. The live sources (direct, demo,
cdp) publish every status through one reconnector (sources/reconnector.ts),
so the fields mean the same whichever source it is.
*/
export type SourceStatus = {
	/** The source this is about; in `--source auto`, the candidate it comes from. */
	source: SourceKind;
	state: ConnectionState;
	ts: number;
	/**
	What a live source connects to, on every status it publishes: the Socket.IO
	URL (direct, demo) or the DevTools host:port (cdp).
	*/
	endpoint?: string;
	/** Why: a disconnect reason, the URL being tried, "replay finished", … */
	detail?: string;
	/**
	Attempt n of the current outage (1-based), the one count of tries: on
	`reconnecting`, the attempt made when `nextRetryMs` is up; on `connecting`,
	the attempt being made; on `ended` after giving up, how many were made (the
	`--max-reconnects` that ran out). Absent outside an outage: the first
	connection, and every status while connected. An outage ends only once a
	connection has held for a while (10 s by default), so one that keeps dropping
	at once goes on counting towards `--max-reconnects`.
	*/
	attempt?: number;
	/** Milliseconds until the next attempt while reconnecting. */
	nextRetryMs?: number;
	/** Round trip, milliseconds: Engine.IO/WebSocket ping for direct, the page's ping → pong for cdp. Only while connected. */
	latencyMs?: number;
	/**
	Successful reconnections since the source started (0 until the first), on
	every status of a live source, so that it is never missing next to `attempt`.
	*/
	reconnects?: number;
	/**
	The stream starts over and does not continue what came before (a looping
	replay's next pass): consumers start their game state afresh.
	*/
	restart?: boolean;
};

export type ProblemKind = 'decode' | 'field' | 'line' | 'subscriber' | 'record' | 'source' | 'output';

/** Something went wrong but monitoring goes on: counted and shown. */
export type Problem = {
	kind: ProblemKind;
	message: string;
	ts: number;
	source?: SourceKind;
};

/** Every topic of the application bus. */
export type BusTopics = {
	envelope: Envelope;
	status: SourceStatus;
	problem: Problem;
};
