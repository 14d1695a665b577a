import {spawn} from 'node:child_process';
import {chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import {brotliDecompressSync, gunzipSync} from 'node:zlib';
import {afterAll, afterEach, beforeAll, describe, expect, test} from 'vitest';
import {gameCycle as syntheticGame, seedForLength} from '../source/sim/game-cycle.js';
import {makeEnvelope, type Envelope} from '../source/protocol/envelope.js';
import {recordFileIndex} from '../source/record/record-files.js';
import {readRecording} from '../source/sources/read-recording.js';
import {hasCaptures, publicFeedCapture} from './helpers/captures.js';
import {runCli, startCli, stopCli, type CliRun} from './helpers/cli.js';
import {binPath} from './helpers/project.js';
import {reachableCommand} from './helpers/reachable-command.js';
import {envelopeLines, makeTempDir, splitLines, writeRecording} from './helpers/recordings.js';
import {waitFor} from './helpers/wait.js';

/*
The recorder as users run it: the built command in a real child process,
replaying a recording (--speed 0 or at its recorded cadence) with --json and
--record, stopped by real signals. Recordings are checked line by line against
what was replayed.
*/

const temporary = makeTempDir();
// Readable by an unprivileged user too (the EACCES test drops root).
chmodSync(temporary.dir, 0o755);
let counter = 0;
function temporaryPath(name: string): string {
	return path.join(temporary.dir, `${++counter}-${name}`);
}

/** Three whole game cycles: frames, trades, gameHistory. */
const session: Envelope[] = [];
let sessionFile = '';
/** 50 envelopes at once, then one an hour later: the replay is idle after the 50th. */
const burst = 50;
let gapped: Envelope[] = [];
let gappedFile = '';
/** 4,000 envelopes of ~5 KB over 10 s at recorded cadence: a recording in full flow. */
let large: Envelope[] = [];
let largeFile = '';

beforeAll(() => {
	let seq = 1;
	let ts = Date.UTC(2025, 11, 12, 22);
	for (const [index, id] of ['20251212-1111111111111111', '20251212-2222222222222222', '20251212-3333333333333333'].entries()) {
		const game = syntheticGame({gameId: id, serverSeed: seedForLength(id, 30, 60, `cli${index}`), sidebetTicks: [0, 20], seq, startTs: ts, source: 'replay'});
		session.push(...game.envelopes);
		seq = game.nextSeq;
		ts = game.endTs + 500;
	}

	sessionFile = writeRecording(temporaryPath('session.jsonl'), session);
	const start = session[0]!.ts;
	gapped = session.slice(0, burst + 1).map((envelope, index) => ({...envelope, ts: index < burst ? start + index : start + 3_600_000}));
	gappedFile = writeRecording(temporaryPath('gapped.jsonl'), gapped);
	const blob = 'r'.repeat(5000);
	large = Array.from({length: 4000}, (_, index) => makeEnvelope({seq: index + 1, ts: start + (index * 2.5), source: 'replay', direction: 'received', event: 'gameStateUpdate', args: [{gameId: 'g', tickCount: index, price: 1 + (index / 7), blob}]}));
	largeFile = writeRecording(temporaryPath('large.jsonl'), large);
	for (const file of [sessionFile, gappedFile, largeFile]) {
		chmodSync(file, 0o644);
	}
});

const running: CliRun[] = [];
function start(args: readonly string[], options: Parameters<typeof startCli>[1] = {}): CliRun {
	const run = startCli(args, options);
	running.push(run);
	return run;
}

afterEach(() => {
	for (const run of running.splice(0)) {
		stopCli(run);
	}
});

afterAll(() => {
	temporary.remove();
});

function recorded(file: string): {complete: string[]; partial: string | undefined} {
	return splitLines(readFileSync(file, 'utf8'));
}

/** Every complete line is an input line, in order from the first; a torn tail is the start of the next one. */
function expectPrefixOf(file: string, input: readonly Envelope[]): number {
	const {complete, partial} = recorded(file);
	const expected = envelopeLines(input);
	expect(complete).toEqual(expected.slice(0, complete.length));
	if (partial !== undefined) {
		expect(expected[complete.length]!.startsWith(partial)).toBe(true);
	}

	return complete.length;
}

function lineCount(file: string): number {
	return existsSync(file) ? recorded(file).complete.length : 0;
}

describe('record → replay → summarize', () => {
	test('the recording holds every envelope, byte for byte; replaying it gives the same stream; summaries agree', async () => {
		const file = temporaryPath('round.jsonl');
		const first = await runCli(['--replay', sessionFile, '--speed', '0', '--json', '--record', file]);
		expect(first.code).toBe(0);
		const original = readFileSync(sessionFile, 'utf8');
		expect(readFileSync(file, 'utf8')).toBe(original);
		expect(first.stdout).toBe(original);

		const again = await runCli(['--replay', file, '--speed', '0', '--json']);
		expect(again.stdout).toBe(original);

		const fromOriginal = await runCli(['summarize', sessionFile]);
		const fromRecording = await runCli(['summarize', file]);
		expect(fromRecording.stdout).toBe(fromOriginal.stdout);
		const games = fromRecording.stdout.trim().split('\n').map(line => JSON.parse(line) as {verified: Record<string, unknown>; ticksObserved: number; rugTick: number});
		expect(games).toHaveLength(3);
		for (const game of games) {
			expect(game.verified).toMatchObject({seedHash: true, pricePath: true, liveTicks: true, sidebets: true});
			expect(game.ticksObserved).toBe(game.rugTick + 1);
		}
	});

	test.skipIf(!hasCaptures)('a real Python-format capture recorded through rugs-tui summarizes the same', async () => {
		const file = temporaryPath('capture.jsonl');
		const run = await runCli(['--replay', publicFeedCapture, '--speed', '0', '--json', '--record', file], {stdoutToNull: true});
		expect(run.code).toBe(0);
		const direct = await runCli(['summarize', publicFeedCapture]);
		const viaRecording = await runCli(['summarize', file]);
		expect(viaRecording.stdout).toBe(direct.stdout);
		expect(viaRecording.stdout.trim().split('\n')).toHaveLength(13);
	});

	/** The files of a --record-dir, in the order of the series (day, then index). */
	function seriesOrder(dir: string): string[] {
		const order = (name: string) => {
			const day = /^rugs-(\d{4}-\d\d-\d\d)/.exec(name)![1]!;
			return [day, recordFileIndex(name, day)!] as const;
		};

		return readdirSync(dir).toSorted((a, b) => {
			const [dayA, indexA] = order(a);
			const [dayB, indexB] = order(b);
			return dayA === dayB ? indexA - indexB : (dayA < dayB ? -1 : 1);
		});
	}

	test('--record-dir --record-compress none writes whole lines into day files rotated by --record-max-mb, nothing lost', async () => {
		const dir = temporaryPath('dir');
		const run = await runCli(['--replay', sessionFile, '--speed', '0', '--json', '--record-dir', dir, '--record-max-mb', '0.05', '--record-compress', 'none'], {stdoutToNull: true});
		expect(run.code).toBe(0);
		const names = seriesOrder(dir);
		expect(names.length).toBeGreaterThan(2);
		expect(names.every(name => name.endsWith('.jsonl'))).toBe(true);
		const joined = names.map(name => readFileSync(path.join(dir, name), 'utf8')).join('');
		expect(joined).toBe(readFileSync(sessionFile, 'utf8'));
		for (const name of names) {
			const {size} = statSync(path.join(dir, name));
			expect(size).toBeLessThanOrEqual(50_000);
		}
	});

	test.each(['gzip', 'brotli'] as const)('--record-dir (%s): rugs-DAY.jsonl.gz/.br files rotated by their size on disk, each a complete stream, together byte for byte the recording', async codec => {
		const dir = temporaryPath(`dir-${codec}`);
		const limit = 4000;
		const args = ['--replay', sessionFile, '--speed', '0', '--json', '--record-dir', dir, '--record-max-mb', String(limit / 1e6)];
		const run = await runCli(codec === 'gzip' ? args : [...args, '--record-compress', codec], {stdoutToNull: true});
		expect(run.code).toBe(0);
		const names = seriesOrder(dir);
		expect(names.length).toBeGreaterThan(2);
		expect(names.every(name => name.endsWith(codec === 'gzip' ? '.jsonl.gz' : '.jsonl.br'))).toBe(true);
		const decode = codec === 'gzip' ? gunzipSync : brotliDecompressSync;
		// Each file decodes on its own (strictly: a missing end would throw), and the series is the recording.
		const joined = names.map(name => decode(readFileSync(path.join(dir, name))).toString('utf8')).join('');
		expect(joined).toBe(readFileSync(sessionFile, 'utf8'));
		for (const name of names.slice(0, -1)) {
			// Closed at the first flush point at or past the limit: past it by at most one unit (64 KiB before compression).
			const {size} = statSync(path.join(dir, name));
			expect(size).toBeGreaterThanOrEqual(limit);
			expect(size).toBeLessThan(limit + 16_000);
		}
	});
});

describe('stopping the monitor', () => {
	test.each([['SIGTERM', 143], ['SIGINT', 130]] as const)('%s loses nothing: every event shown is in the recording', async (signal, code) => {
		const file = temporaryPath(`${signal}.jsonl`);
		const run = start(['--replay', gappedFile, '--speed', '1', '--json', '--record', file]);
		await waitFor(() => run.stdout().split('\n').length > burst, {what: `${burst} events on stdout`});
		run.child.kill(signal);
		const exit = await run.exited;
		expect(exit.code).toBe(code);
		expect(recorded(file).partial).toBeUndefined();
		expect(expectPrefixOf(file, gapped)).toBe(burst);
	});

	test('SIGKILL while idle: what was seen more than a flush ago is already on disk', async () => {
		const file = temporaryPath('kill-idle.jsonl');
		const run = start(['--replay', gappedFile, '--speed', '1', '--json', '--record', file], {stdoutToNull: true});
		// No exit, no signal: the periodic flush alone must bring all 50 lines to disk.
		await waitFor(() => lineCount(file) === burst, {what: 'the periodic flush'});
		run.child.kill('SIGKILL');
		await run.exited;
		expect(recorded(file).partial).toBeUndefined();
		expect(expectPrefixOf(file, gapped)).toBe(burst);
	});

	test('SIGKILL in full flow: every complete line parses and matches; a later run appends cleanly after a torn line', async () => {
		const file = temporaryPath('kill-flow.jsonl');
		const run = start(['--replay', largeFile, '--speed', '1', '--json', '--record', file], {stdoutToNull: true});
		await waitFor(() => existsSync(file) && statSync(file).size > 300_000, {what: 'the recording to grow'});
		run.child.kill('SIGKILL');
		const exit = await run.exited;
		expect(exit.signal).toBe('SIGKILL');
		const kept = expectPrefixOf(file, large);
		expect(kept).toBeGreaterThan(50);
		expect(kept).toBeLessThan(large.length);

		const again = await runCli(['--replay', sessionFile, '--speed', '0', '--json', '--record', file], {stdoutToNull: true});
		expect(again.code).toBe(0);
		const items: Array<Awaited<ReturnType<typeof readRecording>> extends AsyncGenerator<infer T> ? T : never> = [];
		for await (const item of readRecording(file)) {
			items.push(item);
		}

		const bad = items.filter(item => !item.ok);
		expect(bad.length).toBeLessThanOrEqual(1);
		const good = items.flatMap(item => (item.ok ? [item.envelope] : []));
		expect(good.slice(0, kept)).toEqual(large.slice(0, kept));
		expect(good.slice(-session.length)).toEqual(session);
	});

	test('a closed stdout (| head -1) ends the run quietly and the recording keeps what was read', async () => {
		const file = temporaryPath('epipe.jsonl');
		const run = start(['--replay', largeFile, '--speed', '0', '--json', '--record', file]);
		await waitFor(() => run.stdout().includes('\n'), {what: 'the first line'});
		run.child.stdout!.destroy();
		const exit = await run.exited;
		expect(exit.code).toBe(0);
		expect(recorded(file).partial).toBeUndefined();
		expect(expectPrefixOf(file, large)).toBeGreaterThanOrEqual(1);
	});
});

describe('a recording that cannot be written: reported, monitoring goes on', () => {
	function problems(stderr: string): Array<{kind: string; message: string}> {
		return stderr.split('\n').filter(line => line.startsWith('{')).map(line => JSON.parse(line) as {type: string; kind: string; message: string}).filter(record => record.type === 'problem');
	}

	test('a directory given as the file (EISDIR)', async () => {
		const run = await runCli(['--replay', sessionFile, '--speed', '0', '--json', '--record', temporary.dir]);
		// Monitoring went on, but events were lost: the run fails at the end (exit 1, one rugs-tui: line).
		expect(run.code).toBe(1);
		expect(run.stderr.trimEnd().split('\n').at(-1)).toMatch(/^rugs-tui: \d+ events? could not be recorded/);
		expect(run.stdout).toBe(readFileSync(sessionFile, 'utf8'));
		const record = problems(run.stderr).filter(problem => problem.kind === 'record');
		expect(record[0]!.message).toMatch(/EISDIR.*give a file name/);
		expect(record.at(-1)!.message).toMatch(/could not be written .* lost/);
	});

	test('a full disk (ENOSPC from /dev/full)', async () => {
		const run = await runCli(['--replay', sessionFile, '--speed', '0', '--json', '--record', '/dev/full']);
		// Monitoring went on, but events were lost: the run fails at the end (exit 1, one rugs-tui: line).
		expect(run.code).toBe(1);
		expect(run.stderr.trimEnd().split('\n').at(-1)).toMatch(/^rugs-tui: \d+ events? could not be recorded/);
		expect(run.stdout).toBe(readFileSync(sessionFile, 'utf8'));
		expect(problems(run.stderr).some(problem => problem.kind === 'record' && /ENOSPC.*disk is full/.test(problem.message))).toBe(true);
	});

	// As root the test drops to uid 65534, which may not reach the checkout (a clone in a private folder): it then runs a copy.
	const asRoot = process.getuid?.() === 0;
	const command = asRoot ? reachableCommand(65_534, 65_534) : {ok: true as const, bin: binPath, remove() {/* The checkout itself. */}};
	afterAll(() => {
		if (command.ok) {
			command.remove();
		}
	});

	test.skipIf(!command.ok)(`no permission (EACCES, as an unprivileged user)${command.ok ? '' : ` — skipped: ${command.reason}`}`, async () => {
		const locked = temporaryPath('locked');
		mkdirSync(locked, {mode: 0o555});
		chmodSync(locked, 0o555);
		const asNobody = asRoot ? {uid: 65_534, gid: 65_534} : {};
		const {bin} = command as {bin: string};
		const run = await new Promise<{code: number | null; stdout: string; stderr: string}>(resolve => {
			const child = spawn(process.execPath, [bin, '--replay', sessionFile, '--speed', '0', '--json', '--record', path.join(locked, 'rec.jsonl')], {...asNobody, cwd: temporary.dir, stdio: ['ignore', 'pipe', 'pipe'], env: {...process.env, CI: undefined}});
			let stdout = '';
			let stderr = '';
			child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
				stdout += chunk;
			});
			child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
				stderr += chunk;
			});
			child.on('close', code => {
				resolve({code, stdout, stderr});
			});
		});
		expect(run.stderr).not.toMatch(/Cannot find module/);
		// Monitoring went on, but events were lost: the run fails at the end (exit 1, one rugs-tui: line).
		expect(run.code).toBe(1);
		expect(run.stderr.trimEnd().split('\n').at(-1)).toMatch(/^rugs-tui: \d+ events? could not be recorded/);
		expect(run.stdout).toBe(readFileSync(sessionFile, 'utf8'));
		expect(problems(run.stderr).some(problem => problem.kind === 'record' && /EACCES.*not writable/.test(problem.message))).toBe(true);
	});

	test('the file size limit reached mid-write (a real partial write, EFBIG): cut back to whole lines, nothing torn, the next run appends cleanly', async () => {
		const file = temporaryPath('fsize.jsonl');
		const limited = await new Promise<{code: number | null; stderr: string}>(resolve => {
			// RLIMIT_FSIZE of 64 KiB: the kernel accepts part of a write, then refuses (Node ignores SIGXFSZ).
			const child = spawn('bash', ['-c', 'ulimit -f 64 && exec "$0" "$@"', process.execPath, binPath, '--replay', largeFile, '--speed', '0', '--json', '--record', file], {stdio: ['ignore', 'ignore', 'pipe']});
			let stderr = '';
			child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
				stderr += chunk;
			});
			child.on('close', code => {
				resolve({code, stderr});
			});
		});
		expect(limited.code).toBe(1);
		expect(problems(limited.stderr).some(problem => problem.kind === 'record' && /efbig|too large/i.test(problem.message))).toBe(true);
		// Before: the torn part of the line that hit the limit stayed in the file (64 KiB exactly, the last line cut).
		expect(statSync(file).size).toBeLessThanOrEqual(64 * 1024);
		expect(recorded(file).partial).toBeUndefined();
		const kept = expectPrefixOf(file, large);
		expect(kept).toBeGreaterThan(0);
		expect(statSync(file).size).toBe(envelopeLines(large.slice(0, kept)).join('\n').length + 1);

		const again = await runCli(['--replay', sessionFile, '--speed', '0', '--json', '--record', file], {stdoutToNull: true});
		expect(again.code).toBe(0);
		const {complete, partial} = recorded(file);
		expect(partial).toBeUndefined();
		expect(complete).toEqual([...envelopeLines(large.slice(0, kept)), ...envelopeLines(session)]);
	});
});
