import type {AddressInfo} from 'node:net';
import {describe, expect, it} from 'vitest';
import {WebSocketServer} from 'ws';
import type {Envelope} from '../source/protocol/envelope.js';
import {createState, reduce} from '../source/state/reducer.js';
import type {GameState} from '../source/state/types.js';
import {readRecording} from '../source/sources/read-recording.js';
import {recordBus, type BusRecorder} from './helpers/bus-recorder.js';
import {hasCaptures, publicFeedCapture} from './helpers/captures.js';
import {quickRetries, setUpDirectLab} from './helpers/direct-lab.js';
import {resentAfterReconnect, syntheticSession} from './helpers/game-script.js';
import {deadPort} from './helpers/socket-server.js';

const {defer, serve, connect} = setUpDirectLab();

function count(recorder: BusRecorder, state: string): number {
	return recorder.statuses.filter(status => status.state === state).length;
}

function expectGapFreeSeq(envelopes: readonly Envelope[]): void {
	expect(envelopes.map(envelope => envelope.seq)).toEqual(envelopes.map((_, index) => index + 1));
}

describe('direct source reconnection', () => {
	it('reconnects after the server is killed and restarted on the same port, and resumes', async () => {
		const server = await serve();
		const recorder = recordBus();
		const source = connect(recorder, {url: server.url, ...quickRetries});
		const first = await server.connection();
		first.emit('before', 1);
		await recorder.until('the first event', () => recorder.events().length === 1);

		await server.kill();
		await recorder.until('a failed reconnection attempt', () => recorder.statuses.some(status => status.state === 'reconnecting' && (status.attempt ?? 0) >= 2));
		const restarted = await serve({port: server.port});
		const again = await restarted.connection();
		again.emit('after', 2);
		await recorder.until('the event after the restart', () => recorder.events().length === 2);

		expect(recorder.events().map(envelope => [envelope.event, envelope.data])).toEqual([['before', 1], ['after', 2]]);
		expectGapFreeSeq(recorder.envelopes);
		const states = recorder.statuses.map(status => status.state);
		expect(states.slice(0, 2)).toEqual(['connecting', 'connected']);
		const lost = recorder.statuses.find(status => status.state === 'disconnected');
		expect(lost?.detail).toMatch(/transport close/);
		const retries = recorder.statuses.filter(status => status.state === 'reconnecting');
		expect(retries.map(status => status.attempt)).toEqual(retries.map((_, index) => index + 1));
		for (const retry of retries) {
			expect(retry.nextRetryMs).toBeGreaterThanOrEqual(20);
			expect(retry.nextRetryMs).toBeLessThanOrEqual(100);
		}

		expect(recorder.statuses.at(-1)).toMatchObject({state: 'connected', reconnects: 1});
		// One outage, one problem — however many attempts it took.
		expect(recorder.problems.map(problem => problem.kind)).toEqual(['source']);
		expect(recorder.problems[0]!.message).toMatch(/connection to .* lost: .*transport close.*; reconnecting/);
		expect(source.stats()).toMatchObject({reconnects: 1, connected: true});
	});

	it('reconnects after a server-side disconnect, where socket.io-client would not', async () => {
		const server = await serve();
		const recorder = recordBus();
		const source = connect(recorder, {url: server.url, ...quickRetries});
		const first = await server.connection(1);
		first.emit('before', 1);
		await recorder.until('the first event', () => recorder.events().length === 1);
		first.disconnect();
		const second = await server.connection(2);
		second.emit('after', 2);
		await recorder.until('the event after reconnecting', () => recorder.events().length === 2);

		// The server's DISCONNECT packet was on the wire, so it is an envelope too (as CDP shows it).
		expect(recorder.envelopes.map(envelope => envelope.event)).toEqual(['connect', 'before', 'disconnect', 'connect', 'after']);
		expectGapFreeSeq(recorder.envelopes);
		expect(recorder.statuses.find(status => status.state === 'disconnected')?.detail).toMatch(/io server disconnect/);
		expect(recorder.statuses.find(status => status.state === 'reconnecting')).toMatchObject({attempt: 1});
		expect(source.stats().reconnects).toBe(1);
	});

	it('gives up after --max-reconnects attempts, with a message that says what to do', async () => {
		const port = await deadPort();
		const recorder = recordBus();
		const source = connect(recorder, {url: `http://127.0.0.1:${port}`, maxReconnects: 2, ...quickRetries});
		const end = await source.ended;
		expect(end).toMatchObject({reason: 'gave-up', attempts: 2});
		expect(end.reason === 'gave-up' && end.message).toMatch(/cannot connect to http:\/\/127\.0\.0\.1:\d+ \(connect ECONNREFUSED .*\); gave up after 2 reconnection attempts\. .*--url.*--max-reconnects/);
		expect(count(recorder, 'connecting')).toBe(3);
		expect(recorder.statuses.filter(status => status.state === 'reconnecting').map(status => status.attempt)).toEqual([1, 2]);
		expect(recorder.statuses.at(-1)).toMatchObject({state: 'ended', attempt: 2});
		expect(recorder.problems).toHaveLength(1);
		// Over means over: stop() afterwards adds nothing.
		await source.stop();
		expect(recorder.statuses.at(-1)).toMatchObject({state: 'ended', attempt: 2});
	});

	it('with --max-reconnects 0, a dropped connection ends the source at once', async () => {
		const server = await serve();
		const recorder = recordBus();
		const source = connect(recorder, {url: server.url, maxReconnects: 0, ...quickRetries});
		const only = await server.connection();
		only.disconnect();
		expect(await source.ended).toMatchObject({reason: 'gave-up', attempts: 0});
		expect(count(recorder, 'reconnecting')).toBe(0);
		// (A latency figure may or may not make it in before the drop: a second `connected`.)
		expect(recorder.statuses.map(status => status.state).filter(state => state !== 'connected')).toEqual(['connecting', 'disconnected', 'ended']);
		expect(count(recorder, 'connected')).toBeGreaterThanOrEqual(1);
	});

	it('treats a connection that drops at once as the same outage, so the backoff grows and the cap applies', async () => {
		// A server that accepts and immediately ends every session: each attempt "connects".
		const server = await serve({onConnection(socket) {
			socket.disconnect();
		}});
		const recorder = recordBus();
		const source = connect(recorder, {url: server.url, maxReconnects: 3, backoff: {minMs: 10, maxMs: 1000, jitter: 0}});
		expect(await source.ended).toMatchObject({reason: 'gave-up', attempts: 3});
		expect(server.connections).toHaveLength(4);
		const retries = recorder.statuses.filter(status => status.state === 'reconnecting');
		expect(retries.map(status => [status.attempt, status.nextRetryMs])).toEqual([[1, 10], [2, 20], [3, 40]]);
	});

	it('starts the backoff afresh after a connection that held', async () => {
		const server = await serve({onConnection(socket) {
			socket.disconnect();
		}});
		const recorder = recordBus();
		connect(recorder, {url: server.url, maxReconnects: 1, stableAfterMs: 0, ...quickRetries});
		await recorder.until('four connections', () => server.connections.length >= 4);
		const retries = recorder.statuses.filter(status => status.state === 'reconnecting');
		expect(retries.length).toBeGreaterThanOrEqual(3);
		expect(new Set(retries.map(status => status.attempt))).toEqual(new Set([1]));
	});

	/**
	A bare WebSocket server speaking only as much Engine.IO / Socket.IO as a test
	needs: the open packet with the given heartbeat, and (optionally) the connect
	reply — then nothing at all, not even pings.
	*/
	async function bareEngineServer(options: {pingInterval: number; pingTimeout: number; answerConnect: boolean}): Promise<{url: string; handshakes(): number}> {
		const wss = new WebSocketServer({host: '127.0.0.1', port: 0});
		await new Promise<void>(resolve => {
			wss.once('listening', resolve);
		});
		defer(async () => new Promise<void>(resolve => {
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
			ws.send(`0${JSON.stringify({sid: `bare${handshakes}`, upgrades: [], pingInterval: options.pingInterval, pingTimeout: options.pingTimeout, maxPayload: 1e6})}`);
			ws.on('message', (data: Buffer) => {
				if (options.answerConnect && data.toString('utf8').startsWith('40')) {
					ws.send(`40${JSON.stringify({sid: `socket${handshakes}`})}`);
				}
			});
		});
		const {port} = wss.address() as AddressInfo;
		return {url: `http://127.0.0.1:${port}`, handshakes: () => handshakes};
	}

	it('does not wait for ever on a server that opens Engine.IO but never answers the Socket.IO connect', async () => {
		const server = await bareEngineServer({pingInterval: 25_000, pingTimeout: 20_000, answerConnect: false});
		const recorder = recordBus();
		connect(recorder, {url: server.url, connectTimeoutMs: 200, ...quickRetries});
		await recorder.until('a second attempt', () => server.handshakes() >= 2 && count(recorder, 'connecting') >= 2);
		expect(recorder.statuses.find(status => status.state === 'reconnecting')?.detail).toBe('no Socket.IO connection within 0.2 s');
		expect(count(recorder, 'connected')).toBe(0);
	});

	it('notices a server that goes silent (no heartbeat) and reconnects', async () => {
		const server = await bareEngineServer({pingInterval: 100, pingTimeout: 100, answerConnect: true});
		const recorder = recordBus();
		connect(recorder, {url: server.url, ...quickRetries});
		await recorder.until('a second connection', () => count(recorder, 'connected') >= 1 && server.handshakes() >= 2);
		expect(recorder.statuses.find(status => status.state === 'disconnected')?.detail).toBe('no heartbeat from the server in time (ping timeout)');
		expect(recorder.problems[0]?.message).toMatch(/lost: no heartbeat from the server in time \(ping timeout\); reconnecting$/);
	});

	it('stops while waiting to retry: no attempt is made afterwards', async () => {
		const port = await deadPort();
		const recorder = recordBus();
		const source = connect(recorder, {url: `http://127.0.0.1:${port}`, backoff: {minMs: 60_000, maxMs: 60_000}});
		await recorder.until('waiting to retry', () => count(recorder, 'reconnecting') === 1);
		await source.stop();
		expect(await source.ended).toEqual({reason: 'stopped'});
		expect(recorder.statuses.map(status => status.state)).toEqual(['connecting', 'reconnecting', 'ended']);
	});
});

/** The state the reducer reaches from these envelopes, in order. */
function stateOf(envelopes: readonly Envelope[]): GameState {
	let state = createState();
	for (const envelope of envelopes) {
		state = reduce(state, envelope);
	}

	return state;
}

describe('a reconnect never corrupts the state', () => {
	/** The state without its counters: those count envelopes, and a reconnect adds some by design. */
	function comparable(state: GameState): Omit<GameState, 'stats'> {
		const {stats: _stats, ...rest} = state;
		return rest;
	}

	const script = syntheticSession();
	const cooldown = script.findIndex(item => (item.args[0] as {cooldownTimer?: number}).cooldownTimer === 15_000);
	it.each([
		['in the middle of a game', Math.floor(cooldown / 2)],
		['in the cooldown after a rug, with gameHistory re-sent', cooldown + 4],
	])('reduces to the same state with or without what the server re-sends on reconnection %s', async (_, cut) => {
		const resent = resentAfterReconnect(script.slice(0, cut));
		expect(resent.filter(item => item.event === 'standard/newTrade')).toHaveLength(3);
		const server = await serve({onConnection(socket, index) {
			const items = index === 1 ? script.slice(0, cut) : [...resent, ...script.slice(cut)];
			for (const {event, args} of items) {
				socket.emit(event, ...args);
			}
		}});
		const recorder = recordBus();
		connect(recorder, {url: server.url, ...quickRetries});
		await recorder.until('the first part', () => recorder.events().length === cut);
		const first = await server.connection(1);
		first.disconnect();
		await recorder.until('everything', () => recorder.events().length === script.length + resent.length);

		const received = recorder.envelopes;
		expectGapFreeSeq(received);
		const events = recorder.events();
		// Nothing lost, nothing delivered twice by the source itself.
		const original = [...events.slice(0, cut), ...events.slice(cut + resent.length)];
		expect(original.map(envelope => [envelope.event, envelope.data])).toEqual(script.map(item => [item.event, item.args.at(-1)]));

		const withResent = stateOf(received);
		const resentSeq = new Set(events.slice(cut, cut + resent.length).map(envelope => envelope.seq));
		const without = stateOf(received.filter(envelope => !resentSeq.has(envelope.seq)));
		expect(comparable(withResent)).toEqual(comparable(without));
		// The state did get somewhere: trades, a finished game and its history.
		expect(withResent.trades.length).toBeGreaterThan(5);
		expect(new Set(withResent.trades.map(trade => trade.id)).size).toBe(withResent.trades.length);
		expect(withResent.history.map(game => game.id)).toContain('20251212-00000000000000a1');
		expect(new Set(withResent.history.map(game => game.id)).size).toBe(withResent.history.length);
		expect(withResent.stats.internalErrors).toBe(0);
	});

	it.skipIf(!hasCaptures)('holds for the real capture too, wherever the connection drops', async () => {
		const captured: Envelope[] = [];
		for await (const item of readRecording(publicFeedCapture)) {
			if (item.ok && item.envelope.event !== 'connect') {
				captured.push(item.envelope);
			}
		}

		const straight = comparable(stateOf(captured));
		expect(straight.history.length).toBeGreaterThan(0);
		expect(straight.trades.length).toBeGreaterThan(0);
		const isHistoryFrame = (envelope: Envelope) => envelope.event === 'gameStateUpdate' && typeof envelope.data === 'object' && envelope.data !== null && 'gameHistory' in envelope.data;
		for (const fraction of [0.1, 0.3, 0.5, 0.7, 0.9]) {
			const cut = Math.floor(captured.length * fraction);
			const before = captured.slice(0, cut);
			const at = before.at(-1)!.ts;
			const resent = [
				...before.filter(envelope => isHistoryFrame(envelope)).slice(-1),
				...before.filter(envelope => envelope.event === 'standard/newTrade').slice(-3),
				...before.filter(envelope => envelope.event === 'gameStateUpdate').slice(-1),
			].map(envelope => ({...envelope, ts: at}));
			const reconnect: Envelope = {seq: 0, ts: at, source: 'direct', direction: 'received', event: 'connect', data: {sid: 'again'}};
			const withReconnect = stateOf([...before, reconnect, ...resent, ...captured.slice(cut)]);
			expect(comparable(withReconnect), `drop at ${fraction}`).toEqual(straight);
		}
	});
});
