import {describe, expect, it} from 'vitest';
import type {DirectSource, DirectSourceOptions} from '../source/sources/direct.js';
import {recordBus, type BusRecorder} from './helpers/bus-recorder.js';
import {quickRetries, setUpDirectLab} from './helpers/direct-lab.js';
import {sendRaw} from './helpers/socket-server.js';

const lab = setUpDirectLab();
const {serve} = lab;

function connect(recorder: BusRecorder, options: DirectSourceOptions): DirectSource {
	return lab.connect(recorder, {...quickRetries, ...options});
}

/**
Frames no well-behaved server sends, written raw on the server's WebSocket
(below Socket.IO and Engine.IO). socket.io-client closes the connection on each
(a "parse error" or "transport error"); the ones marked `crashes` make plain
socket.io-client 4.8 throw out of the WebSocket's message handler — an
uncaught exception that would end the process.
*/
const garbage: Array<{name: string; frames: Array<string | Buffer>; problem: RegExp; crashes?: true}> = [
	{name: 'invalid JSON in an event', frames: ['42["gameStateUpdate",{"price":'], problem: /^malformed Socket\.IO packet \(invalid payload\): `42\["gameStateUpdate",{"price":`; reconnecting$/},
	{name: 'an event that is not an array', frames: ['42{"not":"an array"}'], problem: /^malformed Socket\.IO packet \(invalid payload\): `42{"not":"an array"}`/},
	{name: 'a reserved event name', frames: ['42["connect",{}]'], problem: /^malformed Socket\.IO packet \(invalid payload\)/},
	{name: 'an unknown Socket.IO packet type', frames: ['49[]'], problem: /^malformed Socket\.IO packet \(unknown packet type 9\): `49\[]`/},
	{name: 'an empty Socket.IO packet', frames: ['4'], problem: /^malformed Socket\.IO packet \(.+\): `4`/},
	{name: 'an unknown Engine.IO packet type', frames: ['9garbage'], problem: /^malformed Engine\.IO packet: `9garbage`; reconnecting$/},
	{name: 'an empty frame', frames: [''], problem: /^malformed Engine\.IO packet: \(empty frame\)/},
	{name: 'a binary frame nobody announced', frames: [Buffer.from([1, 2, 3])], problem: /^malformed Socket\.IO packet \(got binary data when not reconstructing a packet\): \(binary frame, 3 bytes\)/},
	{name: 'a binary event whose attachment never comes', frames: ['451-["b",{"_placeholder":true,"num":0}]', '42["c",1]'], problem: /^malformed Socket\.IO packet \(got plaintext data when reconstructing a packet\): `42\["c",1]`/},
	{name: 'an Engine.IO open packet with invalid JSON', frames: ['0{bad'], problem: /^malformed Engine\.IO packet \(.*JSON.*\): `0{bad`/, crashes: true},
	{name: 'a second Engine.IO handshake mid-stream', frames: ['0{"sid":"again"}'], problem: /^(?:malformed Engine\.IO packet \(.+\)|bad server: the server's handshake .+): `0{"sid":"again"}`/, crashes: true},
	{name: 'terminal escape sequences', frames: ['42["x\u001B[2J\u001B]0;owned\u0007'], problem: /^malformed Socket\.IO packet \(invalid payload\): `42\["x`/},
];

describe('direct source on bad input', () => {
	it.each(garbage)('$name: counted once with a clean sample, then it reconnects and resumes', async ({frames, problem}) => {
		const server = await serve();
		const recorder = recordBus();
		const source = connect(recorder, {url: server.url});
		const first = await server.connection(1);
		await recorder.until('connected', () => recorder.statuses.some(status => status.state === 'connected'));
		// A valid event written in the same tick as the garbage: usually the same network
		// read, where socket.io-client alone would drop it (see DirectSource).
		first.emit('before', 1);
		for (const frame of frames) {
			sendRaw(first, frame);
		}

		const second = await server.connection(2);
		second.emit('after', 2);
		await recorder.until('the event after the reconnection', () => recorder.events().some(envelope => envelope.event === 'after'));

		expect(recorder.events().map(envelope => [envelope.event, envelope.data])).toEqual([['before', 1], ['after', 2]]);
		expect(recorder.problems).toHaveLength(1);
		const [reported] = recorder.problems;
		expect(reported).toMatchObject({kind: 'decode', source: 'direct'});
		expect(reported!.message).toMatch(problem);
		// Feed text reaches the terminal only cleaned.
		// eslint-disable-next-line no-control-regex -- control characters are what the check looks for
		expect(reported!.message).not.toMatch(/[\u0000-\u001F\u007F-\u009F]/);
		const lost = recorder.statuses.find(status => status.state === 'disconnected');
		expect(reported!.message.startsWith(lost!.detail!)).toBe(true);
		expect(recorder.statuses.find(status => status.state === 'reconnecting')).toMatchObject({attempt: 1});
		expect(source.stats()).toMatchObject({problems: 1, reconnects: 1, connected: true});
	});

	it.each(['9garbage', '42["x"'])('counts garbage that arrives with the connect reply itself (%s) as bad input too', async frame => {
		const server = await serve({onConnection(socket, index) {
			if (index === 1) {
				sendRaw(socket, frame);
			} else {
				socket.emit('after', 2);
			}
		}});
		const recorder = recordBus();
		connect(recorder, {url: server.url});
		await recorder.until('the event after the reconnection', () => recorder.events().some(envelope => envelope.event === 'after'));
		expect(recorder.problems).toHaveLength(1);
		expect(recorder.problems[0]).toMatchObject({kind: 'decode'});
		expect(recorder.problems[0]!.message).toMatch(/^malformed (Engine|Socket)\.IO packet.*; reconnecting$/);
	});

	it('says it gives up, rather than reconnects, when no attempts are left', async () => {
		const server = await serve();
		const recorder = recordBus();
		const source = connect(recorder, {url: server.url, maxReconnects: 0});
		await recorder.until('connected', () => recorder.statuses.some(status => status.state === 'connected'));
		sendRaw(await server.connection(1), '9garbage');
		expect(await source.ended).toMatchObject({reason: 'gave-up', attempts: 0, lastFailure: 'malformed Engine.IO packet'});
		expect(recorder.problems.map(problem => problem.message)).toEqual(['malformed Engine.IO packet: `9garbage`; giving up']);
	});

	it('refuses a frame over the size limit without buffering it, says so, and reconnects', async () => {
		const server = await serve();
		const recorder = recordBus();
		const source = connect(recorder, {url: server.url, maxFrameBytes: 64 * 1024});
		const first = await server.connection(1);
		first.emit('fits', 'x'.repeat(60 * 1024));
		first.emit('tooLarge', 'x'.repeat(100 * 1024));
		const second = await server.connection(2);
		second.emit('after', 2);
		await recorder.until('the event after the reconnection', () => recorder.events().some(envelope => envelope.event === 'after'));

		expect(recorder.events().map(envelope => envelope.event)).toEqual(['fits', 'after']);
		expect(recorder.problems.map(({kind, message}) => ({kind, message}))).toEqual([
			{kind: 'decode', message: 'a frame larger than the 64 KiB limit was refused (the limit bounds memory); reconnecting'},
		]);
		expect(recorder.statuses.find(status => status.state === 'disconnected')?.detail).toBe('a frame larger than the 64 KiB limit was refused (the limit bounds memory)');
		expect(source.stats().reconnects).toBe(1);
	});

	it('passes events it does not know, and payloads of unexpected shapes, through untouched', async () => {
		const server = await serve();
		const recorder = recordBus();
		connect(recorder, {url: server.url});
		const client = await server.connection();
		const odd = [
			['gameStateUpdate', 'not an object'],
			['gameStateUpdate', {gameId: 42, price: 'high', tickCount: -1}],
			['standard/newTrade', null],
			['brandNewFeature', {nested: {deeply: [1, {two: 2}]}}],
			['🎲', '\u001B[31mred'],
		] as const;
		for (const [event, data] of odd) {
			client.emit(event, data);
		}

		await recorder.until('every event', () => recorder.events().length === odd.length);
		expect(recorder.events().map(envelope => [envelope.event, envelope.data])).toEqual(odd.map(([event, data]) => [event, data]));
		expect(recorder.problems).toEqual([]);
	});
});
