import {createServer, type Server as HttpServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {Server, type Socket} from 'socket.io';
import {WebSocketServer, type WebSocket} from 'ws';

/**
A stand-in for rugs.fun on 127.0.0.1: a real `socket.io` server plus the page
that talks to it the way rugs.fun's page does (socket.io client, websocket
transport only), for tests that watch that page through Chrome DevTools.

Each page is tagged (`?tag=…`, passed on to the socket's handshake query) and
joins the room of its tag, so one server can serve several tabs and a test
talks only to its own. The page also opens a plain, non-Socket.IO WebSocket
(`/foreign`), the kind of neighbour the CDP source must ignore.
*/

export type PageSocketEvent = {tag: string; ns: string; event: string; args: unknown[]};

export type GamePageServer = {
	origin: string;
	io: Server;
	/** Page with the game socket (and the foreign socket). */
	pageUrl(tag: string): string;
	/** Page with no socket at all. */
	blankUrl(tag: string): string;
	/** Socket.IO connections (default namespace) made so far by pages with this tag. */
	connections(tag: string): number;
	/** Events the pages sent to the server, in arrival order. */
	fromPages: PageSocketEvent[];
	/** Send a text frame on every open foreign socket of a tag. */
	sendForeign(tag: string, text: string): void;
	/** Drop the underlying connection of every socket of a tag (the page will reconnect). */
	dropConnections(tag: string): void;
	close(): Promise<void>;
};

function page(tag: string): string {
	const json = JSON.stringify(tag);
	return `<!doctype html>
<html><head><meta charset="utf-8"><title>rugs test ${tag.replaceAll(/[^\w-]/g, '')}</title></head>
<body>
<script src="/socket.io/socket.io.js"></script>
<script>
const tag = ${json};
const options = {transports: ['websocket'], query: {tag}, reconnectionDelay: 100, reconnectionDelayMax: 200};
window.game = io(options);
window.extra = io('/extra', options);
window.welcome = undefined;
window.game.on('welcome', greeting => {
	window.welcome = greeting;
});
window.foreign = new WebSocket('ws://' + location.host + '/foreign?tag=' + encodeURIComponent(tag));
</script>
</body></html>`;
}

function tagOf(socket: Socket): string {
	const {tag} = socket.handshake.query;
	return typeof tag === 'string' ? tag : '';
}

export async function startGamePageServer(): Promise<GamePageServer> {
	const http: HttpServer = createServer((request, response) => {
		const url = new URL(request.url ?? '/', 'http://127.0.0.1');
		const tag = url.searchParams.get('tag') ?? '';
		if (url.pathname === '/game' || url.pathname === '/blank') {
			response.writeHead(200, {'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store'});
			response.end(url.pathname === '/game' ? page(tag) : `<!doctype html><title>blank ${tag.replaceAll(/[^\w-]/g, '')}</title><p>no socket here</p>`);
			return;
		}

		response.writeHead(404).end();
	});

	// destroyUpgrade: false lets the /foreign upgrade through to its own server.
	const io = new Server(http, {transports: ['websocket'], destroyUpgrade: false, maxHttpBufferSize: 8e6});
	const counts = new Map<string, number>();
	const fromPages: PageSocketEvent[] = [];
	const onConnection = (ns: string) => (socket: Socket) => {
		const tag = tagOf(socket);
		void socket.join(tag);
		if (ns === '/') {
			const n = (counts.get(tag) ?? 0) + 1;
			counts.set(tag, n);
			socket.emit('welcome', {tag, n});
		}

		socket.onAny((event: string, ...args: unknown[]) => {
			const last = args.at(-1);
			if (typeof last === 'function') {
				args.pop();
				(last as (reply: unknown) => void)({success: true, echo: event});
			}

			fromPages.push({tag, ns, event, args});
		});
	};

	io.on('connection', onConnection('/'));
	io.of('/extra').on('connection', onConnection('/extra'));

	const foreign = new WebSocketServer({noServer: true});
	const foreignSockets = new Map<WebSocket, string>();
	http.on('upgrade', (request, socket, head) => {
		const url = new URL(request.url ?? '/', 'http://127.0.0.1');
		if (url.pathname !== '/foreign') {
			return;
		}

		foreign.handleUpgrade(request, socket, head, ws => {
			foreignSockets.set(ws, url.searchParams.get('tag') ?? '');
			ws.on('close', () => {
				foreignSockets.delete(ws);
			});
			ws.send('hello from a socket that is not the game');
		});
	});

	await new Promise<void>(resolve => {
		http.listen(0, '127.0.0.1', resolve);
	});
	const {port} = http.address() as AddressInfo;
	const origin = `http://127.0.0.1:${port}`;
	return {
		origin,
		io,
		pageUrl: tag => `${origin}/game?tag=${encodeURIComponent(tag)}`,
		blankUrl: tag => `${origin}/blank?tag=${encodeURIComponent(tag)}`,
		connections: tag => counts.get(tag) ?? 0,
		fromPages,
		sendForeign(tag, text) {
			for (const [ws, wsTag] of foreignSockets) {
				if (wsTag === tag) {
					ws.send(text);
				}
			}
		},
		dropConnections(tag) {
			for (const socket of io.of('/').sockets.values()) {
				if (tagOf(socket) === tag) {
					socket.conn.close();
				}
			}
		},
		async close() {
			for (const ws of foreignSockets.keys()) {
				ws.terminate();
			}

			foreign.close();
			// io.close() waits for the HTTP server, which waits for keep-alive connections.
			const closing = io.close();
			http.closeAllConnections();
			await closing;
		},
	};
}
