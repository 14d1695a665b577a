import type {Envelope, SourceKind} from '../protocol/envelope.js';

/** Connection lifecycle of a live source, as the status bar shows it. */
export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'disconnected' | 'ended';

export type SourceStatus = {
	source: SourceKind;
	state: ConnectionState;
	ts: number;
	/** Why: a disconnect reason, the URL being tried, "replay finished", … */
	detail?: string;
	/** Reconnection attempt number while reconnecting. */
	attempt?: number;
	/** Milliseconds until the next attempt while reconnecting. */
	nextRetryMs?: number;
	/** Engine.IO ping round trip, milliseconds. */
	latencyMs?: number;
	/** Reconnections since start. */
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
