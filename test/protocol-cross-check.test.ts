import {decodePacket} from 'engine.io-parser';
import fc from 'fast-check';
import {Decoder, Encoder, PacketType, type Packet} from 'socket.io-parser';
import {describe, expect, test} from 'vitest';
import {FrameDecoder} from '../source/protocol/frame-decoder.js';
import type {DecodedPacket} from '../source/protocol/packet.js';
import {validFrames} from './helpers/frames.js';

/*
The same frames through our decoder and through the reference parsers that
socket.io itself uses (engine.io-parser for the transport layer, socket.io-parser
for the packets), compared in one common shape: Engine.IO packets as
{engine, data}, Socket.IO packets as socket.io-parser's {type, nsp, id, data}
with event names as strings and binary attachments as {$binary: base64}.
*/

type Common = {engine: string; data?: unknown} | {type: number; nsp: string; id?: number; data?: unknown} | {error: true};

/** Buffers become {$binary} and numeric event names strings, as our decoder gives them. */
function normaliseData(value: unknown): unknown {
	if (Buffer.isBuffer(value) || value instanceof Uint8Array) {
		return {$binary: Buffer.from(value).toString('base64')};
	}

	if (Array.isArray(value)) {
		return value.map(item => normaliseData(item));
	}

	if (typeof value === 'object' && value !== null) {
		return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, normaliseData(item)]));
	}

	return value;
}

function fromReference(packet: Packet): Common {
	const common: Common = {type: packet.type, nsp: packet.nsp};
	if (packet.id !== undefined) {
		common.id = packet.id;
	}

	if (packet.data !== undefined) {
		let data = normaliseData(packet.data);
		if (packet.type === PacketType.EVENT && Array.isArray(data) && typeof data[0] === 'number') {
			data = [String(data[0]), ...(data as unknown[]).slice(1)];
		}

		common.data = data;
	}

	return common;
}

function fromOurs(packet: DecodedPacket): Common {
	switch (packet.kind) {
		case 'engine': {
			return packet.data === undefined ? {engine: packet.type} : {engine: packet.type, data: packet.data};
		}

		case 'connect': {
			return packet.data === null ? {type: PacketType.CONNECT, nsp: packet.ns} : {type: PacketType.CONNECT, nsp: packet.ns, data: packet.data};
		}

		case 'disconnect': {
			return {type: PacketType.DISCONNECT, nsp: packet.ns};
		}

		case 'connect_error': {
			return {type: PacketType.CONNECT_ERROR, nsp: packet.ns, data: packet.data};
		}

		case 'event': {
			const common: Common = {type: PacketType.EVENT, nsp: packet.ns, data: [packet.event, ...packet.args]};
			if (packet.ackId !== undefined) {
				common.id = packet.ackId;
			}

			return common;
		}

		case 'ack': {
			return {type: PacketType.ACK, nsp: packet.ns, id: packet.ackId, data: packet.args};
		}

		case 'error': {
			return {error: true};
		}
	}
}

type Frame = string | {binary: Uint8Array} | {base64: string};

/** The reference stack: engine.io-parser, then socket.io-parser for messages. Throws where socket.io-parser throws. */
function referenceDecode(frames: readonly Frame[]): Common[] {
	const decoder = new Decoder();
	const packets: Common[] = [];
	decoder.on('decoded', (packet: Packet) => {
		packets.push(fromReference(packet));
	});
	for (const frame of frames) {
		if (typeof frame === 'string') {
			const packet = decodePacket(frame);
			if (packet.type === 'error') {
				packets.push({error: true});
			} else if (packet.type === 'message') {
				decoder.add(packet.data);
			} else {
				packets.push(packet.data === undefined ? {engine: packet.type} : {engine: packet.type, data: packet.type === 'open' ? JSON.parse(packet.data as string) : packet.data});
			}
		} else if ('binary' in frame) {
			decoder.add(Buffer.from(frame.binary));
		} else {
			// What a browser's socket.io-client gets for a binary frame that Chrome DevTools shows as base64.
			decoder.add(Buffer.from(frame.base64, 'base64'));
		}
	}

	return packets;
}

