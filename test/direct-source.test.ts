import {describe, expect, it} from 'vitest';
import {asEnvelope, envelopeArguments, type Envelope} from '../source/protocol/envelope.js';
import {createDirectSource} from '../source/sources/direct.js';
import {readRecording} from '../source/sources/read-recording.js';
import {recordBus} from './helpers/bus-recorder.js';
import {hasCaptures, publicFeedCapture} from './helpers/captures.js';
import {setUpDirectLab} from './helpers/direct-lab.js';

const {serve, connect} = setUpDirectLab();

const trace = {__trace: true, traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'};

describe('direct source against a real socket.io server', () => {
	it('delivers every event in order, with all arguments: one, two, three and none', async () => {
		const server = await serve();
		const recorder = recordBus();
		connect(recorder, {url: server.url});
		const client = await server.connection();
		await recorder.until('the connect reply', () => recorder.envelopes.some(envelope => envelope.event === 'connect'));

		client.emit('gameStateUpdate', {gameId: 'g1', tickCount: 3, price: 1.2});
		client.emit('standard/newTrade', trace, {id: 't1', gameId: 'g1', type: 'buy', qty: 10});
		client.emit('threeArguments', 'first', {second: 2}, [3]);
		client.emit('noArguments');
		client.emit('someEventNobodyKnows', {anything: ['goes', 1, null, true]});
		await recorder.until('five events', () => recorder.events().length >= 5);

		const events = recorder.events();
		expect(events.map(envelope => envelope.event)).toEqual(['gameStateUpdate', 'standard/newTrade', 'threeArguments', 'noArguments', 'someEventNobodyKnows']);
		expect(events[0]).toMatchObject({source: 'direct', direction: 'received', data: {gameId: 'g1', tickCount: 3, price: 1.2}});
		expect(events[0]!.extra).toBeUndefined();
		// The payload is the LAST argument; the trace is kept, in order, in `extra`.
		expect(events[1]!.data).toEqual({id: 't1', gameId: 'g1', type: 'buy', qty: 10});
		expect(events[1]!.extra).toEqual([trace]);
		expect(events[2]!.data).toEqual([3]);
		expect(events[2]!.extra).toEqual(['first', {second: 2}]);
		expect(envelopeArguments(events[2]!)).toEqual(['first', {second: 2}, [3]]);
		expect(events[3]!.data).toBeNull();
		// Unknown events pass through untouched.
		expect(events[4]!.data).toEqual({anything: ['goes', 1, null, true]});

		// seq is 1-based and gap-free for the source run, the connect reply included.
		expect(recorder.envelopes.map(envelope => envelope.seq)).toEqual(recorder.envelopes.map((_, index) => index + 1));
		expect(recorder.envelopes[0]).toMatchObject({seq: 1, event: 'connect', data: {sid: client.id}});
		const now = Date.now();
		for (const envelope of recorder.envelopes) {
			expect(envelope.ts).toBeGreaterThan(now - 60_000);
			expect(envelope.ts).toBeLessThanOrEqual(now);
			// Each envelope survives a JSON round trip unchanged: it is its own recording line.
			// eslint-disable-next-line unicorn/prefer-structured-clone -- the point is the trip through JSON text, as --json and recordings carry it
			expect(asEnvelope(JSON.parse(JSON.stringify(envelope)))).toEqual(envelope);
		}
	});

	it('keeps the ack id of an event that asks for one, and turns binary attachments into base64', async () => {
		const server = await serve();
		const recorder = recordBus();
		connect(recorder, {url: server.url});
		const client = await server.connection();
		let acknowledged = false;
		client.emit('wantsAnAck', {n: 1}, () => {
			acknowledged = true;
		});
		client.emit('binaryEvent', {label: 'bytes', body: Buffer.from([0, 1, 2, 250, 255])});
		await recorder.until('two events', () => recorder.events().length >= 2);

		const [asking, binary] = recorder.events();
		expect(asking).toMatchObject({event: 'wantsAnAck', data: {n: 1}});
		expect(asking!.ackId).toBeTypeOf('number');
		expect(binary).toMatchObject({event: 'binaryEvent', data: {label: 'bytes', body: {$binary: Buffer.from([0, 1, 2, 250, 255]).toString('base64')}}});
		// Listen-only: the monitor never answers.
		expect(acknowledged).toBe(false);
	});

	it('sends Origin: https://rugs.fun as the site does, or the origin it is given', async () => {
		const server = await serve();
		const first = recordBus();
		connect(first, {url: server.url});
		await server.connection(1);
		const second = recordBus();
		connect(second, {url: server.url, origin: 'http://localhost:5173'});
		await server.connection(2);
		expect(server.origins).toEqual(['https://rugs.fun', 'http://localhost:5173']);
	});

	it('passes a 500 KB frame intact', async () => {
		const server = await serve();
		const recorder = recordBus();
		const source = connect(recorder, {url: server.url});
		const client = await server.connection();
		// A gameHistory-sized payload: 10 games of 3,000 prices plus trades.
		const gameHistory = Array.from({length: 10}, (_, game) => ({
			id: `20251212-${String(game).padStart(16, '0')}`,
			prices: Array.from({length: 3000}, (_, tick) => 1 + (Math.sin(tick + game) / 3)),
			globalTrades: Array.from({length: 60}, (_, index) => ({id: `trade-${game}-${index}`, type: 'buy', qty: index})),
		}));
		const payload = {gameId: 'big', tickCount: 201, gameHistory};
		const size = JSON.stringify(payload).length;
		expect(size).toBeGreaterThan(500_000);
		client.emit('gameStateUpdate', payload);
		client.emit('after', 1);
		await recorder.until('the big frame and the next one', () => recorder.events().length >= 2);
		expect(recorder.events()[0]!.data).toEqual(payload);
		expect(recorder.events()[1]!.event).toBe('after');
		expect(recorder.problems).toEqual([]);
		expect(source.stats().bytes).toBeGreaterThan(size);
	});

	it('reports connecting, then connected with a measured round trip', async () => {
		const server = await serve();
		const recorder = recordBus();
		const source = connect(recorder, {url: server.url});
		await recorder.until('a latency figure', () => recorder.statuses.some(status => status.latencyMs !== undefined));
		const [connecting, connected, measured] = recorder.statuses;
		expect(connecting).toMatchObject({source: 'direct', state: 'connecting', detail: server.url});
		expect(connected).toMatchObject({source: 'direct', state: 'connected', detail: server.url, reconnects: 0});
		expect(measured).toMatchObject({state: 'connected', reconnects: 0});
		expect(measured!.latencyMs).toBeGreaterThan(0);
		expect(measured!.latencyMs).toBeLessThan(5000);
		expect(source.stats()).toMatchObject({connected: true, latencyMs: measured!.latencyMs, reconnects: 0, problems: 0});
	});

	it('measures the round trip again on its interval', async () => {
		const server = await serve();
		const recorder = recordBus();
		connect(recorder, {url: server.url, latencyIntervalMs: 50});
		await recorder.until('three latency figures', () => recorder.statuses.filter(status => status.latencyMs !== undefined).length >= 3);
	});

	it('labels everything with the kind it is given (the demo feed is a direct source)', async () => {
		const server = await serve();
		const recorder = recordBus();
		connect(recorder, {url: server.url, kind: 'demo'});
		const client = await server.connection();
		client.emit('gameStateUpdate', {gameId: 'demo'});
		await recorder.until('one event', () => recorder.events().length > 0);
		expect(new Set([...recorder.envelopes, ...recorder.statuses].map(item => item.source))).toEqual(new Set(['demo']));
	});

	it('stops cleanly: once, idempotently, and nothing arrives after', async () => {
		const server = await serve();
		const recorder = recordBus();
		const source = connect(recorder, {url: server.url});
		const client = await server.connection();
		const serverSaw = new Promise<string>(resolve => {
			client.once('disconnect', resolve);
		});
		await recorder.until('connected', () => recorder.statuses.some(status => status.state === 'connected'));
		await Promise.all([source.stop(), source.stop()]);
		await source.stop();
		expect(await source.ended).toEqual({reason: 'stopped'});
		expect(await serverSaw).toBe('client namespace disconnect');
		expect(recorder.statuses.filter(status => status.state === 'ended')).toHaveLength(1);
		const seen = recorder.envelopes.length;
		server.io.emit('late', 1);
		// A round trip to the server proves the emit went out before we look.
		await server.io.fetchSockets();
		expect(recorder.envelopes).toHaveLength(seen);
		expect(source.stats().connected).toBe(false);
	});

	it('accepts a ws:// URL as well as http://', async () => {
		const server = await serve();
		const recorder = recordBus();
		connect(recorder, {url: `ws://127.0.0.1:${server.port}`});
		const connection = await server.connection();
		connection.emit('viaWs', 1);
		await recorder.until('the event', () => recorder.events().length === 1);
	});

	it('can be stopped while still connecting, and started only once', async () => {
		const server = await serve();
		const recorder = recordBus();
		const source = createDirectSource(recorder.bus, {url: server.url});
		source.start();
		source.start();
		await source.stop();
		expect(await source.ended).toEqual({reason: 'stopped'});
		expect(recorder.statuses.map(status => status.state)).toEqual(['connecting', 'ended']);
		// A stopped source stays stopped.
		source.start();
		await server.io.fetchSockets();
		expect(recorder.statuses.map(status => status.state)).toEqual(['connecting', 'ended']);
	});

	it.skipIf(!hasCaptures)('reproduces every event of the real public-feed capture, two-argument ones included', async () => {
		const captured: Envelope[] = [];
		for await (const item of readRecording(publicFeedCapture)) {
			if (item.ok && item.envelope.event !== 'connect') {
				captured.push(item.envelope);
			}
		}

		const server = await serve();
		const recorder = recordBus();
		connect(recorder, {url: server.url});
		const client = await server.connection();
		for (const envelope of captured) {
			client.emit(envelope.event, ...envelopeArguments(envelope));
		}

		await recorder.until(`${captured.length} events`, () => recorder.events().length >= captured.length, 30_000);
		const received = recorder.events();
		expect(received.map(envelope => envelope.event)).toEqual(captured.map(envelope => envelope.event));
		expect(received.map(envelope => envelope.data)).toEqual(captured.map(envelope => envelope.data));
		expect(received.map(envelope => envelope.extra)).toEqual(captured.map(envelope => envelope.extra));
		expect(captured.some(envelope => envelope.extra !== undefined)).toBe(true);
		expect(Math.max(...captured.map(envelope => JSON.stringify(envelope.data).length))).toBeGreaterThan(290_000);
		expect(recorder.problems).toEqual([]);
	});
});
