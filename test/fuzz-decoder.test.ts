import fc from 'fast-check';
import {describe, expect, test} from 'vitest';
import {asEnvelope, makeEnvelope, type Envelope} from '../source/protocol/envelope.js';
import {FrameDecoder} from '../source/protocol/frame-decoder.js';
import type {DecodedPacket} from '../source/protocol/packet.js';
import {envelopeFromPacket} from '../source/protocol/packet-envelope.js';
import {jsonLine} from '../source/record/json-line.js';
import {wireFrame} from '../source/sim/generate-session.js';
import {CdpFrames} from '../source/sources/cdp-frames.js';
import {maxJsonDepth} from '../source/protocol/json-bounds.js';
import {readRecording} from '../source/sources/read-recording.js';
import {createState, reduce} from '../source/state/reducer.js';
import type {GameState} from '../source/state/types.js';
import {hasCaptures, publicFeedCapture, cdpCapture} from './helpers/captures.js';
import {check, deepArrayText, deepNesting, longLine, longLineChunks, nastyJson, size, testTimeout, unboundedArray} from './helpers/fuzz.js';
import {corpusFrames, framesOf, mutate, mutations} from './helpers/mutate.js';

/**
Fuzzing the frame decoder (the CDP path and the benchmarks decode with it):
random text, mutated real frames, binary attachments in any order, 5 MB
frames and deep nesting (refused beyond 1,000 levels). Whatever comes in: no
throw, no hang, and every frame it cannot use is one `error` packet, counted in
`decoder.errors`.
*/

const reserved = new Set(['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener']);

function expectWellFormed(packet: DecodedPacket): void {
	// eslint-disable-next-line @typescript-eslint/switch-exhaustiveness-check -- the default is a check: whatever else the decoder returns must be one of the three connection packets
	switch (packet.kind) {
		case 'error': {
			expect(typeof packet.reason).toBe('string');
			expect(packet.reason.length).toBeGreaterThan(0);
			// A sample, never the whole (possibly 5 MB) frame.
			expect(packet.sample.length).toBeLessThanOrEqual(81);
			break;
		}

		case 'event': {
			expect(typeof packet.event).toBe('string');
			expect(reserved.has(packet.event)).toBe(false);
			expect(Array.isArray(packet.args)).toBe(true);
			expect(packet.ns.startsWith('/')).toBe(true);
			if (packet.ackId !== undefined) {
				expect(Number.isSafeInteger(packet.ackId)).toBe(true);
			}

			break;
		}

		case 'ack': {
			expect(Number.isSafeInteger(packet.ackId)).toBe(true);
			expect(Array.isArray(packet.args)).toBe(true);
			break;
		}

		case 'engine': {
			expect(['open', 'close', 'ping', 'pong', 'upgrade', 'noop']).toContain(packet.type);
			break;
		}

		default: {
			expect(['connect', 'disconnect', 'connect_error']).toContain(packet.kind);
		}
	}
}

/** Decode one frame and check what every decode must satisfy: one more frame, one error counted per error packet. */
function decodeCounted(decoder: FrameDecoder, decode: () => DecodedPacket[]): DecodedPacket[] {
	const {errors, frames} = decoder;
	const packets = decode();
	expect(decoder.frames).toBe(frames + 1);
	expect(decoder.errors - errors).toBe(packets.filter(packet => packet.kind === 'error').length);
	for (const packet of packets) {
		expectWellFormed(packet);
	}

	return packets;
}

/** The rest of the pipeline for what was decoded: envelopes, the state, a line of output. */
function throughPipeline(packets: readonly DecodedPacket[], state: GameState, seq: {n: number}): GameState {
	let next = state;
	for (const packet of packets) {
		const envelope = envelopeFromPacket(packet, {seq: seq.n + 1, ts: 1_765_577_818_000 + seq.n, source: 'cdp', direction: 'received'});
		if (envelope === undefined) {
			continue;
		}

		seq.n++;
		next = reduce(next, envelope);
		expect(next.stats.internalErrors).toBe(0);
		// Every envelope can be written as one line of output or recording.
		expect(jsonLine(envelope)).not.toContain('\n');
	}

	return next;
}

