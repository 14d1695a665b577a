import {spawn} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {afterAll, afterEach, beforeAll, describe, expect, test} from 'vitest';
import {asEnvelope, type Envelope} from '../source/protocol/envelope.js';
import {capturePath, hasCaptures, publicFeedCapture} from './helpers/captures.js';
import {trace} from './helpers/frames.js';
import {binPath} from './helpers/project.js';
import {recordingText, tempFolder, testEnvelope} from './helpers/own-recordings.js';
import {assertBuilt, linesOf, runCli, spawnCli} from './helpers/cli.js';

/*
The built command, end to end: `rugs-tui --replay FILE --json` as a script
would run it. Needs `npm run build` (npm test runs it first).
*/

const folder = tempFolder();
const children: Array<ReturnType<typeof spawnCli>> = [];
beforeAll(() => {
	assertBuilt();
});
afterEach(() => {
	for (const child of children.splice(0)) {
		if (child.exitCode === null && child.signalCode === null) {
			child.kill('SIGKILL');
		}
	}
});
afterAll(() => {
	folder.remove();
});

function envelopesOf(stdout: string): Envelope[] {
	return linesOf(stdout).map(line => {
		const envelope = asEnvelope(JSON.parse(line));
		expect(envelope, line.slice(0, 200)).toBeDefined();
		return envelope!;
	});
}

/** Every stderr line is a JSON diagnostic (status or problem): nothing else, and no stack traces. */
function diagnosticsOf(stderr: string): Array<Record<string, unknown>> {
	return linesOf(stderr).map(line => {
		const record = JSON.parse(line) as Record<string, unknown>;
		expect(['status', 'problem']).toContain(record['type']);
		return record;
	});
}

/** A small recording with every envelope feature: namespaces, ack ids, extra arguments, sent events, unknown events. */
const ownEnvelopes: Envelope[] = [
	testEnvelope(1, 1_765_577_818_624.285),
	testEnvelope(2, 1_765_577_818_700, 'standard/newTrade', [trace, {type: 'buy', qty: 1.5, username: 'a\u001B[2Jb'}]),
	{...testEnvelope(3, 1_765_577_818_800, 'buyOrder', [{amount: 0.001}]), direction: 'sent', source: 'cdp', ackId: 146},
	{...testEnvelope(4, 1_765_577_818_900, 'ack', [{success: true}]), source: 'cdp', ackId: 146},
	{...testEnvelope(5, 1_765_577_819_000, 'newChatMessage', [{message: 'gm 🚀'}]), ns: '/chat'},
	testEnvelope(6, 1_765_577_819_100, 'somethingNew', [1, 'two', [3], {four: 4}]),
	testEnvelope(7, 1_765_577_819_200, 'connect', []),
];

