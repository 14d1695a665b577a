import type {AddressInfo} from 'node:net';
import {WebSocketServer} from 'ws';
import {describe, expect, it} from 'vitest';
import {checkHeartbeat} from '../source/protocol/handshake.js';
import {recordBus} from './helpers/bus-recorder.js';
import {setUpDirectLab} from './helpers/direct-lab.js';

/**
An Engine.IO server whose open packet announces a heartbeat no client can
follow: a ping interval of 0, 1, negative, below 100 ms, or not a number (and
a pingTimeout that is not a number ≥ 0). socket.io-client would arm its ping
timer with it and time the connection out at once, over and over. The direct
source reports such a server as bad input — a `decode` problem naming the
field — and retries with the usual backoff: attempt 1, 2, 3 …, each after a
longer wait, never connected. A real WebSocket server on 127.0.0.1.
*/

const lab = setUpDirectLab();

async function engineServer(handshake: Record<string, unknown>): Promise<{url: string; handshakes(): number}> {
	const wss = new WebSocketServer({host: '127.0.0.1', port: 0});
	await new Promise<void>(resolve => {
		wss.once('listening', resolve);
	});
	lab.defer(async () => new Promise<void>(resolve => {
		for (const client of wss.clients) {
			client.terminate();
		}

		wss.close(() => {
			resolve();
		});
	}));
	let handshakes = 0;
	wss.on('connection', ws => {
		handshakes++;
		ws.send(`0${JSON.stringify({sid: `bad${handshakes}`, upgrades: [], maxPayload: 1e6, ...handshake})}`);
		ws.on('message', (data: Buffer) => {
			if (data.toString('utf8').startsWith('40')) {
				ws.send(`40${JSON.stringify({sid: `socket${handshakes}`})}`);
			}
		});
	});
	const {port} = wss.address() as AddressInfo;
	return {url: `http://127.0.0.1:${port}`, handshakes: () => handshakes};
}

const bad: Array<[string, Record<string, unknown>, string]> = [
	['pingInterval 0', {pingInterval: 0, pingTimeout: 20_000}, 'pingInterval 0 (expected at least 100 ms)'],
	['pingInterval 1', {pingInterval: 1, pingTimeout: 20_000}, 'pingInterval 1 (expected at least 100 ms)'],
	['a negative pingInterval', {pingInterval: -25_000, pingTimeout: 20_000}, 'pingInterval -25000 (expected at least 100 ms)'],
	['pingInterval 99', {pingInterval: 99, pingTimeout: 0}, 'pingInterval 99 (expected at least 100 ms)'],
	['pingInterval as a string', {pingInterval: '25000', pingTimeout: 20_000}, 'pingInterval a string, not a number ("25000") (expected at least 100 ms)'],
	['pingInterval null', {pingInterval: null, pingTimeout: 20_000}, 'pingInterval null, not a number (expected at least 100 ms)'],
	['no pingInterval', {pingTimeout: 20_000}, 'pingInterval missing (expected at least 100 ms)'],
	['a negative pingTimeout', {pingInterval: 25_000, pingTimeout: -1}, 'pingTimeout -1 (expected a number of milliseconds ≥ 0)'],
	['pingTimeout as an object', {pingInterval: 25_000, pingTimeout: {}}, 'pingTimeout object, not a number (expected a number of milliseconds ≥ 0)'],
];

describe('direct source: a server whose handshake announces an unusable heartbeat', () => {
	it.each(bad)('%s: a bad server, reported each attempt, retried with backoff, never connected', async (_what, handshake, reason) => {
		const server = await engineServer(handshake);
		const recorder = recordBus();
		lab.connect(recorder, {url: server.url, backoff: {minMs: 40, maxMs: 320, jitter: 0}});
		await recorder.until('three failed attempts', () => recorder.statuses.filter(status => status.state === 'reconnecting').length >= 3);

		const retries = recorder.statuses.filter(status => status.state === 'reconnecting');
		expect(retries.slice(0, 3).map(status => [status.attempt, status.nextRetryMs])).toEqual([[1, 40], [2, 80], [3, 160]]);
		expect(retries[0]!.detail).toBe(`bad server: the server's handshake announces ${reason}`);
		expect(recorder.statuses.some(status => status.state === 'connected')).toBe(false);
		const decode = recorder.problems.filter(problem => problem.kind === 'decode');
		expect(decode.length).toBeGreaterThanOrEqual(3);
		expect(decode[0]!.message).toMatch(/^bad server: the server's handshake announces .+: `0{"sid":"bad1".*`; reconnecting$/);
		expect(recorder.events()).toEqual([]);
		// One handshake per attempt: nothing in between (no tight loop).
		expect(server.handshakes()).toBeLessThanOrEqual(retries.length + 1);
	});

	it('a heartbeat too long for a timer is shortened to fit, not refused', () => {
		expect(checkHeartbeat({pingInterval: 1e12, pingTimeout: 1e12})).toEqual({pingInterval: 1_073_741_823, pingTimeout: 1_073_741_824, clamped: true});
		expect(checkHeartbeat({pingInterval: 25_000, pingTimeout: 20_000})).toEqual({pingInterval: 25_000, pingTimeout: 20_000, clamped: false});
		expect(checkHeartbeat({pingInterval: 100, pingTimeout: 0})).toEqual({pingInterval: 100, pingTimeout: 0, clamped: false});
		expect(checkHeartbeat({pingInterval: Number.POSITIVE_INFINITY, pingTimeout: 0})).toBe('the server\'s handshake announces pingInterval Infinity (expected at least 100 ms)');
		expect(checkHeartbeat('not an object')).toBe('the server\'s handshake announces pingInterval missing (expected at least 100 ms)');
	});
});
