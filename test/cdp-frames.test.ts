import {readFileSync} from 'node:fs';
import fc from 'fast-check';
import {describe, expect, test} from 'vitest';
import {CdpFrames, isGameSocketUrl, type CdpFrameOutput} from '../source/sources/cdp-frames.js';
import {cdpCapture, hasCaptures} from './helpers/captures.js';

const gameUrl = 'wss://backend.rugs.fun/socket.io/?frontend-version=1.0&EIO=4&transport=websocket';

function frame(requestId: string, payloadData: string, opcode = 1, timestamp = 1): {requestId: string; timestamp: number; response: {opcode: number; mask: boolean; payloadData: string}} {
	return {requestId, timestamp, response: {opcode, mask: false, payloadData}};
}

function envelopes(outputs: CdpFrameOutput[]) {
	return outputs.flatMap(output => (output.kind === 'envelope' ? [output.envelope] : []));
}

function tracker() {
	return new CdpFrames({now: () => 1000});
}

describe('which sockets are the game\'s', () => {
	test.each([
		[gameUrl, true],
		['ws://127.0.0.1:4000/socket.io/?EIO=4&transport=websocket', true],
		['wss://backend.rugs.fun/?EIO=4&transport=websocket', true],
		['wss://BACKEND.rugs.fun/ws', true],
		['wss://relay.walletconnect.org/?auth=x', false],
		['wss://backend.rugs.fun.evil.example/ws', false],
		['not a url', false],
	])('%s → %s', (url, expected) => {
		expect(isGameSocketUrl(url)).toBe(expected);
	});
});