const corpus = corpusFrames();

describe('frame decoder fuzzing', () => {
	test('any text, any binary: never throws, every error counted', () => {
		const frame = fc.oneof(
			fc.string({unit: 'binary', maxLength: size(200, 2000)}).map(text => ({text})),
			fc.string({unit: 'grapheme-ascii', maxLength: size(200, 2000)}).map(text => ({text: `4${text}`})),
			fc.uint8Array({maxLength: size(200, 5000)}).map(bytes => ({bytes})),
			fc.string({maxLength: size(200, 2000)}).map(base64 => ({base64})),
		);
		check(fc.property(fc.array(frame, {maxLength: 20}), frames => {
			const decoder = new FrameDecoder();
			let state = createState();
			const seq = {n: 0};
			for (const item of frames) {
				const packets = decodeCounted(decoder, () => 'text' in item
					? decoder.decodeText(item.text)
					: ('bytes' in item ? decoder.decodeBinary(item.bytes) : decoder.decodeBinary(item.base64, true)));
				state = throughPipeline(packets, state, seq);
			}

			expect(decoder.frames).toBe(frames.length);
		}), 300);
	}, testTimeout());

	test('mutated real frames (truncated, wrong prefixes, huge and NaN-like numbers, deep nesting, garbage): never throws, every error counted, the state takes the rest', () => {
		check(fc.property(fc.array(fc.tuple(fc.constantFrom(...corpus), mutations), {minLength: 1, maxLength: 30}), cases => {
			const decoder = new FrameDecoder();
			let state = createState();
			const seq = {n: 0};
			for (const [frame, steps] of cases) {
				state = throughPipeline(decodeCounted(decoder, () => decoder.decodeText(mutate(frame, steps))), state, seq);
			}

			expect(state.stats.events).toBe(seq.n);
		}), 400);
	}, testTimeout());

	test('envelope → wire frame → decoder → envelope gives back exactly that envelope', () => {
		const envelope = fc.record({
			event: fc.oneof(fc.string({maxLength: 20}), fc.constantFrom('gameStateUpdate', 'standard/newTrade', 'connect', 'disconnect', '__proto__', 'ack')),
			args: fc.array(nastyJson({finite: true}), {maxLength: 4}),
			ns: fc.option(fc.constantFrom('/', '/game', '/a,b'), {nil: undefined}),
			ackId: fc.option(fc.nat({max: 2 ** 31}), {nil: undefined}),
		});
		check(fc.property(envelope, ({event, args, ns, ackId}) => {
			const original: Envelope = makeEnvelope({seq: 1, ts: 1, source: 'cdp', direction: 'received', event, args, ns, ackId});
			const frame = wireFrame(original);
			const decoder = new FrameDecoder();
			const packets = decodeCounted(decoder, () => decoder.decodeText(frame));
			expect(packets).toHaveLength(1);
			const [packet] = packets;
			if (ns === '/a,b' || (reserved.has(event) && !(event === 'ack' && ackId !== undefined))) {
				// A namespace holding the separator, or a name Socket.IO reserves, cannot travel as an event.
				expect(packet!.kind).toBe('error');
				return;
			}

			// What the wire carries is the JSON text of the envelope's arguments.
			const decoded = envelopeFromPacket(packet!, {seq: 1, ts: 1, source: 'cdp', direction: 'received'});
			const line = JSON.stringify(original);
			expect(decoded).toEqual(asEnvelope(JSON.parse(line)));
		}), 400);
	}, testTimeout());

	test('binary events with their attachments in any order, interrupted or missing: never throws, never wedges, every loss counted', () => {
		type Step =
			| {kind: 'header'; attachments: number; ack: boolean}
			| {kind: 'binary'; bytes: Uint8Array; as: 'raw' | 'base64' | 'b-frame'}
			| {kind: 'text'; frame: string};
		const step: fc.Arbitrary<Step> = fc.oneof(
			fc.record({kind: fc.constant('header' as const), attachments: fc.integer({min: 1, max: 3}), ack: fc.boolean()}),
			fc.record({kind: fc.constant('binary' as const), bytes: fc.uint8Array({maxLength: 64}), as: fc.constantFrom('raw' as const, 'base64' as const, 'b-frame' as const)}),
			fc.record({kind: fc.constant('text' as const), frame: fc.constantFrom(...corpus.slice(0, 50), '2', '3', '42["x",1]', 'garbage')}),
		);
		check(fc.property(fc.array(step, {maxLength: 25}), steps => {
			const decoder = new FrameDecoder();
			// A model of what the decoder must be waiting for.
			let waiting = 0;
			let buffers: Uint8Array[] = [];
			let ack = false;
			for (const item of steps) {
				if (item.kind === 'header') {
					const placeholders = Array.from({length: item.attachments}, (_, index) => ({_placeholder: true, num: index}));
					const frame = item.ack
						? `46${item.attachments}-7${JSON.stringify([{parts: placeholders}])}`
						: `45${item.attachments}-${JSON.stringify(['bin', {parts: placeholders}])}`;
					const packets = decodeCounted(decoder, () => decoder.decodeText(frame));
					// An event still waiting for attachments is lost, and said so.
					expect(packets.map(packet => packet.kind)).toEqual(waiting > 0 ? ['error'] : []);
					waiting = item.attachments;
					buffers = [];
					ack = item.ack;
					expect(decoder.awaitingAttachments).toBe(true);
					continue;
				}

				if (item.kind === 'text') {
					const packets = decodeCounted(decoder, () => decoder.decodeText(item.frame));
					if (waiting > 0) {
						expect(packets[0]!.kind).toBe('error');
					}

					waiting = 0;
					expect(decoder.awaitingAttachments).toBe(false);
					continue;
				}

				const packets = decodeCounted(decoder, () => {
					switch (item.as) {
						case 'raw': {
							return decoder.decodeBinary(item.bytes);
						}

						case 'base64': {
							return decoder.decodeBinary(Buffer.from(item.bytes).toString('base64'), true);
						}

						case 'b-frame': {
							return decoder.decodeText(`b${Buffer.from(item.bytes).toString('base64')}`);
						}
					}
				});
				if (waiting === 0) {
					expect(packets.map(packet => packet.kind)).toEqual(['error']);
					continue;
				}

				buffers.push(item.bytes);
				waiting--;
				if (waiting > 0) {
					expect(packets).toEqual([]);
					continue;
				}

				const parts = buffers.map(bytes => ({$binary: Buffer.from(bytes).toString('base64')}));
				expect(packets).toEqual([ack ? {kind: 'ack', ns: '/', ackId: 7, args: [{parts}]} : {kind: 'event', ns: '/', event: 'bin', args: [{parts}]}]);
				expect(decoder.awaitingAttachments).toBe(false);
			}
		}), 400);
	}, testTimeout());
});

