import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import CDP from 'chrome-remote-interface';
import type {Envelope} from '../source/protocol/envelope.js';
import {createCdpSource, type CdpSource} from '../source/sources/cdp.js';
import type {LaunchedChrome} from '../source/sources/chrome-launch.js';
import {createBrowserLab, evaluate, openTab, waitFor} from './helpers/browser.js';
import {createBusLog, type BusLog} from './helpers/bus-log.js';
import {startGamePageServer, type GamePageServer} from './helpers/game-page-server.js';

/**
The CDP source against real headless Chromium watching a real socket.io
server: what the source publishes must be exactly what the server sent and
the page answered.
*/

const lab = createBrowserLab();
let chrome: LaunchedChrome;
let server: GamePageServer;
const cleanups: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
	[chrome, server] = await Promise.all([lab.launch(), startGamePageServer()]);
});

afterAll(async () => {
	for (const cleanup of cleanups.toReversed()) {
		await cleanup().catch(() => undefined);
	}

	await server?.close();
	const left = await lab.finish();
	expect(left.processes, 'Chromium processes left behind').toEqual([]);
	expect(left.profiles, 'temporary profiles left behind').toEqual([]);
});

async function tab(url: string): Promise<{target: CDP.Target; client: CDP.Client}> {
	const opened = await openTab(chrome, url);
	cleanups.push(async () => opened.client.close());
	return opened;
}

function watch(tag: string, extra: {reload?: boolean; silenceMs?: number} = {}): {log: BusLog; source: CdpSource} {
	const log = createBusLog();
	const source = createCdpSource(log.bus, {host: chrome.host, port: chrome.port, target: `tag=${tag}`, backoff: {minMs: 50, maxMs: 200}, ...extra});
	cleanups.push(async () => source.stop());
	source.start();
	return {log, source};
}

/** Wait until the page holds its greeting and both namespaces are connected: nothing of the handshake is still in flight. */
async function settled(client: CDP.Client, n = 1): Promise<void> {
	await waitFor(async () => await evaluate(client, `window.welcome?.n === ${n} && window.game.connected && window.extra.connected`) === true, 'the page to settle');
}

const attached = (log: BusLog) => log.statuses.some(status => status.detail?.includes('attached to tab'));
const named = (log: BusLog, event: string) => log.envelopes.filter(envelope => envelope.event === event);

/** The parts of an envelope that come from the wire (seq and ts are the source's own). */
function wire(envelope: Envelope): Omit<Envelope, 'seq' | 'ts'> {
	const {seq: _seq, ts: _ts, ...rest} = envelope;
	return rest;
}

