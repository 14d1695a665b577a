import {spawn} from 'node:child_process';
import {afterEach, describe, expect, it} from 'vitest';
import type {Socket as ServerSocket} from 'socket.io';
import {asEnvelope} from '../source/protocol/envelope.js';
import {syntheticSession} from './helpers/game-script.js';
import {binPath, projectRoot} from './helpers/project.js';
import {deadPort, sendRaw, startSocketServer, type TestServer} from './helpers/socket-server.js';

// These spawn the built command: `npm test` builds first (or run `npm run build`).

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
	for (const cleanup of cleanups.splice(0).toReversed()) {
		await cleanup();
	}
});

type Run = {code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string};

function quote(argument: string): string {
	return `'${argument.replaceAll('\'', String.raw`'\''`)}'`;
}

/**
Run a shell command line (pipes and all) in its own process group; on timeout
the whole group is killed and the test fails with what was seen.
*/
async function shell(commandLine: string, options: {timeoutMs?: number; onStderr?: (text: string, child: ReturnType<typeof spawn>) => void} = {}): Promise<Run> {
	const child = spawn('bash', ['-o', 'pipefail', '-c', commandLine], {cwd: projectRoot, detached: true, stdio: ['ignore', 'pipe', 'pipe']});
	let stdout = '';
	let stderr = '';
	child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
		stdout += chunk;
	});
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
		stderr += chunk;
		options.onStderr?.(stderr, child);
	});
	const timeoutMs = options.timeoutMs ?? 20_000;
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			try {
				process.kill(-child.pid!, 'SIGKILL');
			} catch {}

			reject(new Error(`\`${commandLine}\` did not end within ${timeoutMs} ms\nstdout: ${stdout.slice(0, 500)}\nstderr: ${stderr.slice(-1500)}`));
		}, timeoutMs);
		child.once('close', (code, signal) => {
			clearTimeout(timer);
			resolve({code, signal, stdout, stderr});
		});
	});
}

const node = quote(process.execPath);
const bin = quote(binPath);

/** A server playing the synthetic session over and over, fast, to whoever connects. */
async function feedServer(firstConnection?: (socket: ServerSocket) => void): Promise<TestServer> {
	const script = syntheticSession();
	const server = await startSocketServer({onConnection(socket, index) {
		if (index === 1 && firstConnection !== undefined) {
			firstConnection(socket);
			return;
		}

		let next = 0;
		const timer = setInterval(() => {
			const {event, args} = script[next++ % script.length]!;
			socket.emit(event, ...args);
		}, 2);
		socket.once('disconnect', () => {
			clearInterval(timer);
		});
	}});
	cleanups.push(async () => server.close());
	return server;
}

function stderrRecords(stderr: string): Array<Record<string, unknown>> {
	return stderr.split('\n').filter(line => line.startsWith('{')).map(line => JSON.parse(line) as Record<string, unknown>);
}

/** The live sources `| head -50` must work for. */
const liveSources: Array<{name: string; source: string; args: (server: TestServer) => string[]}> = [
	{name: '--source direct --url', source: 'direct', args: server => ['--source', 'direct', '--url', server.url]},
	{name: '--demo', source: 'demo', args: () => ['--demo']},
];

