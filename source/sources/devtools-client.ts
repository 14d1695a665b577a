import {request} from 'node:http';
import WebSocket from 'ws';
import {JsonRejection, parseBoundedJson} from '../protocol/json-bounds.js';
import {asRecord} from '../protocol/read.js';
import {urlHost} from './cdp-address.js';

/**
Just enough of the Chrome DevTools protocol for the CDP source: the tab list
(`/json/list`) and one tab's DevTools WebSocket (commands and their replies,
events). Written here rather than taken from chrome-remote-interface so that
a DevTools endpoint is as untrusted as the feed:

- it connects exactly where it is told (an address the loopback rule checked,
  ./cdp-address.ts): no name lookups of its own, no HTTP or WebSocket
  redirects followed;
- what the endpoint sends is bounded: the tab list in size, every message in
  size (the WebSocket's maxPayload) and shape (../protocol/json-bounds.ts);
  a message that is not JSON, not an object, or a reply to nothing is counted
  and skipped, never thrown;
- closing is immediate (the socket is terminated, not closed politely), so a
  peer that floods or never answers cannot hold up a Ctrl-C.
*/

export type DevToolsTarget = {
	id: string;
	type: string;
	url: string;
	webSocketDebuggerUrl: string | undefined;
};

/** A tab list larger than this is not a browser's (a real one is a few KB). */
const maxListBytes = 4 * 1024 * 1024;
/**
One DevTools message at most: a frame of up to 16 MiB as JSON-escaped text
(quotes and backslashes doubled) or base64, with room to spare.
*/
const maxDevToolsMessageBytes = 64 * 1024 * 1024;

function text(value: unknown): string | undefined {
	return typeof value === 'string' ? value : undefined;
}

/** GET `path` from the DevTools HTTP endpoint at `address:port`: the body, bounded. */
async function httpGet(address: string, port: number, path: string, timeoutMs: number): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		// Host names Chrome accepts: an IP or localhost. The address is an IP already.
		const call = request({host: address, port, path, method: 'GET', headers: {host: `${urlHost(address)}:${port}`}, timeout: timeoutMs}, response => {
			if (response.statusCode !== 200) {
				response.resume();
				reject(new Error(`${path} answered HTTP ${response.statusCode ?? '?'}${response.headers.location === undefined ? '' : ' (a redirect, not followed)'}`));
				return;
			}

			response.on('data', (chunk: Buffer) => {
				size += chunk.length;
				if (size > maxListBytes) {
					call.destroy(new Error(`${path} is larger than ${maxListBytes / 1024 / 1024} MiB: not a browser's tab list`));
					return;
				}

				chunks.push(chunk);
			});
			response.on('end', () => {
				resolve(Buffer.concat(chunks).toString('utf8'));
			});
			response.on('error', reject);
		});
		call.on('timeout', () => {
			call.destroy(new Error(`${path} timed out after ${timeoutMs} ms`));
		});
		call.on('error', reject);
		call.end();
	});
}

/** The tabs of the browser at `address:port` (an address the loopback rule has checked). */
export async function listTargets(address: string, port: number, timeoutMs: number): Promise<DevToolsTarget[]> {
	const body = await httpGet(address, port, '/json/list', timeoutMs);
	const value = parseBoundedJson(body);
	if (value instanceof JsonRejection || !Array.isArray(value)) {
		throw new TypeError(`/json/list is not a list of tabs${value instanceof JsonRejection ? ` (${value.reason})` : ''}`);
	}

	const targets: DevToolsTarget[] = [];
	for (const item of value as unknown[]) {
		const record = asRecord(item);
		const type = text(record?.['type']);
		const url = text(record?.['url']);
		if (type !== undefined && url !== undefined) {
			targets.push({id: text(record?.['id']) ?? '', type, url, webSocketDebuggerUrl: text(record?.['webSocketDebuggerUrl'])});
		}
	}

	return targets;
}

type Pending = {method: string; onReply: (error: Error | undefined, result?: unknown) => void};

/** An error reply of the DevTools protocol. */
class ProtocolError extends Error {
	constructor(method: string, readonly reply: unknown) {
		const message = text(asRecord(reply)?.['message']);
		super(`${method}: ${message ?? JSON.stringify(reply)?.slice(0, 200) ?? 'error'}`);
	}
}

