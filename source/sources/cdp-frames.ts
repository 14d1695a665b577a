import type {Direction, Envelope} from '../protocol/envelope.js';
import {FrameDecoder, type DecoderOptions} from '../protocol/frame-decoder.js';
import type {DecodedPacket} from '../protocol/packet.js';
import {envelopeFromPacket} from '../protocol/packet-envelope.js';
import {checkHeartbeat} from '../protocol/handshake.js';
import {asRecord} from '../protocol/read.js';

/**
Pure translation of Chrome DevTools `Network.webSocket*` events into envelopes.

Each WebSocket of the page is one `requestId` with its own frame decoder, since
a binary event's attachments follow it on the same socket. Only the game's
sockets count: those whose URL names Socket.IO or the game's backend host. A
socket opened before rugs-tui attached never announces itself
(`webSocketCreated` came before `Network.enable`), so frames of an unknown
`requestId` are tried: the socket is adopted once a frame decodes as a
Socket.IO packet, and ignored for good after a few that do not — a chat or
analytics socket on the same page is never mistaken for the game.
*/

export type CdpFrameOutput =
	| {kind: 'envelope'; envelope: Envelope}
	/** A frame of a game socket that could not be decoded (counted; decoding goes on). */
	| {kind: 'decode-error'; message: string}
	/** A game socket reported a WebSocket-level error. */
	| {kind: 'socket-error'; requestId: string; message: string}
	/** A game socket appeared: announced (`created`) or recognised mid-stream (`joined`). */
	| {kind: 'socket-open'; requestId: string; how: 'created' | 'joined'; url?: string}
	| {kind: 'socket-closed'; requestId: string; url?: string}
	/** Engine.IO handshake seen: the server's ping timing, or why it is unusable (`problem`). */
	| {kind: 'handshake'; requestId: string; pingInterval?: number; pingTimeout?: number; problem?: string}
	/** Milliseconds from the server's ping arriving to the page's pong leaving. */
	| {kind: 'latency'; requestId: string; ms: number};

type CdpFramesOptions = {
	/** Whether a WebSocket URL is the game's; default: `isGameSocketUrl` with the rugs.fun backend. */
	isGameSocket?: (url: string) => boolean;
	/** Clock for envelope `ts` (epoch ms). */
	now?: () => number;
	decoder?: DecoderOptions;
	/** Frames of an unknown socket tried before it is ignored for good. */
	maxProbeFrames?: number;
	/**
	Sockets tracked at once (default 64; a page opens a handful). Past it, the
	least recently active socket is forgotten (counted in `evictedSockets`): a
	page that opens thousands of sockets costs memory and time per event bounded
	by this, not by how many it opened. A forgotten game socket that speaks again
	is recognised again, as one opened before rugs-tui attached.
	*/
	maxSockets?: number;
};

const defaultMaxSockets = 64;

export const defaultBackendHost = 'backend.rugs.fun';

/** A game socket: its URL mentions Socket.IO, or it goes to the game's backend host. */
export function isGameSocketUrl(url: string, backendHost: string = defaultBackendHost): boolean {
	if (url.includes('socket.io')) {
		return true;
	}

	try {
		return new URL(url).hostname.toLowerCase() === backendHost.toLowerCase();
	} catch {
		return false;
	}
}

type SocketState = {
	/** game: decoded and published; foreign: ignored; probing: unknown socket being tried. */
	role: 'game' | 'foreign' | 'probing';
	url: string | undefined;
	decoder: FrameDecoder;
	probes: number;
	/** CDP monotonic time (seconds) of the last server ping not yet answered. */
	pingAt: number | undefined;
};

type FrameParameters = {requestId: string; timestamp: number | undefined; opcode: number; payload: string};

function frameParameters(parameters: unknown): FrameParameters | undefined {
	const record = asRecord(parameters);
	const response = asRecord(record?.['response']);
	const requestId = record?.['requestId'];
	const opcode = response?.['opcode'];
	const payload = response?.['payloadData'];
	if (typeof requestId !== 'string' || typeof opcode !== 'number' || typeof payload !== 'string') {
		return undefined;
	}

	const timestamp = record?.['timestamp'];
	return {requestId, opcode, payload, timestamp: typeof timestamp === 'number' ? timestamp : undefined};
}

function isSocketIoPacket(packet: DecodedPacket): boolean {
	return packet.kind !== 'error' && (packet.kind !== 'engine' || packet.type === 'open');
}

