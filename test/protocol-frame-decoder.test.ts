import fc from 'fast-check';
import {describe, expect, test} from 'vitest';
import {FrameDecoder} from '../source/protocol/frame-decoder.js';
import type {DecodedPacket} from '../source/protocol/packet.js';
import {validFrames} from './helpers/frames.js';

/** Decode one text frame with a fresh decoder. */
function decodeOne(frame: string): {packets: DecodedPacket[]; decoder: FrameDecoder} {
	const decoder = new FrameDecoder();
	return {packets: decoder.decodeText(frame), decoder};
}

describe('every frame form decodes to the exact packet', () => {
	test.each(validFrames)('%s', (frame, expected) => {
		const {packets, decoder} = decodeOne(frame);
		expect(packets).toStrictEqual([expected]);
		expect(decoder.errors).toBe(0);
		expect(decoder.frames).toBe(1);
		expect(decoder.awaitingAttachments).toBe(false);
	});

	test('one decoder decodes a whole connection in order, keeping no state between plain frames', () => {
		const decoder = new FrameDecoder();
		const packets = validFrames.flatMap(([frame]) => decoder.decodeText(frame));
		expect(packets).toStrictEqual(validFrames.map(([, expected]) => expected));
		expect(decoder.frames).toBe(validFrames.length);
		expect(decoder.errors).toBe(0);
	});
});

describe('binary events and acks', () => {
	test('451-[…] waits for its attachment, then puts it where the placeholder was', () => {
		const decoder = new FrameDecoder();
		expect(decoder.decodeText('451-["upload",{"name":"a.bin","file":{"_placeholder":true,"num":0}}]')).toStrictEqual([]);
		expect(decoder.awaitingAttachments).toBe(true);
		expect(decoder.decodeBinary(Uint8Array.from([1, 2, 3]))).toStrictEqual([
			{kind: 'event', ns: '/', event: 'upload', args: [{name: 'a.bin', file: {$binary: 'AQID'}}]},
		]);
		expect(decoder.awaitingAttachments).toBe(false);
		expect(decoder.errors).toBe(0);
		expect(decoder.frames).toBe(2);
	});

	test('several attachments, a namespace and an ack id, in placeholder order', () => {
		const decoder = new FrameDecoder();
		expect(decoder.decodeText('452-/files,9["pair",{"_placeholder":true,"num":1},[{"_placeholder":true,"num":0}]]')).toStrictEqual([]);
		expect(decoder.decodeBinary(Buffer.from('first'))).toStrictEqual([]);
		expect(decoder.decodeBinary(Buffer.from('second'))).toStrictEqual([
			{kind: 'event', ns: '/files', event: 'pair', ackId: 9, args: [{$binary: Buffer.from('second').toString('base64')}, [{$binary: Buffer.from('first').toString('base64')}]]},
		]);
		expect(decoder.errors).toBe(0);
	});

	test('binary ack 461-<id>[…]', () => {
		const decoder = new FrameDecoder();
		expect(decoder.decodeText('461-5[{"_placeholder":true,"num":0}]')).toStrictEqual([]);
		expect(decoder.decodeBinary(Uint8Array.from([255]))).toStrictEqual([{kind: 'ack', ns: '/', ackId: 5, args: [{$binary: '/w=='}]}]);
	});

	test('attachments as base64 text, as Chrome DevTools reports binary frames', () => {
		const decoder = new FrameDecoder();
		decoder.decodeText('451-["upload",{"_placeholder":true,"num":0}]');
		expect(decoder.decodeBinary(Buffer.from([9, 8, 7]).toString('base64'), true)).toStrictEqual([
			{kind: 'event', ns: '/', event: 'upload', args: [{$binary: 'CQgH'}]},
		]);
		expect(decoder.errors).toBe(0);
	});

	test('attachments as Engine.IO `b<base64>` text frames (long-polling form) complete the event', () => {
		const decoder = new FrameDecoder();
		decoder.decodeText('452-["upload",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]');
		expect(decoder.decodeText('bAQID')).toStrictEqual([]);
		expect(decoder.decodeText('bBAU=')).toStrictEqual([{kind: 'event', ns: '/', event: 'upload', args: [{$binary: 'AQID'}, {$binary: 'BAU='}]}]);
		expect(decoder.errors).toBe(0);
		expect(decoder.awaitingAttachments).toBe(false);
	});

	test('a `__proto__` key in a binary event survives placeholder replacement', () => {
		const decoder = new FrameDecoder();
		decoder.decodeText('451-["x",{"__proto__":{"polluted":true},"file":{"_placeholder":true,"num":0}}]');
		const [packet] = decoder.decodeBinary(Uint8Array.from([1]));
		expect(packet?.kind).toBe('event');
		const argument = (packet as {args: unknown[]}).args[0] as Record<string, unknown>;
		expect(Object.getPrototypeOf(argument)).toBe(Object.prototype);
		expect(Object.hasOwn(argument, '__proto__')).toBe(true);
		expect(Object.getOwnPropertyDescriptor(argument, '__proto__')?.value).toStrictEqual({polluted: true});
		const fresh: Record<string, unknown> = {};
		expect(fresh['polluted']).toBeUndefined();
	});
});

