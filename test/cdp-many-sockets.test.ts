import {afterEach, describe, expect, test} from 'vitest';
import {CdpFrames} from '../source/sources/cdp-frames.js';
import {createCdpSource} from '../source/sources/cdp.js';
import {waitFor} from './helpers/browser.js';
import {createBusLog} from './helpers/bus-log.js';
import {startCli, stopCli, type CliRun} from './helpers/cli.js';
import {startFakeDevTools, textFrame, type FakeDevTools, type FakeTab} from './helpers/fake-devtools.js';

/**
A DevTools peer whose page opens very many WebSockets: the CDP source tracks
at most 64 of them (the least recently active is forgotten and counted), its
counts are O(1), so the cost of an event does not grow with the sockets the
page opened — and Ctrl-C ends the run at once under a flood from such a peer
(a fake DevTools endpoint on 127.0.0.1, the real CLI, a real SIGINT). It used to
walk every socket twice per event (0.85 ms an event at 100,000 sockets) and
ignore Ctrl-C for over 90 s.
*/

const cleanups: Array<() => Promise<unknown> | void> = [];

afterEach(async () => {
	for (const cleanup of cleanups.splice(0).toReversed()) {
		await cleanup();
	}
});

const gameUrl = (index: number) => `wss://backend.rugs.fun/socket.io/?EIO=4&transport=websocket&n=${index}`;

describe('CdpFrames with very many sockets', () => {
	test('100,000 game sockets announced: at most 64 tracked, the rest forgotten and counted, the active one keeps decoding', () => {
		const frames = new CdpFrames({now: () => 1});
		frames.handle('Network.webSocketCreated', {requestId: 'real', url: gameUrl(0)});
		let decoded = 0;
		for (let index = 1; index <= 100_000; index++) {
			frames.handle('Network.webSocketCreated', {requestId: `fake-${index}`, url: gameUrl(index)});
			expect(frames.trackedSockets).toBeLessThanOrEqual(64);
			if (index % 50 === 0) {
				// The page's real socket speaks every 50 sockets opened: it stays among the most recently active.
				decoded += frames.handle('Network.webSocketFrameReceived', textFrame('real', `42["gameStateUpdate",{"tick":${index}}]`)).filter(output => output.kind === 'envelope').length;
			}
		}

		expect(decoded).toBe(2000);
		expect(frames.trackedSockets).toBe(64);
		expect(frames.openGameSockets).toBe(64);
		expect(frames.evictedSockets).toBe(100_001 - 64);
		// Closing what is tracked brings the count down one by one; what was forgotten closes silently.
		expect(frames.handle('Network.webSocketClosed', {requestId: 'real'})).toEqual([{kind: 'socket-closed', requestId: 'real', url: gameUrl(0)}]);
		expect(frames.handle('Network.webSocketClosed', {requestId: 'fake-1'})).toEqual([]);
		expect(frames.openGameSockets).toBe(63);
	});

	test('frames from 100,000 sockets never announced: still at most 64 tracked; a forgotten game socket that speaks again is recognised again', () => {
		const frames = new CdpFrames({now: () => 1});
		expect(frames.handle('Network.webSocketFrameReceived', textFrame('game', '42["first",1]')).map(output => output.kind)).toEqual(['socket-open', 'envelope']);
		for (let index = 0; index < 100_000; index++) {
			frames.handle('Network.webSocketFrameReceived', textFrame(`noise-${index}`, index % 2 === 0 ? 'not socket.io' : '42["noise",1]'));
		}

		expect(frames.trackedSockets).toBe(64);
		expect(frames.evictedSockets).toBe(100_001 - 64);
		expect(frames.openGameSockets).toBeLessThanOrEqual(64);
		expect(frames.handle('Network.webSocketFrameReceived', textFrame('game', '42["again",2]')).map(output => output.kind)).toEqual(['socket-open', 'envelope']);
		frames.reset();
		expect([frames.trackedSockets, frames.openGameSockets]).toEqual([0, 0]);
	});

	test('roles change the O(1) count exactly: created, adopted, rejected, closed, replaced', () => {
		const frames = new CdpFrames({now: () => 1, maxProbeFrames: 1});
		frames.handle('Network.webSocketCreated', {requestId: 'a', url: gameUrl(1)});
		frames.handle('Network.webSocketCreated', {requestId: 'b', url: 'wss://chat.example/'});
		frames.handle('Network.webSocketFrameReceived', textFrame('c', '42["x",1]'));
		frames.handle('Network.webSocketFrameReceived', textFrame('d', 'garbage'));
		expect(frames.openGameSockets).toBe(2);
		// The same id created again replaces the socket, once.
		frames.handle('Network.webSocketCreated', {requestId: 'a', url: gameUrl(2)});
		expect(frames.openGameSockets).toBe(2);
		frames.handle('Network.webSocketCreated', {requestId: 'c', url: 'wss://chat.example/'});
		expect(frames.openGameSockets).toBe(1);
		frames.handle('Network.webSocketClosed', {requestId: 'a'});
		frames.handle('Network.webSocketClosed', {requestId: 'a'});
		expect(frames.openGameSockets).toBe(0);
	});
});