describe('rugs-tui --replay FILE --json', () => {
	test.skipIf(!hasCaptures)('the public capture: exactly one valid envelope per recorded event, in order; diagnostics only on stderr', async () => {
		const {code, stdout, stderr} = await runCli(['--replay', publicFeedCapture, '--json', '--speed', '0']);
		expect(code).toBe(0);
		const recorded = linesOf(readFileSync(publicFeedCapture, 'utf8')).map(line => JSON.parse(line) as {seq: number; event: string});
		const envelopes = envelopesOf(stdout);
		expect(envelopes).toHaveLength(recorded.length);
		expect(envelopes.map(envelope => [envelope.seq, envelope.event])).toStrictEqual(recorded.map(record => [record.seq, record.event]));
		const diagnostics = diagnosticsOf(stderr);
		expect(diagnostics.filter(record => record['type'] === 'problem')).toStrictEqual([]);
		expect(diagnostics.at(-1)).toMatchObject({type: 'status', state: 'ended', detail: `replay finished: ${recorded.length} events, 0 bad lines`});
	});

	test('the project\'s own recording comes out byte for byte as it went in', async () => {
		const file = folder.write('own.jsonl', recordingText(ownEnvelopes));
		const {code, stdout} = await runCli(['--replay', file, '--json', '--speed', '0']);
		expect(code).toBe(0);
		expect(stdout).toBe(readFileSync(file, 'utf8'));
	});

	test.skipIf(!hasCaptures)('round trip: replaying the --json output of a capture gives identical bytes', async () => {
		for (const capture of [publicFeedCapture, capturePath('auth-browser-cdp-2025-12-15.jsonl'), capturePath('public-feed-key-samples-2026-02-06.json')]) {
			const first = await runCli(['--replay', capture, '--json', '--speed', '0']);
			expect(first.code).toBe(0);
			const file = folder.write('round-trip.jsonl', first.stdout);
			const second = await runCli(['--replay', file, '--json', '--speed', '0']);
			expect(second.code).toBe(0);
			expect(second.stdout.length).toBe(first.stdout.length);
			expect(second.stdout === first.stdout).toBe(true);
		}
	});

	test('several files play one after the other', async () => {
		const a = folder.write('first.jsonl', recordingText(ownEnvelopes.slice(0, 3)));
		const b = folder.write('second.jsonl', recordingText(ownEnvelopes.slice(3)));
		const {code, stdout} = await runCli(['--replay', a, '--replay', b, '--json', '--speed', '0']);
		expect(code).toBe(0);
		expect(stdout).toBe(recordingText(ownEnvelopes));
	});

	test('--events keeps only the named events', async () => {
		const file = folder.write('events.jsonl', recordingText(ownEnvelopes));
		const {code, stdout} = await runCli(['--replay', file, '--json', '--speed', '0', '--events', 'standard/newTrade, newChatMessage']);
		expect(code).toBe(0);
		expect(envelopesOf(stdout).map(envelope => envelope.seq)).toStrictEqual([2, 5]);
	});

	test.skipIf(!hasCaptures)('--events on the public capture', async () => {
		const {code, stdout} = await runCli(['--replay', publicFeedCapture, '--json', '--speed', '0', '--events', 'standard/newTrade,newChatMessage']);
		expect(code).toBe(0);
		const events = envelopesOf(stdout).map(envelope => envelope.event);
		expect(events.filter(event => event === 'standard/newTrade')).toHaveLength(31);
		expect(events.filter(event => event === 'newChatMessage')).toHaveLength(8);
		expect(events).toHaveLength(39);
	});

	test('bad lines go to stderr as problems with file:line; the good lines still come out; exit 0', async () => {
		const file = folder.write('with-bad-lines.jsonl', `${JSON.stringify(ownEnvelopes[0])}\nnot json\n{"x":1}\n${JSON.stringify(ownEnvelopes[1])}\n{"seq":9,"ts":`);
		const {code, stdout, stderr} = await runCli(['--replay', file, '--json', '--speed', '0']);
		expect(code).toBe(0);
		expect(stdout).toBe(recordingText(ownEnvelopes.slice(0, 2)));
		const problems = diagnosticsOf(stderr).filter(record => record['type'] === 'problem');
		expect(problems.map(problem => [problem['kind'], String(problem['message']).split(': ')[0]])).toStrictEqual([
			['line', `${file}:2`],
			['line', `${file}:3`],
			['line', `${file}:5`],
		]);
	});

	test('speed 1 keeps the recorded cadence (a 300 ms recording takes at least 300 ms)', async () => {
		const file = folder.write('cadence.jsonl', recordingText([testEnvelope(1, 1000), testEnvelope(2, 1150), testEnvelope(3, 1300)]));
		const started = performance.now();
		const {code, stdout} = await runCli(['--replay', file, '--json', '--speed', '1']);
		// A lower bound only: timers never fire early by more than a millisecond; upper bounds would flake.
		expect(performance.now() - started).toBeGreaterThanOrEqual(295);
		expect(code).toBe(0);
		expect(envelopesOf(stdout).map(envelope => envelope.seq)).toStrictEqual([1, 2, 3]);
	});
});

