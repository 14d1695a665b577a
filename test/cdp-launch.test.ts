import {spawn, type ChildProcess} from 'node:child_process';
import {existsSync} from 'node:fs';
import {rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {chromeCandidates, findChrome, launchChrome} from '../source/sources/chrome-launch.js';
import {chromePath, createBrowserLab, leftoverProfiles, processesInGroup, processesMentioning, waitFor} from './helpers/browser.js';
import {startGamePageServer, type GamePageServer} from './helpers/game-page-server.js';
import {spawnCli} from './helpers/cli.js';
import {projectRoot} from './helpers/project.js';

/**
`--launch` and the launcher under it: the browser starts with a fresh profile,
and on every way out — close, SIGINT, SIGTERM, an uncaught error — the browser
and all its helper processes are gone and the profile is deleted.
*/

const lab = createBrowserLab();
let server: GamePageServer;
const children: ChildProcess[] = [];

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

type Run = {child: ChildProcess; stdout: () => string; stderr: () => string; exited: Promise<{code: number | null; signal: NodeJS.Signals | null}>};

function run(args: string[], env: NodeJS.ProcessEnv = {}): Run {
	// No display: Chromium must be the headless one whatever the machine has.
	const child = spawnCli(args, {env: {DISPLAY: undefined, WAYLAND_DISPLAY: undefined, CHROME_PATH: chromePath, TMPDIR: lab.profileParent, ...env}});
	children.push(child);
	let stdout = '';
	let stderr = '';
	child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
		stdout += chunk;
	});
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
		stderr += chunk;
	});
	const exited = new Promise<{code: number | null; signal: NodeJS.Signals | null}>(resolve => {
		child.once('exit', (code, signal) => {
			resolve({code, signal});
		});
	});
	return {child, stdout: () => stdout, stderr: () => stderr, exited};
}

function jsonLines(text: string): Array<Record<string, unknown>> {
	return text.split('\n').filter(line => line.trim() !== '').map(line => JSON.parse(line) as Record<string, unknown>);
}

describe('finding the browser', () => {
	test('CHROME_PATH wins, and must exist', () => {
		expect(findChrome({CHROME_PATH: '/opt/my/chrome'}, file => file === '/opt/my/chrome')).toBe('/opt/my/chrome');
		expect(findChrome({CHROME_PATH: '/nowhere/chrome'}, () => false)).toBeUndefined();
		expect(findChrome({}, file => file === '/usr/bin/chromium', 'linux')).toBe('/usr/bin/chromium');
		expect(findChrome({}, () => false, 'linux')).toBeUndefined();
	});

	test('the usual places for each system', () => {
		expect(chromeCandidates('linux')[0]).toBe('/usr/lib/chromium/chromium');
		expect(chromeCandidates('darwin')[0]).toBe('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome');
		expect(chromeCandidates('win32', {PROGRAMFILES: String.raw`C:\Program Files`})).toContain(path.join(String.raw`C:\Program Files`, 'Google', 'Chrome', 'Application', 'chrome.exe'));
	});
});

describe('launching', () => {
	test('a fresh profile and DevTools on 127.0.0.1; close() leaves no process and no profile', async () => {
		const chrome = await lab.launch();
		expect(chrome.host).toBe('127.0.0.1');
		expect(existsSync(path.join(chrome.profileDir, 'DevToolsActivePort'))).toBe(true);
		expect(path.basename(chrome.profileDir)).toMatch(/^rugs-tui-chrome-/);
		const version = await fetch(`http://127.0.0.1:${chrome.port}/json/version`).then(async response => response.json() as Promise<Record<string, string>>);
		expect(version['Browser']).toMatch(/Chrome|Chromium/);
		expect(processesInGroup(chrome.pid).length).toBeGreaterThan(0);

		await chrome.close();
		expect(chrome.running).toBe(false);
		expect(processesInGroup(chrome.pid)).toEqual([]);
		expect(processesMentioning(chrome.profileDir)).toEqual([]);
		expect(existsSync(chrome.profileDir)).toBe(false);
		await chrome.close();
	});

	test('a browser that cannot start is reported with its own words, and leaves no profile', async () => {
		await expect(launchChrome({executable: '/bin/false', profileParent: lab.profileParent, headless: true})).rejects.toThrow(/\/bin\/false exited with code 1 before opening its DevTools port/);
		await expect(launchChrome({executable: path.join(lab.profileParent, 'no-such-browser'), profileParent: lab.profileParent})).rejects.toThrow(/could not be started/);
		expect(leftoverProfiles(lab.profileParent)).toEqual([]);
	});

	test('an uncaught error in the process that launched it still closes the browser and deletes the profile', async () => {
		const script = String.raw`
			const {launchChrome} = await import(${JSON.stringify(path.join(projectRoot, 'dist/sources/chrome-launch.js'))});
			const chrome = await launchChrome({executable: ${JSON.stringify(chromePath)}, headless: true, profileParent: ${JSON.stringify(lab.profileParent)}});
			process.stdout.write(JSON.stringify({pid: chrome.pid, profileDir: chrome.profileDir}) + '\n');
			setTimeout(() => { throw new Error('boom'); }, 10);
		`;
		const child = spawn(process.execPath, ['--input-type=module', '-e', script], {stdio: ['ignore', 'pipe', 'pipe']});
		children.push(child);
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
			stdout += chunk;
		});
		child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
			stderr += chunk;
		});
		const code = await new Promise<number | null>(resolve => {
			child.once('exit', resolve);
		});
		expect(stderr).toContain('boom');
		expect(code).toBe(1);
		const {pid, profileDir} = JSON.parse(stdout) as {pid: number; profileDir: string};
		expect(processesInGroup(pid)).toEqual([]);
		expect(existsSync(profileDir)).toBe(false);
	});
});