describe('the CDP path: DevTools frame events, mutated', () => {
	const gameUrl = 'wss://backend.rugs.fun/socket.io/?frontend-version=1.0&EIO=4&transport=websocket';

	test('mutated frames received and sent on the game socket, text and binary: never throws, one decode error per bad frame, the rest envelopes in order', () => {
		const frame = fc.tuple(fc.constantFrom(...corpus), mutations, fc.constantFrom('Network.webSocketFrameReceived', 'Network.webSocketFrameSent'), fc.constantFrom(1, 1, 1, 2));
		check(fc.property(fc.array(frame, {minLength: 1, maxLength: 30}), cases => {
			const frames = new CdpFrames({now: () => 1_765_577_818_000});
			frames.handle('Network.webSocketCreated', {requestId: 'game', url: gameUrl});
			let state = createState();
			let errors = 0;
			let envelopes = 0;
			for (const [text, steps, method, opcode] of cases) {
				const payloadData = opcode === 2 ? Buffer.from(mutate(text, steps), 'latin1').toString('base64') : mutate(text, steps);
				const out = frames.handle(method, {requestId: 'game', timestamp: 1, response: {opcode, mask: false, payloadData}});
				for (const item of out) {
					if (item.kind === 'decode-error') {
						errors++;
						expect(item.message.length).toBeLessThan(400);
					} else if (item.kind === 'envelope') {
						envelopes++;
						expect(item.envelope.seq).toBe(envelopes);
						state = reduce(state, item.envelope);
					}
				}
			}

			expect(frames.decodeErrors).toBe(errors);
			expect(frames.seq).toBe(envelopes);
			expect(state.stats.internalErrors).toBe(0);
		}), 300);
	}, testTimeout());
});