describe('a reader that goes away or stalls', () => {
	test.skipIf(!hasCaptures)('`| head -1` prints one envelope and the command exits 0', async () => {
		const script = `node ${JSON.stringify(binPath)} --replay ${JSON.stringify(publicFeedCapture)} --json --speed 0 2>stderr.txt | head -1; echo "\${PIPESTATUS[0]}" > status.txt`;
		const child = spawn('bash', ['-c', script], {cwd: folder.dir, env: {...process.env, FORCE_COLOR: '0'}});
		let stdout = '';
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
			stdout += chunk;
		});
		const code = await new Promise<number | null>(resolve => {
			child.on('close', resolve);
		});
		expect(code).toBe(0);
		expect(readFileSync(`${folder.dir}/status.txt`, 'utf8').trim()).toBe('0');
		expect(linesOf(stdout)).toHaveLength(1);
		expect(envelopesOf(stdout)[0]).toMatchObject({seq: 1, event: 'connect'});
		// No stack trace, no EPIPE complaint: only JSON diagnostics.
		diagnosticsOf(readFileSync(`${folder.dir}/stderr.txt`, 'utf8'));
	});

	test('closing the pipe after the first chunk: exit code 0, nothing on stderr but diagnostics', async () => {
		const file = folder.write('many.jsonl', recordingText(Array.from({length: 5000}, (_, index) => testEnvelope(index + 1, 1000 + index))));
		const child = spawnCli(['--replay', file, '--json', '--speed', '0']);
		children.push(child);
		let stderr = '';
		child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
			stderr += chunk;
		});
		child.stdout.once('data', () => {
			child.stdout.destroy();
		});
		const code = await new Promise<number | null>(resolve => {
			child.on('close', resolve);
		});
		expect(code).toBe(0);
		diagnosticsOf(stderr);
	});

	/** CPU time (clock ticks) the process has used, from /proc. */
	function cpuTicks(pid: number): number {
		const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
		return Number(fields[11]) + Number(fields[12]);
	}

	function residentMegabytes(pid: number): number {
		const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
		return Number(match![1]) / 1024;
	}

	/** Wait until the process stops using CPU (blocked, waiting for the reader): three equal readings 100 ms apart. */
	async function untilIdle(pid: number, timeoutMs: number): Promise<boolean> {
		const deadline = performance.now() + timeoutMs;
		let last = -1;
		let same = 0;
		while (performance.now() < deadline) {
			const ticks = cpuTicks(pid);
			same = ticks === last ? same + 1 : 0;
			last = ticks;
			if (same >= 3) {
				return true;
			}

			await new Promise(resolve => {
				setTimeout(resolve, 100);
			});
		}

		return false;
	}

	const loopFile = () => folder.write('loop.jsonl', recordingText(Array.from({length: 200}, (_, index) => testEnvelope(index + 1, 1000 + index, 'gameStateUpdate', [{gameId: 'g', tickCount: index, leaderboard: Array.from({length: 10}, (_, rank) => ({id: `player-${rank}`, pnl: rank / 3}))}]))));

	test.runIf(process.platform === 'linux')('back-pressure: an endless replay into a reader that stopped reading waits (no growing buffer); resumed, every line arrives in order', async () => {
		const child = spawnCli(['--replay', loopFile(), '--loop', '--json', '--speed', '0']);
		children.push(child);
		child.stdout.pause();
		expect(await untilIdle(child.pid!, 20_000)).toBe(true);
		// Bounded: an unbounded buffer would grow by tens of MB a second here.
		expect(residentMegabytes(child.pid!)).toBeLessThan(200);

		// Resume: read 3000 lines (15 passes of the loop) and check none is missing or cut.
		let text = '';
		const enough = new Promise<void>(resolve => {
			child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
				text += chunk;
				if (text.split('\n').length > 3000) {
					child.stdout.pause();
					resolve();
				}
			});
		});
		child.stdout.resume();
		await enough;
		const lines = text.split('\n').slice(0, 3000);
		const seqs = lines.map(line => asEnvelope(JSON.parse(line))!.seq);
		for (const [index, seq] of seqs.entries()) {
			expect(seq).toBe((index % 200) + 1);
		}

		child.kill('SIGKILL');
	});

	test.runIf(process.platform === 'linux')('Ctrl-C still ends a run whose reader stalled (exit 130)', async () => {
		const child = spawnCli(['--replay', loopFile(), '--loop', '--json', '--speed', '0']);
		children.push(child);
		child.stdout.pause();
		expect(await untilIdle(child.pid!, 20_000)).toBe(true);
		const closed = new Promise<number | null>(resolve => {
			child.on('close', resolve);
		});
		child.kill('SIGINT');
		expect(await closed).toBe(130);
	});

	test('Ctrl-C with a reader that keeps reading: exit 130 and the output ends on a whole line', async () => {
		const child = spawnCli(['--replay', loopFile(), '--loop', '--json', '--speed', '0']);
		children.push(child);
		let text = '';
		let signalled = false;
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
			text += chunk;
			if (!signalled && text.length > 100_000) {
				signalled = true;
				child.kill('SIGINT');
			}
		});
		const code = await new Promise<number | null>(resolve => {
			child.on('close', resolve);
		});
		expect(code).toBe(130);
		expect(text.endsWith('\n')).toBe(true);
		for (const line of linesOf(text)) {
			expect(asEnvelope(JSON.parse(line))).toBeDefined();
		}
	});
});

