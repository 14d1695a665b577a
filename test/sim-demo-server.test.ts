import {spawn} from 'node:child_process';
import {existsSync} from 'node:fs';
import {createServer} from 'node:net';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {io, type Socket} from 'socket.io-client';
import {afterEach, describe, expect, test} from 'vitest';
import {startDemoServer, type DemoServer} from '../source/sources/demo-server.js';
import {projectRoot} from './helpers/project.js';
import {waitFor as waitUntil} from './helpers/wait.js';

type Received = {at: number; event: string; args: unknown[]};

const servers: DemoServer[] = [];
const clients: Socket[] = [];

afterEach(async () => {
	for (const client of clients.splice(0)) {
		client.close();
	}

	await Promise.all(servers.splice(0).map(async server => server.close()));
});

async function start(options: Parameters<typeof startDemoServer>[0]): Promise<DemoServer> {
	const server = await startDemoServer(options);
	servers.push(server);
	return server;
}

function connect(url: string): {socket: Socket; received: Received[]} {
	const socket = io(url, {transports: ['websocket'], reconnection: false});
	clients.push(socket);
	const received: Received[] = [];
	socket.onAny((event: string, ...args: unknown[]) => {
		received.push({at: performance.now(), event, args});
	});
	return {socket, received};
}

/** Wait for a condition, polling; fails with `what` after `timeout` ms. */
/** The shared helper, with this file's timeout and its words for what is awaited. */
async function waitFor(what: string, condition: () => boolean, timeoutMs = 20_000): Promise<void> {
	await waitUntil(() => condition() || undefined, {timeoutMs, what});
}

function frames(received: readonly Received[]): Array<Record<string, unknown>> {
	return received.filter(item => item.event === 'gameStateUpdate').map(item => item.args[0] as Record<string, unknown>);
}

