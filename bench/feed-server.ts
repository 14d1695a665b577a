import {parentPort, workerData} from 'node:worker_threads';
import {WebSocketServer} from 'ws';
import {benchOpenPacket, streamFrames} from './stream-frames.js';

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

const server = new WebSocketServer({host: '127.0.0.1', port: 0, maxPayload: 1024 * 1024});
server.on('connection', (ws, request) => {
	const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
	const frames = sets[query.get('set') ?? ''] ?? [];
	const count = Number(query.get('count') ?? 0);
	ws.send(benchOpenPacket);
	ws.on('message', data => {
		// Text frames arrive as one Buffer (ws's default binaryType).
		const text = (data as Buffer).toString();
		if (text.startsWith('40')) {
			ws.send(`40${JSON.stringify({sid: 'bench-socket'})}`);
			if (frames.length > 0) {
				streamFrames(ws, frames, count);
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
