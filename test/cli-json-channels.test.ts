import {openSync, closeSync, existsSync} from 'node:fs';
import type {AddressInfo} from 'node:net';
import path from 'node:path';
import {setTimeout as delay} from 'node:timers/promises';
import {WebSocketServer} from 'ws';
import {afterAll, afterEach, describe, expect, test} from 'vitest';
import {fixturesDir} from './helpers/project.js';
import {recordingText, tempFolder, testEnvelope} from './helpers/own-recordings.js';
import {linesOf, startCli, stopCli, type CliRun} from './helpers/cli.js';

/**
`--json` keeps its channels' formats, and a failure is never reported as
success. Real processes, real files and devices, real signals:

- stderr carries JSON lines only — Node's own warnings included — and a run that
  fails ends with one `rugs-tui: …` line and exit code 1;
- stdout on /dev/full, or a recording on /dev/full, is a failure (exit 1), not 0;
- delays from the input that no timer can hold (a replay gap over 24.8 days,
  `--speed 1e-308`, an Engine.IO ping interval of 1e12 ms) wait as long as they
  say (or as long as a timer can), instead of firing after 1 ms with a
  TimeoutOverflowWarning.
*/

const folder = tempFolder('rugs-tui-channels-');
const runs: CliRun[] = [];
const session = path.join(fixturesDir, 'session.jsonl');

afterEach(() => {
	for (const run of runs.splice(0)) {
		stopCli(run);
	}
});

afterAll(() => {
	folder.remove();
});

function start(args: string[], options: Parameters<typeof startCli>[1] = {}): CliRun {
	const run = startCli(args, options);
	runs.push(run);
	return run;
}

/** stderr as JSON diagnostics; the plain lines apart (a failure's last line is the only one allowed). */
function channels(stderr: string): {json: Array<Record<string, unknown>>; plain: string[]} {
	const json: Array<Record<string, unknown>> = [];
	const plain: string[] = [];
	for (const line of linesOf(stderr)) {
		if (line.startsWith('{')) {
			const record = JSON.parse(line) as Record<string, unknown>;
			expect(['status', 'problem']).toContain(record['type']);
			json.push(record);
		} else {
			plain.push(line);
		}
	}

	return {json, plain};
}

async function until(run: CliRun, check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) {
			throw new Error(`${what} did not happen within ${timeoutMs} ms; stderr: ${run.stderr().slice(-1500)}`);
		}

		await delay(25);
	}
}

describe.skipIf(!existsSync('/dev/full'))('a failure is never reported as success', () => {
	test('--replay … --json > /dev/full exits 1 with one rugs-tui: line', async () => {
		const full = openSync('/dev/full', 'w');
		try {
			const run = start(['--replay', session, '--json', '--speed', '0'], {stdio: ['ignore', full, 'pipe']});
			const {code} = await run.exited;
			expect(code).toBe(1);
			const {json, plain} = channels(run.stderr());
			expect(plain).toEqual(['rugs-tui: cannot write to stdout (ENOSPC: no space left on device, write)']);
			expect(linesOf(run.stderr()).at(-1)).toBe(plain[0]);
			expect(json).toContainEqual(expect.objectContaining({type: 'problem', kind: 'output', message: 'stdout: ENOSPC: no space left on device, write'}));
		} finally {
			closeSync(full);
		}
	});

	test('--record /dev/full: the events it could not record make the run fail (exit 1), stdout still whole', async () => {
		const events = Array.from({length: 40}, (_, index) => testEnvelope(index + 1, 1_765_577_818_000 + (index * 10)));
		const file = folder.write('forty.jsonl', recordingText(events));
		const run = start(['--replay', file, '--json', '--speed', '0', '--record', '/dev/full']);
		const {code} = await run.exited;
		expect(code).toBe(1);
		expect(linesOf(run.stdout())).toHaveLength(40);
		const {json, plain} = channels(run.stderr());
		expect(plain).toEqual(['rugs-tui: 40 events could not be recorded to /dev/full (ENOSPC: no space left on device, write)']);
		expect(json.some(record => record['kind'] === 'record')).toBe(true);
	});
});