/** Malformed input of every kind: [what it is, the frames to feed, the start of the error reason]. */
type Feed = {text?: string; binary?: Uint8Array | string; base64?: boolean; weird?: unknown; asBinary?: boolean};
const malformed: Array<[string, Feed[], string, DecoderOptionsForTest?]> = [
	['empty frame', [{text: ''}], 'empty frame'],
	['unknown Engine.IO type', [{text: '7'}], 'unknown Engine.IO packet type'],
	['letters', [{text: 'hello'}], 'unknown Engine.IO packet type'],
	['open without JSON', [{text: '0'}], 'invalid JSON'],
	['open with bad JSON', [{text: '0{"sid":'}], 'invalid JSON'],
	['open with an array', [{text: '0[1]'}], 'open packet without a handshake object'],
	['empty Socket.IO packet', [{text: '4'}], 'empty Socket.IO packet'],
	['unknown Socket.IO type 7', [{text: '47["x"]'}], 'unknown Socket.IO packet type'],
	['unknown Socket.IO type letter', [{text: '4x["x"]'}], 'unknown Socket.IO packet type'],
	['event without payload', [{text: '42'}], 'event packet without an argument array'],
	['event with bad JSON', [{text: '42["gameStateUpdate",{"price":1.2'}], 'invalid JSON'],
	['event with JS object notation', [{text: '42["gameStatePlayerUpdate", {gameId: "x"}]'}], 'invalid JSON'],
	['event with an object payload', [{text: '42{"event":"x"}'}], 'event packet without an argument array'],
	['event with a string payload', [{text: '42"x"'}], 'event packet without an argument array'],
	['event with an empty array', [{text: '42[]'}], 'event without a name'],
	['event whose name is an object', [{text: '42[{"a":1}]'}], 'event without a name'],
	['event whose name is null', [{text: '42[null,1]'}], 'event without a name'],
	['reserved event name', [{text: '42["connect",{}]'}], 'reserved event name "connect"'],
	['reserved event name disconnect', [{text: '42["disconnect"]'}], 'reserved event name "disconnect"'],
	['ack without an id', [{text: '43[{"success":true}]'}], 'ack packet without an ack id'],
	['ack without payload', [{text: '4312'}], 'ack packet without an argument array'],
	['ack with an object payload', [{text: '4312{"success":true}'}], 'ack packet without an argument array'],
	['ack id out of range', [{text: '4399999999999999999999["x"]'}], 'ack id out of range'],
	['connect with an array payload', [{text: '40[1]'}], 'connect packet with a non-object payload'],
	['connect with null', [{text: '40null'}], 'connect packet with a non-object payload'],
	['disconnect with a payload', [{text: '41{"reason":"x"}'}], 'disconnect packet with a payload'],
	['connect_error without payload', [{text: '44'}], 'connect_error packet without an error object'],
	['connect_error with an array', [{text: '44[1]'}], 'connect_error packet without an error object'],
	['binary event without attachment count', [{text: '45["x"]'}], 'binary packet without an attachment count'],
	['binary event with a bad count', [{text: '45x-["x"]'}], 'binary packet without an attachment count'],
	['binary event with zero attachments', [{text: '450-["x"]'}], 'bad attachment count 0'],
	['binary event with a huge attachment count', [{text: '4599999999999999999999-["x",{"_placeholder":true,"num":0}]'}], 'bad attachment count'],
	['binary event over the attachment limit', [{text: '4533-["x"]'}], 'bad attachment count 33'],
	['binary event whose placeholder has no attachment', [{text: '451-["x",{"_placeholder":true,"num":3}]'}, {binary: Uint8Array.from([1])}], 'binary placeholder without attachment'],
	['binary frame with nothing pending', [{binary: Uint8Array.from([1, 2, 3])}], 'binary frame without a binary event waiting for it'],
	['base64 frame with nothing pending', [{binary: 'AQID', base64: true}], 'binary frame without a binary event waiting for it'],
	['b<base64> frame with nothing pending', [{text: 'bAQID'}], 'binary frame without a binary event waiting for it'],
	['binary given as text without base64', [{binary: 'AQID'}], 'binary frame given as text without base64'],
	['text frame while attachments are pending', [{text: '452-["x",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]'}, {binary: Uint8Array.from([1])}, {text: '3'}], 'missing binary attachment (1 of 2 received)'],
	['frame over the size limit', [{text: `42["x","${'a'.repeat(100)}"]`}], 'frame too large', {maxFrameLength: 64}],
	['binary frame over the size limit', [{text: '451-["x",{"_placeholder":true,"num":0}]'}, {binary: new Uint8Array(65)}], 'binary frame too large', {maxFrameLength: 64}],
];
type DecoderOptionsForTest = ConstructorParameters<typeof FrameDecoder>[0];

