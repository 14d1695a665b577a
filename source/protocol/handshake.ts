import {asRecord} from './read.js';

/**
The heartbeat an Engine.IO v4 open packet announces, checked: the client arms
a timer for `pingInterval + pingTimeout` and closes the connection when no ping
came by then. A ping interval of 0, 1 or a negative or non-numeric one would
make every connection time out at once (and be retried in a tight loop), so
such a server is bad input; one so long that no timer can hold it (over 24.8
days) is clamped, since Node would otherwise fire it after 1 ms.
*/

/** A ping interval below this is not a heartbeat a client can follow (real servers use 25 s). */
const minPingIntervalMs = 100;
/** `pingInterval + pingTimeout` must fit a Node timer (2^31 − 1 ms). */
const maxHeartbeatMs = 2_147_483_647;

type Heartbeat = {
	pingInterval: number;
	pingTimeout: number;
	/** The announced values were too long for a timer and were shortened to fit. */
	clamped: boolean;
};

function shown(value: unknown): string {
	if (value === undefined) {
		return 'missing';
	}

	if (typeof value === 'number') {
		return String(value);
	}

	return typeof value === 'string' ? `a string, not a number (${JSON.stringify(value.slice(0, 20))})` : `${value === null ? 'null' : typeof value}, not a number`;
}

/** The handshake's heartbeat, or why the server that sent it cannot be followed. */
export function checkHeartbeat(handshake: unknown): Heartbeat | string {
	const data = asRecord(handshake);
	const interval = data?.['pingInterval'];
	const timeout = data?.['pingTimeout'];
	if (typeof interval !== 'number' || !Number.isFinite(interval) || interval < minPingIntervalMs) {
		return `the server's handshake announces pingInterval ${shown(interval)} (expected at least ${minPingIntervalMs} ms)`;
	}

	if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout < 0) {
		return `the server's handshake announces pingTimeout ${shown(timeout)} (expected a number of milliseconds ≥ 0)`;
	}

	const pingInterval = Math.min(interval, Math.floor(maxHeartbeatMs / 2));
	const pingTimeout = Math.min(timeout, maxHeartbeatMs - pingInterval);
	return {pingInterval, pingTimeout, clamped: pingInterval !== interval || pingTimeout !== timeout};
}