describe('rugs-tui with a live source in --json mode', () => {
	it.each(liveSources)('$name --json | head -50 yields 50 valid envelopes and exits 0', async ({source, args}) => {
		const server = await feedServer();
		const run = await shell(`${node} ${bin} ${args(server).map(argument => quote(argument)).join(' ')} --json | head -50`);
		expect(run.code, run.stderr).toBe(0);
		const lines = run.stdout.split('\n').filter(line => line !== '');
		expect(lines).toHaveLength(50);
		const envelopes = lines.map(line => asEnvelope(JSON.parse(line)));
		expect(envelopes.every(envelope => envelope?.source === source && envelope.direction === 'received')).toBe(true);
		expect(envelopes.map(envelope => envelope?.seq)).toEqual(envelopes.map((_, index) => index + 1));
		expect(envelopes[0]).toMatchObject({event: 'connect'});
		expect(typeof (envelopes[0]?.data as {sid?: unknown} | undefined)?.sid).toBe('string');
		// gameStateUpdate, and in the logged-in demo the gameStatePlayerUpdate that comes with each.
		expect(envelopes.filter(envelope => envelope?.event.startsWith('gameState') === true).length).toBeGreaterThan(25);
		// The lifecycle is on stderr, as JSON lines; no problems.
		const records = stderrRecords(run.stderr);
		expect(records.filter(record => record['type'] === 'status').map(record => record['state'])).toEqual(expect.arrayContaining(['connecting', 'connected']));
		expect(records.filter(record => record['type'] === 'problem')).toEqual([]);
	});

	it('keeps running through garbage from the server: reports it, reconnects, and goes on', async () => {
		const server = await feedServer(socket => {
			sendRaw(socket, '42["gameStateUpdate",{"broken":');
		});
		const run = await shell(`${node} ${bin} --source direct --url ${quote(server.url)} --json | head -50`);
		expect(run.code, run.stderr).toBe(0);
		expect(run.stdout.split('\n').filter(line => line !== '').map(line => asEnvelope(JSON.parse(line)) !== undefined)).toEqual(Array.from({length: 50}, () => true));
		const problems = stderrRecords(run.stderr).filter(record => record['type'] === 'problem');
		expect(problems).toHaveLength(1);
		expect(problems[0]).toMatchObject({kind: 'decode', source: 'direct'});
		expect(problems[0]!['message']).toMatch(/^malformed Socket\.IO packet \(invalid payload\): `42\["gameStateUpdate",{"broken":`; reconnecting$/);
		expect(server.connections.length).toBeGreaterThanOrEqual(2);
	});

	it('ends with a clear message and exit code 1 when --max-reconnects is used up', async () => {
		const port = await deadPort();
		const run = await shell(`${node} ${bin} --source direct --url http://127.0.0.1:${port} --max-reconnects 0 --json`);
		expect(run.code).toBe(1);
		expect(run.stdout).toBe('');
		expect(run.stderr).toContain(`rugs-tui: cannot connect to http://127.0.0.1:${port} (connect ECONNREFUSED 127.0.0.1:${port}); gave up after 0 reconnection attempts. Check the URL (--url) and the network, or allow more attempts with --max-reconnects\n`);
		const statuses = stderrRecords(run.stderr).filter(record => record['type'] === 'status').map(record => record['state']);
		expect(statuses).toEqual(['connecting', 'ended']);
	});

	it('stops at once on SIGTERM while waiting to reconnect', async () => {
		const port = await deadPort();
		let signalled = false;
		const run = await shell(`exec ${node} ${bin} --source direct --url http://127.0.0.1:${port} --json`, {
			onStderr(stderr, child) {
				// Default backoff: the first retry is 1–1.5 s away when this status is printed.
				if (!signalled && stderr.includes('"state":"reconnecting"')) {
					signalled = true;
					child.kill('SIGTERM');
				}
			},
			timeoutMs: 10_000,
		});
		expect(signalled).toBe(true);
		expect(run.code).toBe(143);
		const statuses = stderrRecords(run.stderr).filter(record => record['type'] === 'status').map(record => record['state']);
		expect(statuses).toEqual(['connecting', 'reconnecting', 'ended']);
	});

	it('rejects a bad --max-reconnects or --url before connecting', async () => {
		const negative = await shell(`${node} ${bin} --source direct --max-reconnects -1 --json`);
		expect(negative.code).toBe(2);
		expect(negative.stderr).toBe('rugs-tui: --max-reconnects -1: expected a whole number ≥ 0\n');
		const notUrl = await shell(`${node} ${bin} --source direct --url ftp://example.com --json`);
		expect(notUrl.code).toBe(2);
		expect(notUrl.stderr).toBe('rugs-tui: --url ftp://example.com: expected an http(s) or ws(s) URL\n');
	});
});