export class CdpFrames {
	/** Envelopes produced so far (their `seq` is this count). */
	seq = 0;
	/** Frames of game sockets that failed to decode. */
	decodeErrors = 0;
	/** Frames seen on sockets that are not the game's. */
	ignoredFrames = 0;
	/** Sockets forgotten to stay within `maxSockets`. */
	evictedSockets = 0;

	/** Tracked sockets, least recently active first (a Map keeps insertion order). */
	readonly #sockets = new Map<string, SocketState>();
	/** How many of them are game sockets: kept with every change of role, so counting is O(1). */
	#gameSockets = 0;
	readonly #maxSockets: number;
	readonly #isGameSocket: (url: string) => boolean;
	readonly #now: () => number;
	readonly #decoderOptions: DecoderOptions | undefined;
	readonly #maxProbeFrames: number;

	constructor(options: CdpFramesOptions = {}) {
		this.#isGameSocket = options.isGameSocket ?? (url => isGameSocketUrl(url));
		this.#now = options.now ?? Date.now;
		this.#decoderOptions = options.decoder;
		this.#maxProbeFrames = options.maxProbeFrames ?? 8;
		this.#maxSockets = Math.max(1, options.maxSockets ?? defaultMaxSockets);
	}

	/** Game sockets currently open (announced or adopted). */
	get openGameSockets(): number {
		return this.#gameSockets;
	}

	/** Sockets tracked now (at most `maxSockets`). */
	get trackedSockets(): number {
		return this.#sockets.size;
	}

	/**
	Forget every socket: after a main-frame navigation the page's sockets are gone
	without any `webSocketClosed` (a reload sends none).
	*/
	reset(): void {
		this.#sockets.clear();
		this.#gameSockets = 0;
	}

	/** Track a socket (replacing any under the same id), forgetting the least recently active one past the bound. */
	#track(requestId: string, state: SocketState): void {
		this.#forget(requestId);
		if (this.#sockets.size >= this.#maxSockets) {
			const oldest = this.#sockets.keys().next().value;
			if (oldest !== undefined) {
				this.#forget(oldest);
				this.evictedSockets++;
			}
		}

