import {randomBytes} from 'node:crypto';
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {Server} from 'socket.io';
import {envelopeArguments, type Envelope} from '../protocol/envelope.js';
import {generateSession} from '../sim/generate-session.js';
import {timerDelay} from './timer-delay.js';

/**
The embedded demo feed: an in-process Socket.IO server on 127.0.0.1 playing
an unbounded seeded session at the feed's real cadence (scaled by `speed`).
Like the real server it plays one shared stream: every connected client gets
the same events from the moment it joins, each with exactly its Socket.IO
arguments (two-argument events stay two-argument). With no client connected it
generates nothing and holds no timer; the stream resumes where it paused.
*/

type DemoServerOptions = {
	/** Seed of the session; a random one by default (each run plays different games). */
	seed?: string | number;
	/** 1 = real cadence (default), 10 = ten times faster. */
	speed?: number;
	/** Also send the logged-in user's events (usernameStatus, playerUpdate, gameStatePlayerUpdate…). */
	authenticated?: boolean;
};

export type DemoServer = {
	/** http://127.0.0.1:<port>, for socket.io-client. */
	url: string;
	port: number;
	/** Disconnect every client, stop the stream and free the port. Idempotent. */
	close(): Promise<void>;
	/** Clients connected now. */
	readonly clients: number;
	/** Events sent so far (each broadcast counts once). */
	readonly eventsSent: number;
};

/** Events sent back to back before the server yields to the event loop (high speeds). */
const burst = 256;

export async function startDemoServer(options: DemoServerOptions = {}): Promise<DemoServer> {
	const speed = options.speed ?? 1;
	if (!Number.isFinite(speed) || speed <= 0) {
		throw new RangeError(`demo speed must be a number above 0 (got ${speed}); 1 is the real cadence`);
	}

	const seed = options.seed ?? randomBytes(8).toString('hex');
	const http = createServer();
	const io = new Server(http, {serveClient: false});

	let session: Generator<Envelope> | undefined;
	let pending: Envelope | undefined;
	let anchorWall = 0;
	let anchorTs = 0;
	let timer: NodeJS.Timeout | undefined;
	let immediate: NodeJS.Immediate | undefined;
	let clients = 0;
	let eventsSent = 0;
	let closed = false;

	function nextEnvelope(): Envelope {
		session ??= generateSession({seed, startTs: Date.now(), startAt: 'active', authenticated: options.authenticated ?? false, source: 'demo'});
		pending ??= session.next().value as Envelope;
		return pending;
	}

	function stopTimers(): void {
		if (timer !== undefined) {
			clearTimeout(timer);
			timer = undefined;
		}

		if (immediate !== undefined) {
			clearImmediate(immediate);
			immediate = undefined;
		}
	}

	function pump(): void {
		timer = undefined;
		immediate = undefined;
		if (closed || clients === 0) {
			return;
		}

		for (let sent = 0; sent < burst; sent++) {
			const envelope = nextEnvelope();
			const wait = anchorWall + ((envelope.ts - anchorTs) / speed) - performance.now();
			if (wait > 1) {
				// A gap too long for a timer (a very low --speed) comes back here and waits again.
				timer = setTimeout(pump, timerDelay(wait));
				return;
			}

			pending = undefined;
			// The stream is what a server sends: never a client's own request or an ack.
			if (envelope.direction === 'received' && envelope.event !== 'ack') {
				io.emit(envelope.event, ...envelopeArguments(envelope));
				eventsSent++;
			}
		}

		immediate = setImmediate(pump);
	}

	function resume(): void {
		// Carry on from where the stream paused, without a backlog.
		anchorTs = nextEnvelope().ts;
		anchorWall = performance.now();
		pump();
	}

	io.on('connection', socket => {
		clients++;
		socket.on('disconnect', () => {
			clients--;
			if (clients === 0) {
				stopTimers();
			}
		});
		if (clients === 1) {
			resume();
		}
	});

	await new Promise<void>((resolve, reject) => {
		http.once('error', reject);
		http.listen(0, '127.0.0.1', () => {
			http.off('error', reject);
			resolve();
		});
	});
	const {port} = http.address() as AddressInfo;

	let closing: Promise<void> | undefined;
	return {
		url: `http://127.0.0.1:${port}`,
		port,
		get clients() {
			return clients;
		},
		get eventsSent() {
			return eventsSent;
		},
		async close() {
			closing ??= new Promise<void>(resolve => {
				closed = true;
				stopTimers();
				session?.return(undefined);
				// The callback says when it is done; the promise it also returns adds nothing.
				void io.close(() => {
					resolve();
				});
			});
			return closing;
		},
	};
}