function ourDecode(frames: readonly Frame[]): {packets: Common[]; decoder: FrameDecoder} {
	const decoder = new FrameDecoder();
	const packets: Common[] = [];
	for (const frame of frames) {
		let decoded: DecodedPacket[];
		if (typeof frame === 'string') {
			decoded = decoder.decodeText(frame);
		} else if ('binary' in frame) {
			decoded = decoder.decodeBinary(frame.binary);
		} else {
			decoded = decoder.decodeBinary(frame.base64, true);
		}

		packets.push(...decoded.map(packet => fromOurs(packet)));
	}

	return {packets, decoder};
}

describe('same result as engine.io-parser + socket.io-parser', () => {
	test.each(validFrames.map(([frame]) => frame))('%s', frame => {
		const reference = referenceDecode([frame]);
		const {packets, decoder} = ourDecode([frame]);
		expect(reference).toHaveLength(1);
		expect(packets).toStrictEqual(reference);
		expect(decoder.errors).toBe(0);
	});

	const encoder = new Encoder();
	const reserved = new Set(['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener']);
	const namespace = fc.oneof(fc.constant('/'), fc.stringMatching(/^\/[\w-]{1,12}$/));
	const eventName = fc.oneof(fc.string({minLength: 1}).filter(name => !reserved.has(name)), fc.nat());
	const argument = fc.oneof(
		{weight: 4, arbitrary: fc.jsonValue()},
		{weight: 1, arbitrary: fc.uint8Array({maxLength: 24}).map(bytes => Buffer.from(bytes))},
		{weight: 1, arbitrary: fc.dictionary(fc.string(), fc.uint8Array({maxLength: 8}).map(bytes => Buffer.from(bytes)), {maxKeys: 3})},
	);
	const packet: fc.Arbitrary<Packet> = fc.oneof(
		fc.record({type: fc.constant(PacketType.EVENT), nsp: namespace, data: fc.tuple(eventName, fc.array(argument, {maxLength: 4})).map(([name, args]) => [name, ...args])}),
		fc.record({type: fc.constant(PacketType.EVENT), nsp: namespace, id: fc.nat(), data: fc.tuple(eventName, fc.array(argument, {maxLength: 4})).map(([name, args]) => [name, ...args])}),
		fc.record({type: fc.constant(PacketType.ACK), nsp: namespace, id: fc.nat(), data: fc.array(argument, {maxLength: 4})}),
		fc.record({type: fc.constant(PacketType.CONNECT), nsp: namespace, data: fc.option(fc.dictionary(fc.string(), fc.jsonValue(), {maxKeys: 4}), {nil: undefined})}),
		fc.record({type: fc.constant(PacketType.DISCONNECT), nsp: namespace}),
		fc.record({type: fc.constant(PacketType.CONNECT_ERROR), nsp: namespace, data: fc.oneof(fc.string(), fc.record({message: fc.string()}))}),
	);

	/** A packet encoded by socket.io-parser's Encoder and framed as Engine.IO over a WebSocket sends it. */
	function wireFrames(value: Packet, attachments: 'binary' | 'base64' | 'polling'): Frame[] {
		// The Encoder rewrites the packet it is given, and gives attachments as the views it found.
		const [text, ...views] = encoder.encode(structuredClone(value)) as [string, ...Uint8Array[]];
		return [`4${text}`, ...views.map((view): Frame => {
			const buffer = Buffer.from(view.buffer, view.byteOffset, view.byteLength);
			if (attachments === 'binary') {
				return {binary: buffer};
			}

			if (attachments === 'base64') {
				return {base64: buffer.toString('base64')};
			}

			// Long-polling: a b<base64> frame.
			return `b${buffer.toString('base64')}`;
		})];
	}

	test('any packet socket.io-parser encodes, with attachments as bytes, as base64 (CDP) or as b<base64> frames', () => {
		fc.assert(fc.property(packet, fc.constantFrom('binary', 'base64', 'polling'), (value, attachments) => {
			const frames = wireFrames(value, attachments);
			const reference = referenceDecode(frames);
			const {packets, decoder} = ourDecode(frames);
			expect(reference).toHaveLength(1);
			expect(packets).toStrictEqual(reference);
			expect(decoder.errors).toBe(0);
			expect(decoder.awaitingAttachments).toBe(false);
		}), {numRuns: 1500});
	});

	test('a binary event with two attachments, as bytes and as CDP base64', () => {
		const value: Packet = {type: PacketType.EVENT, nsp: '/', data: ['upload', {name: 'a', file: Buffer.from([1, 2, 3])}, Buffer.from('xyz')]};
		for (const attachments of ['binary', 'base64'] as const) {
			const frames = wireFrames(value, attachments);
			expect(frames[0]).toBe('452-["upload",{"name":"a","file":{"_placeholder":true,"num":0}},{"_placeholder":true,"num":1}]');
			expect(ourDecode(frames).packets).toStrictEqual(referenceDecode(frames));
			expect(ourDecode(frames).packets).toStrictEqual([{type: 2, nsp: '/', data: ['upload', {name: 'a', file: {$binary: 'AQID'}}, {$binary: 'eHl6'}]}]);
		}
	});
});

