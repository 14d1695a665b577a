import {createServer, type Server} from 'node:http';
import type {AddressInfo, Socket} from 'node:net';
import {WebSocketServer, type WebSocket} from 'ws';

/**
A hostile (or just odd) Chrome DevTools endpoint on 127.0.0.1: an HTTP server
answering /json/list with one rugs.fun tab, and that tab's DevTools WebSocket,
which answers every command. The test chooses what the tab list advertises as
its `webSocketDebuggerUrl` (anywhere: 10.0.0.1, 0.0.0.0, a host name), whether
the list or the upgrade is answered with a redirect, and what the tab sends
once the Network domain is enabled (`onAttached`).
*/

export type FakeTab = {
	/** Send one DevTools event to the client. */
	event(method: string, parameters: unknown): void;
	readonly ws: WebSocket;
};

export type FakeDevToolsOptions = {
	/** The debugger URL the tab list advertises; default the endpoint itself. `PORT` is replaced by its port. */
	debuggerUrl?: string;
	/** Answer /json/list with a redirect to this URL instead. */
	listRedirect?: string;
	/** Answer the tab's WebSocket upgrade with a redirect to this URL instead. */
	upgradeRedirect?: string;
	/** Called once the client has enabled the Network domain on a tab socket. */
	onAttached?: (tab: FakeTab) => void;
};

export type FakeDevTools = {
	readonly port: number;
	/** Upgrade requests for the tab's socket (one per attach). */
	attaches(): number;
	/** /json/list requests. */
	lists(): number;
	/** Commands received, by method. */
	readonly commands: string[];
	close(): Promise<void>;
};

export async function startFakeDevTools(options: FakeDevToolsOptions = {}): Promise<FakeDevTools> {
	const sockets = new Set<Socket>();
	const clients = new Set<WebSocket>();
	const wss = new WebSocketServer({noServer: true});
	const commands: string[] = [];
	let attaches = 0;
	let lists = 0;
	let port = 0;
	const debuggerUrl = () => (options.debuggerUrl ?? 'ws://127.0.0.1:PORT/devtools/page/FAKE-TAB').replaceAll('PORT', String(port));
	const server: Server = createServer((request, response) => {
		if (request.url === '/json/list' || request.url === '/json') {
			lists++;
			if (options.listRedirect !== undefined) {
				response.writeHead(302, {location: options.listRedirect.replaceAll('PORT', String(port))});
				response.end();
				return;
			}

			response.writeHead(200, {'Content-Type': 'application/json'});
			response.end(JSON.stringify([{description: '', devtoolsFrontendUrl: '', id: 'FAKE-TAB', title: 'rugs.fun', type: 'page', url: 'https://rugs.fun/', webSocketDebuggerUrl: debuggerUrl()}]));
			return;
		}

		response.writeHead(404);
		response.end();
	});
	server.on('connection', socket => {
		sockets.add(socket);
		socket.once('close', () => {
			sockets.delete(socket);
		});
	});
	server.on('upgrade', (request, socket, head) => {
		attaches++;
		if (options.upgradeRedirect !== undefined) {
			socket.end(`HTTP/1.1 302 Found\r\nLocation: ${options.upgradeRedirect.replaceAll('PORT', String(port))}\r\nContent-Length: 0\r\n\r\n`);
			return;
		}

		wss.handleUpgrade(request, socket, head, ws => {
			clients.add(ws);
			ws.once('close', () => {
				clients.delete(ws);
			});
			const tab: FakeTab = {
				ws,
				event(method, parameters) {
					if (ws.readyState === ws.OPEN) {
						ws.send(JSON.stringify({method, params: parameters}));
					}
				},
			};
			ws.on('message', (data: Buffer) => {
				const {id, method} = JSON.parse(data.toString('utf8')) as {id: number; method: string};
				commands.push(method);
				ws.send(JSON.stringify({id, result: {}}));
				if (method === 'Network.enable') {
					options.onAttached?.(tab);
				}
			});
		});
	});
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	port = (server.address() as AddressInfo).port;
	return {
		port,
		attaches: () => attaches,
		lists: () => lists,
		commands,
		async close() {
			for (const ws of clients) {
				ws.terminate();
			}

			for (const socket of sockets) {
				socket.destroy();
			}

			wss.close();
			await new Promise<void>(resolve => {
				server.close(() => {
					resolve();
				});
			});
		},
	};
}

/** A `Network.webSocketFrameReceived` event's parameters for a text frame. */
export function textFrame(requestId: string, payloadData: string, timestamp = 1): Record<string, unknown> {
	return {requestId, timestamp, response: {opcode: 1, mask: false, payloadData}};
}