		this.#sockets.set(requestId, state);
		if (state.role === 'game') {
			this.#gameSockets++;
		}
	}

	/** Stop tracking a socket; the one that was tracked, if any. */
	#forget(requestId: string): SocketState | undefined {
		const socket = this.#sockets.get(requestId);
		if (socket !== undefined) {
			this.#sockets.delete(requestId);
			if (socket.role === 'game') {
				this.#gameSockets--;
			}
		}

		return socket;
	}

	/** A socket spoke: it becomes the most recently active (moved to the end of the map). */
	#touch(requestId: string, socket: SocketState): void {
		this.#sockets.delete(requestId);
		this.#sockets.set(requestId, socket);
	}

	/** Handle one CDP event; anything that is not a `Network.webSocket*` event yields nothing. */
	handle(method: string, parameters: unknown): CdpFrameOutput[] {
		switch (method) {
			case 'Network.webSocketCreated': {
				return this.#created(parameters);
			}

			case 'Network.webSocketFrameReceived': {
				return this.#frame(parameters, 'received');
			}

			case 'Network.webSocketFrameSent': {
				return this.#frame(parameters, 'sent');
			}

			case 'Network.webSocketClosed': {
				return this.#closed(parameters);
			}

			case 'Network.webSocketFrameError': {
				return this.#frameError(parameters);
			}

			default: {
				return [];
			}
		}
	}

	#newState(role: SocketState['role'], url: string | undefined): SocketState {
		return {role, url, decoder: new FrameDecoder(this.#decoderOptions), probes: 0, pingAt: undefined};
	}

	#created(parameters: unknown): CdpFrameOutput[] {
		const record = asRecord(parameters);
		const requestId = record?.['requestId'];
		const url = record?.['url'];
		if (typeof requestId !== 'string' || typeof url !== 'string') {
			return [];
		}

		if (!this.#isGameSocket(url)) {
			this.#track(requestId, this.#newState('foreign', url));
			return [];
		}

		this.#track(requestId, this.#newState('game', url));
		return [{kind: 'socket-open', requestId, how: 'created', url}];
	}

	#closed(parameters: unknown): CdpFrameOutput[] {
		const requestId = asRecord(parameters)?.['requestId'];
		if (typeof requestId !== 'string') {
			return [];
		}

		const socket = this.#forget(requestId);
		if (socket?.role !== 'game') {
			return [];
		}

		const output: CdpFrameOutput = {kind: 'socket-closed', requestId};
		if (socket.url !== undefined) {
			output.url = socket.url;
		}

		return [output];
	}

	#frameError(parameters: unknown): CdpFrameOutput[] {
		const record = asRecord(parameters);
		const requestId = record?.['requestId'];
		if (typeof requestId !== 'string' || this.#sockets.get(requestId)?.role !== 'game') {
			return [];
		}

		const message = record?.['errorMessage'];
		return [{kind: 'socket-error', requestId, message: typeof message === 'string' ? message : 'unknown WebSocket error'}];
	}

	#frame(parameters: unknown, direction: Direction): CdpFrameOutput[] {
		const frame = frameParameters(parameters);
		if (frame === undefined) {
			return [];
		}

		let socket = this.#sockets.get(frame.requestId);
		if (socket === undefined) {
			socket = this.#newState('probing', undefined);
			this.#track(frame.requestId, socket);
		} else {
			this.#touch(frame.requestId, socket);
		}

		if (socket.role === 'foreign') {
			this.ignoredFrames++;
			return [];
		}

		// Opcode 1 is text, 2 binary (base64 in CDP); control frames never carry events.
		if (frame.opcode !== 1 && frame.opcode !== 2) {
			return [];
		}

		const errorsBefore = socket.decoder.errors;
		const packets = frame.opcode === 1 ? socket.decoder.decodeText(frame.payload) : socket.decoder.decodeBinary(frame.payload, true);
		const out: CdpFrameOutput[] = [];
		if (socket.role === 'probing') {
			if (socket.decoder.errors > errorsBefore) {
				// Not (yet) recognisable: maybe not the game's socket, maybe the tail of a
				// binary event whose head we missed. Start the next frame afresh.
				this.ignoredFrames++;
				socket.decoder = new FrameDecoder(this.#decoderOptions);
				if (++socket.probes >= this.#maxProbeFrames) {
					socket.role = 'foreign';
				}

				return [];
			}

			if (!packets.some(packet => isSocketIoPacket(packet))) {
				// Engine.IO ping/pong, or a binary event still waiting for attachments: undecided.
				return [];
			}

			socket.role = 'game';
			this.#gameSockets++;
			out.push({kind: 'socket-open', requestId: frame.requestId, how: 'joined'});
		}

		for (const packet of packets) {
			this.#packet(packet, frame, direction, socket, out);
		}

		return out;
	}

	#packet(packet: DecodedPacket, frame: FrameParameters, direction: Direction, socket: SocketState, out: CdpFrameOutput[]): void {
		if (packet.kind === 'error') {
			this.decodeErrors++;
			out.push({kind: 'decode-error', message: `${direction} frame: ${packet.reason}: ${packet.sample}`});
			return;
		}

		if (packet.kind === 'engine') {
			this.#engine(packet, frame, direction, socket, out);
			return;
		}

		const envelope = envelopeFromPacket(packet, {seq: this.seq + 1, ts: this.#now(), source: 'cdp', direction});
		if (envelope !== undefined) {
			this.seq++;
			out.push({kind: 'envelope', envelope});
		}
	}

	#engine(packet: Extract<DecodedPacket, {kind: 'engine'}>, frame: FrameParameters, direction: Direction, socket: SocketState, out: CdpFrameOutput[]): void {
		if (packet.type === 'open' && direction === 'received') {
			// The page follows the server's heartbeat; the monitor only uses it to tell a silent
			// socket, and only when it is one a client can follow (clamped to fit a timer).
			const heartbeat = checkHeartbeat(packet.data);
			const handshake: CdpFrameOutput = {kind: 'handshake', requestId: frame.requestId};
			if (typeof heartbeat === 'string') {
				handshake.problem = heartbeat;
			} else {
				handshake.pingInterval = heartbeat.pingInterval;
				handshake.pingTimeout = heartbeat.pingTimeout;
			}

			out.push(handshake);
			return;
		}

		// Engine.IO v4: the server pings, the page answers. Both frames carry the
		// browser's own monotonic timestamps, so the delay is measured where it happens.
		if (packet.type === 'ping' && direction === 'received') {
			socket.pingAt = frame.timestamp;
			return;
		}

		if (packet.type === 'pong' && direction === 'sent' && socket.pingAt !== undefined && frame.timestamp !== undefined) {
			const ms = Math.max(0, (frame.timestamp - socket.pingAt) * 1000);
			socket.pingAt = undefined;
			out.push({kind: 'latency', requestId: frame.requestId, ms});
		}
	}
}
