import {io, type Socket} from 'socket.io-client';
import type {AppBus} from '../bus/app-bus.js';
import {jsonStart} from '../protocol/frame-decoder.js';
import {checkHeartbeat} from '../protocol/handshake.js';
import {scanJsonShape, screenJson, tooDeepReason, valueTooDeep} from '../protocol/json-bounds.js';
import {envelopeFromPacket} from '../protocol/packet-envelope.js';
import type {DecodedPacket} from '../protocol/packet.js';
import {cleanText} from '../protocol/untrusted-text.js';
import {defaultBackoff, type BackoffPolicy} from './backoff.js';
import {describeConnectError, describeDisconnect, innermostMessage, type Failure} from './disconnect-reason.js';
import {decodedFromSocketPacket, type SocketPacket} from './socket-packet.js';
import {defaultStableAfterMs, Reconnector} from './reconnector.js';
import type {Source, SourceEnd} from './source.js';
import {tappedWebSocket, type SocketControls} from './tapped-websocket.js';

/** The page rugs.fun serves its game from; the backend expects it as the Origin. */
const defaultOrigin = 'https://rugs.fun';
/** Real frames reach ~530 KB; 16 MiB leaves room for growth and still bounds memory. */
const defaultMaxFrameBytes = 16 * 1024 * 1024;
const defaultConnectTimeoutMs = 20_000;
const defaultLatencyIntervalMs = 10_000;
/** How long `stop()` waits for a clean WebSocket close before dropping the connection. */
const closeGraceMs = 1000;
const sampleLength = 80;

export type DirectSourceOptions = {
	/** Socket.IO server, e.g. `https://backend.rugs.fun?frontend-version=1.0`; a path selects a namespace. */
	url: string;
	/** Label on everything published: `demo` when the server is the embedded demo. */
	kind?: 'direct' | 'demo';
	/** Origin header sent with the WebSocket upgrade (default https://rugs.fun). */
	origin?: string;
	/** Give up after this many failed reconnection attempts in a row; undefined = never. */
	maxReconnects?: number;
	backoff?: Partial<BackoffPolicy>;
	/** Random numbers in [0, 1) for the backoff jitter (tests make it fixed). */
	random?: () => number;
	/** Time allowed from opening the socket to Socket.IO's connect reply. */
	connectTimeoutMs?: number;
	/** Largest WebSocket frame accepted; a larger one closes the connection (reported, then reconnected). */
	maxFrameBytes?: number;
	/** How often the round trip is measured while connected. */
	latencyIntervalMs?: number;
	/** A connection that held this long ends the outage: the next failure is attempt 1 again (default 10 s). */
	stableAfterMs?: number;
};

export type DirectSourceStats = {
	/** Envelopes published. */
	events: number;
	/** WebSocket frames received, and their size (bytes for binary, characters for text). */
	frames: number;
	bytes: number;
	/** Problems published (bad input, lost connections). */
	problems: number;
	/** Frames rejected for their shape (nesting too deep, too many arrays and objects) and skipped. */
	rejectedFrames: number;
	/** Successful reconnections since start. */
	reconnects: number;
	connected: boolean;
	/** Last measured round trip, milliseconds. */
	latencyMs: number | undefined;
};

export type DirectSource = Source & {
	readonly kind: 'direct' | 'demo';
	stats(): DirectSourceStats;
};

type Settings = {
	url: string;
	kind: 'direct' | 'demo';
	origin: string;
	maxReconnects: number | undefined;
	backoff: BackoffPolicy;
	random: () => number;
	connectTimeoutMs: number;
	maxFrameBytes: number;
	latencyIntervalMs: number;
	stableAfterMs: number;
};

