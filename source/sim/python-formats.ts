import {envelopeArguments, type Envelope} from '../protocol/envelope.js';

/**
The two recording formats written by public Python recorders of the feed
(PROTOCOL.md), so fixtures can exercise rugs-tui's readers of them:

- `{seq, ts, event, data}`: python-socketio recorders; `ts` a naive local ISO
  time with microseconds; `data` the payload of a one-argument event and
  `[trace, payload]` for a two-argument one; the file may begin with a
  synthetic `connect` line.
- `{timestamp, event_type, data}`: another recorder, same data convention.

A naive local time depends on the recorder's time zone; fixtures are written
as if the recorder ran in UTC, so the bytes do not depend on where they are
generated (a reader in another zone shifts them by its offset, as with real files).
*/

function pad(value: number, width = 2): string {
	return String(value).padStart(width, '0');
}

/** `2025-12-12T22:16:58.624000`: no zone, microseconds, as Python's datetime.isoformat() writes it. */
function naiveIsoTime(ts: number): string {
	const date = new Date(Math.floor(ts));
	const micros = Math.round((ts - Math.floor(ts)) * 1000) + (date.getUTCMilliseconds() * 1000);
	return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${pad(micros, 6)}`;
}

/** The Python recorders' `data`: the payload alone, or the whole argument list when there are several. */
function pythonData(envelope: Envelope): unknown {
	const args = envelopeArguments(envelope);
	return args.length === 1 ? args[0] : args;
}

/** One `{seq, ts, event, data}` line. */
export function seqRecord(envelope: Envelope, seq: number): string {
	return JSON.stringify({seq, ts: naiveIsoTime(envelope.ts), event: envelope.event, data: pythonData(envelope)});
}

/** The synthetic first line python-socketio recorders write when they connect. */
export function connectRecord(ts: number): string {
	return JSON.stringify({seq: 1, ts: naiveIsoTime(ts), event: 'connect', data: null});
}

/** One `{timestamp, event_type, data}` line (ISO time with its UTC offset). */
export function eventTypeRecord(envelope: Envelope): string {
	return JSON.stringify({timestamp: `${naiveIsoTime(envelope.ts)}+00:00`, event_type: envelope.event, data: pythonData(envelope)});
}