/** One tab's DevTools WebSocket. */
export class DevToolsSession {
	/** Messages that were not JSON objects of the protocol (or too deep), skipped. */
	badMessages = 0;
	/** Each event of the tab: `Network.webSocketFrameReceived`, `Page.frameNavigated`, … */
	onEvent: ((method: string, parameters: unknown) => void) | undefined;
	/** The socket closed (the tab or the browser went away, or `close()`); once. */
	onClose: (() => void) | undefined;

	readonly #ws: WebSocket;
	readonly #pending = new Map<number, Pending>();
	#nextId = 1;
	#closed = false;

	private constructor(ws: WebSocket) {
		this.#ws = ws;
		ws.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
			this.#message(data, isBinary);
		});
		ws.on('close', () => {
			this.#ended();
		});
		ws.on('error', () => {
			// A close follows; the reason is what the caller already knows (the tab went away).
			this.#ended();
		});
	}

	/** Open the DevTools WebSocket at `url` (its host an address the loopback rule has checked). */
	static async open(url: string, timeoutMs: number, maxMessageBytes = maxDevToolsMessageBytes): Promise<DevToolsSession> {
		const ws = new WebSocket(url, {followRedirects: false, maxPayload: maxMessageBytes, perMessageDeflate: false, handshakeTimeout: timeoutMs});
		return new Promise((resolve, reject) => {
			const fail = (error: Error) => {
				ws.terminate();
				reject(error);
			};

			ws.once('open', () => {
				ws.off('error', fail);
				ws.off('unexpected-response', unexpected);
				resolve(new DevToolsSession(ws));
			});
			ws.once('error', fail);
			const unexpected = (_request: unknown, response: {statusCode?: number; headers: Record<string, unknown>}) => {
				const redirect = response.headers['location'] === undefined ? '' : ' (a redirect, not followed)';
				fail(new Error(`the tab's DevTools socket answered HTTP ${response.statusCode ?? '?'}${redirect}`));
			};

			ws.once('unexpected-response', unexpected);
		});
	}

	get closed(): boolean {
		return this.#closed;
	}

	/** Send a command; resolves with its result, rejects with its error or when the socket closes. */
	async send(method: string, parameters: Record<string, unknown> = {}): Promise<unknown> {
		return new Promise((resolve, reject) => {
			this.command(method, parameters, (error, result) => {
				if (error === undefined) {
					resolve(result);
				} else {
					reject(error);
				}
			});
		});
	}

	/**
	Send a command; `onReply` is called with its result or error as the reply
	is read — synchronously, before any message read after it is handled (a
	promise would settle only after the rest of the network read).
	*/
	command(method: string, parameters: Record<string, unknown>, onReply: (error: Error | undefined, result?: unknown) => void): void {
		if (this.#closed) {
			onReply(new Error(`${method}: the DevTools socket is closed`));
			return;
		}

		const id = this.#nextId++;
		this.#pending.set(id, {method, onReply});
		this.#ws.send(JSON.stringify({id, method, params: parameters}), error => {
			if (error !== undefined && error !== null && this.#pending.delete(id)) {
				onReply(error);
			}
		});
	}

	/** Close at once (terminate: no close handshake to wait for); pending commands fail. */
	close(): void {
		if (this.#closed) {
			return;
		}

		this.#ws.removeAllListeners('message');
		this.#ws.terminate();
		this.#ended();
	}

	#message(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): void {
		if (this.#closed) {
			return;
		}

		const value = isBinary ? undefined : parseBoundedJson(Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8'));
		const message = value instanceof JsonRejection ? undefined : asRecord(value);
		if (message === undefined) {
			this.badMessages++;
			return;
		}

		const {id, method} = message;
		if (typeof id === 'number') {
			const pending = this.#pending.get(id);
			if (pending === undefined) {
				this.badMessages++;
				return;
			}

			this.#pending.delete(id);
			if (message['error'] === undefined) {
				pending.onReply(undefined, message['result'] ?? {});
			} else {
				pending.onReply(new ProtocolError(pending.method, message['error']));
			}

			return;
		}

		if (typeof method !== 'string') {
			this.badMessages++;
			return;
		}

		this.onEvent?.(method, message['params']);
	}

	#ended(): void {
		if (this.#closed) {
			return;
		}

		this.#closed = true;
		for (const pending of this.#pending.values()) {
			pending.onReply(new Error(`${pending.method}: the DevTools socket closed`));
		}

		this.#pending.clear();
		this.onClose?.();
	}
}