function feed(decoder: FrameDecoder, item: Feed): DecodedPacket[] {
	if ('weird' in item) {
		// Whatever a careless caller might pass, to either entry point.
		return item.asBinary === true ? decoder.decodeBinary(item.weird as Uint8Array) : decoder.decodeText(item.weird as string);
	}

	if (item.text !== undefined) {
		return decoder.decodeText(item.text);
	}

	return decoder.decodeBinary(item.binary!, item.base64);
}

describe('malformed frames: one counted error, and the next frame decodes', () => {
	test.each(malformed)('%s', (_name, frames, reason, options) => {
		const decoder = new FrameDecoder(options);
		const packets = frames.flatMap(item => feed(decoder, item));
		const errors = packets.filter(packet => packet.kind === 'error');
		expect(errors).toHaveLength(1);
		expect(errors[0]).toMatchObject({kind: 'error'});
		expect((errors[0] as {reason: string}).reason.startsWith(reason)).toBe(true);
		expect((errors[0] as {sample: string}).sample.length).toBeLessThanOrEqual(81);
		expect(decoder.errors).toBe(1);
		expect(decoder.frames).toBe(frames.length);
		expect(decoder.awaitingAttachments).toBe(false);

		// Never wedged: the next valid frame decodes exactly.
		expect(decoder.decodeText('42["gameStateUpdate",{"tickCount":1}]')).toStrictEqual([
			{kind: 'event', ns: '/', event: 'gameStateUpdate', args: [{tickCount: 1}]},
		]);
		expect(decoder.decodeText('451-["upload",{"_placeholder":true,"num":0}]')).toStrictEqual([]);
		expect(decoder.decodeBinary(Uint8Array.from([1]))).toStrictEqual([{kind: 'event', ns: '/', event: 'upload', args: [{$binary: 'AQ=='}]}]);
		expect(decoder.errors).toBe(1);
	});

	test('a text frame that arrives while attachments are pending is itself decoded', () => {
		const decoder = new FrameDecoder();
		decoder.decodeText('451-["upload",{"_placeholder":true,"num":0}]');
		const packets = decoder.decodeText('42["gameStateUpdate",{"tickCount":2}]');
		expect(packets).toStrictEqual([
			{kind: 'error', reason: 'missing binary attachment (0 of 1 received)', sample: '451-["upload",{"_placeholder":true,"num":0}]'},
			{kind: 'event', ns: '/', event: 'gameStateUpdate', args: [{tickCount: 2}]},
		]);
		expect(decoder.errors).toBe(1);
	});

	test('a rejected attachment drops its event, so later attachments are not misplaced', () => {
		const decoder = new FrameDecoder({maxFrameLength: 80});
		expect(decoder.decodeText('452-["pair",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]')).toStrictEqual([]);
		expect(decoder.decodeBinary(new Uint8Array(100))).toStrictEqual([
			{kind: 'error', reason: 'binary frame too large (100 > 80); binary event dropped', sample: '452-["pair",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]'},
		]);
		// The second attachment of the dropped event has nothing to belong to.
		expect(decoder.decodeBinary(Uint8Array.from([2]))[0]).toMatchObject({kind: 'error', reason: 'binary frame without a binary event waiting for it'});
		expect(decoder.errors).toBe(2);
		expect(decoder.awaitingAttachments).toBe(false);
	});

	test('a frame that is not text, or an attachment that is not bytes, is an error, not a throw', () => {
		const decoder = new FrameDecoder();
		expect(decoder.decodeText(42 as unknown as string)).toStrictEqual([{kind: 'error', reason: 'frame is not text (number)', sample: ''}]);
		const hostile = {
			toString() {
				throw new Error('gotcha');
			},
		};
		expect(decoder.decodeText(hostile as unknown as string)).toStrictEqual([{kind: 'error', reason: 'frame is not text (object)', sample: ''}]);
		expect(decoder.decodeText(null as unknown as string)).toStrictEqual([{kind: 'error', reason: 'frame is not text (null)', sample: ''}]);
		expect(decoder.decodeBinary([1, 2] as unknown as Uint8Array)).toStrictEqual([{kind: 'error', reason: 'binary frame is not bytes (object)', sample: ''}]);
		expect(decoder.errors).toBe(4);
	});

	test('an ArrayBuffer attachment (WebSocket binaryType arraybuffer) is taken as bytes', () => {
		const decoder = new FrameDecoder();
		decoder.decodeText('451-["upload",{"_placeholder":true,"num":0}]');
		expect(decoder.decodeBinary(Uint8Array.from([1, 2, 3]).buffer)).toStrictEqual([{kind: 'event', ns: '/', event: 'upload', args: [{$binary: 'AQID'}]}]);
	});

	test('error samples are cut to 80 characters', () => {
		const decoder = new FrameDecoder();
		const frame = `42[${'x'.repeat(500)}`;
		const [packet] = decoder.decodeText(frame);
		expect(packet).toMatchObject({kind: 'error', sample: `${frame.slice(0, 80)}…`});
	});

	test('error samples and reasons quote feed text cleaned of escapes and control characters', () => {
		const decoder = new FrameDecoder();
		const [packet] = decoder.decodeText('42["x",\u001B[2J\u0000\u0007 \u001B]0;pwned\u0007]');
		expect(packet?.kind).toBe('error');
		const {reason, sample} = packet as {reason: string; sample: string};
		// eslint-disable-next-line no-control-regex -- control characters are what it looks for
		const control = /[\u0000-\u001F\u007F-\u009F]/;
		expect(control.test(sample)).toBe(false);
		expect(control.test(reason)).toBe(false);
		expect(sample.startsWith('42["x",')).toBe(true);
		expect(reason).toMatch(/^invalid JSON: /);
	});

	test('reset() forgets a half-received binary event without counting an error', () => {
		const decoder = new FrameDecoder();
		decoder.decodeText('451-["upload",{"_placeholder":true,"num":0}]');
		decoder.reset();
		expect(decoder.awaitingAttachments).toBe(false);
		expect(decoder.decodeText('3')).toStrictEqual([{kind: 'engine', type: 'pong'}]);
		expect(decoder.errors).toBe(0);
	});
});