describe('a program that does not handle the signal itself', () => {
	test.each(['SIGHUP', 'SIGTERM', 'SIGQUIT'] as const)('%s still closes the browser and deletes the profile, and ends the process by that signal', async signal => {
		const script = String.raw`
			const {launchChrome} = await import(${JSON.stringify(path.join(projectRoot, 'dist/sources/chrome-launch.js'))});
			const chrome = await launchChrome({executable: ${JSON.stringify(chromePath)}, headless: true, profileParent: ${JSON.stringify(lab.profileParent)}});
			process.stdout.write(JSON.stringify({pid: chrome.pid, profileDir: chrome.profileDir}) + '\n');
			setInterval(() => {}, 1000);
		`;
		const child = spawn(process.execPath, ['--input-type=module', '-e', script], {stdio: ['ignore', 'pipe', 'pipe']});
		children.push(child);
		let stdout = '';
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
			stdout += chunk;
		});
		const exited = new Promise<{code: number | null; signal: NodeJS.Signals | null}>(resolve => {
			child.once('exit', (code, exitSignal) => {
				resolve({code, signal: exitSignal});
			});
		});
		await waitFor(() => stdout.includes('\n'), 'the browser to start', 25_000);
		const {pid, profileDir} = JSON.parse(stdout) as {pid: number; profileDir: string};
		expect(existsSync(profileDir)).toBe(true);
		expect(processesInGroup(pid).length).toBeGreaterThan(0);

		child.kill(signal);
		expect(await exited).toEqual({code: null, signal});
		expect(processesInGroup(pid)).toEqual([]);
		// Chromium's crash handlers run in their own session and exit a moment after the browser they watch.
		await waitFor(() => processesMentioning(profileDir).length === 0, 'the crash handlers to exit', 5000).catch(() => undefined);
		expect(processesMentioning(profileDir)).toEqual([]);
		expect(existsSync(profileDir)).toBe(false);
	});
});

