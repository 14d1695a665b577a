import {afterEach, describe, expect, it, vi} from 'vitest';
import type {DirectSource, DirectSourceOptions} from '../source/sources/direct.js';
import {recordBus, type BusRecorder} from './helpers/bus-recorder.js';
import {quickRetries, setUpDirectLab} from './helpers/direct-lab.js';
import {deepMixedText, deepText} from './helpers/json-shapes.js';
import {sendRaw} from './helpers/socket-server.js';

/**
The direct source against a real socket.io server on 127.0.0.1 that writes
frames nesting too deep: socket.io-client would parse them itself, so the
tapped WebSocket checks each text frame first (source/protocol/json-bounds.ts).
A message frame beyond the bound is one `decode` problem and is skipped — the
connection stays up and the next event arrives; the costly ones never reach
JSON.parse (counted by what JSON.parse is handed).
*/

const lab = setUpDirectLab();

function connect(recorder: BusRecorder, options: DirectSourceOptions): DirectSource {
	return lab.connect(recorder, {...quickRetries, ...options});
}

/** Lengths of the texts JSON.parse is handed in this process until `stop()`. */
function watchJsonParse(): {lengths: number[]; stop(): void} {
	const lengths: number[] = [];
	const original = JSON.parse.bind(JSON);
	const spy = vi.spyOn(JSON, 'parse').mockImplementation((text: string, reviver?: Parameters<typeof JSON.parse>[1]) => {
		lengths.push(text.length);
		return original(text, reviver) as unknown;
	});
	return {
		lengths,
		stop() {
			spy.mockRestore();
		},
	};
}

afterEach(() => {
	vi.restoreAllMocks();
});

describe('direct source: frames nesting too deep', () => {
	it.each([
		// [what, frame, whether JSON.parse may see it first (bounded), expected problem]
		['1,001 levels, few brackets (parsed, then refused)', `42["deep",${deepText(1000)}]`, true],
		['levels hidden among strings full of brackets (1,500 levels)', `42["deep",${deepMixedText(1500)}]`, true],
		['16 MB of arrays 8 million deep (refused before any parse)', `42["deep",${deepText(8_000_000)}]`, false],
		['an ack 70,000 deep', `4317[${deepText(70_000)}]`, false],
		['a namespaced event 2,000 deep', `42/,["deep",${deepText(2000)}]`, true],
	])('%s: one decode problem, skipped, the connection stays and the next event arrives', async (_what, frame, parsed) => {
		const server = await serve();
		const recorder = recordBus();
		const source = connect(recorder, {url: server.url});
		const socket = await server.connection(1);
		await recorder.until('connected', () => recorder.statuses.some(status => status.state === 'connected'));
		const watch = watchJsonParse();
		socket.emit('before', 1);
		sendRaw(socket, frame);
		socket.emit('after', 2);
		await recorder.until('the event after the deep frame', () => recorder.events().some(envelope => envelope.event === 'after'));
		watch.stop();

		expect(recorder.events().map(envelope => [envelope.event, envelope.data])).toEqual([['before', 1], ['after', 2]]);
		expect(recorder.problems.map(({kind, message}) => ({kind, message}))).toEqual([{kind: 'decode', message: expect.stringMatching(/^frame rejected: nesting deeper than 1000 levels/) as unknown}]);
		expect(source.stats()).toMatchObject({rejectedFrames: 1, reconnects: 0, connected: true});
		expect(server.connections).toHaveLength(1);
		// Bounded: either it was never parsed, or its parse held at most 65,536 containers (the text is short).
		const longest = Math.max(0, ...watch.lengths);
		expect(longest).toBeLessThan(parsed ? 200_000 : 1000);
	}, 60_000);

	it('1,000 levels (the bound) go through whole', async () => {
		const server = await serve();
		const recorder = recordBus();
		const source = connect(recorder, {url: server.url});
		const socket = await server.connection(1);
		sendRaw(socket, `42["deep",${deepText(998)}]`);
		sendRaw(socket, `42["mixed",${deepMixedText(998)}]`);
		await recorder.until('both events', () => recorder.events().length === 2);
		expect(recorder.events().map(envelope => envelope.event)).toEqual(['deep', 'mixed']);
		expect(JSON.stringify(recorder.events()[0]!.data)).toBe(deepText(998));
		expect(recorder.problems).toEqual([]);
		expect(source.stats().rejectedFrames).toBe(0);
	});

	it('an Engine.IO open packet nesting too deep ends the connection as malformed; it reconnects and resumes', async () => {
		const server = await serve();
		const recorder = recordBus();
		const source = connect(recorder, {url: server.url});
		const first = await server.connection(1);
		await recorder.until('connected', () => recorder.statuses.some(status => status.state === 'connected'));
		sendRaw(first, `0{"sid":"x","deep":${deepText(1200)}}`);
		const second = await server.connection(2);
		second.emit('after', 2);
		await recorder.until('the event after the reconnection', () => recorder.events().some(envelope => envelope.event === 'after'));
		expect(recorder.problems).toHaveLength(1);
		expect(recorder.problems[0]).toMatchObject({kind: 'decode', message: expect.stringMatching(/^malformed Engine\.IO packet \(open packet rejected: nesting deeper than 1000 levels\): `0{"sid":"x","deep":\[\[\[/) as unknown});
		expect(source.stats()).toMatchObject({rejectedFrames: 1, reconnects: 1});
	});
});

async function serve(): ReturnType<typeof lab.serve> {
	return lab.serve();
}
