import {createServer, type Server as HttpServer} from 'node:http';
import {createServer as createNetServer, type AddressInfo, type Socket as NetSocket} from 'node:net';
import {Server, type Socket as ServerSocket} from 'socket.io';

/**
A real Socket.IO v4 server on 127.0.0.1 for tests of the live sources — no mock
of socket.io anywhere. `kill()` drops every TCP connection without a close
handshake and stops listening, as a crashed server would; `restart()` listens
again on the same port.
*/
export type TestServer = {
	readonly io: Server;
	readonly port: number;
	readonly url: string;
	/** Origin headers of every handshake, in order. */
	readonly origins: Array<string | undefined>;
	/** The server sockets connected so far, in order. */
	readonly connections: ServerSocket[];
	/** Resolves with the next connection (or the n-th overall, 1-based, when given). */
	connection(nth?: number): Promise<ServerSocket>;
	kill(): Promise<void>;
	close(): Promise<void>;
};

export type TestServerOptions = {
	port?: number;
	/** Called for every new connection. */
	onConnection?: (socket: ServerSocket, index: number) => void;
};

export async function startSocketServer(options: TestServerOptions = {}): Promise<TestServer> {
	const http: HttpServer = createServer();
	const tcp = new Set<NetSocket>();
	http.on('connection', socket => {
		tcp.add(socket);
		socket.once('close', () => {
			tcp.delete(socket);
		});
	});
	const io = new Server(http, {transports: ['websocket']});
	const connections: ServerSocket[] = [];
	const origins: Array<string | undefined> = [];
	const waiters: Array<{nth: number; resolve: (socket: ServerSocket) => void}> = [];
	io.on('connection', socket => {
		connections.push(socket);
		origins.push(socket.handshake.headers.origin);
		options.onConnection?.(socket, connections.length);
		for (const waiter of waiters.filter(item => item.nth === connections.length)) {
			waiters.splice(waiters.indexOf(waiter), 1);
			waiter.resolve(socket);
		}
	});
	await new Promise<void>((resolve, reject) => {
		http.once('error', reject);
		http.listen(options.port ?? 0, '127.0.0.1', () => {
			http.off('error', reject);
			resolve();
		});
	});
	const {port} = http.address() as AddressInfo;
	let closed = false;
	const close = async () => {
		if (closed) {
			return;
		}

		closed = true;
		for (const socket of tcp) {
			socket.destroy();
		}

		await new Promise<void>(resolve => {
			void io.close(() => {
				resolve();
			});
		});
	};

	return {
		io,
		port,
		url: `http://127.0.0.1:${port}`,
		origins,
		connections,
		async connection(nth = connections.length + 1) {
			const existing = connections[nth - 1];
			if (existing !== undefined) {
				return existing;
			}

			return new Promise(resolve => {
				waiters.push({nth, resolve});
			});
		},
		kill: close,
		close,
	};
}

/**
Write a raw WebSocket frame on a server socket, below Socket.IO and Engine.IO:
the way to send what no well-behaved server would.
*/
export function sendRaw(socket: ServerSocket, frame: string | Buffer): void {
	const {transport} = (socket.conn as unknown as {transport: {socket: {send(data: string | Buffer): void}}});
	transport.socket.send(frame);
}

/** A loopback port that nobody listens on (taken, then released). */
export async function deadPort(): Promise<number> {
	const server = createNetServer();
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	const {port} = server.address() as AddressInfo;
	await new Promise<void>(resolve => {
		server.close(() => {
			resolve();
		});
	});
	return port;
}
