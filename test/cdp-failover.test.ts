import type {ChildProcess} from 'node:child_process';
import {afterAll, beforeAll, expect, test} from 'vitest';
import {createBrowserLab, openTab, processesInGroup, waitFor} from './helpers/browser.js';
import {startGamePageServer, type GamePageServer} from './helpers/game-page-server.js';
import {spawnCli} from './helpers/cli.js';

/**
`--source auto` end to end: the real CLI, a real headless Chromium and a real
socket.io server emitting numbered ticks to both the page and the direct
socket. No tab → direct; the tab appears → CDP; the browser is killed →
direct again. Every tick that comes out, comes out once and in order.
*/

const lab = createBrowserLab();
let server: GamePageServer;
let cli: ChildProcess | undefined;

beforeAll(async () => {
	server = await startGamePageServer();
});

afterAll(async () => {
	if (cli?.exitCode === null && cli.signalCode === null) {
		cli.kill('SIGKILL');
	}

	await server?.close();
	const left = await lab.finish();
	expect(left.processes, 'Chromium processes left behind').toEqual([]);
	expect(left.profiles, 'temporary profiles left behind').toEqual([]);
});

type Line = Record<string, unknown>;

function lines(text: string): Line[] {
	return text.split('\n').filter(line => line.trim() !== '').map(line => JSON.parse(line) as Line);
}

test('auto: direct while there is no tab, CDP once the tab appears, direct again when the browser is killed — each event once, in order', async () => {
	const chrome = await lab.launch();
	const tag = 'auto';
	let sent = 0;
	const ticker = setInterval(() => {
		server.io.to(tag).emit('tick', {i: ++sent});
	}, 50);
	try {
		const child = spawnCli(['--json', '--cdp', `127.0.0.1:${chrome.port}`, '--target', `tag=${tag}`, '--url', `${server.origin}/?tag=${tag}`]);
		cli = child;
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
			stdout += chunk;
		});
		child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
			stderr += chunk;
		});
		const exited = new Promise<number | null>(resolve => {
			child.once('exit', code => {
				resolve(code);
			});
		});
		const ticks = () => lines(stdout).filter(line => line['event'] === 'tick');
		const statuses = () => lines(stderr).filter(line => line['type'] === 'status');
		const directSockets = () => [...server.io.of('/').sockets.values()].filter(socket => !String(socket.handshake.headers['user-agent']).includes('Chrome'));
		const explain = (error: unknown) => {
			throw new Error(`${String(error)}\nstderr:\n${stderr.slice(-3000)}`);
		};

		// 1. The browser has no matching tab: the direct socket carries the feed.
		await waitFor(() => ticks().some(line => line['source'] === 'direct'), 'ticks from the direct source').catch(explain);
		expect(statuses().some(line => String(line['detail']).startsWith('auto → direct, as cdp reconnecting: no tab whose URL contains "tag=auto"'))).toBe(true);

		// 2. The tab appears: CDP takes over, and the direct socket is closed after the overlap.
		await openTab(chrome, server.pageUrl(tag));
		await waitFor(() => ticks().some(line => line['source'] === 'cdp'), 'ticks through the tab').catch(explain);
		expect(statuses().some(line => line['source'] === 'cdp' && line['state'] === 'connected' && String(line['detail']).startsWith('auto → cdp (preferred) — tab http://127.0.0.1:'))).toBe(true);
		await waitFor(() => directSockets().length === 0, 'the direct socket to close after the overlap', 20_000).catch(explain);
		const cdpTicks = ticks().filter(line => line['source'] === 'cdp').length;

		// 3. The browser dies: back to the direct socket.
		const killedAt = ticks().length;
		process.kill(-chrome.pid, 'SIGKILL');
		await waitFor(() => processesInGroup(chrome.pid).length === 0, 'the browser to die');
		await waitFor(() => ticks().slice(killedAt).some(line => line['source'] === 'direct'), 'ticks from the direct source after the browser died').catch(explain);
		expect(statuses().some(line => line['source'] === 'direct' && String(line['detail']).startsWith('auto → direct, as cdp reconnecting: lost the tab (the browser at 127.0.0.1:'))).toBe(true);
		// A few more, so that the direct source's first moments are included.
		const target = sent + 10;
		await waitFor(() => ticks().some(line => (line['data'] as {i: number}).i >= target), 'ten more ticks').catch(explain);

		child.kill('SIGINT');
		expect(await exited).toBe(130);

		const all = ticks();
		const numbers = all.map(line => (line['data'] as {i: number}).i);
		// Never twice, never out of order.
		expect(numbers).toEqual(numbers.toSorted((a, b) => a - b));
		expect(new Set(numbers).size).toBe(numbers.length);
		// Source by source: direct, then cdp, then direct.
		const runs = all.map(line => line['source']).filter((source, index, list) => index === 0 || source !== list[index - 1]);
		expect(runs).toEqual(['direct', 'cdp', 'direct']);
		expect(cdpTicks).toBeGreaterThan(0);
		// The envelopes are renumbered as one stream across the switches.
		const seqs = lines(stdout).map(line => line['seq'] as number);
		expect(seqs).toEqual(seqs.map((_, index) => index + 1));
	} finally {
		clearInterval(ticker);
	}
}, 90_000);