/** One attempt: a fresh socket.io-client Manager and Socket, never reused. */
type Connection = {
	readonly socket: Socket;
	controls: SocketControls | undefined;
	/** The last frame received: the culprit when the client library fails to parse. */
	lastFrame: unknown;
	/**
	The connection has carried a binary frame, so events may hold Buffers to turn
	into base64. The rugs.fun feed sends none: its 500 KB text payloads are never walked.
	*/
	binary: boolean;
	/**
	Message frames handed to the client library, and the packets it has given
	back: each message frame becomes one packet, in order (a binary event once
	its attachments are in), though a packet comes out a tick after its frame.
	*/
	messageFrames: number;
	packets: number;
	/**
	Numbers of the message frames whose value must still be checked once parsed
	(../protocol/json-bounds.ts: parsing them is bounded, and the check after it
	is cheaper than a scan of the text), oldest first.
	*/
	valueChecks: number[];
	/** Bad input that closed this connection, with a sample of the frame: reported (once) when it fails. */
	problem: {text: string; sample: string} | undefined;
	connectedAt: number | undefined;
	connectTimer: NodeJS.Timeout | undefined;
	probeTimer: NodeJS.Timeout | undefined;
	pingSentAt: number | undefined;
	/** Settles when the WebSocket has closed. */
	readonly closed: Promise<void>;
};

function formatBytes(bytes: number): string {
	if (bytes >= 1024 * 1024) {
		return `${Number((bytes / (1024 * 1024)).toFixed(1))} MiB`;
	}

	return bytes >= 1024 ? `${Number((bytes / 1024).toFixed(1))} KiB` : `${bytes} bytes`;
}

function sampleOf(frame: unknown): string {
	if (typeof frame === 'string') {
		return frame === '' ? '(empty frame)' : `\`${cleanText(frame, sampleLength)}\``;
	}

	if (frame instanceof ArrayBuffer || ArrayBuffer.isView(frame)) {
		return `(binary frame, ${frame.byteLength} bytes)`;
	}

	return '(no frame)';
}

/** The packet's JSON nests too deep (its argument array is level 1, as in the frame). */
function isTooDeep(decoded: DecodedPacket): boolean {
	switch (decoded.kind) {
		case 'event':
		case 'ack': {
			return valueTooDeep(decoded.args);
		}

		case 'connect':
		case 'connect_error': {
			return valueTooDeep(decoded.data);
		}

		case 'disconnect':
		case 'engine':
		case 'error': {
			return false;
		}
	}
}

function frameSize(frame: unknown): number {
	if (typeof frame === 'string') {
		return frame.length;
	}

	return frame instanceof ArrayBuffer || ArrayBuffer.isView(frame) ? frame.byteLength : 0;
}

/**
The direct live source: socket.io-client over WebSocket to the rugs.fun backend
(or any Socket.IO v4 server), listen-only.

Events are taken from the Manager's `packet` event rather than `Socket#onAny`:
both see every event with all its arguments, but when a malformed frame follows
valid ones in the same network read, socket.io-client marks the socket
disconnected before it delivers the valid ones (they are decoded, then emitted
a tick later), and `onAny` never sees them. The Manager still emits them. Its
packets also keep ack ids and the CONNECT reply, and they go through the same
`envelopeFromPacket` as frames read by the frame decoder (the CDP path), so the
same frame gives the same envelope whichever source saw it.

Reconnection is done here, not by socket.io-client: every attempt is a fresh
client, scheduled by ./reconnector.ts (the policy the CDP source shares), and a
server-side disconnect (where socket.io-client would not retry) is just another
failure to recover from.
*/
class DirectConnection implements DirectSource {
	readonly kind: 'direct' | 'demo';
	readonly ended: Promise<SourceEnd>;

	readonly #bus: AppBus;
	readonly #settings: Settings;
	readonly #retry: Reconnector;
	#connection: Connection | undefined;
	#seq = 0;
	readonly #closing = new Set<Promise<void>>();
	readonly #counts = {events: 0, frames: 0, bytes: 0, rejectedFrames: 0};
	#latencyMs: number | undefined;

