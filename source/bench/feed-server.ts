import {parentPort, workerData} from 'node:worker_threads';
import {WebSocketServer, type WebSocket} from 'ws';

/**
The benchmark's feed: a raw `ws` server in a worker thread (its own core, so
it is not what is measured) speaking just enough Engine.IO v4 / Socket.IO v5
for a real client: the open packet, the connect reply, then pre-built event
frames as fast as the socket takes them. No heartbeat is due during a run.
A connection asks for its frames in the query: `set=<name>&count=<n>`.
*/
export type FeedServerData = {sets: Record<string, string[]>};
export type FeedServerReady = {port: number};

const {sets} = workerData as FeedServerData;
/** Queue at most this much before waiting for the socket: keeps memory flat, the kernel buffer full. */
const highWaterBytes = 8 * 1024 * 1024;
const open = `0${JSON.stringify({sid: 'bench', upgrades: [], pingInterval: 600_000, pingTimeout: 600_000, maxPayload: 1_000_000})}`;

function stream(ws: WebSocket, frames: readonly string[], count: number): void {
	let sent = 0;
	const pump = () => {
		while (sent < count && ws.readyState === ws.OPEN) {
			const frame = frames[sent % frames.length]!;
			sent++;
			if (ws.bufferedAmount >= highWaterBytes) {
				ws.send(frame, pump);
				return;
			}

			ws.send(frame);
		}
	};

	pump();
}

const server = new WebSocketServer({host: '127.0.0.1', port: 0, maxPayload: 1024 * 1024});
server.on('connection', (ws, request) => {
	const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
	const frames = sets[query.get('set') ?? ''] ?? [];
	const count = Number(query.get('count') ?? 0);
	ws.send(open);
	ws.on('message', data => {
		const text = String(data);
		if (text.startsWith('40')) {
			ws.send(`40${JSON.stringify({sid: 'bench-socket'})}`);
			if (frames.length > 0) {
				stream(ws, frames, count);
			}
		}
	});
});
server.on('listening', () => {
	const address = server.address();
	parentPort?.postMessage({port: typeof address === 'object' && address !== null ? address.port : 0} satisfies FeedServerReady);
});
parentPort?.on('message', message => {
	if (message === 'close') {
		for (const client of server.clients) {
			client.terminate();
		}

		server.close(() => {
			process.exit(0);
		});
	}
});
