import {execFile, execFileSync} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, afterEach, describe, expect, test} from 'vitest';
import {checkCdpHost, classifyHost, isLoopbackIp} from '../source/sources/cdp-address.js';
import {createCdpSource, type CdpSourceOptions} from '../source/sources/cdp.js';
import {waitFor} from './helpers/browser.js';
import {createBusLog} from './helpers/bus-log.js';
import {startFakeDevTools, type FakeDevTools, type FakeDevToolsOptions} from './helpers/fake-devtools.js';
import {tempFolder} from './helpers/own-recordings.js';
import {binPath} from './helpers/project.js';
import {linesOf} from './helpers/cli.js';

/**
The loopback rule holds for every socket the CDP source opens, not just for
the --cdp flag: a DevTools endpoint on 127.0.0.1 whose tab list advertises a
debugger URL elsewhere (10.0.0.1, 0.0.0.0, a name that resolves elsewhere), or
that redirects the list or the tab's WebSocket elsewhere, gets no connection
from rugs-tui; a --cdp host name is resolved once and must resolve to loopback
only; text that only looks like an IP (127.999.999.999) is refused without a
lookup. `--allow-remote-cdp` still allows remote hosts, explicitly.

Checked without sending a packet anywhere: the CLI runs with a guard
(helpers/no-remote-connect.mjs) that stops, and writes down, any connection to a
non-loopback address and any name lookup before it happens — so a test fails on
the attempt itself. In-process tests give the source their own resolver.
*/

const guard = path.join(path.dirname(fileURLToPath(import.meta.url)), 'helpers/no-remote-connect.mjs');
const folder = tempFolder('rugs-tui-loopback-');
const cleanups: Array<() => Promise<unknown>> = [];
let runs = 0;

afterEach(async () => {
	for (const cleanup of cleanups.splice(0).toReversed()) {
		await cleanup();
	}
});

afterAll(() => {
	folder.remove();
});

async function devtools(options: FakeDevToolsOptions): Promise<FakeDevTools> {
	const fake = await startFakeDevTools(options);
	cleanups.push(async () => fake.close());
	return fake;
}

/** A network namespace of its own (no route anywhere), where the system allows one: a second guard for runs that need no endpoint. */
const canIsolate = (() => {
	try {
		execFileSync('unshare', ['-rn', 'true'], {stdio: 'ignore'});
		return true;
	} catch {
		return false;
	}
})();

type Guarded = {attempts: string[]; code: number | null; stderr: string; stdout: string};

/**
Run the CLI under the guard; what it tried to reach outside loopback, and how
it ended. `isolated`: also in a network namespace with no route anywhere, when
the system allows (the run then cannot reach the test's own endpoints either).
*/
async function guarded(args: string[], options: {isolated?: boolean} = {}): Promise<Guarded> {
	const log = path.join(folder.dir, `attempts-${++runs}.log`);
	const env: NodeJS.ProcessEnv = {...process.env, FORCE_COLOR: '0', NODE_OPTIONS: `--import=${guard}`, RUGS_TEST_CONNECT_LOG: log};
	delete env['CI'];
	const [command, prefix] = options.isolated === true && canIsolate ? ['unshare', ['-rn', process.execPath]] : [process.execPath, []];
	const result = await new Promise<{code: number | null; stdout: string; stderr: string}>((resolve, reject) => {
		execFile(command, [...prefix, binPath, ...args], {env, timeout: 40_000, encoding: 'utf8'}, (error, stdout, stderr) => {
			const code = error === null ? 0 : (typeof error.code === 'number' ? error.code : null);
			if (code === null && error !== null) {
				reject(new Error(`rugs-tui ${args.join(' ')} did not end: ${error.message}`));
				return;
			}

			resolve({code, stdout, stderr});
		});
	});
	const attempts = existsSync(log) ? linesOf(readFileSync(log, 'utf8')) : [];
	return {attempts, ...result};
}

function problems(stderr: string): string[] {
	return linesOf(stderr).filter(line => line.startsWith('{')).map(line => JSON.parse(line) as Record<string, unknown>).filter(record => record['type'] === 'problem').map(record => String(record['message']));
}

describe('the guard itself', () => {
	test('it does stop and write down a connection to 10.0.0.1 (so the tests below can fail)', async () => {
		const {attempts, code} = await guarded(['--source', 'direct', '--url', 'http://10.0.0.1:9/', '--max-reconnects', '0', '--json'], {isolated: true});
		expect(attempts).toEqual(['connect 10.0.0.1:9']);
		expect(code).toBe(1);
	});
});

