import {JsonRejection, parseBoundedJson} from './json-bounds.js';
import type {BinaryAttachment, DecodedPacket, EnginePacketType} from './packet.js';
import {cleanText} from './untrusted-text.js';

/**
Stateful decoder for the frames of one Engine.IO v4 / Socket.IO v5 connection,
as seen on a WebSocket (directly, or through Chrome DevTools where binary frames
arrive base64-encoded).

It never throws and never wedges: a malformed frame, a frame whose JSON nests
too deep or holds too many arrays and objects (./json-bounds.ts: rejected
before the costly parse), or a binary event whose attachments do not all
arrive, becomes one `error` packet (counted in `errors`) and decoding carries
on with the next frame.
*/

export type DecoderOptions = {
	/** Frames longer than this (in UTF-16 code units or bytes) are rejected. */
	maxFrameLength?: number;
	/** A binary event announcing more attachments than this is rejected. */
	maxAttachments?: number;
};

/** Engine.IO packet types by their digit; 4 (message) carries a Socket.IO packet and is handled apart. */
const engineTypes: ReadonlyArray<EnginePacketType | undefined> = ['open', 'close', 'ping', 'pong', undefined, 'upgrade', 'noop'];

/**
Event names Socket.IO reserves (socket.io-parser rejects them too). A switch on
the length, not a Set: a name fresh from JSON.parse has no cached hash, and
hashing it for Set.has cost about 4% of decoding a typical trade frame.
*/
function isReservedEvent(name: string): boolean {
	switch (name.length) {
		case 7: {
			return name === 'connect';
		}

		case 10: {
			return name === 'disconnect';
		}

		case 11: {
			return name === 'newListener';
		}

		case 13: {
			return name === 'connect_error' || name === 'disconnecting';
		}

		case 14: {
			return name === 'removeListener';
		}

		default: {
			return false;
		}
	}
}

const defaultMaxFrameLength = 16 * 1024 * 1024;
const defaultMaxAttachments = 32;
const sampleLength = 80;

const digit0 = 48;
const digit9 = 57;
const letterB = 98;
const slash = 47;
const dash = 45;

type PendingBinary = {
	kind: 'event' | 'ack';
	ns: string;
	ackId: number | undefined;
	args: unknown[];
	expected: number;
	buffers: Uint8Array[];
	sample: string;
};

/** The start of a bad frame, for the error report: feed text, so cleaned of escapes and control characters. */
function sampleOf(frame: string): string {
	return cleanText(frame, sampleLength + 1);
}

