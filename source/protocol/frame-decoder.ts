/**
Stateful decoder for the frames of one Engine.IO v4 / Socket.IO v5 connection,
as seen on a WebSocket (directly, or through Chrome DevTools where binary frames
arrive base64-encoded).

It never throws and never wedges: a malformed frame, or a binary event whose
attachments do not all arrive, becomes one `error` packet (counted in
`errors`) and decoding carries on with the next frame.
*/

export type EnginePacketType = 'open' | 'close' | 'ping' | 'pong' | 'upgrade' | 'noop';

export type DecodedPacket =
	| {kind: 'engine'; type: EnginePacketType; data?: unknown}
	| {kind: 'connect'; ns: string; data: unknown}
	| {kind: 'disconnect'; ns: string}
	| {kind: 'connect_error'; ns: string; data: unknown}
	| {kind: 'event'; ns: string; event: string; args: unknown[]; ackId?: number}
	| {kind: 'ack'; ns: string; ackId: number; args: unknown[]}
	| {kind: 'error'; reason: string; sample: string};

export type DecoderOptions = {
	/** Frames longer than this (in UTF-16 code units or bytes) are rejected. */
	maxFrameLength?: number;
	/** A binary event announcing more attachments than this is rejected. */
	maxAttachments?: number;
};

/** How binary attachments appear in decoded arguments: JSON-safe, lossless. */
export type BinaryAttachment = {$binary: string};

const engineTypes: Record<string, EnginePacketType | 'message'> = {
	0: 'open',
	1: 'close',
	2: 'ping',
	3: 'pong',
	4: 'message',
	5: 'upgrade',
	6: 'noop',
};

const reservedEvents = new Set(['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener']);

const defaultMaxFrameLength = 16 * 1024 * 1024;
const defaultMaxAttachments = 32;
const sampleLength = 80;

type PendingBinary = {
	kind: 'event' | 'ack';
	ns: string;
	ackId: number | undefined;
	args: unknown[];
	expected: number;
	buffers: Uint8Array[];
	sample: string;
};

function sampleOf(frame: string): string {
	return frame.length > sampleLength ? `${frame.slice(0, sampleLength)}…` : frame;
}

