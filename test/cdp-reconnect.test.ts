import {createServer, type Server} from 'node:http';
import type {AddressInfo, Socket} from 'node:net';
import {afterEach, describe, expect, test} from 'vitest';
import {WebSocketServer, type WebSocket} from 'ws';
import {createCdpSource, type CdpSource, type CdpSourceOptions} from '../source/sources/cdp.js';
import type {SourceEnd} from '../source/sources/source.js';
import {waitFor} from './helpers/browser.js';
import {createBusLog, type BusLog} from './helpers/bus-log.js';
import {linesOf, runCli} from './helpers/cli.js';

/**
`--max-reconnects` means the same for CDP as for direct: give up after N
failed reconnection attempts in a row. A DevTools endpoint that lists the tab
but whose tab never answers the attach must be such a failure, not a success
that starts the count again (it once retried for ever "at attempt 1").

A fake DevTools endpoint on 127.0.0.1 plays the browser: a node http server
answering /json/list and /json/version with one rugs.fun page, whose
webSocketDebuggerUrl points back at it. What the tab's WebSocket does is the
test's choice.
*/

type TabBehaviour =
	/** Accept the WebSocket and never say a word. */
	| 'silent'
	/** Never answer the upgrade request: the socket never opens. */
	| 'no-upgrade'
	/** Answer every command, then close the socket after `holdMs`: a tab that keeps going away. */
	| 'answers-then-drops';

type FakeDevTools = {
	port: number;
	/** WebSocket upgrade requests for the tab: one per attach attempt. */
	attaches(): number;
	/** Commands the tab received, by method. */
	commands: string[];
	close(): Promise<void>;
};

const cleanups: Array<() => Promise<unknown>> = [];

afterEach(async () => {
	for (const cleanup of cleanups.splice(0).toReversed()) {
		await cleanup();
	}
});

async function fakeDevTools(behaviour: TabBehaviour, holdMs = 30): Promise<FakeDevTools> {
	const sockets = new Set<Socket>();
	const clients = new Set<WebSocket>();
	const wss = new WebSocketServer({noServer: true});
	const commands: string[] = [];
	let attaches = 0;
	let port = 0;
	const page = () => ({
		description: '',
		devtoolsFrontendUrl: '',
		id: 'FAKE-TAB',
		title: 'rugs.fun',
		type: 'page',
		url: 'https://rugs.fun/',
		webSocketDebuggerUrl: `ws://127.0.0.1:${port}/devtools/page/FAKE-TAB`,
	});
	const server: Server = createServer((request, response) => {
		const version = {Browser: 'FakeChrome/1.0', 'Protocol-Version': '1.3', webSocketDebuggerUrl: `ws://127.0.0.1:${port}/devtools/browser/FAKE`};
		const body = request.url === '/json/version' ? version : (request.url === '/json/list' || request.url === '/json' ? [page()] : undefined);
		response.writeHead(body === undefined ? 404 : 200, {'Content-Type': 'application/json'});
		response.end(body === undefined ? '' : JSON.stringify(body));
	});
	server.on('connection', socket => {
		sockets.add(socket);
		socket.once('close', () => {
			sockets.delete(socket);
		});
	});
	server.on('upgrade', (request, socket, head) => {
		attaches++;
		if (behaviour === 'no-upgrade') {
			// Hold the request: no 101, no error, nothing.
			return;
		}

		wss.handleUpgrade(request, socket, head, ws => {
			clients.add(ws);
			ws.once('close', () => {
				clients.delete(ws);
			});
			if (behaviour !== 'answers-then-drops') {
				return;
			}

			ws.on('message', (data: Buffer) => {
				const {id, method} = JSON.parse(data.toString('utf8')) as {id: number; method: string};
				commands.push(method);
				ws.send(JSON.stringify({id, result: {}}));
			});
			setTimeout(() => {
				ws.terminate();
			}, holdMs);
		});
	});
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	port = (server.address() as AddressInfo).port;
	const close = async () => {
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
	};

	cleanups.push(close);
	return {port, attaches: () => attaches, commands, close};
}

function watch(devtools: FakeDevTools, options: Partial<CdpSourceOptions>): {log: BusLog; source: CdpSource} {
	const log = createBusLog();
	const source = createCdpSource(log.bus, {
		host: '127.0.0.1',
		port: devtools.port,
		target: 'rugs.fun',
		attachTimeoutMs: 200,
		backoff: {minMs: 20, maxMs: 50},
		...options,
	});
	cleanups.push(async () => source.stop());
	source.start();
	return {log, source};
}

const attempts = (log: BusLog, state: string) => log.statuses.filter(status => status.state === state).map(status => status.attempt);