describe('stderr carries JSON lines only', () => {
	test('Node\'s own warnings become problems of kind "warning"', async () => {
		// Once the run is under way (its first event is out): a warning, then a timer too long for Node.
		const hook = folder.write('warn.mjs', 'const id = setInterval(() => { if (process.stdout.bytesWritten > 0 || process.stdout.writableLength > 0) { clearInterval(id); process.emitWarning(\'a test warning\', \'TestWarning\'); setTimeout(() => {}, 1e12).unref(); } }, 20);\n');
		const run = start(['--replay', session, '--json', '--speed', '1'], {env: {NODE_OPTIONS: `--import=${hook}`}});
		await until(run, () => run.stderr().includes('TimeoutOverflowWarning'), 'both warnings on stderr');
		run.child.kill('SIGINT');
		const {code} = await run.exited;
		expect(code).toBe(130);
		const {json, plain} = channels(run.stderr());
		expect(plain).toEqual([]);
		const warnings = json.filter(record => record['kind'] === 'warning').map(record => record['message']);
		expect(warnings).toEqual(['TestWarning: a test warning', expect.stringMatching(/^TimeoutOverflowWarning: 10{12} does not fit into a 32-bit signed integer/) as unknown]);
	});

	test.each([
		['a gap of 30 days in the recording', ['--speed', '1'], 30 * 86_400_000],
		['--speed 1e-308 (every gap becomes infinite)', ['--speed', '1e-308'], 1000],
	])('%s: the next event waits (no TimeoutOverflowWarning, no 1 ms timer), and Ctrl-C still ends it at once', async (_what, speed, gap) => {
		const file = folder.write(`gap-${gap}.jsonl`, recordingText([testEnvelope(1, 1_765_577_818_000), testEnvelope(2, 1_765_577_818_000 + gap)]));
		const run = start(['--replay', file, '--json', ...speed]);
		await until(run, () => linesOf(run.stdout()).length === 1, 'the first event');
		// The second is due in 30 days (or never): a second of silence is what says it is waiting.
		await delay(1500);
		expect(linesOf(run.stdout())).toHaveLength(1);
		run.child.kill('SIGINT');
		const {code} = await run.exited;
		expect(code).toBe(130);
		expect(channels(run.stderr()).plain).toEqual([]);
		expect(run.stderr()).not.toContain('Warning');
	});
});

describe('an Engine.IO handshake with a heartbeat no timer can hold (pingInterval 1e12)', () => {
	test('connects and stays connected: no warning, no ping timeout after 1 ms', async () => {
		const wss = new WebSocketServer({host: '127.0.0.1', port: 0});
		await new Promise<void>(resolve => {
			wss.once('listening', resolve);
		});
		let handshakes = 0;
		wss.on('connection', ws => {
			handshakes++;
			ws.send(`0${JSON.stringify({sid: `s${handshakes}`, upgrades: [], pingInterval: 1e12, pingTimeout: 20_000, maxPayload: 1e6})}`);
			ws.on('message', (data: Buffer) => {
				if (data.toString('utf8').startsWith('40')) {
					ws.send(`40${JSON.stringify({sid: `socket${handshakes}`})}`);
					ws.send('42["hello",1]');
				}
			});
		});
		try {
			const {port} = wss.address() as AddressInfo;
			const run = start(['--source', 'direct', '--url', `http://127.0.0.1:${port}`, '--json']);
			await until(run, () => run.stdout().includes('"hello"'), 'the event after the handshake');
			await delay(1500);
			run.child.kill('SIGINT');
			const {code} = await run.exited;
			expect(code).toBe(130);
			const {json, plain} = channels(run.stderr());
			expect(plain).toEqual([]);
			expect(run.stderr()).not.toContain('Warning');
			// Connected once (a later `connected` only brings the measured round trip), never lost.
			const states = json.filter(record => record['type'] === 'status').map(record => record['state']);
			expect(states.slice(0, 2)).toEqual(['connecting', 'connected']);
			expect(states.at(-1)).toBe('ended');
			expect(new Set(states)).toEqual(new Set(['connecting', 'connected', 'ended']));
			expect(handshakes).toBe(1);
		} finally {
			for (const client of wss.clients) {
				client.terminate();
			}

			await new Promise<void>(resolve => {
				wss.close(() => {
					resolve();
				});
			});
		}
	});
});