describe('bad command lines: a clear message, exit code 2, nothing on stdout', () => {
	test.each([
		[['--speed', '-1', '--replay', 'x.jsonl'], '--speed -1: expected a number ≥ 0'],
		[['--speed', 'fast', '--replay', 'x.jsonl'], '--speed (not a number): expected a number ≥ 0'],
		[['--replay', 'x.jsonl', '--speed'], '--speed needs a value'],
		[['--replay', 'x.jsonl', '--speed='], '--speed needs a value'],
		[['--replay'], '--replay needs a value'],
		[['--replay', '--json'], '--replay needs a value'],
		[['--replay', 'x.jsonl', '--events'], '--events needs a value'],
		[['--replay', 'x.jsonl', '--events', ' , '], '--events: expected a comma-separated list of event names'],
		[['--replay', 'x.jsonl', '--demo'], '--replay cannot be combined with --demo'],
		[['--source', 'replay'], '--source replay needs --replay FILE'],
		[['--source', 'sideways'], '--source sideways: expected one of auto, direct, cdp, replay, demo'],
		[['recording.jsonl'], 'to replay a recording: rugs-tui --replay recording.jsonl'],
		[['--replay', 'does-not-exist.jsonl', '--json'], '--replay does-not-exist.jsonl: no such file'],
		[['--replay', '.', '--json'], '--replay .: is a directory; give a recording file'],
		[['--fps', '0'], '--fps 0: expected 1–60'],
		[['--bogus'], 'rugs-tui: unknown flag --bogus (see rugs-tui --help)'],
	])('%j', async (args, message) => {
		const {code, stdout, stderr} = await runCli(args);
		expect(code).toBe(2);
		expect(stdout).toBe('');
		expect(stderr).toContain(message);
	});

	test('--help lists the replay and output flags and exits 0', async () => {
		const {code, stdout} = await runCli(['--help']);
		expect(code).toBe(0);
		for (const flag of ['--replay FILE', '--speed N', '--loop', '--json', '--events a,b']) {
			expect(stdout).toContain(flag);
		}
	});
});

describe('every value flag needs its value', () => {
	for (const flag of ['--source', '--url', '--max-reconnects', '--target', '--record', '--record-dir', '--record-max-mb', '--out', '--player', '--fps']) {
		test(`${flag} alone is refused with exit code 2`, async () => {
			const run = await runCli(flag === '--out' ? ['export', 'recording.jsonl', flag] : [flag]);
			expect(run.code).toBe(2);
			expect(run.stderr).toContain(`${flag} needs a value`);
			expect(run.stdout).toBe('');
		});
	}
});