function isDigit(code: number): boolean {
	return code >= digit0 && code <= digit9;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/*
Speed: this runs for every frame of the feed (4–50 a second, some of them
300–500 KB), so the cost beyond the one JSON.parse it cannot avoid is kept to
a few character checks. Each frame allocates only its result array (sized
exactly, not grown by push), its packet, and the sliced JSON text; an event's
arguments are the parsed array itself with the name shifted off (no copy).
*/
export class FrameDecoder {
	/** Frames or attachments that could not be decoded. */
	errors = 0;
	/** Frames handed to the decoder. */
	frames = 0;

	readonly #maxFrameLength: number;
	readonly #maxAttachments: number;
	#pending: PendingBinary | undefined;

	constructor(options: DecoderOptions = {}) {
		this.#maxFrameLength = options.maxFrameLength ?? defaultMaxFrameLength;
		this.#maxAttachments = options.maxAttachments ?? defaultMaxAttachments;
	}

	/** True while a binary event waits for its attachments. */
	get awaitingAttachments(): boolean {
		return this.#pending !== undefined;
	}

	/** Forget a half-received binary event (for a new connection). */
	reset(): void {
		this.#pending = undefined;
	}

	/** Decode one text frame. */
	decodeText(frame: string): DecodedPacket[] {
		this.frames++;
		if (typeof frame !== 'string') {
			// Not String(frame): an object's own toString could throw.
			return [this.#error(`frame is not text (${frame === null ? 'null' : typeof frame})`, '')];
		}

		// eslint-disable-next-line unicorn/prefer-code-point -- UTF-16 code units on purpose: the framing is ASCII, and NaN past the end compares false
		const first = frame.charCodeAt(0);
		if (first === letterB) {
			// An Engine.IO base64 binary message (long-polling form): an attachment, not a new packet.
			const size = frame.length - 1;
			return this.#attachment(size > this.#maxFrameLength ? undefined : Buffer.from(frame.slice(1), 'base64'), size, sampleOf(frame));
		}

		// A text frame while attachments are outstanding: the binary event is lost,
		// but this frame is decoded normally (socket.io-parser would throw here forever).
		const lost = this.#pending === undefined ? undefined : this.#dropPending();
		const packet = this.#textPacket(frame, first);
		if (lost === undefined) {
			return packet === undefined ? [] : [packet];
		}

		return packet === undefined ? [lost] : [lost, packet];
	}

	/** Decode one binary frame (raw bytes, or base64 text from CDP with `base64: true`). */
	decodeBinary(payload: Uint8Array | ArrayBuffer | string, base64 = false): DecodedPacket[] {
		this.frames++;
		if (payload instanceof ArrayBuffer) {
			// What a WebSocket with binaryType 'arraybuffer' delivers.
			payload = new Uint8Array(payload);
		} else if (typeof payload !== 'string' && !(payload instanceof Uint8Array)) {
			return [this.#rejectAttachment(`binary frame is not bytes (${payload === null ? 'null' : typeof payload})`, '')];
		}

		if (typeof payload === 'string') {
			if (!base64) {
				return [this.#rejectAttachment('binary frame given as text without base64', payload)];
			}

			// Base64 takes 4 characters for 3 bytes: do not decode what would be too large anyway.
			const tooLarge = payload.length > (this.#maxFrameLength / 3 * 4) + 4;
			return this.#attachment(tooLarge ? undefined : Buffer.from(payload, 'base64'), payload.length, `<${payload.length} base64 characters>`);
		}

		return this.#attachment(payload, payload.length, `<${payload.length} bytes>`);
	}

	#textPacket(frame: string, first: number): DecodedPacket | undefined {
		if (frame.length > this.#maxFrameLength) {
			return this.#error(`frame too large (${frame.length} > ${this.#maxFrameLength})`, frame);
		}

		if (first === 52 /* 4: message */) {
			return this.#socketPacket(frame);
		}

		const type = engineTypes[first - digit0];
		if (type === undefined) {
			return this.#error(frame.length === 0 ? 'empty frame' : 'unknown Engine.IO packet type', frame);
		}

		if (type === 'open') {
			const data = parseBoundedJson(frame, 1);
			if (data instanceof JsonRejection) {
				return this.#error(data.reason, frame);
			}

			return isPlainObject(data) ? {kind: 'engine', type, data} : this.#error('open packet without a handshake object', frame);
		}

		return frame.length > 1 ? {kind: 'engine', type, data: frame.slice(1)} : {kind: 'engine', type};
	}

	/** One attachment of the pending binary event; `bytes` undefined when it was too large to take. */
	#attachment(bytes: Uint8Array | undefined, size: number, sample: string): DecodedPacket[] {
		if (bytes === undefined || bytes.length > this.#maxFrameLength) {
			return [this.#rejectAttachment(`binary frame too large (${bytes?.length ?? size} > ${this.#maxFrameLength})`, sample)];
		}

		const pending = this.#pending;
		if (pending === undefined) {
			return [this.#error('binary frame without a binary event waiting for it', sample)];
		}

		pending.buffers.push(bytes);
		if (pending.buffers.length < pending.expected) {
			return [];
		}

		this.#pending = undefined;
		const bad = replacePlaceholders(pending.args, pending.buffers);
		if (bad !== undefined) {
			return [this.#error(`binary placeholder without attachment (num ${bad}, ${pending.buffers.length} attachments)`, pending.sample)];
		}

		const packet = this.#eventOrAck(pending.kind, pending.ns, pending.ackId, pending.args, pending.sample);
		return [packet];
	}

	/**
	An attachment that cannot be used. The binary event waiting for it is dropped
	with it (one error): keeping it would put the NEXT attachment in its place.
	*/
	#rejectAttachment(reason: string, sample: string): DecodedPacket {
		const pending = this.#pending;
		this.#pending = undefined;
		return this.#error(pending === undefined ? reason : `${reason}; binary event dropped`, pending?.sample ?? sample);
	}

	#dropPending(): DecodedPacket {
		const {expected, buffers, sample} = this.#pending!;
		this.#pending = undefined;
		return this.#error(`missing binary attachment (${buffers.length} of ${expected} received)`, sample);
	}

	#socketPacket(frame: string): DecodedPacket | undefined {
		const {length} = frame;
		// eslint-disable-next-line unicorn/prefer-code-point -- UTF-16 code units on purpose: the framing is ASCII, and NaN past the end compares false
		const typeCode = frame.charCodeAt(1);
		if (!(typeCode >= digit0 && typeCode <= 54 /* 6 */)) {
			return this.#error(length === 1 ? 'empty Socket.IO packet' : 'unknown Socket.IO packet type', frame);
		}

		const type = typeCode - digit0;
		let i = 2;
		let attachments = 0;
		if (type === 5 || type === 6) {
			const start = i;
			// eslint-disable-next-line unicorn/prefer-code-point -- UTF-16 code units on purpose: the framing is ASCII, and NaN past the end compares false
			while (i < length && isDigit(frame.charCodeAt(i))) {
				i++;
			}

			// eslint-disable-next-line unicorn/prefer-code-point -- UTF-16 code units on purpose: the framing is ASCII, and NaN past the end compares false
			if (i === start || frame.charCodeAt(i) !== dash) {
				return this.#error('binary packet without an attachment count', frame);
			}

			attachments = Number(frame.slice(start, i));
			i++;
			if (attachments < 1 || attachments > this.#maxAttachments) {
				return this.#error(`bad attachment count ${attachments}`, frame);
			}
		}

		let ns = '/';
		// eslint-disable-next-line unicorn/prefer-code-point -- UTF-16 code units on purpose: the framing is ASCII, and NaN past the end compares false
		if (frame.charCodeAt(i) === slash) {
			const end = frame.indexOf(',', i);
			if (end === -1) {
				ns = frame.slice(i);
				i = length;
			} else {
				ns = frame.slice(i, end);
				i = end + 1;
			}
		}

		let ackId: number | undefined;
		// eslint-disable-next-line unicorn/prefer-code-point -- UTF-16 code units on purpose: the framing is ASCII, and NaN past the end compares false
		let code = frame.charCodeAt(i);
		if (code >= digit0 && code <= digit9) {
			const idStart = i;
			do {
				// eslint-disable-next-line unicorn/prefer-code-point -- UTF-16 code units on purpose: the framing is ASCII, and NaN past the end compares false
				code = frame.charCodeAt(++i);
			} while (code >= digit0 && code <= digit9);

			ackId = Number(frame.slice(idStart, i));
			if (!Number.isSafeInteger(ackId)) {
				return this.#error('ack id out of range', frame);
			}
		}

		const hasPayload = i < length;
		let payload: unknown;
		if (hasPayload) {
			// Bounded: a frame nesting too deep (or holding too many arrays and objects) is
			// rejected before JSON.parse wherever the parse would be the cost (./json-bounds.ts).
			payload = parseBoundedJson(frame, i);
			if (payload instanceof JsonRejection) {
				return this.#error(payload.reason, frame);
			}
		}

		switch (type) {
			case 0: {
				// CONNECT
				if (!hasPayload) {
					return {kind: 'connect', ns, data: null};
				}

				return isPlainObject(payload) ? {kind: 'connect', ns, data: payload} : this.#error('connect packet with a non-object payload', frame);
			}

			case 1: {
				// DISCONNECT
				return hasPayload ? this.#error('disconnect packet with a payload', frame) : {kind: 'disconnect', ns};
			}

			case 4: {
				// CONNECT_ERROR
				return typeof payload === 'string' || isPlainObject(payload)
					? {kind: 'connect_error', ns, data: payload}
					: this.#error('connect_error packet without an error object', frame);
			}

			default: {
				break;
			}
		}

		// EVENT 2, ACK 3, BINARY_EVENT 5, BINARY_ACK 6
		const kind = type === 2 || type === 5 ? 'event' : 'ack';
		if (!Array.isArray(payload)) {
			return this.#error(`${kind} packet without an argument array`, frame);
		}

		if (kind === 'ack' && ackId === undefined) {
			return this.#error('ack packet without an ack id', frame);
		}

		if (attachments > 0) {
			this.#pending = {kind, ns, ackId, args: payload, expected: attachments, buffers: [], sample: sampleOf(frame)};
			return undefined;
		}

		return this.#eventOrAck(kind, ns, ackId, payload, frame);
	}

	/** `args` is the decoder's own freshly parsed array: the event name is shifted off it, not copied. */
	#eventOrAck(kind: 'event' | 'ack', ns: string, ackId: number | undefined, args: unknown[], frame: string): DecodedPacket {
		if (kind === 'ack') {
			return {kind, ns, ackId: ackId!, args};
		}

		const name = args[0];
		let event: string;
		if (typeof name === 'string') {
			event = name;
		} else if (typeof name === 'number') {
			event = String(name);
		} else {
			return this.#error('event without a name', frame);
		}

		if (isReservedEvent(event)) {
			return this.#error(`reserved event name "${event}"`, frame);
		}

		args.shift();
		const packet: DecodedPacket = {kind, ns, event, args};
		if (ackId !== undefined) {
			packet.ackId = ackId;
		}

		return packet;
	}

	#error(reason: string, frame: string): DecodedPacket {
		this.errors++;
		return {kind: 'error', reason, sample: sampleOf(frame)};
	}
}

function isPlaceholder(value: Record<string, unknown>): boolean {
	return value['_placeholder'] === true && typeof value['num'] === 'number';
}

/**
Put each attachment where its placeholder was, as a JSON-safe `{$binary: base64}`,
in place (the arguments are the decoder's own parsed JSON; assigning to an own
`__proto__` key keeps it a plain property). Returns the `num` of a placeholder
that has no attachment, or undefined when all were filled.
*/
function replacePlaceholders(root: unknown[] | Record<string, unknown>, buffers: readonly Uint8Array[]): number | undefined {
	// An explicit stack, not recursion: the arguments come from the feed and JSON.parse
	// accepts nesting far deeper than the call stack (a hostile frame must not throw here).
	const stack: Array<unknown[] | Record<string, unknown>> = [root];
	while (stack.length > 0) {
		const container = stack.pop()!;
		const keys = Array.isArray(container) ? undefined : Object.keys(container);
		const count = keys === undefined ? (container as unknown[]).length : keys.length;
		for (let index = 0; index < count; index++) {
			const key = keys === undefined ? index : keys[index]!;
			const value = (container as Record<string | number, unknown>)[key];
			if (typeof value !== 'object' || value === null) {
				continue;
			}

			if (!Array.isArray(value) && isPlaceholder(value as Record<string, unknown>)) {
				const {num} = value as {num: number};
				const buffer = Number.isInteger(num) ? buffers[num] : undefined;
				if (buffer === undefined) {
					return num;
				}

				(container as Record<string | number, unknown>)[key] = {$binary: Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength).toString('base64')} satisfies BinaryAttachment;
				continue;
			}

			stack.push(value as unknown[] | Record<string, unknown>);
		}
	}

	return undefined;
}