describe('frame decoder at the extremes', () => {
	const fiveMb = 5 * 1024 * 1024;

	test('a 5 MB event frame decodes whole, and goes through the state and into a line', () => {
		const entry = {id: 'did:privy:0123456789', username: 'player', pnl: 0.1, pnlPercent: 1, positionQty: 10, avgCost: 1.2, totalInvested: 0.01};
		const count = Math.ceil(fiveMb / (JSON.stringify(entry).length - 16)) + 1000;
		const payload = {gameId: '20251212-big', cooldownTimer: 5000, leaderboard: Array.from({length: count}, (_, index) => ({...entry, id: `p${index}`}))};
		const frame = `42${JSON.stringify(['gameStateUpdate', payload])}`;
		expect(frame.length).toBeGreaterThan(fiveMb);
		const decoder = new FrameDecoder();
		const packets = decodeCounted(decoder, () => decoder.decodeText(frame));
		expect(packets).toHaveLength(1);
		expect(packets[0]).toMatchObject({kind: 'event', event: 'gameStateUpdate'});
		expect((packets[0] as {args: Array<{leaderboard: unknown[]}>}).args[0]!.leaderboard).toHaveLength(count);
		const state = throughPipeline(packets, createState(), {n: 0});
		expect(state.game?.id).toBe('20251212-big');
		expect(state.stats.fieldErrors).toBe(0);
	});

	test('5 MB of garbage, of unclosed brackets, of digits: one error each, with a short sample', () => {
		const garbage = Buffer.from(Array.from({length: fiveMb}, (_, index) => (index * 7919) % 256)).toString('latin1');
		const frames = [
			`42${garbage}`,
			`42${'['.repeat(fiveMb)}`,
			`42["x",${'{"a":'.repeat(fiveMb / 5)}`,
			`45${'9'.repeat(fiveMb)}-["x"]`,
			`42${'7'.repeat(fiveMb)}["x"]`,
			`42/${'n'.repeat(fiveMb)}`,
			garbage,
		];
		const decoder = new FrameDecoder();
		for (const frame of frames) {
			const packets = decodeCounted(decoder, () => decoder.decodeText(frame));
			expect(packets.map(packet => packet.kind)).toEqual(['error']);
		}

		expect(decoder.errors).toBe(frames.length);
	});

	test('a frame over the size limit is refused without being parsed; the next one decodes', () => {
		const decoder = new FrameDecoder({maxFrameLength: 1024 * 1024});
		const big = `42["x","${'a'.repeat(fiveMb)}"]`;
		expect(decodeCounted(decoder, () => decoder.decodeText(big)).map(packet => packet.kind)).toEqual(['error']);
		expect(decodeCounted(decoder, () => decoder.decodeBinary(new Uint8Array(fiveMb))).map(packet => packet.kind)).toEqual(['error']);
		expect(decodeCounted(decoder, () => decoder.decodeText('42["after",1]'))).toEqual([{kind: 'event', ns: '/', event: 'after', args: [1]}]);
	});

	test('a 5 MB binary attachment arrives whole as base64', () => {
		const bytes = new Uint8Array(fiveMb).map((_, index) => index % 251);
		const decoder = new FrameDecoder();
		decodeCounted(decoder, () => decoder.decodeText('451-["file",{"_placeholder":true,"num":0}]'));
		const [packet] = decodeCounted(decoder, () => decoder.decodeBinary(bytes));
		expect(packet).toMatchObject({kind: 'event', event: 'file'});
		const {$binary} = (packet as unknown as {args: [{$binary: string}]}).args[0];
		expect(Buffer.from($binary, 'base64').equals(Buffer.from(bytes))).toBe(true);
	});

	test('nesting 200,000 deep: refused as bad input before it is parsed, counted, and the next frame decodes', () => {
		const decoder = new FrameDecoder();
		const packets = decodeCounted(decoder, () => decoder.decodeText(`42["gameStateUpdate",{"gameId":"deep","leaderboard":${deepArrayText(200_000)}}]`));
		expect(packets).toEqual([{kind: 'error', reason: 'nesting deeper than 1000 levels', sample: expect.stringMatching(/^42\["gameStateUpdate",{"gameId":"deep","leaderboard":\[\[\[/) as unknown}]);
		expect(decodeCounted(decoder, () => decoder.decodeText('42["after",1]'))).toEqual([{kind: 'event', ns: '/', event: 'after', args: [1]}]);
	});

	test('nesting 1,000 deep (the bound): decoded, through the state, and written as a line', () => {
		// The argument array and the payload object are two of the levels.
		const depth = 998;
		const decoder = new FrameDecoder();
		const packets = decodeCounted(decoder, () => decoder.decodeText(`42["gameStateUpdate",{"gameId":"deep","leaderboard":${deepArrayText(depth)}}]`));
		expect(packets.map(packet => packet.kind)).toEqual(['event']);
		const state = throughPipeline(packets, createState(), {n: 0});
		expect(state.game?.id).toBe('deep');
		const envelope = envelopeFromPacket(packets[0]!, {seq: 1, ts: 1, source: 'cdp', direction: 'received'})!;
		const line = jsonLine(envelope);
		expect(line.length).toBe(JSON.stringify({...envelope, data: null}).length - 'null'.length + `{"gameId":"deep","leaderboard":${deepArrayText(depth)}}`.length);
		expect(line.endsWith(`${']'.repeat(depth)}}}`)).toBe(true);
		expect(decodeCounted(decoder, () => decoder.decodeText(`42["gameStateUpdate",{"gameId":"deep","leaderboard":${deepArrayText(depth + 1)}}]`))[0]?.kind).toBe('error');
	});

	test('a binary event nested 990 deep: the placeholder walk neither overflows the stack nor throws; 100,000 deep it is refused with its attachment', () => {
		const depth = 990;
		const decoder = new FrameDecoder();
		const header = `451-["deep",${'['.repeat(depth)}{"_placeholder":true,"num":0}${']'.repeat(depth)}]`;
		expect(decodeCounted(decoder, () => decoder.decodeText(header))).toEqual([]);
		const packets = decodeCounted(decoder, () => decoder.decodeBinary(new Uint8Array([1, 2, 3])));
		expect(packets.map(packet => packet.kind)).toEqual(['event']);
		let value: unknown = (packets[0] as {args: unknown[]}).args[0];
		for (let level = 0; level < depth; level++) {
			value = (value as unknown[])[0];
		}

		expect(value).toEqual({$binary: Buffer.from([1, 2, 3]).toString('base64')});

		const tooDeep = `451-["deep",${'['.repeat(100_000)}{"_placeholder":true,"num":0}${']'.repeat(100_000)}]`;
		expect(decodeCounted(decoder, () => decoder.decodeText(tooDeep)).map(packet => packet.kind)).toEqual(['error']);
		// Its attachment has no event waiting for it: one more error, and decoding goes on.
		expect(decodeCounted(decoder, () => decoder.decodeBinary(new Uint8Array([1, 2, 3]))).map(packet => packet.kind)).toEqual(['error']);
		expect(decodeCounted(decoder, () => decoder.decodeText('42["after",1]'))).toEqual([{kind: 'event', ns: '/', event: 'after', args: [1]}]);
	});
});

describe('frame decoder fuzzing: the classes of hostile input', () => {
	test('nesting around the bound (and far beyond), mixed with strings of brackets: decoded exactly when within 1,000 levels, counted otherwise', () => {
		check(fc.property(deepNesting(maxJsonDepth), ({text, depth}) => {
			const decoder = new FrameDecoder({maxFrameLength: 64 * 1024 * 1024});
			// The argument array is one level more.
			const [packet] = decodeCounted(decoder, () => decoder.decodeText(`42["deep",${text}]`));
			if (depth + 1 <= maxJsonDepth) {
				expect(packet?.kind).toBe('event');
			} else {
				expect(packet).toEqual({kind: 'error', reason: 'nesting deeper than 1000 levels', sample: expect.any(String) as unknown});
			}

			expect(decodeCounted(decoder, () => decoder.decodeText('42["after",1]'))[0]?.kind).toBe('event');
		}), 40);
	}, testTimeout());

	test('arrays of any length (10,000 entries, 200,000 under npm run fuzz): decoded whole, through the state', () => {
		check(fc.property(unboundedArray(index => ({id: `g${index}`, prices: [1, 1.1], peakMultiplier: 1.1})), entries => {
			const decoder = new FrameDecoder();
			const packets = decodeCounted(decoder, () => decoder.decodeText(`42${JSON.stringify(['gameStateUpdate', {gameId: 'long', gameHistory: entries, leaderboard: entries}])}`));
			expect(packets.map(packet => packet.kind)).toEqual(['event']);
			const state = throughPipeline(packets, createState(), {n: 0});
			expect(state.stats.historyEntriesSkipped).toBe(Math.max(0, entries.length - 100));
		}), 20);
	}, testTimeout());

	test('long frames (up to 8 MB, 64 MB under npm run fuzz), whole or cut: one error past the size limit, never a throw', () => {
		check(fc.property(longLine, line => {
			const frame = [...longLineChunks(line)].join('');
			const decoder = new FrameDecoder({maxFrameLength: 4 * 1024 * 1024});
			const packets = decodeCounted(decoder, () => decoder.decodeText(frame));
			if (frame.length > 4 * 1024 * 1024) {
				expect(packets).toEqual([{kind: 'error', reason: `frame too large (${frame.length} > ${4 * 1024 * 1024})`, sample: expect.any(String) as unknown}]);
			}
		}), 12);
	}, testTimeout());
});

describe.skipIf(!hasCaptures)('frame decoder fuzzing on the real captures', () => {
	test('mutated captured frames: never throws, every error counted', async () => {
		const envelopes: Envelope[] = [];
		for (const file of [publicFeedCapture, cdpCapture]) {
			for await (const item of readRecording(file)) {
				if (item.ok) {
					envelopes.push(item.envelope);
				}
			}
		}

		// Every frame kind once is plenty; the big gameHistory frames only a few times.
		const frames = framesOf(envelopes).filter(frame => frame.length < 100_000);
		const large = framesOf(envelopes).filter(frame => frame.length >= 100_000).slice(0, 4);
		check(fc.property(fc.array(fc.tuple(fc.oneof({weight: 20, arbitrary: fc.constantFrom(...frames)}, {weight: 1, arbitrary: fc.constantFrom(...large)}), mutations), {minLength: 1, maxLength: 20}), cases => {
			const decoder = new FrameDecoder();
			let state = createState();
			const seq = {n: 0};
			for (const [frame, steps] of cases) {
				state = throughPipeline(decodeCounted(decoder, () => decoder.decodeText(mutate(frame, steps))), state, seq);
			}
		}), 200);
	}, testTimeout());
});