function isDigit(code: number): boolean {
	return code >= 48 && code <= 57;
}

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
		const out: DecodedPacket[] = [];
		if (typeof frame !== 'string') {
			this.#fail(out, 'frame is not text', String(frame));
			return out;
		}

		if (this.#pending !== undefined) {
			// A text frame while attachments are outstanding: the binary event is lost,
			// but this frame is decoded normally (socket.io-parser would throw here forever).
			const {expected, buffers, sample} = this.#pending;
			this.#pending = undefined;
			this.#fail(out, `missing binary attachment (${buffers.length} of ${expected} received)`, sample);
		}

		if (frame.length > this.#maxFrameLength) {
			this.#fail(out, `frame too large (${frame.length} > ${this.#maxFrameLength})`, frame);
			return out;
		}

		const type = engineTypes[frame.charAt(0)];
		if (type === undefined) {
			if (frame.charCodeAt(0) === 98 /* b */) {
				// Long-polling style base64 binary message.
				this.#attachment(Buffer.from(frame.slice(1), 'base64'), out, frame);
				return out;
			}

			this.#fail(out, frame.length === 0 ? 'empty frame' : 'unknown Engine.IO packet type', frame);
			return out;
		}

		switch (type) {
			case 'message': {
				this.#socketPacket(frame, out);
				break;
			}

			case 'open': {
				const data = this.#json(frame, 1, out);
				if (data !== failed) {
					if (typeof data === 'object' && data !== null && !Array.isArray(data)) {
						out.push({kind: 'engine', type, data});
					} else {
						this.#fail(out, 'open packet without a handshake object', frame);
					}
				}

				break;
			}

			default: {
				const packet: DecodedPacket = {kind: 'engine', type};
				if (frame.length > 1) {
					packet.data = frame.slice(1);
				}

				out.push(packet);
			}
		}

		return out;
	}

	/** Decode one binary frame (raw bytes, or base64 text from CDP with `base64: true`). */
	decodeBinary(payload: Uint8Array | string, base64 = false): DecodedPacket[] {
		this.frames++;
		const out: DecodedPacket[] = [];
		let bytes: Uint8Array;
		if (typeof payload === 'string') {
			if (!base64) {
				this.#fail(out, 'binary frame given as text without base64', payload);
				return out;
			}

			bytes = Buffer.from(payload, 'base64');
		} else {
			bytes = payload;
		}

		if (bytes.length > this.#maxFrameLength) {
			this.#fail(out, `binary frame too large (${bytes.length} > ${this.#maxFrameLength})`, `<${bytes.length} bytes>`);
			return out;
		}

		this.#attachment(bytes, out, `<${bytes.length} bytes>`);
		return out;
	}

	#attachment(bytes: Uint8Array, out: DecodedPacket[], sample: string): void {
		const pending = this.#pending;
		if (pending === undefined) {
			this.#fail(out, 'binary frame without a binary event waiting for it', sample);
			return;
		}

		pending.buffers.push(bytes);
		if (pending.buffers.length < pending.expected) {
			return;
		}

		this.#pending = undefined;
		const args = replacePlaceholders(pending.args, pending.buffers) as unknown[];
		this.#emitEventOrAck(pending.kind, pending.ns, pending.ackId, args, pending.sample, out);
	}

	#socketPacket(frame: string, out: DecodedPacket[]): void {
		const typeCode = frame.charCodeAt(1);
		if (!isDigit(typeCode) || typeCode > 54 /* 6 */) {
			this.#fail(out, frame.length === 1 ? 'empty Socket.IO packet' : 'unknown Socket.IO packet type', frame);
			return;
		}

		const type = typeCode - 48;
		let i = 2;
		let attachments = 0;
		if (type === 5 || type === 6) {
			const start = i;
			while (i < frame.length && isDigit(frame.charCodeAt(i))) {
				i++;
			}

			if (i === start || frame.charAt(i) !== '-') {
				this.#fail(out, 'binary packet without an attachment count', frame);
				return;
			}

			attachments = Number(frame.slice(start, i));
			i++;
			if (attachments < 1 || attachments > this.#maxAttachments) {
				this.#fail(out, `bad attachment count ${attachments}`, frame);
				return;
			}
		}

		let ns = '/';
		if (frame.charAt(i) === '/') {
			const comma = frame.indexOf(',', i);
			const end = comma === -1 ? frame.length : comma;
			ns = frame.slice(i, end);
			i = comma === -1 ? end : end + 1;
		}

		let ackId: number | undefined;
		const idStart = i;
		while (i < frame.length && isDigit(frame.charCodeAt(i))) {
			i++;
		}

		if (i > idStart) {
			ackId = Number(frame.slice(idStart, i));
			if (!Number.isSafeInteger(ackId)) {
				this.#fail(out, 'ack id out of range', frame);
				return;
			}
		}

		const hasPayload = i < frame.length;
		let payload: unknown;
		if (hasPayload) {
			payload = this.#json(frame, i, out);
			if (payload === failed) {
				return;
			}
		}

		switch (type) {
			case 0: {
				// CONNECT
				if (hasPayload && (typeof payload !== 'object' || payload === null || Array.isArray(payload))) {
					this.#fail(out, 'connect packet with a non-object payload', frame);
					return;
				}

				out.push({kind: 'connect', ns, data: hasPayload ? payload : null});
				return;
			}

			case 1: {
				// DISCONNECT
				if (hasPayload) {
					this.#fail(out, 'disconnect packet with a payload', frame);
					return;
				}

				out.push({kind: 'disconnect', ns});
				return;
			}

			case 4: {
				// CONNECT_ERROR
				if (!hasPayload || (typeof payload !== 'string' && (typeof payload !== 'object' || payload === null || Array.isArray(payload)))) {
					this.#fail(out, 'connect_error packet without an error object', frame);
					return;
				}

				out.push({kind: 'connect_error', ns, data: payload});
				return;
			}

			default: {
				break;
			}
		}

		// EVENT 2, ACK 3, BINARY_EVENT 5, BINARY_ACK 6
		const kind = type === 2 || type === 5 ? 'event' : 'ack';
		if (!Array.isArray(payload)) {
			this.#fail(out, `${kind} packet without an argument array`, frame);
			return;
		}

		if (kind === 'ack' && ackId === undefined) {
			this.#fail(out, 'ack packet without an ack id', frame);
			return;
		}

		if (attachments > 0) {
			this.#pending = {kind, ns, ackId, args: payload, expected: attachments, buffers: [], sample: sampleOf(frame)};
			return;
		}

		this.#emitEventOrAck(kind, ns, ackId, payload, frame, out);
	}

	#emitEventOrAck(kind: 'event' | 'ack', ns: string, ackId: number | undefined, args: unknown[], frame: string, out: DecodedPacket[]): void {
		if (kind === 'ack') {
			out.push({kind, ns, ackId: ackId!, args});
			return;
		}

		const name = args[0];
		if (typeof name !== 'string' && typeof name !== 'number') {
			this.#fail(out, 'event without a name', frame);
			return;
		}

		const event = String(name);
		if (reservedEvents.has(event)) {
			this.#fail(out, `reserved event name "${event}"`, frame);
			return;
		}

		const packet: DecodedPacket = {kind, ns, event, args: args.slice(1)};
		if (ackId !== undefined) {
			packet.ackId = ackId;
		}

		out.push(packet);
	}

	#json(frame: string, start: number, out: DecodedPacket[]): unknown {
		try {
			return JSON.parse(start === 0 ? frame : frame.slice(start)) as unknown;
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			this.#fail(out, `invalid JSON: ${message}`, frame);
			return failed;
		}
	}

	#fail(out: DecodedPacket[], reason: string, frame: string): void {
		this.errors++;
		out.push({kind: 'error', reason, sample: sampleOf(frame)});
	}
}

const failed = Symbol('failed');

function isPlaceholder(value: unknown): value is {_placeholder: true; num: number} {
	return (
		typeof value === 'object'
		&& value !== null
		&& (value as Record<string, unknown>)['_placeholder'] === true
		&& typeof (value as Record<string, unknown>)['num'] === 'number'
	);
}

/** Put each attachment where its placeholder was, as a JSON-safe `{$binary: base64}`. */
function replacePlaceholders(value: unknown, buffers: readonly Uint8Array[]): unknown {
	if (isPlaceholder(value)) {
		const buffer = buffers[value.num];
		return buffer === undefined ? value : ({$binary: Buffer.from(buffer).toString('base64')} satisfies BinaryAttachment);
	}

	if (Array.isArray(value)) {
		return value.map(item => replacePlaceholders(item, buffers));
	}

	if (typeof value === 'object' && value !== null) {
		const copy: Record<string, unknown> = {};
		for (const [key, item] of Object.entries(value)) {
			copy[key] = replacePlaceholders(item, buffers);
		}

		return copy;
	}

	return value;
}