/**
Where the JSON of an Engine.IO text frame starts, for a reader that does not
decode the frame itself but must check its JSON first (the direct source, whose
client library parses it): after `0` for an open packet; for a message (`4`),
after the Socket.IO type, attachment count, namespace and ack id, exactly as
the decoder reads them. Undefined for frames that carry no JSON.
*/
export function jsonStart(frame: string): number | undefined {
	// eslint-disable-next-line unicorn/prefer-code-point -- UTF-16 code units on purpose: the framing is ASCII, and NaN past the end compares false
	const first = frame.charCodeAt(0);
	if (first === digit0) {
		return 1;
	}

	if (first !== 52 /* 4: message */) {
		return undefined;
	}

	let i = 2;
	// eslint-disable-next-line unicorn/prefer-code-point -- as above
	while (i < frame.length && isDigit(frame.charCodeAt(i))) {
		i++;
	}

	// eslint-disable-next-line unicorn/prefer-code-point -- as above
	if (frame.charCodeAt(i) === dash) {
		i++;
	} else {
		i = 2;
	}

	// eslint-disable-next-line unicorn/prefer-code-point -- as above
	if (frame.charCodeAt(i) === slash) {
		const end = frame.indexOf(',', i);
		if (end === -1) {
			return undefined;
		}

		i = end + 1;
	}

	// eslint-disable-next-line unicorn/prefer-code-point -- as above
	while (i < frame.length && isDigit(frame.charCodeAt(i))) {
		i++;
	}

	return i < frame.length ? i : undefined;
}