describe('reserved event names', () => {
	test.each(['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener'])('%s is rejected, as socket.io-parser does', name => {
		const decoder = new FrameDecoder();
		expect(decoder.decodeText(`42${JSON.stringify([name, {}])}`)).toStrictEqual([{kind: 'error', reason: `reserved event name "${name}"`, sample: `42${JSON.stringify([name, {}])}`}]);
	});

	test.each(['connects', 'Connect', 'connect_errors', 'disconnectin', 'newListenerX', 'removelistener', 'newChatMessage', 'gameStateUpdate', ''])('%j is an ordinary event', name => {
		const decoder = new FrameDecoder();
		expect(decoder.decodeText(`42${JSON.stringify([name, 1])}`)).toStrictEqual([{kind: 'event', ns: '/', event: name, args: [1]}]);
	});
});

describe('never throws, never wedges (property)', () => {
	const garbage = fc.oneof(
		fc.string().map(text => ({text})),
		fc.string().map(text => ({text: `4${text}`})),
		fc.string().map(text => ({text: `42${text}`})),
		fc.string().map(text => ({text: `45${text}`})),
		fc.nat(40).map(count => ({text: `45${count}-["x",{"_placeholder":true,"num":${count}}]`})),
		fc.json().map(json => ({text: `42${json}`})),
		fc.json().map(json => ({text: `43${json}`})),
		fc.uint8Array({maxLength: 16}).map(binary => ({binary})),
		fc.tuple(fc.anything(), fc.boolean()).map(([weird, asBinary]) => ({weird, asBinary})),
		fc.base64String({maxLength: 16}).map(binary => ({binary, base64: true})),
	);

	test('after any sequence of frames, a valid frame still decodes (after at most one missing-attachment error)', () => {
		fc.assert(fc.property(fc.array(garbage, {maxLength: 12}), (items: Feed[]) => {
			const decoder = new FrameDecoder();
			let errors = 0;
			for (const item of items) {
				const packets = feed(decoder, item);
				errors += packets.filter(packet => packet.kind === 'error').length;
			}

			expect(decoder.errors).toBe(errors);
			expect(decoder.frames).toBe(items.length);
			const packets = decoder.decodeText('42["tick",1]');
			expect(packets.at(-1)).toStrictEqual({kind: 'event', ns: '/', event: 'tick', args: [1]});
			expect(packets.length).toBeLessThanOrEqual(2);
		}), {numRuns: 2000});
	});
});
