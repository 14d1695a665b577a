import {asEnvelope, makeEnvelope, type Direction, type Envelope, type SourceKind} from '../protocol/envelope.js';
import {isTraceObject} from '../protocol/events.js';
import {cleanText} from '../protocol/untrusted-text.js';
import {errorText} from '../protocol/error-text.js';

/**
Reading recordings: the project's own envelope lines, and the two formats
written by the public Python recorders (PROTOCOL.md):

- `{seq, ts, event, data}` — ts a naive local ISO time (or with an offset);
  `data` the payload for one-argument events and `[trace, payload]` for
  two-argument ones. A CDP variant adds `source:"cdp_intercept"` and
  `direction`, and kept only the FIRST argument: its two-argument events hold
  just the trace object, so their payload is unavailable (data null, trace in extra).
- `{timestamp, event_type, data}` — same data convention.

And one derived format, REPLAYER's game recorder (`{type, timestamp, game_id, …}`
lines, `../shared/captures/derived-ticks-long-game-2025-11-02.jsonl`): each
`tick` record becomes a synthetic gameStateUpdate carrying the fields the feed
would have sent (gameId, tickCount, price, active, rugged, cooldownTimer,
allowPreRoundBuys for its PRESALE phase, tradeCount), so its games play in the
monitor and appear in summarize. Its `game_start` / `game_end` markers carry no
event: they are read and passed over (game_end's peak and final price are
what the tick records already show).
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

const derivedTypes = new Set(['game_start', 'tick', 'game_end']);

/** The derived REPLAYER phases that mean presale (the others are told apart by active / rugged / cooldown_timer). */
const presalePhase = 'PRESALE';

function finiteNumber(value: unknown): number | undefined {
	return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** A REPLAYER `tick` record as the gameStateUpdate the feed sent for it; undefined for its markers. */
function derivedRecord(record: Record<string, unknown>, lineNumber: number): ParsedRecord | undefined {
	if (record['type'] !== 'tick') {
		return undefined;
	}

	const ts = timeOf(record['timestamp']);
	if (ts === undefined) {
		return {ok: false, reason: 'no readable timestamp'};
	}

	const frame: Record<string, unknown> = {gameId: record['game_id']};
	const fields: Array<[from: string, to: string]> = [['tick', 'tickCount'], ['price', 'price'], ['cooldown_timer', 'cooldownTimer'], ['trade_count', 'tradeCount']];
	for (const [from, to] of fields) {
		const value = finiteNumber(record[from]);
		if (value !== undefined) {
			frame[to] = value;
		}
	}

	for (const flag of ['active', 'rugged']) {
		if (typeof record[flag] === 'boolean') {
			frame[flag] = record[flag];
		}
	}

	if (typeof record['phase'] === 'string') {
		frame['allowPreRoundBuys'] = record['phase'] === presalePhase;
	}

	return {ok: true, envelope: makeEnvelope({seq: lineNumber, ts, source: 'replay', direction: 'received', event: 'gameStateUpdate', args: [frame]})};
}

/**
Interpret one parsed JSON value from a recording: a record, a bad record, or
undefined for a line that carries no event (REPLAYER's game markers).
*/
export function interpretValue(value: unknown, lineNumber: number): ParsedRecord | undefined {
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

	if (typeof record['type'] === 'string' && derivedTypes.has(record['type']) && typeof record['game_id'] === 'string' && record['game_id'] !== '') {
		return derivedRecord(record, lineNumber);
	}

	return {ok: false, reason: 'not a recognised recording format (need an envelope, {seq, ts, event, data}, {timestamp, event_type, data} or REPLAYER tick records)'};
}

const markerReason = 'a REPLAYER game_start / game_end marker: no event to play';

/** Interpret one parsed JSON value from a recording (a marker line reads as a record that is not an event). */
export function recordFromValue(value: unknown, lineNumber: number): ParsedRecord {
	return interpretValue(value, lineNumber) ?? {ok: false, reason: markerReason};
}

/** Interpret one line of a JSON-lines recording; undefined for a line that carries no event. */
export function interpretLine(line: string, lineNumber: number): ParsedRecord | undefined {
	let value: unknown;
	try {
		value = JSON.parse(line);
	} catch (error) {
		// JSON.parse quotes the line, which may hold escapes and control characters: cleaned.
		const message = cleanText(errorText(error), 200);
		return {ok: false, reason: `invalid JSON (${message})`};
	}

	return interpretValue(value, lineNumber);
}

/** Interpret one line of a JSON-lines recording. */
export function parseRecordingLine(line: string, lineNumber: number): ParsedRecord {
	return interpretLine(line, lineNumber) ?? {ok: false, reason: markerReason};
}