describe('a DevTools endpoint on 127.0.0.1 that points elsewhere gets no connection', () => {
	test.each([
		['ws://10.0.0.1:PORT/devtools/page/FAKE-TAB', 'the tab\'s debugger URL (ws://10.0.0.1:PORT/devtools/page/FAKE-TAB) names 10.0.0.1 is not a loopback address: refused'],
		['ws://0.0.0.0:PORT/devtools/page/FAKE-TAB', 'names 0.0.0.0 is not a loopback address: refused'],
		['ws://[::ffff:10.0.0.1]:PORT/devtools/page/FAKE-TAB', 'names ::ffff:a00:1 is not a loopback address: refused'],
		['ws://[fe80::1]:PORT/devtools/page/FAKE-TAB', 'names fe80::1 is not a loopback address: refused'],
		['ws://devtools.example:PORT/devtools/page/FAKE-TAB', 'names devtools.example does not resolve'],
		['http://127.0.0.1:PORT/devtools/page/FAKE-TAB', 'is not a WebSocket URL'],
	])('advertised %s: no attempt, the refusal reported, and it gives up after --max-reconnects', async (advertised, reason) => {
		const fake = await devtools({debuggerUrl: advertised});
		const {attempts, code, stderr} = await guarded(['--source', 'cdp', '--cdp', `127.0.0.1:${fake.port}`, '--max-reconnects', '1', '--json']);
		// The name is looked up by the guard's resolver, which answers nothing and sends nothing.
		expect(attempts).toEqual(advertised.includes('devtools.example') ? ['lookup devtools.example', 'lookup devtools.example'] : []);
		expect(fake.attaches()).toBe(0);
		expect(fake.lists()).toBe(2);
		expect(code).toBe(1);
		expect(problems(stderr).join('\n')).toContain(reason.replaceAll('PORT', String(fake.port)));
		expect(linesOf(stderr).at(-1)).toMatch(/^rugs-tui: .*gave up after 1 reconnection attempt/);
	});

	test('a redirect of the tab\'s WebSocket to 10.0.0.1 is not followed', async () => {
		const fake = await devtools({upgradeRedirect: 'ws://10.0.0.1:PORT/devtools/page/FAKE-TAB'});
		const {attempts, code, stderr} = await guarded(['--source', 'cdp', '--cdp', `127.0.0.1:${fake.port}`, '--max-reconnects', '0', '--json']);
		expect(attempts).toEqual([]);
		expect(fake.attaches()).toBe(1);
		expect(code).toBe(1);
		expect(linesOf(stderr).at(-1)).toMatch(/the tab's DevTools socket answered HTTP 302 \(a redirect, not followed\)/);
	});

	test('a redirect of the tab list to 10.0.0.1 is not followed', async () => {
		const fake = await devtools({listRedirect: 'http://10.0.0.1:PORT/json/list'});
		const {attempts, code, stderr} = await guarded(['--source', 'cdp', '--cdp', `127.0.0.1:${fake.port}`, '--max-reconnects', '0', '--json']);
		expect(attempts).toEqual([]);
		expect(code).toBe(1);
		expect(linesOf(stderr).at(-1)).toMatch(/\/json\/list answered HTTP 302 \(a redirect, not followed\)/);
	});

	test('--allow-remote-cdp still allows it, explicitly: the attempt to 10.0.0.1 is made (and stopped by the guard)', async () => {
		const fake = await devtools({debuggerUrl: 'ws://10.0.0.1:PORT/devtools/page/FAKE-TAB'});
		const {attempts, code} = await guarded(['--source', 'cdp', '--cdp', `127.0.0.1:${fake.port}`, '--allow-remote-cdp', '--max-reconnects', '0', '--json']);
		expect(attempts).toEqual([`connect 10.0.0.1:${fake.port}`]);
		expect(code).toBe(1);
	});

	test('an advertised loopback URL is allowed and attaches', async () => {
		const fake = await devtools({debuggerUrl: 'ws://127.0.0.1:PORT/devtools/page/FAKE-TAB'});
		const log = createBusLog();
		const source = createCdpSource(log.bus, sourceOptions(fake));
		cleanups.push(async () => source.stop());
		source.start();
		await waitFor(() => log.statuses.some(status => status.detail?.startsWith('attached to tab') === true), 'the attach');
		expect(fake.attaches()).toBe(1);
	});
});

describe('the --cdp host', () => {
	test.each([
		['127.999.999.999', '"127.999.999.999" is not a valid IP address'],
		['127.1', '"127.1" is not a valid IP address'],
		['2130706433', '"2130706433" is not a valid IP address'],
		['0x7f000001', '"0x7f000001" is not a valid IP address'],
	])('%s is refused as a usage error, without a lookup', async (host, reason) => {
		const {attempts, code, stderr} = await guarded(['--source', 'cdp', '--cdp', `${host}:9222`, '--json'], {isolated: true});
		expect(attempts).toEqual([]);
		expect(code).toBe(2);
		expect(stderr).toBe(`rugs-tui: --cdp ${host}: ${reason}\n`);
	});

	test('the source refuses such text too, for good, when it is given one', async () => {
		const log = createBusLog();
		const source = createCdpSource(log.bus, {host: '127.999.999.999', port: 9222, target: 'rugs.fun', async resolve() {
			throw new Error('no lookup may be made');
		}});
		cleanups.push(async () => source.stop());
		source.start();
		expect(await source.ended).toMatchObject({reason: 'gave-up', message: '--cdp 127.999.999.999: "127.999.999.999" is not a valid IP address'});
	});

	test('0.0.0.0 is refused as non-loopback before anything is opened', async () => {
		const {attempts, code, stderr} = await guarded(['--source', 'cdp', '--cdp', '0.0.0.0:9222', '--json'], {isolated: true});
		expect(attempts).toEqual([]);
		expect(code).toBe(2);
		expect(stderr).toContain('refusing a non-loopback DevTools host');
	});

	test('a host name is resolved once, and refused for good when any address is outside loopback', async () => {
		const lookups: string[] = [];
		const fake = await devtools({});
		for (const answer of [['10.0.0.1'], ['127.0.0.1', '10.0.0.1'], ['::1', 'fe80::1']]) {
			const log = createBusLog();
			const source = createCdpSource(log.bus, {...sourceOptions(fake), host: 'devtools.example', async resolve(name) {
				lookups.push(name);
				return answer;
			}});
			cleanups.push(async () => source.stop());
			source.start();
			const end = await source.ended;
			expect(end).toMatchObject({reason: 'gave-up', message: expect.stringContaining('--cdp devtools.example devtools.example resolves to ') as unknown});
			expect((end as {message: string}).message).toContain(', not a loopback address: refused');
		}

		expect(lookups).toEqual(['devtools.example', 'devtools.example', 'devtools.example']);
		expect(fake.lists()).toBe(0);
	});

	test('a host name that resolves to loopback only is connected to by its address, looked up once however often it reattaches', async () => {
		const fake = await devtools({debuggerUrl: 'ws://devtools.example:PORT/devtools/page/FAKE-TAB'});
		const lookups: string[] = [];
		const log = createBusLog();
		const source = createCdpSource(log.bus, {...sourceOptions(fake), host: 'devtools.example', async resolve(name) {
			lookups.push(name);
			return ['127.0.0.1', '::1'];
		}});
		cleanups.push(async () => source.stop());
		source.start();
		await waitFor(() => log.statuses.some(status => status.detail?.startsWith('attached to tab') === true), 'the attach');
		expect(lookups).toEqual(['devtools.example']);
	});
});

describe('the rule, unit by unit', () => {
	test.each([
		['127.0.0.1', true],
		['127.255.0.9', true],
		['::1', true],
		['0:0:0:0:0:0:0:1', true],
		['::ffff:127.0.0.1', true],
		['0.0.0.0', false],
		['10.0.0.1', false],
		['::', false],
		['::ffff:10.0.0.1', false],
		['128.0.0.1', false],
		['localhost', false],
	])('isLoopbackIp(%s) = %s', (address, loopback) => {
		expect(isLoopbackIp(address)).toBe(loopback);
	});

	test.each([
		['[::1]', {kind: 'ip', address: '::1', loopback: true}],
		['localhost', {kind: 'name', name: 'localhost'}],
		['Chrome.Local', {kind: 'name', name: 'chrome.local'}],
		['127.999.999.999', {kind: 'invalid', reason: '"127.999.999.999" is not a valid IP address'}],
		['1.2.3', {kind: 'invalid', reason: '"1.2.3" is not a valid IP address'}],
		['::g', {kind: 'invalid', reason: '"::g" is not a valid IP address'}],
		['a b', {kind: 'invalid', reason: '"a b" is not a valid host name'}],
		['-bad-', {kind: 'invalid', reason: '"-bad-" is not a valid host name'}],
	])('classifyHost(%s)', (host, kind) => {
		expect(classifyHost(host)).toEqual(kind);
	});

	test('a name is looked up once per cache; a failed lookup is asked again', async () => {
		const cache = new Map<string, Promise<string[]>>();
		let calls = 0;
		const resolve = async () => {
			calls++;
			if (calls === 1) {
				throw Object.assign(new Error('temporary'), {code: 'EAI_AGAIN'});
			}

			return ['127.0.0.1'];
		};

		expect(await checkCdpHost('devtools.example', 'x', {allowRemote: false, resolve, cache})).toEqual({ok: false, reason: 'x devtools.example does not resolve (EAI_AGAIN)', fatal: false});
		await new Promise(resolve_ => {
			setImmediate(resolve_);
		});
		expect(await checkCdpHost('devtools.example', 'x', {allowRemote: false, resolve, cache})).toEqual({ok: true, address: '127.0.0.1'});
		expect(await checkCdpHost('devtools.example', 'x', {allowRemote: false, resolve, cache})).toEqual({ok: true, address: '127.0.0.1'});
		expect(calls).toBe(2);
	});
});

function sourceOptions(fake: FakeDevTools): CdpSourceOptions {
	return {host: '127.0.0.1', port: fake.port, target: 'rugs.fun', attachTimeoutMs: 2000, backoff: {minMs: 20, maxMs: 50}, maxReconnects: 0};
}
