import {readFileSync} from 'node:fs';
import {createServer} from 'node:http';
import {createRequire} from 'node:module';
import type {AddressInfo} from 'node:net';
import path from 'node:path';
import {WebSocketServer} from 'ws';
import {benchOpenPacket, streamFrames} from './stream-frames.js';

/**
The CDP benchmark's feed, run as a child process so that its CPU time is not
counted as rugs-tui's (process.cpuUsage covers every thread of a process).
It serves a page that connects the way rugs.fun's does (the socket.io client,
websocket transport only) and, on that socket, just enough Engine.IO v4 /
Socket.IO v5 — the open packet, the connect reply — then pre-built event
frames as fast as the socket takes them. The page asks for its frames in its
URL: `/feed?set=<name>&count=<n>`; `/blank` is a page with no socket.

Protocol with the parent: it sends `{sets}` once; the child answers `{port}`;
`'close'` ends it.
*/
export type CdpFeedSets = {sets: Record<string, string[]>};
export type CdpFeedReady = {port: number};

// The client bundle socket.io serves at /socket.io/socket.io.js (not in the package's exports: found beside its entry point).
const socketIoEntry = createRequire(import.meta.url).resolve('socket.io');
const clientScript = readFileSync(path.join(socketIoEntry.slice(0, socketIoEntry.lastIndexOf(`${path.sep}dist${path.sep}`)), 'client-dist', 'socket.io.min.js'), 'utf8');

const page = `<!doctype html><meta charset="utf-8"><title>rugs-tui cdp bench</title>
<script src="/socket.io.min.js"></script>
<script>
const query = new URLSearchParams(location.search);
window.feed = io({transports: ['websocket'], reconnection: false, query: {set: query.get('set'), count: query.get('count')}});
</script>`;

function serve(sets: Record<string, string[]>): void {
	const http = createServer((request, response) => {
		const url = new URL(request.url ?? '/', 'http://127.0.0.1');
		if (url.pathname === '/socket.io.min.js') {
			response.writeHead(200, {'content-type': 'text/javascript'}).end(clientScript);
		} else if (url.pathname === '/feed' || url.pathname === '/blank') {
			response.writeHead(200, {'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store'}).end(url.pathname === '/feed' ? page : '<!doctype html><title>blank</title>');
		} else {
			response.writeHead(404).end();
		}
	});
	const wss = new WebSocketServer({server: http, path: '/socket.io/', maxPayload: 1024 * 1024});
	wss.on('connection', (ws, request) => {
		const query = new URL(request.url ?? '/', 'http://127.0.0.1').searchParams;
		const frames = sets[query.get('set') ?? ''] ?? [];
		const count = Number(query.get('count') ?? 0);
		ws.send(benchOpenPacket);
		ws.on('message', data => {
			// Text frames arrive as one Buffer (ws's default binaryType).
			if ((data as Buffer).toString().startsWith('40')) {
				ws.send(`40${JSON.stringify({sid: 'bench-socket'})}`);
				streamFrames(ws, frames, count);
			}
		});
	});
	http.listen(0, '127.0.0.1', () => {
		process.send?.({port: (http.address() as AddressInfo).port} satisfies CdpFeedReady);
	});
	process.on('message', message => {
		if (message === 'close') {
			for (const client of wss.clients) {
				client.terminate();
			}

			http.closeAllConnections();
			http.close(() => {
				process.exit(0);
			});
		}
	});
}

process.once('message', message => {
	serve((message as CdpFeedSets).sets);
});
// The parent went away without saying 'close': do not linger.
process.on('disconnect', () => {
	process.exit(0);
});