describe('the CDP source and --max-reconnects', () => {
	test.each([
		['silent', /^cannot listen to the tab at 127\.0\.0\.1:\d+: Network\.enable timed out after 200 ms$/],
		['no-upgrade', /^cannot attach to Chrome at 127\.0\.0\.1:\d+: opening the tab's DevTools socket at 127\.0\.0\.1:\d+ timed out after 200 ms; is \d+ the port Chrome was started with \(--remote-debugging-port\)\?$/],
	] as const)('a listed tab that never answers the attach (%s) is a failed attempt: --max-reconnects 2 gives up after 2', async (behaviour, reason) => {
		const devtools = await fakeDevTools(behaviour);
		const {log, source} = watch(devtools, {maxReconnects: 2});
		const end = await source.ended;

		expect(end).toMatchObject({reason: 'gave-up', attempts: 2});
		const {lastFailure, message} = end as Extract<SourceEnd, {reason: 'gave-up'}>;
		expect(lastFailure).toMatch(reason);
		expect(message).toBe(`${lastFailure}; gave up after 2 reconnection attempts (allow more with --max-reconnects)`);
		// The first try and two reconnection attempts, each one attach; counted 1, 2 — not stuck at 1.
		expect(devtools.attaches()).toBe(3);
		expect(attempts(log, 'connecting')).toEqual([undefined, 1, 2]);
		expect(attempts(log, 'reconnecting')).toEqual([1, 2]);
		expect(log.statuses.map(status => status.state)).toEqual(['connecting', 'reconnecting', 'connecting', 'reconnecting', 'connecting', 'ended']);
		expect(log.statuses.at(-1)).toMatchObject({state: 'ended', attempt: 2});
		// Every status names what was tried; nothing ever attached, so no reconnection either.
		expect(log.statuses.every(status => status.source === 'cdp' && status.endpoint === `127.0.0.1:${devtools.port}` && status.reconnects === 0)).toBe(true);
		expect(log.statuses.some(status => status.detail?.startsWith('attached to tab') === true)).toBe(false);
		expect(source.stats()).toMatchObject({connected: false, reconnects: 0});
		// Chrome not being usable is not a problem to count (it is the normal case of --source auto); the statuses say it.
		expect(log.problems).toEqual([]);
	});

	test('a tab that attaches and then goes away at once is the same outage going on: the count grows and the cap applies', async () => {
		const devtools = await fakeDevTools('answers-then-drops', 30);
		const {log, source} = watch(devtools, {maxReconnects: 2});
		const end = await source.ended;

		expect(end).toMatchObject({reason: 'gave-up', attempts: 2, lastFailure: `lost the tab (the browser at 127.0.0.1:${devtools.port} closed or crashed)`});
		expect(devtools.attaches()).toBe(3);
		expect(devtools.commands).toContain('Network.enable');
		expect(attempts(log, 'reconnecting')).toEqual([1, 2]);
		// Each attach worked: the second and third are reconnections.
		expect(log.statuses.filter(status => status.detail?.startsWith('attached to tab') === true).map(status => status.reconnects)).toEqual([0, 1, 2]);
		expect(source.stats().reconnects).toBe(2);
		// Losing an attached tab is a problem, once for the outage.
		expect(log.problems.map(problem => problem.message)).toEqual([`lost the tab (the browser at 127.0.0.1:${devtools.port} closed or crashed); reconnecting`]);
	});

	test('a session that held for stableAfterMs ends the outage: the next loss is attempt 1 again, and a problem of its own', async () => {
		const devtools = await fakeDevTools('answers-then-drops', 30);
		const {log} = watch(devtools, {maxReconnects: 1, stableAfterMs: 0});
		await waitFor(() => devtools.attaches() >= 4, 'four attaches');

		const retries = attempts(log, 'reconnecting');
		expect(retries.length).toBeGreaterThanOrEqual(3);
		expect(new Set(retries)).toEqual(new Set([1]));
		expect(log.statuses.some(status => status.state === 'ended')).toBe(false);
		expect(log.problems.length).toBeGreaterThanOrEqual(3);
	});

	test('rugs-tui --source cdp on such a tab with --max-reconnects 1 exits 1 with a one-line message', async () => {
		const devtools = await fakeDevTools('silent');
		const result = await runCli(['--source', 'cdp', '--cdp', `127.0.0.1:${devtools.port}`, '--max-reconnects', '1', '--json'], {timeoutMs: 40_000});

		expect(result.code).toBe(1);
		expect(result.stdout).toBe('');
		const lines = linesOf(result.stderr);
		const plain = lines.filter(line => !line.startsWith('{'));
		const reason = `cannot listen to the tab at 127.0.0.1:${devtools.port}: Network.enable timed out after 5000 ms`;
		expect(plain).toEqual([`rugs-tui: ${reason}; gave up after 1 reconnection attempt (allow more with --max-reconnects)`]);
		expect(lines.at(-1)).toBe(plain[0]);
		const statuses = lines.slice(0, -1).map(line => JSON.parse(line) as Record<string, unknown>).filter(line => line['type'] === 'status');
		expect(statuses.map(status => [status['state'], status['attempt']])).toEqual([['connecting', undefined], ['reconnecting', 1], ['connecting', 1], ['ended', 1]]);
		expect(statuses[1]).toMatchObject({source: 'cdp', endpoint: `127.0.0.1:${devtools.port}`, detail: reason, reconnects: 0});
		expect(devtools.attaches()).toBe(2);
	}, 45_000);
});