/** Flood the tab: `sockets` game sockets, then frames on them and on the real one, as fast as the client reads. */
function flood(tab: FakeTab, sockets: number): () => void {
	let stopped = false;
	let sent = 0;
	const pump = () => {
		if (stopped || tab.ws.readyState !== tab.ws.OPEN) {
			return;
		}

		// As fast as a hostile peer would: up to 32 MB waiting for the client (a polite close would wait behind it).
		if (tab.ws.bufferedAmount < 32 * 1024 * 1024) {
			for (let index = 0; index < 2000; index++, sent++) {
				if (sent < sockets) {
					tab.event('Network.webSocketCreated', {requestId: `fake-${sent}`, url: gameUrl(sent)});
				} else if (sent % 10 === 0) {
					tab.event('Network.webSocketFrameReceived', textFrame('real', `42["gameStateUpdate",{"gameId":"20251212-flood","tickCount":${sent}}]`));
				} else {
					tab.event('Network.webSocketFrameReceived', textFrame(`fake-${sent % sockets}`, `42["noise",${sent}]`));
				}
			}
		}

		setImmediate(pump);
	};

	tab.event('Network.webSocketCreated', {requestId: 'real', url: gameUrl(0)});
	pump();
	return () => {
		stopped = true;
	};
}

describe('rugs-tui --source cdp against a peer that opens 200,000 sockets and floods', () => {
	test('events flow, and SIGINT ends the run within a couple of seconds (exit 130)', async () => {
		let stopFlood: (() => void) | undefined;
		const fake: FakeDevTools = await startFakeDevTools({onAttached(tab) {
			stopFlood = flood(tab, 200_000);
		}});
		cleanups.push(async () => fake.close(), () => stopFlood?.());
		const run: CliRun = startCli(['--source', 'cdp', '--cdp', `127.0.0.1:${fake.port}`, '--json', '--events', 'gameStateUpdate']);
		cleanups.push(() => {
			stopCli(run);
		});
		const deadline = Date.now() + 60_000;
		// Past the 200,000 sockets: the real socket's frames are on stdout.
		while ((run.stdout().match(/\n/g)?.length ?? 0) < 200) {
			if (Date.now() > deadline) {
				throw new Error(`no events within 60 s; stderr: ${run.stderr().slice(-1000)}`);
			}

			await new Promise(resolve => {
				setTimeout(resolve, 50);
			});
		}

		const signalled = performance.now();
		run.child.kill('SIGINT');
		const {code} = await run.exited;
		const exitMs = performance.now() - signalled;
		process.stderr.write(`cdp-many-sockets: exit ${code} ${Math.round(exitMs)} ms after SIGINT under the flood\n`);
		expect(code).toBe(130);
		// A couple of seconds on a loaded machine: it used to take over 90.
		expect(exitMs).toBeLessThan(5000);
		expect(run.stdout().split('\n').filter(Boolean).every(line => line.includes('"gameStateUpdate"'))).toBe(true);
	}, 90_000);
});

describe('a DevTools peer that sends what no browser sends', () => {
	test('messages that are not JSON, too deep, replies to nothing, an event named "error": counted and skipped, the session goes on', async () => {
		const fake = await startFakeDevTools({onAttached(tab) {
			tab.event('Network.webSocketCreated', {requestId: 'real', url: gameUrl(0)});
			for (const junk of ['not json', '[1,2', `{"method":"x","params":${'['.repeat(5000)}${']'.repeat(5000)}}`, '{"id":99999,"result":{}}', '"a string"', '{"neither":1}']) {
				tab.ws.send(junk);
			}

			// EventEmitter would throw on an 'error' event nobody listens to.
			tab.event('error', {message: 'boom'});
			tab.event('Network.webSocketFrameReceived', textFrame('real', '42["gameStateUpdate",{"gameId":"after-junk"}]'));
		}});
		cleanups.push(async () => fake.close());
		const log = createBusLog();
		const source = createCdpSource(log.bus, {host: '127.0.0.1', port: fake.port, target: 'rugs.fun', attachTimeoutMs: 2000});
		cleanups.push(async () => source.stop());
		source.start();
		await waitFor(() => log.envelopes.some(envelope => envelope.event === 'gameStateUpdate'), 'the event after the junk');
		expect(source.stats()).toMatchObject({badMessages: 6, connected: true});
		expect(fake.attaches()).toBe(1);
	});
});
