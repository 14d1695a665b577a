import {spawnSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {copyFileSync, existsSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import {open} from 'node:fs/promises';
import {afterAll, afterEach, beforeAll, describe, expect, test} from 'vitest';
import {makeEnvelope, type Envelope} from '../source/protocol/envelope.js';
import {closeGzipTail} from '../source/record/gzip-tail.js';
import {crc32, gzipEncoder, gzipHeader, portableCrc32} from '../source/record/record-codec.js';
import {Recorder} from '../source/record/recorder.js';
import {gameCycle, seedForLength} from '../source/sim/game-cycle.js';
import {runCli, startCli, stopCli, type CliRun} from './helpers/cli.js';
import {envelopeLines, makeTempDir, writeRecording} from './helpers/recordings.js';
import {waitFor} from './helpers/wait.js';

/*
Compressed recordings with real processes, real signals and the standard
tools: `--record FILE.jsonl.gz` and `.br` hold, decompressed, byte for byte
what the plain recording of the same run holds; after a SIGKILL everything up
to the last flush decodes (zcat prints every complete line); a later run
appends a valid gzip member after finishing the one the killed run left open,
and never appends to a brotli stream.
*/

const temporary = makeTempDir('rugs-compress-');
let counter = 0;
function temporaryPath(name: string): string {
	return path.join(temporary.dir, `${++counter}-${name}`);
}

const session: Envelope[] = [];
let sessionFile = '';
let large: Envelope[] = [];
let largeFile = '';
let gapped: Envelope[] = [];
let gappedFile = '';
const burst = 50;

beforeAll(() => {
	let seq = 1;
	let ts = Date.UTC(2025, 11, 12, 22);
	for (const [index, id] of ['20251212-4444444444444444', '20251212-5555555555555555', '20251212-6666666666666666'].entries()) {
		const game = gameCycle({gameId: id, serverSeed: seedForLength(id, 30, 60, `gz${index}`), sidebetTicks: [0, 20], seq, startTs: ts, source: 'replay'});
		session.push(...game.envelopes);
		seq = game.nextSeq;
		ts = game.endTs + 500;
	}

	sessionFile = writeRecording(temporaryPath('session.jsonl'), session);
	const start = session[0]!.ts;
	// 4,000 events of ~5 KB over 10 s, each with some noise (compression must still leave bytes to watch grow).
	large = Array.from({length: 4000}, (_, index) => makeEnvelope({seq: index + 1, ts: start + (index * 2.5), source: 'replay', direction: 'received', event: 'gameStateUpdate', args: [{gameId: 'g', tickCount: index, price: 1 + (index / 7), blob: randomBytes(2500).toString('hex')}]}));
	largeFile = writeRecording(temporaryPath('large.jsonl'), large);
	gapped = session.slice(0, burst + 1).map((envelope, index) => ({...envelope, ts: index < burst ? start + index : start + 3_600_000}));
	gappedFile = writeRecording(temporaryPath('gapped.jsonl'), gapped);
});

const running: CliRun[] = [];
afterEach(() => {
	for (const run of running.splice(0)) {
		stopCli(run);
	}
});

afterAll(() => {
	temporary.remove();
});

/** zcat, the standard tool: its stdout, whether it complained, and its exit code. */
function zcat(file: string): {text: string; stderr: string; code: number | null} {
	const result = spawnSync('zcat', [file], {encoding: 'utf8', maxBuffer: 256 * 1024 * 1024});
	return {text: result.stdout, stderr: result.stderr, code: result.status};
}

const hasZcat = spawnSync('zcat', ['--version']).status === 0;

/** What a brotli file holds up to its last flush point (a stream cut short, read with zlib's decoder). */
async function brotliPrefix(file: string): Promise<{text: string; complete: boolean}> {
	const decoder = zlib.createBrotliDecompress();
	const chunks: Buffer[] = [];
	decoder.on('data', (chunk: Buffer) => {
		chunks.push(chunk);
	});
	const complete = await new Promise<boolean>(resolve => {
		decoder.on('end', () => {
			resolve(true);
		});
		decoder.on('error', () => {
			resolve(false);
		});
		decoder.end(readFileSync(file));
	});
	return {text: Buffer.concat(chunks).toString('utf8'), complete};
}

function problems(stderr: string): string[] {
	return stderr.split('\n').filter(line => line.startsWith('{')).map(line => JSON.parse(line) as {type: string; message?: string}).filter(line => line.type === 'problem').map(line => line.message ?? '');
}

/** The number of complete lines at the start of `text` that are the input's, in order (the rest must be empty). */
function prefixLines(text: string, input: readonly Envelope[]): number {
	const lines = text.split('\n');
	const tail = lines.pop();
	expect(tail).toBe('');
	expect(lines).toEqual(envelopeLines(input.slice(0, lines.length)));
	return lines.length;
}

describe('CRC-32', () => {
	test('the portable sum (Node before 20.15) is zlib\'s, also when continued', () => {
		for (const size of [0, 1, 7, 4096, 100_003]) {
			const data = randomBytes(size);
			expect(portableCrc32(data)).toBe(zlib.crc32(data));
			const half = Math.floor(size / 2);
			expect(portableCrc32(data.subarray(half), portableCrc32(data.subarray(0, half)))).toBe(zlib.crc32(data));
			expect(crc32(data)).toBe(zlib.crc32(data));
		}
	});
});

describe('finishing the gzip member a killed run left open', () => {
	const line = (n: number) => Buffer.from(`${JSON.stringify({seq: n, noise: randomBytes(40).toString('hex')})}\n`);

	async function unitsOf(count: number): Promise<{units: Buffer[]; text: string; finish: Buffer}> {
		const encoder = gzipEncoder();
		const units: Buffer[] = [];
		let text = '';
		for (let index = 0; index < count; index++) {
			const lines = [line(index * 2), line((index * 2) + 1)];
			units.push(await encoder.encode(lines));
			encoder.commit();
			text += lines.join('');
		}

		const finish = encoder.finish();
		encoder.close();
		return {units, text, finish};
	}

	async function repaired(bytes: Buffer): Promise<{result: Awaited<ReturnType<typeof closeGzipTail>>; after: Buffer}> {
		const file = temporaryPath('tail.gz');
		writeFileSync(file, bytes);
		const handle = await open(file, 'a+');
		try {
			const result = await closeGzipTail(handle, bytes.length);
			return {result, after: readFileSync(file)};
		} finally {
			await handle.close();
		}
	}

	test('an open member (cut at a flush point, or in the middle of a unit) is finished after its last whole unit', async () => {
		const {units, text} = await unitsOf(6);
		const earlier = zlib.gzipSync('{"an":"earlier member"}\n');
		const atFlushPoint = await repaired(Buffer.concat([earlier, ...units]));
		expect(atFlushPoint.result).toMatchObject({kind: 'repaired', dropped: 0, lines: 12});
		expect(zlib.gunzipSync(atFlushPoint.after).toString('utf8')).toBe(`{"an":"earlier member"}\n${text}`);

		const longer = await unitsOf(7);
		const torn = Buffer.concat([earlier, ...units, longer.units[6]!.subarray(0, 9)]);
		const midUnit = await repaired(torn);
		expect(midUnit.result).toMatchObject({kind: 'repaired', dropped: 9});
		expect(zlib.gunzipSync(midUnit.after).toString('utf8')).toBe(`{"an":"earlier member"}\n${text}`);
	});

	test('a finished member is left as it is; a torn write after it is cut; a member damaged before any flush point is refused untouched', async () => {
		const {units, text, finish} = await unitsOf(3);
		const complete = Buffer.concat([...units, finish]);
		const untouched = await repaired(complete);
		expect(untouched.result).toEqual({kind: 'complete'});
		const tornNext = await repaired(Buffer.concat([complete, Buffer.from([0x1F, 0x8B, 0x08])]));
		expect(tornNext.result).toMatchObject({kind: 'repaired', dropped: 3});
		expect(zlib.gunzipSync(tornNext.after).toString('utf8')).toBe(text);
		// Noise after a flush point is a torn write: cut.
		const noisyTail = await repaired(Buffer.concat([units[0]!, randomBytes(3000)]));
		expect(noisyTail.result).toMatchObject({kind: 'repaired', dropped: 3000});
		expect(zlib.gunzipSync(noisyTail.after).toString('utf8')).toBe(text.split('\n').slice(0, 2).map(entry => `${entry}\n`).join(''));
		// A member damaged before any flush point: nothing to trust, nothing touched.
		const garbage = Buffer.concat([units[0]!.subarray(0, 10), randomBytes(3000)]);
		const refused = await repaired(garbage);
		expect(refused.result.kind).toBe('unknown');
		expect(refused.after.equals(garbage)).toBe(true);
	});
});

describe('gzip members are bounded', () => {
	test('past 32 MiB of content the member is finished and a new one begun: one valid file, and what a repair must decode stays bounded', async () => {
		const file = temporaryPath('long.jsonl.gz');
		const recorder = new Recorder({file});
		const blob = 'y'.repeat(60_000);
		let text = '';
		for (let seq = 1; seq <= 700; seq++) {
			const item = makeEnvelope({seq, ts: seq, source: 'replay', direction: 'received', event: 'gameStateUpdate', args: [{seq, blob}]});
			recorder.write(item);
			text += `${JSON.stringify(item)}\n`;
			if (seq % 50 === 0) {
				await recorder.flush();
			}
		}

		await recorder.close();
		const bytes = readFileSync(file);
		expect(zlib.gunzipSync(bytes).toString('utf8')).toBe(text);
		let members = 0;
		for (let at = bytes.indexOf(gzipHeader); at !== -1; at = bytes.indexOf(gzipHeader, at + 1)) {
			members++;
		}

		expect(text.length).toBeGreaterThan(40 * 1024 * 1024);
		expect(members).toBe(2);
	});
});

describe('--record FILE.jsonl.gz and FILE.jsonl.br', () => {
	test('the suffix decides; decompressed, each is byte for byte the plain recording of the same run, and smaller', async () => {
		const plain = temporaryPath('same.jsonl');
		const gz = temporaryPath('same.jsonl.gz');
		const br = temporaryPath('same.jsonl.br');
		for (const file of [plain, gz, br]) {
			const run = await runCli(['--replay', largeFile, '--speed', '0', '--json', '--record', file], {stdoutToNull: true});
			expect(run.code).toBe(0);
		}

		const original = readFileSync(largeFile);
		expect(readFileSync(plain).equals(original)).toBe(true);
		expect(zlib.gunzipSync(readFileSync(gz)).equals(original)).toBe(true);
		expect(zlib.brotliDecompressSync(readFileSync(br)).equals(original)).toBe(true);
		expect(readFileSync(gz).subarray(0, 2)).toEqual(Buffer.from([0x1F, 0x8B]));
		expect(statSync(gz).size).toBeLessThan(statSync(plain).size * 0.7);
		expect(statSync(br).size).toBeLessThan(statSync(plain).size * 0.7);
		if (hasZcat) {
			const read = zcat(gz);
			expect(read.code).toBe(0);
			expect(read.text).toBe(original.toString('utf8'));
		}
	});

	test('a recording with no events is still a valid, empty stream', async () => {
		const empty = temporaryPath('empty.jsonl');
		writeFileSync(empty, '');
		for (const name of ['none.jsonl.gz', 'none.jsonl.br']) {
			const file = temporaryPath(name);
			const run = await runCli(['--replay', empty, '--speed', '0', '--json', '--record', file]);
			expect(run.code).toBe(0);
			const decode = name.endsWith('.gz') ? zlib.gunzipSync : zlib.brotliDecompressSync;
			expect(decode(readFileSync(file)).length).toBe(0);
		}
	});
});

describe.skipIf(!hasZcat)('gzip and a killed run', () => {
	test('SIGKILL while idle: zcat prints every line seen more than a flush ago', async () => {
		const file = temporaryPath('idle.jsonl.gz');
		const run = startCli(['--replay', gappedFile, '--speed', '1', '--json', '--record', file], {stdoutToNull: true});
		running.push(run);
		// No exit, no signal: the flush point of the periodic flush alone makes all 50 lines decodable.
		await waitFor(() => existsSync(file) && zcat(file).text.split('\n').length > burst, {what: 'the periodic flush', timeoutMs: 20_000});
		run.child.kill('SIGKILL');
		await run.exited;
		const read = zcat(file);
		// The member was never finished: zcat says so, and still prints every line.
		expect(read.stderr).toMatch(/unexpected end of file/);
		expect(prefixLines(read.text, gapped)).toBe(burst);
	});

	test('SIGKILL in full flow: every complete line decodes; the next run finishes the open member and appends a valid one', async () => {
		const file = temporaryPath('flow.jsonl.gz');
		const run = startCli(['--replay', largeFile, '--speed', '1', '--json', '--record', file], {stdoutToNull: true});
		running.push(run);
		await waitFor(() => existsSync(file) && statSync(file).size > 300_000, {what: 'the recording to grow', timeoutMs: 20_000});
		run.child.kill('SIGKILL');
		const exit = await run.exited;
		expect(exit.signal).toBe('SIGKILL');
		const kept = prefixLines(zcat(file).text, large);
		expect(kept).toBeGreaterThan(50);
		expect(kept).toBeLessThan(large.length);

		const again = await runCli(['--replay', sessionFile, '--speed', '0', '--json', '--record', file], {stdoutToNull: true});
		expect(again.code).toBe(0);
		expect(problems(again.stderr).join('\n')).toMatch(/ended in an unfinished gzip member \(a run that was killed\): finished it after its last whole line.*appending a new member/);
		expect(spawnSync('gzip', ['-t', file]).status).toBe(0);
		const read = zcat(file);
		expect(read.code).toBe(0);
		expect(read.stderr).toBe('');
		expect(read.text).toBe([...envelopeLines(large.slice(0, kept)), ...envelopeLines(session)].map(line => `${line}\n`).join(''));
	});

	test('appending to a finished .gz (ours, or one gzip(1) made) adds a member; a file that is not gzip is left alone', async () => {
		const ours = temporaryPath('twice.jsonl.gz');
		for (let run = 0; run < 2; run++) {
			const done = await runCli(['--replay', sessionFile, '--speed', '0', '--json', '--record', ours], {stdoutToNull: true});
			expect(done.code).toBe(0);
		}

		expect(zcat(ours)).toMatchObject({code: 0, text: readFileSync(sessionFile, 'utf8').repeat(2)});

		const theirs = temporaryPath('theirs.jsonl');
		copyFileSync(sessionFile, theirs);
		expect(spawnSync('gzip', [theirs]).status).toBe(0);
		const run = await runCli(['--replay', sessionFile, '--speed', '0', '--json', '--record', `${theirs}.gz`], {stdoutToNull: true});
		expect(problems(run.stderr)).toEqual([]);
		expect(zcat(`${theirs}.gz`)).toMatchObject({code: 0, text: readFileSync(sessionFile, 'utf8').repeat(2)});

		const notGzip = temporaryPath('notes.gz');
		writeFileSync(notGzip, 'my own notes, not a recording\n');
		const refused = await runCli(['--replay', sessionFile, '--speed', '0', '--json', '--record', notGzip], {stdoutToNull: true});
		expect(refused.code).toBe(0);
		expect(readFileSync(notGzip, 'utf8')).toBe('my own notes, not a recording\n');
		const sibling = notGzip.replace(/\.gz$/, '-1.gz');
		expect(problems(refused.stderr).join('\n')).toContain('does not end in a gzip member rugs-tui can check');
		expect(problems(refused.stderr).join('\n')).toContain(`recording to ${sibling} instead`);
		expect(zlib.gunzipSync(readFileSync(sibling)).toString('utf8')).toBe(readFileSync(sessionFile, 'utf8'));
	});
});

describe('brotli and a killed run', () => {
	test('SIGKILL: everything up to the last flush decodes; the next run does not append to the stream but starts FILE-1.jsonl.br', async () => {
		const file = temporaryPath('flow.jsonl.br');
		const run = startCli(['--replay', largeFile, '--speed', '1', '--json', '--record', file], {stdoutToNull: true});
		running.push(run);
		await waitFor(() => existsSync(file) && statSync(file).size > 300_000, {what: 'the recording to grow', timeoutMs: 20_000});
		run.child.kill('SIGKILL');
		await run.exited;
		const before = readFileSync(file);
		const cut = await brotliPrefix(file);
		expect(cut.complete).toBe(false);
		const kept = prefixLines(cut.text, large);
		expect(kept).toBeGreaterThan(50);

		const again = await runCli(['--replay', sessionFile, '--speed', '0', '--json', '--record', file], {stdoutToNull: true});
		expect(again.code).toBe(0);
		const next = file.replace(/\.jsonl\.br$/, '-1.jsonl.br');
		expect(problems(again.stderr).join('\n')).toContain(`${file} already holds a brotli stream, which cannot be appended to; recording to ${next} instead`);
		expect(readFileSync(file).equals(before)).toBe(true);
		expect(zlib.brotliDecompressSync(readFileSync(next)).toString('utf8')).toBe(readFileSync(sessionFile, 'utf8'));
	});
});