describe('where socket.io-parser wedges or lets malformed packets through, ours reports and carries on', () => {
	test('socket.io-parser throws on every text frame after a missing attachment; ours reports it once and decodes the rest', () => {
		const frames = ['51-["upload",{"_placeholder":true,"num":0}]', '2["gameStateUpdate",{"tickCount":1}]', '2["gameStateUpdate",{"tickCount":2}]'];
		const reference = new Decoder();
		const decoded: Packet[] = [];
		reference.on('decoded', (packet: Packet) => {
			decoded.push(packet);
		});
		reference.add(frames[0]);
		expect(() => {
			reference.add(frames[1]);
		}).toThrow('got plaintext data when reconstructing a packet');
		expect(() => {
			reference.add(frames[2]);
		}).toThrow('got plaintext data when reconstructing a packet');
		expect(decoded).toHaveLength(0);

		const ours = new FrameDecoder();
		const packets = frames.flatMap(frame => ours.decodeText(`4${frame}`));
		expect(packets.map(packet => packet.kind)).toStrictEqual(['error', 'event', 'event']);
		expect(packets.slice(1)).toStrictEqual([
			{kind: 'event', ns: '/', event: 'gameStateUpdate', args: [{tickCount: 1}]},
			{kind: 'event', ns: '/', event: 'gameStateUpdate', args: [{tickCount: 2}]},
		]);
		expect(ours.errors).toBe(1);
	});

	test('a stray binary frame makes socket.io-parser throw; ours counts it', () => {
		expect(() => {
			new Decoder().add(Buffer.from([1]));
		}).toThrow('got binary data when not reconstructing a packet');
		const ours = new FrameDecoder();
		expect(ours.decodeBinary(Buffer.from([1]))[0]?.kind).toBe('error');
		expect(ours.decodeText('42["x"]')).toStrictEqual([{kind: 'event', ns: '/', event: 'x', args: []}]);
	});

	// socket.io-parser hands these to the application as packets; they are malformed, so ours counts them.
	test.each([
		['42', 'an event without arguments', {type: PacketType.EVENT, nsp: '/'}],
		['43[{"success":true}]', 'an ack without an id', {type: PacketType.ACK, nsp: '/', data: [{success: true}]}],
		['4312', 'an ack without arguments', {type: PacketType.ACK, nsp: '/', id: 12}],
	])('%s (%s)', (frame, _what, referencePacket) => {
		expect(referenceDecode([frame])).toStrictEqual([referencePacket]);
		const {packets, decoder} = ourDecode([frame]);
		expect(packets).toStrictEqual([{error: true}]);
		expect(decoder.errors).toBe(1);
	});
});
