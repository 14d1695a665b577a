import type {BinaryAttachment, DecodedPacket} from '../protocol/packet.js';

/**
A Socket.IO packet as socket.io-parser decodes it: what socket.io-client's
Manager hands out in its `packet` event (types 0 CONNECT, 1 DISCONNECT,
2 EVENT, 3 ACK, 4 CONNECT_ERROR, 5 BINARY_EVENT, 6 BINARY_ACK).
*/
export type SocketPacket = {type: number; nsp: string; data?: unknown; id?: number};

/**
The packet in the project's own decoded form, so that `envelopeFromPacket`
gives a direct-source envelope exactly as the CDP source would give it for the
same frame. The parser has already checked the shapes; anything else (a
packet type this client does not know) yields undefined.

socket.io-parser reports a reassembled binary event as a plain EVENT (type 2)
with Buffers inside, so the caller says whether the connection has carried
binary frames at all (`binary`): only then are the arguments walked.
*/
export function decodedFromSocketPacket(packet: SocketPacket, binary: boolean): DecodedPacket | undefined {
	const ns = packet.nsp;
	switch (packet.type) {
		case 0: {
			return {kind: 'connect', ns, data: packet.data ?? null};
		}

		case 1: {
			return {kind: 'disconnect', ns};
		}

		case 4: {
			return {kind: 'connect_error', ns, data: packet.data ?? null};
		}

		case 2:
		case 5: {
			if (!Array.isArray(packet.data) || packet.data.length === 0) {
				return undefined;
			}

			const data = binary ? withBinaryAsBase64(packet.data) as unknown[] : packet.data;
			const decoded: DecodedPacket = {kind: 'event', ns, event: String(data[0]), args: data.slice(1)};
			if (packet.id !== undefined) {
				decoded.ackId = packet.id;
			}

			return decoded;
		}

		case 3:
		case 6: {
			if (!Array.isArray(packet.data) || packet.id === undefined) {
				return undefined;
			}

			return {kind: 'ack', ns, ackId: packet.id, args: binary ? withBinaryAsBase64(packet.data) as unknown[] : packet.data};
		}

		default: {
			return undefined;
		}
	}
}

function isBinary(value: unknown): value is ArrayBuffer | ArrayBufferView {
	return value instanceof ArrayBuffer || ArrayBuffer.isView(value);
}

function base64(value: ArrayBuffer | ArrayBufferView): string {
	const bytes = value instanceof ArrayBuffer
		? Buffer.from(value)
		: Buffer.from(value.buffer, value.byteOffset, value.byteLength);
	return bytes.toString('base64');
}

/**
A copy of `value` with every binary part (Buffer, ArrayBuffer, typed array)
replaced by `{$binary: base64}` — the lossless, JSON-safe form the frame
decoder gives CDP frames.
*/
function withBinaryAsBase64(value: unknown, depth = 0): unknown {
	if (isBinary(value)) {
		return {$binary: base64(value)} satisfies BinaryAttachment;
	}

	// Socket.IO payloads are trees; the depth cap only guards against a cycle.
	if (typeof value !== 'object' || value === null || depth > 64) {
		return value;
	}

	if (Array.isArray(value)) {
		return value.map(item => withBinaryAsBase64(item, depth + 1));
	}

	const copy: Record<string, unknown> = {};
	for (const [key, item] of Object.entries(value)) {
		copy[key] = withBinaryAsBase64(item, depth + 1);
	}

	return copy;
}