describe('rugs-tui --launch', () => {
	test.each([['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129], ['SIGQUIT', 131]] as const)('streams the launched tab\'s events, redacted, and on %s closes the browser and deletes the profile', async (signal, expectedCode) => {
		const tag = `launch-${signal}`;
		const cli = run(['--launch', '--json', '--redact', '--target', `tag=${tag}`], {RUGS_TUI_LAUNCH_URL: server.pageUrl(tag)});
		await waitFor(() => jsonLines(cli.stderr()).some(line => line['type'] === 'status' && typeof line['detail'] === 'string' && /attached to tab|^tab /.test(line['detail'])), 'rugs-tui to attach to the launched tab', 25_000)
			.catch((error: unknown) => {
				throw new Error(`${String(error)}\nstderr:\n${cli.stderr()}`);
			});
		const statuses = jsonLines(cli.stderr()).filter(line => line['type'] === 'status');
		expect(statuses[0]?.['detail']).toMatch(/^launching .* \(headless: no display\) with a temporary profile$/);
		const launched = statuses.find(line => String(line['detail']).startsWith('launched the browser'));
		const port = Number(/127\.0\.0\.1:(\d+)/.exec(String(launched?.['detail']))?.[1]);
		expect(port).toBeGreaterThan(0);

		const room = server.io.to(tag);
		// The page may still be connecting: knock until rugs-tui hears it.
		await waitFor(() => {
			room.emit('knock', {});
			return jsonLines(cli.stdout()).some(line => line['event'] === 'knock');
		}, 'the launched page to connect and be heard');
		room.emit('usernameStatus', {__trace: true, traceparent: '00-1-2-01'}, {id: 'did:privy:me', username: 'me', hasUsername: true});
		room.emit('standard/newTrade', {__trace: true, traceparent: '00-abc-def-01'}, {id: 't-1', playerId: 'did:privy:cma0m5z4r00afjx0mjpryyqo5', username: 'jKolby', type: 'buy', price: 1.5});
		room.emit('gameStateUpdate', {gameId: 'g-1', tickCount: 3, price: 1.5});
		await waitFor(() => jsonLines(cli.stdout()).some(line => line['event'] === 'gameStateUpdate'), 'the events on stdout');

		const events = jsonLines(cli.stdout());
		expect(events.every(line => line['source'] === 'cdp')).toBe(true);
		expect(events.some(line => line['event'] === 'usernameStatus')).toBe(false);
		const trade = events.find(line => line['event'] === 'standard/newTrade');
		const traded = trade?.['data'] as Record<string, unknown> | undefined;
		expect(traded).toMatchObject({id: 't-1', type: 'buy', price: 1.5});
		expect(traded?.['playerId']).toMatch(/^did:redacted:/);
		expect(traded?.['username']).toMatch(/^anon-/);
		expect(cli.stdout()).not.toMatch(/did:privy|jKolby/);
		expect(events.find(line => line['event'] === 'gameStateUpdate')?.['data']).toEqual({gameId: 'g-1', tickCount: 3, price: 1.5});

		const profiles = leftoverProfiles(lab.profileParent);
		expect(profiles).toHaveLength(1);
		cli.child.kill(signal);
		const exit = await cli.exited;
		// SIGHUP ends rugs-tui by the signal itself once everything is closed; a shell shows 129 for that too.
		expect(exit.code ?? 128 + os.constants.signals[exit.signal!]).toBe(expectedCode);
		expect(processesMentioning(path.join(lab.profileParent, profiles[0]!))).toEqual([]);
		expect(leftoverProfiles(lab.profileParent)).toEqual([]);
		// Nothing listens on the browser's DevTools port any more.
		await expect(fetch(`http://127.0.0.1:${port}/json/version`)).rejects.toThrow();
	});

	test('--source auto --launch: the launched tab first; when that browser is closed, the direct socket carries on', async () => {
		const tag = 'launch-auto';
		const cli = run(['--source', 'auto', '--launch', '--json', '--target', `tag=${tag}`, '--url', `${server.origin}/?tag=${tag}`], {RUGS_TUI_LAUNCH_URL: server.pageUrl(tag)});
		const room = server.io.to(tag);
		let knocks = 0;
		await waitFor(() => {
			room.emit('knock', {n: ++knocks});
			return jsonLines(cli.stdout()).some(line => line['event'] === 'knock' && line['source'] === 'cdp');
		}, 'the launched tab to be heard', 25_000).catch((error: unknown) => {
			throw new Error(`${String(error)}\nstderr:\n${cli.stderr()}`);
		});
		const [profile] = leftoverProfiles(lab.profileParent);
		const launched = jsonLines(cli.stderr()).find(line => String(line['detail']).includes('launched the browser'));
		const port = Number(/127\.0\.0\.1:(\d+)/.exec(String(launched?.['detail']))?.[1]);
		const browser = await fetch(`http://127.0.0.1:${port}/json/version`).then(async response => response.json() as Promise<{webSocketDebuggerUrl: string}>);
		// The user closes the browser window: Browser.close from outside.
		const {default: WebSocket} = await import('ws');
		const ws = new WebSocket(browser.webSocketDebuggerUrl);
		await new Promise(resolve => {
			ws.once('open', resolve);
		});
		ws.send(JSON.stringify({id: 1, method: 'Browser.close'}));
		await waitFor(() => processesMentioning(path.join(lab.profileParent, profile!)).length === 0, 'the browser to close');
		ws.terminate();

		await waitFor(() => {
			room.emit('knock', {n: ++knocks});
			return jsonLines(cli.stdout()).some(line => line['event'] === 'knock' && line['source'] === 'direct');
		}, 'the direct socket to take over', 25_000);
		cli.child.kill('SIGINT');
		const exit = await cli.exited;
		expect(exit.code).toBe(130);
		const numbers = jsonLines(cli.stdout()).filter(line => line['event'] === 'knock').map(line => (line['data'] as {n: number}).n);
		expect(new Set(numbers).size).toBe(numbers.length);
		expect(numbers).toEqual(numbers.toSorted((a, b) => a - b));
		expect(leftoverProfiles(lab.profileParent)).toEqual([]);
	});

	test('even a SIGKILL of rugs-tui takes the launched browser down with it (the profile is all that remains)', async () => {
		const tag = 'launch-SIGKILL';
		const cli = run(['--launch', '--json', '--target', `tag=${tag}`], {RUGS_TUI_LAUNCH_URL: server.pageUrl(tag)});
		await waitFor(() => jsonLines(cli.stderr()).some(line => String(line['detail']).startsWith('launched the browser')), 'the browser to start', 25_000);
		const [profile] = leftoverProfiles(lab.profileParent);
		expect(profile).toBeDefined();
		const profileDir = path.join(lab.profileParent, profile!);
		expect(processesMentioning(profileDir).length).toBeGreaterThan(0);

		cli.child.kill('SIGKILL');
		await cli.exited;
		await waitFor(() => processesMentioning(profileDir).length === 0, 'the orphaned browser to exit by itself');
		await rm(profileDir, {recursive: true, force: true, maxRetries: 10, retryDelay: 50});
	});

	test('no browser to launch: a clear error, exit 1', async () => {
		const cli = run(['--launch', '--json'], {CHROME_PATH: '/nowhere/chrome'});
		const exit = await cli.exited;
		expect(exit.code).toBe(1);
		expect(cli.stderr()).toContain('rugs-tui: --launch: CHROME_PATH=/nowhere/chrome does not exist: point CHROME_PATH at a Chrome or Chromium executable');
		expect(leftoverProfiles(lab.profileParent)).toEqual([]);
	});

	test.each([
		[['--launch', '--source', 'direct'], '--launch watches the browser it starts, so it cannot be combined with --source direct'],
		[['--launch', '--demo'], '--launch watches the browser it starts, so it cannot be combined with --demo'],
		[['--launch', '--cdp', '9333'], '--launch picks a free DevTools port itself: drop --cdp'],
		[['--cdp', 'devbox.example:9222'], '--cdp devbox.example: refusing a non-loopback DevTools host (CDP is full control of that browser); add --allow-remote-cdp if you mean it'],
		[['--source', 'cdp', '--cdp', '192.168.1.20:9222'], '--cdp 192.168.1.20: refusing a non-loopback DevTools host'],
	])('refuses %j before connecting anywhere', async (args, message) => {
		const cli = run([...args, '--json']);
		const exit = await cli.exited;
		expect(exit.code).toBe(2);
		expect(cli.stderr()).toContain(message);
		expect(cli.stdout()).toBe('');
	});

	test('--source cdp with no browser there: says what to do, retries, and fails after --max-reconnects', async () => {
		// A port that was just free: nothing listens there.
		const {createServer} = await import('node:net');
		const probe = createServer();
		const port = await new Promise<number>(resolve => {
			probe.listen(0, '127.0.0.1', () => {
				resolve((probe.address() as {port: number}).port);
			});
		});
		await new Promise(resolve => {
			probe.close(resolve);
		});

		const cli = run(['--source', 'cdp', '--cdp', `127.0.0.1:${port}`, '--max-reconnects', '1', '--json']);
		const exit = await cli.exited;
		expect(exit.code).toBe(1);
		const lines = cli.stderr().split('\n').filter(line => line !== '');
		const statuses = jsonLines(lines.slice(0, -1).join('\n')).filter(line => line['type'] === 'status');
		// The first try, the failure with the wait before attempt 1, attempt 1 itself, and the end after it.
		expect(statuses.map(line => line['state'])).toEqual(['connecting', 'reconnecting', 'connecting', 'ended']);
		const advice = `no Chrome DevTools at 127.0.0.1:${port}: start Chrome with --remote-debugging-port=${port} --user-data-dir=<a profile folder of its own>, or use --launch`;
		expect(statuses[1]).toMatchObject({source: 'cdp', endpoint: `127.0.0.1:${port}`, attempt: 1, reconnects: 0, detail: advice});
		expect(statuses[2]).toMatchObject({source: 'cdp', attempt: 1});
		expect(statuses[3]).toMatchObject({source: 'cdp', attempt: 1, reconnects: 0});
		expect(lines.at(-1)).toBe(`rugs-tui: ${advice}; gave up after 1 reconnection attempt (allow more with --max-reconnects)`);
	});
});
