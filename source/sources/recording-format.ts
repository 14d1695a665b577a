import {asEnvelope, makeEnvelope, type Direction, type Envelope, type SourceKind} from '../protocol/envelope.js';
import {isTraceObject} from '../protocol/events.js';
import {cleanText} from '../protocol/untrusted-text.js';

/**
Reading recordings: the project's own envelope lines, and the two formats
written by the public Python recorders (PROTOCOL.md):

- `{seq, ts, event, data}` — ts a naive local ISO time (or with an offset);
  `data` the payload for one-argument events and `[trace, payload]` for
  two-argument ones. A CDP variant adds `source:"cdp_intercept"` and
  `direction`, and kept only the FIRST argument: its two-argument events hold
  just the trace object, so their payload is unavailable (data null, trace in extra).
- `{timestamp, event_type, data}` — same data convention.
*/

export type ParsedRecord = {ok: true; envelope: Envelope} | {ok: false; reason: string};

const isoPattern = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/;

/**
Epoch milliseconds (with sub-millisecond fraction) from an ISO time. A time
without an offset is taken as local time, as the Python recorders wrote it.
*/
export function parseIsoTime(text: string): number | undefined {
	const match = isoPattern.exec(text);
	if (match === null) {
		return undefined;
	}

	const [, year, month, day, hour, minute, second, fraction = '', zone] = match;
	const fields = [Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second)] as const;
	const fractionMs = fraction === '' ? 0 : Number(`0.${fraction}`) * 1000;
	let ms: number;
	if (zone === undefined) {
		ms = new Date(...fields).getTime();
	} else {
		ms = Date.UTC(...fields);
		if (zone !== 'Z') {
			const sign = zone.startsWith('-') ? -1 : 1;
			const digits = zone.slice(1).replace(':', '');
			ms -= sign * ((Number(digits.slice(0, 2)) * 60) + Number(digits.slice(2))) * 60_000;
		}
	}

	return Number.isFinite(ms) ? ms + fractionMs : undefined;
}

function timeOf(value: unknown): number | undefined {
	if (typeof value === 'number' && Number.isFinite(value)) {
		// Seconds (Python time.time()) or milliseconds.
		return value < 1e11 ? value * 1000 : value;
	}

	return typeof value === 'string' ? parseIsoTime(value) : undefined;
}

/** Socket.IO arguments from a Python recorder's `data`. */
function pythonArguments(data: unknown): unknown[] {
	if (data === null || data === undefined) {
		return [];
	}

	if (Array.isArray(data) && data.length >= 2 && isTraceObject(data[0])) {
		return data;
	}

	if (isTraceObject(data)) {
		// The lossy CDP recorder kept only the trace: the payload is unavailable.
		return [data, null];
	}

	return [data];
}

function pythonRecord(record: Record<string, unknown>, lineNumber: number): ParsedRecord {
	const event = record['event'] ?? record['event_type'];
	if (typeof event !== 'string' || event.length === 0) {
		return {ok: false, reason: 'no event name'};
	}

	const ts = timeOf(record['ts'] ?? record['timestamp'] ?? record['timestamp_ms']);
	if (ts === undefined) {
		return {ok: false, reason: 'no readable timestamp'};
	}

	const sourceField = record['source'];
	const source: SourceKind = typeof sourceField === 'string' && sourceField.includes('cdp') ? 'cdp' : 'replay';
	const direction: Direction = record['direction'] === 'sent' ? 'sent' : 'received';
	const seq = typeof record['seq'] === 'number' && Number.isFinite(record['seq']) ? record['seq'] : lineNumber;
	return {ok: true, envelope: makeEnvelope({seq, ts, source, direction, event, args: pythonArguments(record['data'])})};
}

/** Interpret one parsed JSON value from a recording. */
export function recordFromValue(value: unknown, lineNumber: number): ParsedRecord {
	const envelope = asEnvelope(value);
	if (envelope !== undefined) {
		return {ok: true, envelope};
	}

	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		return {ok: false, reason: 'not a JSON object'};
	}

	const record = value as Record<string, unknown>;
	if (('event' in record || 'event_type' in record) && 'data' in record) {
		return pythonRecord(record, lineNumber);
	}

	return {ok: false, reason: 'not a recognised recording format (need an envelope, {seq, ts, event, data} or {timestamp, event_type, data})'};
}

/** Interpret one line of a JSON-lines recording. */
export function parseRecordingLine(line: string, lineNumber: number): ParsedRecord {
	let value: unknown;
	try {
		value = JSON.parse(line);
	} catch (error) {
		// JSON.parse quotes the line, which may hold escapes and control characters: cleaned.
		const message = cleanText(error instanceof Error ? error.message : String(error), 200);
		return {ok: false, reason: `invalid JSON (${message})`};
	}

	return recordFromValue(value, lineNumber);
}