const trace = {__trace: true, traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'};
const trade = {id: 'trade-1', gameId: 'g-1', playerId: 'did:privy:abc', username: 'alice', type: 'buy', price: 1.25, qty: 4, amount: 0.01, tickIndex: 7};

describe('CDP source on a real Chromium tab', () => {
	test('publishes what the server sent and the page answered: [trace, payload], namespace, binary, a 500 KB frame, acks with ids', async () => {
		const tag = 'fresh';
		const {client} = await tab(server.blankUrl(tag));
		const {log} = watch(tag);
		await waitFor(() => attached(log), 'the source to attach to the blank tab');

		// The page opens its socket only now, so the source sees webSocketCreated.
		await client.Page.navigate({url: server.pageUrl(tag)});
		await waitFor(() => named(log, 'connect').some(envelope => envelope.ns === '/extra' && envelope.direction === 'received'), 'both namespaces to connect');
		expect(wire(named(log, 'welcome')[0]!)).toEqual({source: 'cdp', direction: 'received', event: 'welcome', data: {tag, n: 1}});

		const big = {gameId: 'g-1', active: true, price: 1.5, tickCount: 100, gameHistory: Array.from({length: 10}, (_, game) => ({id: `game-${game}`, prices: Array.from({length: 3000}, (_, tick) => 1 + (tick / 1000) + (game / 7))}))};
		expect(JSON.stringify(big).length).toBeGreaterThan(400_000);
		const room = server.io.to(tag);
		room.emit('standard/newTrade', trace, trade);
		room.emit('gameStateUpdate', {gameId: 'g-1', active: true, price: 1.5, tickCount: 10});
		server.io.of('/extra').to(tag).emit('nsEvent', {x: 1});
		room.emit('binaryEvent', {blob: Buffer.from([0, 1, 2, 254, 255]), label: 'bytes'});
		room.emit('gameStateUpdate', big);
		room.emit('done', 1);
		await waitFor(() => named(log, 'done').length > 0, 'the server\'s events');

		const reply = await evaluate(client, 'new Promise(resolve => window.game.emit("buyOrder", {amount: 0.001}, resolve))');
		expect(reply).toEqual({success: true, echo: 'buyOrder'});
		await waitFor(() => named(log, 'ack').length > 0, 'the ack');

		const received = log.envelopes.filter(envelope => envelope.direction === 'received' && !['connect', 'welcome'].includes(envelope.event));
		expect(received.slice(0, 6).map(envelope => wire(envelope))).toEqual([
			{source: 'cdp', direction: 'received', event: 'standard/newTrade', data: trade, extra: [trace]},
			{source: 'cdp', direction: 'received', event: 'gameStateUpdate', data: {gameId: 'g-1', active: true, price: 1.5, tickCount: 10}},
			{source: 'cdp', direction: 'received', event: 'nsEvent', data: {x: 1}, ns: '/extra'},
			{source: 'cdp', direction: 'received', event: 'binaryEvent', data: {blob: {$binary: Buffer.from([0, 1, 2, 254, 255]).toString('base64')}, label: 'bytes'}},
			{source: 'cdp', direction: 'received', event: 'gameStateUpdate', data: big},
			{source: 'cdp', direction: 'received', event: 'done', data: 1},
		]);

		const [order] = named(log, 'buyOrder');
		const [ack] = named(log, 'ack');
		expect(order?.direction).toBe('sent');
		expect(order?.data).toEqual({amount: 0.001});
		expect(typeof order?.ackId).toBe('number');
		expect(ack).toMatchObject({direction: 'received', event: 'ack', ackId: order?.ackId, data: {success: true, echo: 'buyOrder'}});
		expect(server.fromPages).toContainEqual({tag, ns: '/', event: 'buyOrder', args: [{amount: 0.001}]});

		// The page's own CONNECT packets are seen as sent, per namespace.
		expect(named(log, 'connect').filter(envelope => envelope.direction === 'sent').map(envelope => envelope.ns ?? '/').toSorted()).toEqual(['/', '/extra']);
		expect(log.envelopes.map(envelope => envelope.seq)).toEqual(log.envelopes.map((_, index) => index + 1));
		expect(log.statuses.at(-1)).toMatchObject({source: 'cdp', state: 'connected'});
		expect(log.statuses.at(-1)?.detail).toContain(`game socket ws://127.0.0.1:${new URL(server.origin).port}/socket.io/`);
		// The page's other WebSocket (not Socket.IO) was ignored, not reported as garbage.
		server.sendForeign(tag, 'more chatter that is not Engine.IO');
		await evaluate(client, 'new Promise(resolve => window.game.emit("ping-test", resolve))');
		await waitFor(() => named(log, 'ack').length > 1, 'a second ack');
		expect(log.problems).toEqual([]);
	});

	test('joins a socket that opened before it attached, and ignores the page\'s other socket', async () => {
		const tag = 'joined';
		const {client} = await tab(server.pageUrl(tag));
		await settled(client);
		const {log} = watch(tag);
		await waitFor(() => attached(log), 'the source to attach');
		// Frames on the non-game socket come first: they must not make it the game's.
		for (let index = 0; index < 10; index++) {
			server.sendForeign(tag, index % 2 === 0 ? `chatter ${index}` : '{"type":"presence"}');
		}

		server.io.to(tag).emit('gameStateUpdate', {gameId: 'g-2', tickCount: 1});
		server.io.of('/extra').to(tag).emit('nsEvent', {y: 2});
		server.io.to(tag).emit('standard/newTrade', trace, trade);
		await waitFor(() => named(log, 'standard/newTrade').length > 0, 'the events after attaching');
		const reply = await evaluate(client, 'new Promise(resolve => window.game.emit("sellOrder", {percentage: 100}, resolve))');
		expect(reply).toEqual({success: true, echo: 'sellOrder'});
		await waitFor(() => named(log, 'ack').length > 0, 'the ack');

		expect(log.envelopes.map(envelope => wire(envelope))).toEqual([
			{source: 'cdp', direction: 'received', event: 'gameStateUpdate', data: {gameId: 'g-2', tickCount: 1}},
			{source: 'cdp', direction: 'received', event: 'nsEvent', data: {y: 2}, ns: '/extra'},
			{source: 'cdp', direction: 'received', event: 'standard/newTrade', data: trade, extra: [trace]},
			{source: 'cdp', direction: 'sent', event: 'sellOrder', data: {percentage: 100}, ackId: named(log, 'sellOrder')[0]?.ackId},
			{source: 'cdp', direction: 'received', event: 'ack', data: {success: true, echo: 'sellOrder'}, ackId: named(log, 'sellOrder')[0]?.ackId},
		]);
		expect(typeof named(log, 'sellOrder')[0]?.ackId).toBe('number');
		expect(log.statuses.at(-1)).toMatchObject({source: 'cdp', state: 'connected'});
		expect(log.statuses.at(-1)?.detail).toContain('game socket opened before rugs-tui attached');
		expect(log.problems).toEqual([]);
	});

	test('--reload reloads the tab and starts from a fresh connection', async () => {
		const tag = 'reload';
		const opened = await tab(server.pageUrl(tag));
		await settled(opened.client);
		const {log} = watch(tag, {reload: true});
		await waitFor(() => named(log, 'welcome').length > 0, 'the welcome of the reloaded page');

		expect(server.connections(tag)).toBe(2);
		// Only the new connection's greeting: the first one happened before rugs-tui attached.
		expect(named(log, 'welcome').map(envelope => envelope.data)).toEqual([{tag, n: 2}]);
		expect(log.statuses.some(status => status.detail?.startsWith('page navigated'))).toBe(true);
		await waitFor(() => named(log, 'connect').some(envelope => envelope.direction === 'received' && envelope.ns === '/extra'), 'the namespaces to reconnect');
		expect(named(log, 'connect').filter(envelope => envelope.direction === 'received').map(envelope => envelope.ns ?? '/').toSorted()).toEqual(['/', '/extra']);
		expect(log.problems).toEqual([]);
	});

	test('the server dropping the connection: status says so, the page reconnects, nothing is lost or doubled', async () => {
		const tag = 'drop';
		const opened = await tab(server.pageUrl(tag));
		await settled(opened.client);
		const {log} = watch(tag);
		await waitFor(() => attached(log), 'the source to attach');
		server.io.to(tag).emit('tick', {i: 1});
		await waitFor(() => named(log, 'tick').length === 1, 'tick 1');

		server.dropConnections(tag);
		await waitFor(() => log.statuses.some(status => status.state === 'reconnecting' && status.detail?.includes('game socket closed')), 'the status to report the closed socket');
		await waitFor(() => named(log, 'welcome').length > 0, 'the page to reconnect');
		expect(named(log, 'welcome')[0]?.data).toEqual({tag, n: 2});
		await waitFor(() => server.io.of('/extra').sockets.size > 0 && named(log, 'connect').some(envelope => envelope.direction === 'received' && envelope.ns === '/extra'), 'the namespace to reconnect');
		server.io.to(tag).emit('tick', {i: 2});
		await waitFor(() => named(log, 'tick').length === 2, 'tick 2');

		expect(named(log, 'tick').map(envelope => envelope.data)).toEqual([{i: 1}, {i: 2}]);
		const states = log.statuses.map(status => status.state);
		expect(states.lastIndexOf('connected')).toBeGreaterThan(states.indexOf('reconnecting'));
		expect(log.problems).toEqual([]);
	});

	test('a malformed frame from the server: one counted decode problem, and the stream goes on', async () => {
		const tag = 'malformed';
		const {client} = await tab(server.pageUrl(tag));
		await settled(client);
		const {log, source} = watch(tag);
		await waitFor(() => attached(log), 'the source to attach');
		server.io.to(tag).emit('tick', {i: 1});
		await waitFor(() => named(log, 'tick').length === 1, 'tick 1');

		// Straight onto the page's WebSocket, past socket.io's encoder.
		const socket = [...server.io.of('/').sockets.values()].find(candidate => candidate.handshake.query['tag'] === tag);
		(socket!.conn.transport as unknown as {socket: {send(text: string): void}}).socket.send('42["gameStateUpdate",{"price":');
		await waitFor(() => log.problems.length > 0, 'the decode problem');
		expect(log.problems.map(({ts: _ts, ...problem}) => problem)).toEqual([{kind: 'decode', source: 'cdp', message: 'received frame: invalid JSON: Unexpected end of JSON input: 42["gameStateUpdate",{"price":'}]);
		expect(typeof log.problems[0]?.ts).toBe('number');
		expect(source.stats().decodeErrors).toBe(1);

		// The page's socket.io client gives up on that connection and reconnects; the source follows.
		await waitFor(() => server.connections(tag) === 2 && named(log, 'welcome').length > 0, 'the page to reconnect');
		server.io.to(tag).emit('tick', {i: 2});
		await waitFor(() => named(log, 'tick').length === 2, 'tick 2');
		expect(named(log, 'tick').map(envelope => envelope.data)).toEqual([{i: 1}, {i: 2}]);
		expect(source.stats()).toMatchObject({decodeErrors: 1, connected: true});
	});

	test('a silent game socket is reported as stale, and as connected again when frames resume', async () => {
		const tag = 'silent';
		const {client} = await tab(server.pageUrl(tag));
		await settled(client);
		const {log} = watch(tag, {silenceMs: 300});
		await waitFor(() => attached(log), 'the source to attach');
		server.io.to(tag).emit('tick', {i: 1});
		await waitFor(() => log.statuses.at(-1)?.state === 'connected', 'connected');
		// Nothing more is sent: the socket goes quiet.
		const stale = await waitFor(() => log.statuses.find(status => status.state === 'reconnecting'), 'the silence to be reported');
		expect(stale.detail).toMatch(/^no frames from the tab's game socket for 300 ms \(tab http:\/\/127\.0\.0\.1:\d+\/game\?tag=silent at /);
		server.io.to(tag).emit('tick', {i: 2});
		await waitFor(() => named(log, 'tick').length === 2, 'tick 2');
		const states = log.statuses.map(status => status.state);
		expect(states.lastIndexOf('connected')).toBeGreaterThan(states.indexOf('reconnecting'));
	});

	test('the tab crashing: status says so; after a reload the stream goes on', async () => {
		const tag = 'crash';
		const {client} = await tab(server.pageUrl(tag));
		await settled(client);
		const {log} = watch(tag);
		await waitFor(() => attached(log), 'the source to attach');
		void client.Page.crash().catch(() => undefined);
		await waitFor(() => log.statuses.find(status => status.state === 'reconnecting' && status.detail?.startsWith('the tab crashed: reload it in Chrome')), 'the status to report the crash');
		await client.Page.reload({});
		await waitFor(() => named(log, 'welcome').length > 0, 'the reloaded page to connect');
		server.io.to(tag).emit('tick', {i: 1});
		await waitFor(() => named(log, 'tick').length === 1, 'a tick after the reload');
		expect(log.statuses.at(-1)).toMatchObject({state: 'connected'});
		expect(log.problems).toEqual([]);
	});

	test('the tab going away: status says so, and the source attaches again when a matching tab is back', async () => {
		const tag = 'closed';
		const first = await openTab(chrome, server.pageUrl(tag));
		await settled(first.client);
		const {log} = watch(tag);
		await waitFor(() => attached(log), 'the source to attach');
		server.io.to(tag).emit('tick', {i: 1});
		await waitFor(() => named(log, 'tick').length === 1, 'tick 1');

		await first.client.close();
		await CDP.Close({host: chrome.host, port: chrome.port, id: first.target.id});
		await waitFor(() => log.statuses.some(status => status.state === 'reconnecting' && status.detail?.includes('the tab was closed')), 'the status to report the closed tab');
		const retry = await waitFor(() => log.statuses.find(status => status.state === 'reconnecting' && status.detail?.includes('no tab whose URL contains "tag=closed"')), 'a retry that finds no tab');
		expect(retry.nextRetryMs).toBeGreaterThan(0);
		expect(retry.attempt).toBeGreaterThanOrEqual(1);

		const before = log.statuses.length;
		await tab(server.pageUrl(tag));
		await waitFor(() => server.connections(tag) === 2 && log.statuses.slice(before).some(status => status.state === 'connected' || status.detail?.includes('attached to tab')), 'the source to attach to the new tab');
		server.io.to(tag).emit('tick', {i: 2});
		await waitFor(() => named(log, 'tick').length === 2, 'tick 2 from the new tab');
		expect(named(log, 'tick').map(envelope => envelope.data)).toEqual([{i: 1}, {i: 2}]);
		expect(log.statuses.at(-1)).toMatchObject({state: 'connected', reconnects: 1});
	});
});