	constructor(bus: AppBus, settings: Settings) {
		this.#bus = bus;
		this.#settings = settings;
		this.kind = settings.kind;
		const {url} = settings;
		this.#retry = new Reconnector(bus, {
			source: settings.kind,
			endpoint: url,
			connectingDetail: url,
			maxReconnects: settings.maxReconnects,
			backoff: settings.backoff,
			random: settings.random,
			stableAfterMs: settings.stableAfterMs,
		}, {
			connect: () => {
				this.#connect();
			},
			outage: (reason, lost, next) => lost ? `connection to ${url} lost: ${reason}; ${next}` : `cannot connect to ${url}: ${reason}; ${next}`,
			gaveUp: (reason, gaveUp, everConnected) => `${everConnected ? `lost the connection to ${url}` : `cannot connect to ${url}`} (${reason}); ${gaveUp}. Check the URL (--url) and the network, or allow more attempts with --max-reconnects`,
		});
		this.ended = this.#retry.ended;
	}

	start(): void {
		this.#retry.start();
	}

	async stop(): Promise<void> {
		await this.#retry.stop(() => {
			this.#teardown();
		}, () => 'stopped');
		await Promise.all(this.#closing);
	}

	stats(): DirectSourceStats {
		return {
			...this.#counts,
			problems: this.#retry.problems,
			reconnects: this.#retry.reconnects,
			connected: this.#connection?.connectedAt !== undefined,
			latencyMs: this.#latencyMs,
		};
	}

	#connect(): void {
		const {url, origin, maxFrameBytes, connectTimeoutMs} = this.#settings;
		let markClosed!: () => void;
		const closed = new Promise<void>(resolve => {
			markClosed = resolve;
		});
		const transport = tappedWebSocket({
			opened(controls) {
				connection.controls = controls;
			},
			closed() {
				markClosed();
			},
			frame: data => {
				connection.lastFrame = data;
				if (typeof data !== 'string') {
					connection.binary = true;
				}

				this.#counts.frames++;
				this.#counts.bytes += frameSize(data);
			},
			admit: data => this.#admit(connection, data),
			pong: () => {
				this.#pong(connection);
			},
			socketError(error) {
				if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
					connection.problem ??= {text: `a frame larger than the ${formatBytes(maxFrameBytes)} limit was refused (the limit bounds memory)`, sample: ''};
				}
			},
			malformed(error) {
				connection.problem ??= {text: `malformed Engine.IO packet (${innermostMessage(error) ?? 'unreadable'})`, sample: sampleOf(connection.lastFrame)};
			},
		}, maxFrameBytes);
		const socket = io(url, {
			forceNew: true,
			reconnection: false,
			autoConnect: false,
			transportImplementations: [transport],
			extraHeaders: {Origin: origin},
		});
		const connection: Connection = {
			socket,
			controls: undefined,
			lastFrame: undefined,
			binary: false,
			messageFrames: 0,
			packets: 0,
			valueChecks: [],
			problem: undefined,
			connectedAt: undefined,
			connectTimer: undefined,
			probeTimer: undefined,
			pingSentAt: undefined,
			closed,
		};
		this.#connection = connection;
		this.#latencyMs = undefined;

		// One timer for the whole handshake (WebSocket, Engine.IO open, Socket.IO connect):
		// socket.io-client's own timeout stops at the Engine.IO open, so a server that
		// never answers the Socket.IO CONNECT would otherwise leave us waiting forever.
		socket.io.timeout(false);
		connection.connectTimer = setTimeout(() => {
			this.#failed(connection, {kind: 'timeout', text: `no Socket.IO connection within ${connectTimeoutMs / 1000} s`});
		}, connectTimeoutMs);

		socket.io.on('packet', packet => {
			this.#packet(connection, packet);
		});
		socket.on('connect', () => {
			this.#connected(connection);
		});
		socket.on('connect_error', error => {
			this.#failed(connection, describeConnectError(error));
		});
		socket.on('disconnect', (reason, description) => {
			this.#failed(connection, describeDisconnect(reason, description));
		});
		socket.connect();
	}

	/**
	The JSON of every text frame is checked before socket.io-client parses it: a
	frame nesting deeper than the bound, or holding too many arrays and objects,
	is a bad frame, counted and skipped (a message) or the end of the
	connection (an open packet, without which there is no connection).
	*/
	#admit(connection: Connection, data: unknown): boolean | string | Error {
		if (typeof data !== 'string') {
			return true;
		}

		// eslint-disable-next-line unicorn/prefer-code-point -- the Engine.IO packet type, an ASCII digit
		const message = data.charCodeAt(0) === 52;
		const start = jsonStart(data);
		const screen = start === undefined ? 'ok' : screenJson(data, start);
		if (screen === 'ok') {
			if (message) {
				connection.messageFrames++;
				return true;
			}

			return start === undefined ? true : this.#handshake(connection, data);
		}

		let reason: string | undefined;
		if (screen === 'check-value') {
			if (message) {
				connection.valueChecks.push(++connection.messageFrames);
				return true;
			}

			// A handshake is small: scanning its text costs less than deciding later.
			reason = scanJsonShape(data, start!);
			if (reason === undefined) {
				return this.#handshake(connection, data);
			}
		} else {
			reason = screen.rejected;
		}

		this.#counts.rejectedFrames++;
		if (!message) {
			return new Error(`open packet rejected: ${reason}`);
		}

		this.#retry.problem('decode', `frame rejected: ${reason}: ${sampleOf(data)}`);
		return false;
	}

	/**
	An Engine.IO open packet: its heartbeat must be one a client can follow. A
	ping interval of 0, 1, negative or not a number would time every connection
	out at once: a bad server, reported, and retried with the usual backoff. One
	too long for a timer is shortened to fit (Node would fire it after 1 ms).
	*/
	#handshake(connection: Connection, frame: string): boolean | string | Error {
		let data: unknown;
		try {
			data = JSON.parse(frame.slice(1));
		} catch {
			// engine.io-client reports it (the tap turns its throw into a malformed packet).
			return true;
		}

		const heartbeat = checkHeartbeat(data);
		if (typeof heartbeat === 'string') {
			connection.problem ??= {text: `bad server: ${heartbeat}`, sample: sampleOf(frame)};
			return new Error(heartbeat);
		}

		return heartbeat.clamped ? `0${JSON.stringify({...(data as Record<string, unknown>), pingInterval: heartbeat.pingInterval, pingTimeout: heartbeat.pingTimeout})}` : true;
	}

	#connected(connection: Connection): void {
		if (connection !== this.#connection || !this.#retry.running) {
			return;
		}

		clearTimeout(connection.connectTimer);
		connection.connectTimer = undefined;
		connection.connectedAt = performance.now();
		this.#retry.connected();
		this.#retry.status('connected', {detail: this.#settings.url});
		this.#probe(connection);
		connection.probeTimer = setInterval(() => {
			this.#probe(connection);
		}, this.#settings.latencyIntervalMs);
		connection.probeTimer.unref();
	}

	/**
	The round trip is measured with WebSocket ping/pong frames. Engine.IO v4
	cannot give it: the server sends the pings and the client only answers, so
	the client never sees a request and its reply. A Socket.IO emit with an ack
	would, but the monitor is listen-only. Every WebSocket endpoint must answer a
	ping with a pong (RFC 6455 §5.5.2), without involving the application, so
	this is the network round trip to whatever terminates the WebSocket (the
	server, or a proxy in front of it) — honest, and free of server-side load.
	*/
	#probe(connection: Connection): void {
		if (connection.controls === undefined || connection.pingSentAt !== undefined) {
			// No answer to the last ping yet: keep timing that one rather than restart the clock.
			return;
		}

		connection.pingSentAt = performance.now();
		connection.controls.ping();
	}

	#pong(connection: Connection): void {
		if (connection.pingSentAt === undefined || connection !== this.#connection || connection.connectedAt === undefined) {
			return;
		}

		const latencyMs = Math.round((performance.now() - connection.pingSentAt) * 100) / 100;
		connection.pingSentAt = undefined;
		this.#latencyMs = latencyMs;
		this.#retry.status('connected', {detail: this.#settings.url, latencyMs});
	}

	/**
	Every decoded packet becomes an envelope, including those decoded just
	before the connection failed (they arrive a tick after the failure).
	*/
	#packet(connection: Connection, packet: SocketPacket): void {
		if (!this.#retry.running) {
			return;
		}

		const number = ++connection.packets;
		const check = connection.valueChecks[0] === number;
		if (check) {
			connection.valueChecks.shift();
		}

		const decoded = decodedFromSocketPacket(packet, connection.binary);
		if (decoded === undefined) {
			return;
		}

		if (check && isTooDeep(decoded)) {
			this.#counts.rejectedFrames++;
			this.#retry.problem('decode', `frame rejected: ${tooDeepReason()}${decoded.kind === 'event' ? ` (event ${JSON.stringify(cleanText(decoded.event, sampleLength))})` : ''}`);
			return;
		}

		const envelope = envelopeFromPacket(decoded, {seq: this.#seq + 1, ts: Date.now(), source: this.kind, direction: 'received'});
		if (envelope === undefined) {
			return;
		}

		this.#seq++;
		this.#counts.events++;
		this.#bus.publish('envelope', envelope);
	}

	#failed(connection: Connection, failure: Failure): void {
		if (connection !== this.#connection || !this.#retry.running) {
			return;
		}

		if (failure.kind === 'malformed') {
			// The frame just received is the one the client library could not parse.
			connection.problem ??= {text: failure.text, sample: sampleOf(connection.lastFrame)};
		}

		this.#teardown();
		const {problem} = connection;
		this.#retry.failed({
			reason: problem?.text ?? failure.text,
			badInput: problem === undefined ? undefined : `${problem.text}${problem.sample === '' ? '' : `: ${problem.sample}`}`,
		});
	}

	/** Close the current connection (if any) and forget it; `stop()` waits for the close. */
	#teardown(): void {
		const connection = this.#connection;
		if (connection === undefined) {
			return;
		}

		this.#connection = undefined;
		clearTimeout(connection.connectTimer);
		clearInterval(connection.probeTimer);
		// Its lifecycle listeners go, so closing it reports nothing; the Manager's
		// `packet` listener stays for packets decoded before the failure.
		connection.socket.off();
		connection.socket.disconnect();
		const closing = this.#awaitClose(connection);
		this.#closing.add(closing);
		void closing.finally(() => {
			this.#closing.delete(closing);
		});
	}

	async #awaitClose(connection: Connection): Promise<void> {
		let timer: NodeJS.Timeout | undefined;
		const grace = new Promise<'late'>(resolve => {
			timer = setTimeout(() => {
				resolve('late');
			}, closeGraceMs);
		});
		const outcome = await Promise.race([connection.closed, grace]);
		clearTimeout(timer);
		if (outcome === 'late') {
			// A peer that does not answer the close handshake: drop the TCP connection.
			connection.controls?.terminate();
		}
	}
}

export function createDirectSource(bus: AppBus, options: DirectSourceOptions): DirectSource {
	return new DirectConnection(bus, {
		url: options.url,
		kind: options.kind ?? 'direct',
		origin: options.origin ?? defaultOrigin,
		maxReconnects: options.maxReconnects,
		backoff: {...defaultBackoff, ...options.backoff},
		random: options.random ?? Math.random,
		connectTimeoutMs: options.connectTimeoutMs ?? defaultConnectTimeoutMs,
		maxFrameBytes: options.maxFrameBytes ?? defaultMaxFrameBytes,
		latencyIntervalMs: options.latencyIntervalMs ?? defaultLatencyIntervalMs,
		stableAfterMs: options.stableAfterMs ?? defaultStableAfterMs,
	});
}