describe('the demo server', () => {
	test('listens on 127.0.0.1 on a free port and generates nothing while nobody is connected', async () => {
		const server = await start({seed: 'idle'});
		expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
		expect(server.port).toBeGreaterThan(0);
		// Asserting an absence: give it time to (wrongly) start.
		await new Promise(resolve => {
			setTimeout(resolve, 300);
		});
		expect(server.eventsSent).toBe(0);
		expect(server.clients).toBe(0);
	});

	test('a client gets the feed with each event\'s exact arguments: frames with one, trades and chat with two', async () => {
		const server = await start({seed: 'shapes', speed: 8});
		const {received} = connect(server.url);
		await waitFor('30 frames and a trade', () => frames(received).length >= 30 && received.some(item => item.event === 'standard/newTrade'));
		const first = frames(received)[0]!;
		// A client joining mid-game first gets a snapshot with the whole path so far.
		expect(first).toMatchObject({active: true, gameHistory: expect.any(Array) as unknown[], prices: expect.any(Array) as number[]});
		for (const item of received) {
			if (item.event === 'gameStateUpdate') {
				expect(item.args).toHaveLength(1);
				expect((item.args[0] as Record<string, unknown>)['gameId']).toMatch(/^\d{8}-[\da-f]{16}$/);
			} else if (item.event === 'standard/newTrade' || item.event === 'newChatMessage') {
				expect(item.args).toHaveLength(2);
				expect(item.args[0]).toMatchObject({__trace: true});
			}
		}

		const trade = received.find(item => item.event === 'standard/newTrade')!.args[1] as Record<string, unknown>;
		expect(trade).toMatchObject({coin: 'solana', type: expect.any(String) as string, price: expect.any(Number) as number});
		// Of a game the frames showed (on a loaded machine the first game may have ended before the first trade).
		expect(frames(received).map(frame => frame['gameId'])).toContain(trade['gameId']);
	});

	test('authenticated: the logged-in user\'s events too, never a client request or an ack', async () => {
		const server = await start({seed: 'user', speed: 8, authenticated: true});
		const {received} = connect(server.url);
		await waitFor('the user\'s events', () => received.some(item => item.event === 'usernameStatus') && received.filter(item => item.event === 'gameStatePlayerUpdate').length >= 10);
		const status = received.find(item => item.event === 'usernameStatus')!;
		expect(status.args).toHaveLength(2);
		expect(status.args[1]).toMatchObject({hasUsername: true, username: expect.any(String) as string});
		expect(received.some(item => item.event === 'playerUpdate')).toBe(true);
		expect(received.some(item => item.event === 'ack' || item.event === 'buyOrder' || item.event === 'requestSidebet')).toBe(false);
	});

	test('ticks come at the feed\'s cadence, scaled by speed', async () => {
		const server = await start({seed: 'cadence', speed: 4});
		const {received} = connect(server.url);
		await waitFor('20 ticks', () => frames(received).length >= 25);
		const ticks = received.filter(item => item.event === 'gameStateUpdate' && (item.args[0] as Record<string, unknown>)['active'] === true);
		const gaps: number[] = [];
		for (let index = 1; index < ticks.length; index++) {
			const tick = (ticks[index]!.args[0] as Record<string, unknown>)['tickCount'];
			const previous = (ticks[index - 1]!.args[0] as Record<string, unknown>)['tickCount'];
			if (typeof tick === 'number' && tick === (previous as number) + 1) {
				gaps.push(ticks[index]!.at - ticks[index - 1]!.at);
			}
		}

		gaps.sort((a, b) => a - b);
		const median = gaps[Math.floor(gaps.length / 2)]!;
		// 247–258 ms at speed 1 is about 63 ms at speed 4; loose bounds for a loaded machine.
		expect(gaps.length).toBeGreaterThan(10);
		expect(median).toBeGreaterThan(35);
		expect(median).toBeLessThan(120);
	});

	test('one shared stream: a client joining later gets the same events from then on', async () => {
		const server = await start({seed: 'shared', speed: 8});
		const a = connect(server.url);
		await waitFor('the first client\'s events', () => a.received.length >= 20);
		const b = connect(server.url);
		await waitFor('the second client\'s events', () => b.received.length >= 20);
		await waitFor('two clients', () => server.clients === 2);
		const serialise = (item: Received) => JSON.stringify([item.event, item.args]);
		const offset = a.received.map(item => serialise(item)).indexOf(serialise(b.received[0]!));
		expect(offset).toBeGreaterThan(0);
		const overlap = Math.min(b.received.length, a.received.length - offset);
		expect(b.received.slice(0, overlap).map(item => serialise(item))).toEqual(a.received.slice(offset, offset + overlap).map(item => serialise(item)));
	});

	test('game after game, ids never repeat; a game\'s frames never come back once the next two have started', async () => {
		const server = await start({seed: 'ids', speed: 60});
		const {received} = connect(server.url);
		await waitFor('four games', () => new Set(frames(received).map(frame => frame['gameId'])).size >= 4, 60_000);
		const order: string[] = [];
		for (const frame of frames(received)) {
			const id = frame['gameId'] as string;
			if (!order.includes(id)) {
				order.push(id);
			}

			// Only the game just before the newest may still send a (post-rug) frame.
			expect(order.indexOf(id)).toBeGreaterThanOrEqual(order.length - 2);
		}

		expect(order.length).toBeGreaterThanOrEqual(4);
		expect(new Set(order).size).toBe(order.length);
	}, 90_000);

	test('when the last client leaves, generation stops', async () => {
		const server = await start({seed: 'pause', speed: 8});
		const {socket, received} = connect(server.url);
		await waitFor('events', () => received.length >= 5);
		socket.close();
		await waitFor('no clients', () => server.clients === 0);
		const sent = server.eventsSent;
		await new Promise(resolve => {
			setTimeout(resolve, 300);
		});
		expect(server.eventsSent).toBe(sent);
	});

	test('close() frees the port', async () => {
		const server = await startDemoServer({seed: 'port'});
		const {received} = connect(server.url);
		await waitFor('events', () => received.length > 0);
		await server.close();
		await server.close();
		await new Promise<void>((resolve, reject) => {
			const probe = createServer();
			probe.once('error', reject);
			probe.listen(server.port, '127.0.0.1', () => {
				probe.close(() => {
					resolve();
				});
			});
		});
	});

	test('speed must be above 0', async () => {
		await expect(startDemoServer({speed: 0})).rejects.toThrow(/speed must be a number above 0/);
		await expect(startDemoServer({speed: Number.NaN})).rejects.toThrow(RangeError);
	});

	test('after close() nothing is left running: a process using it exits by itself', async () => {
		const built = path.join(projectRoot, 'dist/sources/demo-server.js');
		expect(existsSync(built), 'run `npm run build` first (npm test does)').toBe(true);
		const script = String.raw`
			import {startDemoServer} from ${JSON.stringify(pathToFileURL(built).href)};
			import {io} from 'socket.io-client';
			const server = await startDemoServer({seed: 'exit', speed: 20});
			const client = io(server.url, {transports: ['websocket'], reconnection: false});
			await new Promise(resolve => { let count = 0; client.onAny(() => { if (++count === 20) resolve(); }); });
			client.close();
			await server.close();
			process.stdout.write('closed\n');
		`;
		const child = spawn(process.execPath, ['--input-type=module', '-e', script], {cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe']});
		let output = '';
		child.stdout.on('data', (chunk: Buffer) => {
			output += chunk.toString();
		});
		child.stderr.on('data', (chunk: Buffer) => {
			output += chunk.toString();
		});
		const killer = setTimeout(() => {
			child.kill('SIGKILL');
		}, 20_000);
		const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>(resolve => {
			child.on('exit', (exitCode, exitSignal) => {
				resolve([exitCode, exitSignal]);
			});
		});
		clearTimeout(killer);
		expect(output).toContain('closed');
		expect(signal, `the process had to be killed: something kept it alive. Output: ${output}`).toBeNull();
		expect(code).toBe(0);
	}, 30_000);
});