describe('CDP frames → envelopes', () => {
	test('an announced game socket: received and sent frames, [trace, payload], acks, namespaces', () => {
		const frames = tracker();
		expect(frames.handle('Network.webSocketCreated', {requestId: 'r1', url: gameUrl})).toEqual([
			{kind: 'socket-open', requestId: 'r1', how: 'created', url: gameUrl},
		]);
		const out = [
			...frames.handle('Network.webSocketFrameReceived', frame('r1', '0{"sid":"abc","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}')),
			...frames.handle('Network.webSocketFrameSent', frame('r1', '40')),
			...frames.handle('Network.webSocketFrameReceived', frame('r1', '40{"sid":"xyz"}')),
			...frames.handle('Network.webSocketFrameReceived', frame('r1', '42["standard/newTrade",{"__trace":true},{"id":"t","price":1.5}]')),
			...frames.handle('Network.webSocketFrameSent', frame('r1', '42146["buyOrder",{"amount":0.001}]')),
			...frames.handle('Network.webSocketFrameReceived', frame('r1', '43146[{"success":true}]')),
			...frames.handle('Network.webSocketFrameReceived', frame('r1', '42/extra,["nsEvent",{"x":1}]')),
		];
		expect(out[0]).toEqual({kind: 'handshake', requestId: 'r1', pingInterval: 25_000, pingTimeout: 20_000});
		expect(envelopes(out)).toEqual([
			{seq: 1, ts: 1000, source: 'cdp', direction: 'sent', event: 'connect', data: null},
			{seq: 2, ts: 1000, source: 'cdp', direction: 'received', event: 'connect', data: {sid: 'xyz'}},
			{seq: 3, ts: 1000, source: 'cdp', direction: 'received', event: 'standard/newTrade', data: {id: 't', price: 1.5}, extra: [{__trace: true}]},
			{seq: 4, ts: 1000, source: 'cdp', direction: 'sent', event: 'buyOrder', data: {amount: 0.001}, ackId: 146},
			{seq: 5, ts: 1000, source: 'cdp', direction: 'received', event: 'ack', data: {success: true}, ackId: 146},
			{seq: 6, ts: 1000, source: 'cdp', direction: 'received', event: 'nsEvent', data: {x: 1}, ns: '/extra'},
		]);
		expect(frames.seq).toBe(6);
	});

	test('a binary event: its attachment arrives base64 as opcode 2', () => {
		const frames = tracker();
		frames.handle('Network.webSocketCreated', {requestId: 'r1', url: gameUrl});
		expect(frames.handle('Network.webSocketFrameReceived', frame('r1', '451-["blob",{"data":{"_placeholder":true,"num":0}}]'))).toEqual([]);
		const out = frames.handle('Network.webSocketFrameReceived', frame('r1', Buffer.from([1, 2, 3]).toString('base64'), 2));
		expect(envelopes(out)).toEqual([
			{seq: 1, ts: 1000, source: 'cdp', direction: 'received', event: 'blob', data: {data: {$binary: 'AQID'}}},
		]);
	});

	test('each socket has its own decoder: attachments never cross sockets', () => {
		const frames = tracker();
		frames.handle('Network.webSocketCreated', {requestId: 'a', url: gameUrl});
		frames.handle('Network.webSocketCreated', {requestId: 'b', url: gameUrl});
		frames.handle('Network.webSocketFrameReceived', frame('a', '451-["blob",{"_placeholder":true,"num":0}]'));
		// A text frame on the other socket must not break the binary event waiting on the first.
		expect(envelopes(frames.handle('Network.webSocketFrameReceived', frame('b', '42["other",1]'))).map(envelope => envelope.event)).toEqual(['other']);
		expect(envelopes(frames.handle('Network.webSocketFrameReceived', frame('a', 'AAE=', 2)))[0]?.data).toEqual({$binary: 'AAE='});
	});

	test('a malformed frame on the game socket is a counted decode error, and decoding goes on', () => {
		const frames = tracker();
		frames.handle('Network.webSocketCreated', {requestId: 'r1', url: gameUrl});
		const bad = frames.handle('Network.webSocketFrameReceived', frame('r1', '42["gameStateUpdate",{"price":'));
		expect(bad).toHaveLength(1);
		expect(bad[0]).toMatchObject({kind: 'decode-error'});
		expect((bad[0] as {message: string}).message).toMatch(/^received frame: invalid JSON/);
		expect(envelopes(frames.handle('Network.webSocketFrameReceived', frame('r1', '42["gameStateUpdate",{"price":2}]')))[0]).toMatchObject({seq: 1, data: {price: 2}});
		expect(frames.decodeErrors).toBe(1);
	});

	test('another WebSocket of the page is ignored, never reported', () => {
		const frames = tracker();
		frames.handle('Network.webSocketCreated', {requestId: 'chat', url: 'wss://relay.example.com/ws'});
		expect(frames.handle('Network.webSocketFrameReceived', frame('chat', '42["looks",{"like":"socket.io"}]'))).toEqual([]);
		expect(frames.handle('Network.webSocketClosed', {requestId: 'chat', timestamp: 2})).toEqual([]);
		expect(frames.ignoredFrames).toBe(1);
	});

	test('joining mid-stream: an unknown socket is adopted when a frame decodes as Socket.IO', () => {
		const frames = tracker();
		// A ping alone proves little: undecided, nothing published.
		expect(frames.handle('Network.webSocketFrameReceived', frame('old', '2'))).toEqual([]);
		const out = frames.handle('Network.webSocketFrameReceived', frame('old', '42["gameStateUpdate",{"tickCount":5}]'));
		expect(out[0]).toEqual({kind: 'socket-open', requestId: 'old', how: 'joined'});
		expect(envelopes(out)).toEqual([{seq: 1, ts: 1000, source: 'cdp', direction: 'received', event: 'gameStateUpdate', data: {tickCount: 5}}]);
		expect(frames.openGameSockets).toBe(1);
	});

	test('joining mid-stream: the tail of a binary event we missed does not stop adoption', () => {
		const frames = tracker();
		expect(frames.handle('Network.webSocketFrameReceived', frame('old', 'AAE=', 2))).toEqual([]);
		expect(envelopes(frames.handle('Network.webSocketFrameReceived', frame('old', '42["x",1]')))).toHaveLength(1);
	});

	test('joining mid-stream: a socket that never speaks Engine.IO is given up on quietly', () => {
		const frames = new CdpFrames({maxProbeFrames: 3});
		for (const text of ['hello', '{"type":"presence"}', 'x', '42["would-decode",1]']) {
			expect(frames.handle('Network.webSocketFrameReceived', frame('chat', text))).toEqual([]);
		}

		expect(frames.openGameSockets).toBe(0);
		expect(frames.decodeErrors).toBe(0);
	});

	test('closing, and forgetting everything on navigation', () => {
		const frames = tracker();
		frames.handle('Network.webSocketCreated', {requestId: 'r1', url: gameUrl});
		expect(frames.handle('Network.webSocketClosed', {requestId: 'r1', timestamp: 3})).toEqual([{kind: 'socket-closed', requestId: 'r1', url: gameUrl}]);
		frames.handle('Network.webSocketCreated', {requestId: 'r2', url: gameUrl});
		frames.handle('Network.webSocketFrameReceived', frame('r2', '451-["blob",{"_placeholder":true,"num":0}]'));
		frames.reset();
		expect(frames.openGameSockets).toBe(0);
		// The half-received binary event is gone with its socket: a stray attachment is not adopted.
		expect(frames.handle('Network.webSocketFrameReceived', frame('r2', 'AAE=', 2))).toEqual([]);
	});

	test('a WebSocket error on the game socket is reported', () => {
		const frames = tracker();
		frames.handle('Network.webSocketCreated', {requestId: 'r1', url: gameUrl});
		expect(frames.handle('Network.webSocketFrameError', {requestId: 'r1', timestamp: 1, errorMessage: 'net::ERR_CONNECTION_RESET'})).toEqual([
			{kind: 'socket-error', requestId: 'r1', message: 'net::ERR_CONNECTION_RESET'},
		]);
	});

	test('latency: from the server\'s ping arriving to the page\'s pong leaving, in browser time', () => {
		const frames = tracker();
		frames.handle('Network.webSocketCreated', {requestId: 'r1', url: gameUrl});
		expect(frames.handle('Network.webSocketFrameReceived', frame('r1', '2', 1, 100.25))).toEqual([]);
		const out = frames.handle('Network.webSocketFrameSent', frame('r1', '3', 1, 100.2535));
		expect(out).toHaveLength(1);
		expect(out[0]).toMatchObject({kind: 'latency', requestId: 'r1'});
		expect((out[0] as {ms: number}).ms).toBeCloseTo(3.5, 6);
		// A pong without a ping before it measures nothing.
		expect(frames.handle('Network.webSocketFrameSent', frame('r1', '3', 1, 101))).toEqual([]);
	});

	test('never throws, whatever DevTools sends', () => {
		const methods = fc.constantFrom('Network.webSocketCreated', 'Network.webSocketFrameReceived', 'Network.webSocketFrameSent', 'Network.webSocketClosed', 'Network.webSocketFrameError', 'Page.frameNavigated');
		const parameters = fc.oneof(
			fc.anything(),
			fc.record({requestId: fc.constantFrom('a', 'b'), url: fc.constantFrom(gameUrl, 'wss://x/'), timestamp: fc.double(), response: fc.record({opcode: fc.integer({min: 0, max: 10}), payloadData: fc.oneof(fc.string(), fc.constantFrom('2', '3', '40', '42["e",1]', '451-["b",{"_placeholder":true,"num":0}]', 'AAE='))})}),
		);
		fc.assert(fc.property(fc.array(fc.tuple(methods, parameters), {maxLength: 40}), events => {
			const frames = tracker();
			for (const [method, value] of events) {
				const out = frames.handle(method, value);
				expect(Array.isArray(out)).toBe(true);
			}
		}));
	});
});

describe.skipIf(!hasCaptures)('the shared CDP capture, rebuilt as frames', () => {
	test('every event comes back with its name, direction and payload', () => {
		const lines = readFileSync(cdpCapture, 'utf8').split('\n').filter(line => line !== '');
		const frames = tracker();
		frames.handle('Network.webSocketCreated', {requestId: 'r1', url: gameUrl});
		const expected: Array<{event: string; direction: string; data: unknown}> = [];
		const got = [];
		for (const line of lines) {
			const record = JSON.parse(line) as {event: string; direction: 'received' | 'sent'; data: unknown};
			// This recorder kept only one argument: it is what the frame carried, as far as we know.
			const args = record.data === null ? [] : [record.data];
			expected.push({event: record.event, direction: record.direction, data: record.data});
			const method = record.direction === 'sent' ? 'Network.webSocketFrameSent' : 'Network.webSocketFrameReceived';
			got.push(...envelopes(frames.handle(method, frame('r1', `42${JSON.stringify([record.event, ...args])}`))));
		}

		expect(got.map(({event, direction, data}) => ({event, direction, data}))).toEqual(expected);
		expect(frames.decodeErrors).toBe(0);
	});
});
