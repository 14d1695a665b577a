/**
The one record every source produces and every consumer reads: a Socket.IO
event with where and when it was seen. It is also the recording format: one
envelope per JSON line, so `--json` output can be replayed as is.
*/

export const sourceKinds = ['direct', 'cdp', 'replay', 'demo'] as const;
export type SourceKind = (typeof sourceKinds)[number];

export type Direction = 'received' | 'sent';

export type Envelope = {
	/** Position in the stream that produced it (1-based, per source run). */
	seq: number;
	/** Arrival time, epoch milliseconds (may carry a fraction). */
	ts: number;
	source: SourceKind;
	direction: Direction;
	/** The Socket.IO event name (`ack` for acknowledgement packets). */
	event: string;
	/**
	The payload: the LAST Socket.IO argument. Live frames carry `[trace, payload]`
	for many events; taking the first argument would yield only the trace.
	`null` when the event had no argument.
	*/
	data: unknown;
	/** Every other argument, in order, so nothing is lost. Absent when there were none. */
	extra?: unknown[];
	/** Socket.IO namespace, absent for the default `/`. */
	ns?: string;
	/** Ack id of an event that asks for an acknowledgement, or of an ack packet. */
	ackId?: number;
};

/** Split Socket.IO arguments into the payload (last) and the rest. */
export function splitArguments(args: readonly unknown[]): {data: unknown; extra?: unknown[]} {
	if (args.length === 0) {
		return {data: null};
	}

	if (args.length === 1) {
		return {data: args[0]};
	}

	return {data: args.at(-1), extra: args.slice(0, -1)};
}

export type EnvelopeInit = {
	seq: number;
	ts: number;
	source: SourceKind;
	direction: Direction;
	event: string;
	args: readonly unknown[];
	ns?: string;
	ackId?: number;
};

/**
Build an envelope with a stable key order, so that serialising the same event
always yields the same line (replaying `--json` output reproduces it byte for byte).
*/
export function makeEnvelope(init: EnvelopeInit): Envelope {
	const {data, extra} = splitArguments(init.args);
	const envelope: Envelope = {
		seq: init.seq,
		ts: init.ts,
		source: init.source,
		direction: init.direction,
		event: init.event,
		// JSON drops an undefined key: the line would lose `data` and no longer read back as an envelope.
		data: data === undefined ? null : data,
	};
	if (extra !== undefined) {
		envelope.extra = extra;
	}

	if (init.ns !== undefined && init.ns !== '/') {
		envelope.ns = init.ns;
	}

	if (init.ackId !== undefined) {
		envelope.ackId = init.ackId;
	}

	return envelope;
}

/** All Socket.IO arguments of an envelope, in their original order. */
export function envelopeArguments(envelope: Envelope): unknown[] {
	return envelope.extra === undefined ? [envelope.data] : [...envelope.extra, envelope.data];
}

export function isSourceKind(value: unknown): value is SourceKind {
	return typeof value === 'string' && (sourceKinds as readonly string[]).includes(value);
}

/**
Recognise an envelope read back from a recording. Returns a fresh envelope with
the canonical key order, or undefined when the value is not one.
*/
export function asEnvelope(value: unknown): Envelope | undefined {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		return undefined;
	}

	const record = value as Record<string, unknown>;
	const {seq, ts, source, direction, event} = record;
	if (
		typeof seq !== 'number'
		|| typeof ts !== 'number'
		|| !Number.isFinite(ts)
		|| !isSourceKind(source)
		|| (direction !== 'received' && direction !== 'sent')
		|| typeof event !== 'string'
		|| !('data' in record)
	) {
		return undefined;
	}

	const envelope: Envelope = {seq, ts, source, direction, event, data: record['data']};
	if (Array.isArray(record['extra'])) {
		envelope.extra = record['extra'];
	}

	if (typeof record['ns'] === 'string') {
		envelope.ns = record['ns'];
	}

	if (typeof record['ackId'] === 'number') {
		envelope.ackId = record['ackId'];
	}

	return envelope;
}
