import type {ChildProcess} from 'node:child_process';
import {createServer} from 'node:net';
import CDP from 'chrome-remote-interface';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {describeFailedLoad, errorCodeIn, failedLoad} from '../source/sources/cdp-page-load.js';
import {chromePath, createBrowserLab, waitFor} from './helpers/browser.js';
import {startGamePageServer, type GamePageServer} from './helpers/game-page-server.js';
import {linesOf, spawnCli} from './helpers/cli.js';

/**
A tab whose page did not load (offline, here: a closed port on 127.0.0.1)
shows Chrome's error page, chrome-error://chromewebdata/: the monitor must
say that the page did not load, and why, instead of waiting in silence for a
game socket that cannot open (issue 12). With a real headless Chromium, both
ways it happens: the page fails while rugs-tui is attached (`--launch`), and
it had failed before rugs-tui attached (`--source cdp`).
*/

const lab = createBrowserLab();
const children: ChildProcess[] = [];
let server: GamePageServer;

beforeAll(async () => {
	server = await startGamePageServer();
});

afterAll(async () => {
	for (const child of children) {
		if (child.exitCode === null && child.signalCode === null) {
			child.kill('SIGKILL');
		}
	}

	await server?.close();
	const left = await lab.finish();
	expect(left.processes, 'Chromium processes left behind').toEqual([]);
	expect(left.profiles, 'temporary profiles left behind').toEqual([]);
});

/** A port on 127.0.0.1 that nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
	const probe = createServer();
	await new Promise<void>(resolve => {
		probe.listen(0, '127.0.0.1', resolve);
	});
	const {port} = probe.address() as {port: number};
	await new Promise(resolve => {
		probe.close(resolve);
	});
	return port;
}

type Line = {type?: string; kind?: string; state?: string; message?: string; detail?: string};

function start(args: string[], env: NodeJS.ProcessEnv = {}) {
	// No display: Chromium must be the headless one whatever the machine has.
	const child = spawnCli(args, {env: {DISPLAY: undefined, WAYLAND_DISPLAY: undefined, CHROME_PATH: chromePath, TMPDIR: lab.profileParent, RUGS_TUI_HEADLESS: '1', ...env}});
	children.push(child);
	let stderr = '';
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
		stderr += chunk;
	});
	child.stdout.resume();
	const exited = new Promise<number | null>(resolve => {
		child.once('exit', resolve);
	});
	const lines = () => linesOf(stderr).map(line => JSON.parse(line) as Line);
	return {child, lines, exited};
}

const notLoaded = (lines: Line[]) => lines.find(line => line.type === 'problem' && line.message?.includes('the page did not load') === true);

describe.skipIf(chromePath === undefined)('a tab whose page did not load', () => {
	test('--launch, the page fails while attached: said once as a problem, with the URL and the reason', async () => {
		const url = `http://127.0.0.1:${await closedPort()}/`;
		const run = start(['--launch', '--json', '--target', '127.0.0.1'], {RUGS_TUI_LAUNCH_URL: url});
		try {
			const problem = await waitFor(() => notLoaded(run.lines()), 'the page-did-not-load problem', 30_000);
			expect(problem.kind).toBe('source');
			expect(problem.message).toBe(describeFailedLoad(url, 'ERR_CONNECTION_REFUSED'));
			expect(problem.message).toContain(`${url}: net::ERR_CONNECTION_REFUSED (nothing accepts connections at that address)`);
			// The status bar says it too, in the source's status.
			expect(run.lines().some(line => line.type === 'status' && line.detail?.startsWith('the page did not load in the tab') === true)).toBe(true);
			expect(run.lines().filter(line => line.type === 'problem' && line.message?.includes('the page did not load') === true)).toHaveLength(1);
		} finally {
			run.child.kill('SIGTERM');
		}

		expect(await run.exited).toBe(143);
	}, 60_000);

	test('--source cdp attaching to a tab that had already failed: the same, read from the tab\'s error page', async () => {
		const chrome = await lab.launch();
		const url = `http://127.0.0.1:${await closedPort()}/`;
		const targets = await CDP.List({host: chrome.host, port: chrome.port});
		const page = targets.find(target => target.type === 'page')!;
		const client = await CDP({host: chrome.host, port: chrome.port, target: page, local: true});
		try {
			await client.Page.enable();
			const navigation = await client.Page.navigate({url});
			expect(navigation.errorText).toBe('net::ERR_CONNECTION_REFUSED');
		} finally {
			await client.close();
		}

		const run = start(['--source', 'cdp', '--cdp', `${chrome.host}:${chrome.port}`, '--target', '127.0.0.1', '--json']);
		try {
			const problem = await waitFor(() => notLoaded(run.lines()), 'the page-did-not-load problem', 30_000);
			expect(problem.message).toBe(describeFailedLoad(url, 'ERR_CONNECTION_REFUSED'));
		} finally {
			run.child.kill('SIGTERM');
		}

		expect(await run.exited).toBe(143);
	}, 60_000);

	test('a page that loads gets no such problem: the game socket connects', async () => {
		const tag = `loads-${process.pid}`;
		const run = start(['--launch', '--json', '--target', `tag=${tag}`], {RUGS_TUI_LAUNCH_URL: server.pageUrl(tag)});
		try {
			await waitFor(() => run.lines().find(line => line.type === 'status' && line.state === 'connected'), 'the game socket to connect', 30_000);
			expect(notLoaded(run.lines())).toBeUndefined();
		} finally {
			run.child.kill('SIGTERM');
		}

		await run.exited;
	}, 60_000);
});

describe('reading a failed load', () => {
	test('the main frame of Chrome\'s error page, and nothing else', () => {
		expect(failedLoad({url: 'chrome-error://chromewebdata/', unreachableUrl: 'https://rugs.fun/'})).toBe('https://rugs.fun/');
		expect(failedLoad({url: 'chrome-error://chromewebdata/'})).toBe('chrome-error://chromewebdata/');
		expect(failedLoad({url: 'https://rugs.fun/'})).toBeUndefined();
		expect(failedLoad({url: 'chrome-error://chromewebdata/', unreachableUrl: 'https://ads.example/', parentId: 'main'})).toBeUndefined();
		expect(failedLoad(undefined)).toBeUndefined();
	});

	test('error codes, as Chrome writes them', () => {
		expect(errorCodeIn('net::ERR_INTERNET_DISCONNECTED')).toBe('ERR_INTERNET_DISCONNECTED');
		expect(errorCodeIn('\n  ERR_NAME_NOT_RESOLVED  ')).toBe('ERR_NAME_NOT_RESOLVED');
		expect(errorCodeIn('')).toBeUndefined();
		expect(errorCodeIn(42)).toBeUndefined();
	});

	test('what the message says: the URL, the code and its meaning, what to do', () => {
		expect(describeFailedLoad('https://rugs.fun/', 'ERR_INTERNET_DISCONNECTED')).toBe('the page did not load in the tab: https://rugs.fun/: net::ERR_INTERNET_DISCONNECTED (no network connection); no game socket can open until it does: fix the cause and reload the tab (or restart rugs-tui)');
		expect(describeFailedLoad('https://rugs.fun/', 'ERR_CERT_DATE_INVALID')).toContain('net::ERR_CERT_DATE_INVALID (its certificate was refused)');
		expect(describeFailedLoad('https://rugs.fun/', 'ERR_SOMETHING_NEW')).toContain('net::ERR_SOMETHING_NEW;');
		expect(describeFailedLoad('https://rugs.fun/', undefined)).toContain('Chrome shows its error page and gave no reason');
	});
});
