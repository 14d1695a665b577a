import {readFileSync} from 'node:fs';
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {PassThrough} from 'node:stream';
import zlib from 'node:zlib';
import fc from 'fast-check';
import {afterAll, describe, expect, test} from 'vitest';
import type {Envelope} from '../source/protocol/envelope.js';
import {readRecording, type ReadRecordingOptions, type RecordingItem} from '../source/sources/read-recording.js';
import {createState, reduce} from '../source/state/reducer.js';
import {capturePath, hasCaptures, publicFeedCapture} from './helpers/captures.js';
import {runCli, spawnCli, startCli} from './helpers/cli.js';
import {checkAsync, testTimeout} from './helpers/fuzz.js';
import {fixturesDir} from './helpers/project.js';
import {tempFolder} from './helpers/own-recordings.js';
import {waitFor} from './helpers/wait.js';

/**
Every reader takes every input (issue 11, item 2; issue 14, long lines): plain,
gzip and brotli files told apart by content, standard input as `-`, compressed
streams cut short by a killed writer, lines longer than the bound (streamed
past, memory bounded), and REPLAYER's derived tick records. Real files, real
zlib streams, the real command reading real pipes.
*/

const folder = tempFolder('rugs-inputs-');
afterAll(() => {
	folder.remove();
});

const session = path.join(fixturesDir, 'session.jsonl');
const sessionText = readFileSync(session);
const sessionLines = sessionText.toString('utf8').split('\n').filter(line => line !== '');

async function itemsOf(file: string, options: ReadRecordingOptions = {}): Promise<RecordingItem[]> {
	const items: RecordingItem[] = [];
	for await (const item of readRecording(file, options)) {
		items.push(item);
	}

	return items;
}

/** A compressed stream written as the recorder writes it: a flush point after every line. */
async function flushedStream(kind: 'gzip' | 'brotli', lines: readonly string[]): Promise<{bytes: Buffer; flushedAt: number[]}> {
	const stream = kind === 'gzip' ? zlib.createGzip() : zlib.createBrotliCompress({params: {[zlib.constants.BROTLI_PARAM_LGWIN]: 24}});
	const parts: Buffer[] = [];
	let length = 0;
	stream.on('data', (chunk: Buffer) => {
		parts.push(chunk);
		length += chunk.length;
	});
	const flushedAt: number[] = [];
	for (const line of lines) {
		stream.write(`${line}\n`);
		await new Promise<void>(resolve => {
			stream.flush(kind === 'gzip' ? zlib.constants.Z_SYNC_FLUSH : zlib.constants.BROTLI_OPERATION_FLUSH, () => {
				resolve();
			});
		});
		flushedAt.push(length);
	}

	await new Promise<void>(resolve => {
		stream.end(() => {
			resolve();
		});
	});
	await new Promise<void>(resolve => {
		if (stream.readableEnded) {
			resolve();
		} else {
			stream.once('end', resolve);
		}
	});
	return {bytes: Buffer.concat(parts), flushedAt};
}

describe('plain, gzip and brotli are told apart by content, not by name', () => {
	const expected = sessionLines.map((line, index) => ({ok: true, line: index + 1, envelope: JSON.parse(line) as Envelope}));

	test.each([
		['gzip named .jsonl', 'looks-plain.jsonl', () => zlib.gzipSync(sessionText)],
		['gzip at the highest level named .br', 'wrong.br', () => zlib.gzipSync(sessionText, {level: 9})],
		['brotli (window 24) named .gz', 'wrong.gz', () => zlib.brotliCompressSync(sessionText, {params: {[zlib.constants.BROTLI_PARAM_LGWIN]: 24}})],
		['brotli at quality 0 with no suffix', 'no-suffix', () => zlib.brotliCompressSync(sessionText, {params: {[zlib.constants.BROTLI_PARAM_QUALITY]: 0}})],
		['plain named .gz', 'plain.gz', () => sessionText],
	])('%s', async (_label, name, content) => {
		expect(await itemsOf(folder.write(name, content()))).toStrictEqual(expected);
	});

	test('an appended gzip recording (one member per run) reads as one', async () => {
		const [first, second] = [sessionText.subarray(0, sessionText.indexOf('\n', 5000) + 1), sessionText.subarray(sessionText.indexOf('\n', 5000) + 1)];
		const file = folder.write('members.jsonl.gz', Buffer.concat([zlib.gzipSync(first), zlib.gzipSync(second)]));
		expect(await itemsOf(file)).toStrictEqual(expected);
	});

	test('a compressed pretty-printed JSON document reads as the plain one', async () => {
		const document = JSON.stringify(sessionLines.slice(0, 5).map(line => JSON.parse(line) as unknown), undefined, 2);
		const plain = await itemsOf(folder.write('doc.json', document));
		expect(plain).toHaveLength(5);
		expect(await itemsOf(folder.write('doc.json.gz', zlib.gzipSync(document)))).toStrictEqual(plain);
		expect(await itemsOf(folder.write('doc.json.br', zlib.brotliCompressSync(document)))).toStrictEqual(plain);
	});

	test('empty recordings, compressed or not, hold nothing and report nothing', async () => {
		for (const [name, bytes] of [['empty', Buffer.alloc(0)], ['empty.gz', zlib.gzipSync('')], ['empty.br', zlib.brotliCompressSync('')], ['blank.br', zlib.brotliCompressSync('\n\n')]] as const) {
			expect(await itemsOf(folder.write(name, bytes)), name).toStrictEqual([]);
		}
	});

	test('zstd, xz and bzip2 are named, not read as garbage lines', async () => {
		const magic = {zstd: [0x28, 0xB5, 0x2F, 0xFD, 0x24, 0x00], xz: [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00, 0x00], bzip2: [0x42, 0x5A, 0x68, 0x39, 0x31, 0x41, 0x59, 0x26, 0x53, 0x59]};
		for (const [name, bytes] of Object.entries(magic)) {
			expect(await itemsOf(folder.write(`x.${name}`, Buffer.concat([Buffer.from(bytes), Buffer.alloc(100, 7)])))).toStrictEqual([
				{ok: false, line: 0, wholeInput: true, reason: `${name}-compressed: rugs-tui reads plain, gzip and brotli recordings; decompress it first`},
			]);
		}
	});
});

describe('a compressed stream cut short (a killed writer) is read up to its last complete line, the cut reported once', () => {
	const lines = sessionLines.slice(0, 120);
	test.each(['gzip', 'brotli'] as const)('%s, cut at any byte after its first line', async kind => {
		const {bytes, flushedAt} = await flushedStream(kind, lines);
		await checkAsync(fc.asyncProperty(fc.integer({min: flushedAt[0]!, max: bytes.length - 1}), async cut => {
			const items = await itemsOf(folder.write(`cut.${kind}`, bytes.subarray(0, cut)));
			const flushed = flushedAt.filter(offset => offset <= cut).length;
			const records = items.filter(item => item.ok);
			// Every line flushed before the cut; the next one only if it came through whole.
			expect([flushed, flushed + 1], `cut at ${cut}`).toContain(records.length);
			expect(records).toStrictEqual(lines.slice(0, records.length).map((line, index) => ({ok: true, line: index + 1, envelope: JSON.parse(line) as Envelope})));
			expect(items.filter(item => !item.ok)).toStrictEqual([{ok: false, line: records.length, wholeInput: true, reason: `truncated compressed stream after line ${records.length}`}]);
		}), 40);
	}, testTimeout());

	test('a damaged gzip stream: every line before the damage read exactly, what follows reported, one whole-input report; no throw', async () => {
		const {bytes, flushedAt} = await flushedStream('gzip', lines);
		const damaged = Buffer.from(bytes);
		const at = flushedAt[59]! + 5;
		damaged[at] = 255 - damaged[at]!;
		const items = await itemsOf(folder.write('corrupt.gz', damaged));
		expect(items.slice(0, 60)).toStrictEqual(lines.slice(0, 60).map((line, index) => ({ok: true, line: index + 1, envelope: JSON.parse(line) as Envelope})));
		// Deflate decodes damage into wrong bytes (bad lines) until it, or the trailer's checksum, fails.
		const whole = items.filter(item => item.wholeInput === true);
		expect(whole).toHaveLength(1);
		expect(whole[0]!.ok).toBe(false);
		expect(items.at(-1)).toBe(whole[0]);
	});

	test('through the command: summarize says FILE: truncated compressed stream after line N, once, and summarizes what it read', async () => {
		const {bytes, flushedAt} = await flushedStream('gzip', sessionLines);
		const file = folder.write('killed.jsonl.gz', bytes.subarray(0, flushedAt[150]! + 3));
		const {code, stdout, stderr} = await runCli(['summarize', file]);
		expect(code).toBe(0);
		expect(stderr.match(/truncated compressed stream/g)).toHaveLength(1);
		expect(stderr).toMatch(new RegExp(`^rugs-tui summarize: ${file.replaceAll(/[.*+?^${}()|[\]\\/]/g, String.raw`\$&`)}: truncated compressed stream after line 15[12]$`, 'm'));
		expect(stdout).not.toBe('');
	});
});

/** A stream that yields these pieces (strings are repeated `times`), to stand for stdin. */
function streamOf(pieces: ReadonlyArray<string | {fill: string; bytes: number}>, chunkBytes: number): PassThrough {
	const stream = new PassThrough();
	void (async () => {
		for (const piece of pieces) {
			const text = typeof piece === 'string' ? Buffer.from(piece) : Buffer.alloc(piece.bytes, piece.fill);
			for (let at = 0; at < text.length; at += chunkBytes) {
				if (!stream.write(text.subarray(at, at + chunkBytes))) {
					await new Promise(resolve => {
						stream.once('drain', resolve);
					});
				}
			}
		}

		stream.end();
	})();

	return stream;
}

describe('a line longer than the bound is reported and streamed past; the lines around it are read', () => {
	const [a, b] = [sessionLines[0]!, sessionLines[1]!];
	// Above both lines' lengths, and a round number of megabytes for the report.
	const limit = 100_000;
	expect(Math.max(Buffer.byteLength(a), Buffer.byteLength(b))).toBeLessThan(limit);
	test.each([1, 7, 4096, 1_048_576])('chunks of %i bytes', async chunkBytes => {
		const stdin = streamOf([
			`${a}\n`,
			{fill: 'x', bytes: limit + 1},
			'\n',
			`${b}\n`,
			{fill: 'y', bytes: limit},
			'\n',
			{fill: '{', bytes: limit * 3},
			`\r\n${a}\n`,
			{fill: 'z', bytes: limit * 5},
		], chunkBytes);
		const items = await itemsOf('-', {stdin, maxLineBytes: limit});
		const reason = 'line longer than 0.1 MB, skipped';
		expect(items.map(item => (item.ok ? {line: item.line, ok: true} : {line: item.line, reason: item.reason.startsWith('line longer') ? item.reason : 'other'}))).toStrictEqual([
			{line: 1, ok: true},
			{line: 2, reason},
			{line: 3, ok: true},
			// Exactly at the bound: read (and bad only because it is not JSON).
			{line: 4, reason: 'other'},
			{line: 5, reason},
			{line: 6, ok: true},
			{line: 7, reason},
		]);
	});

	test('the command, fed a 320 MB line on standard input: reports stdin:2, summarizes the rest, and never holds the line', async () => {
		const run = startCli(['summarize', '-'], {stdio: ['pipe', 'pipe', 'pipe']});
		const stdin = run.child.stdin!;
		const write = async (chunk: Buffer | string) => {
			if (!stdin.write(chunk)) {
				await new Promise(resolve => {
					stdin.once('drain', resolve);
				});
			}
		};

		const lines = sessionLines.slice(0, 100);
		await write(`${lines[0]}\n`);
		const block = Buffer.alloc(1_048_576, 'x');
		for (let index = 0; index < 320; index++) {
			await write(block);
		}

		await write('\n');
		for (const line of lines.slice(1)) {
			await write(`${line}\n`);
		}

		// Everything but the pipe's own buffer has been read: the peak memory so far is what reading the line cost.
		const status = await readFile(`/proc/${run.child.pid}/status`, 'utf8');
		const peakKb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
		stdin.end();
		const {code} = await run.exited;
		expect(code).toBe(0);
		expect(run.stderr()).toContain('rugs-tui summarize: stdin:2: line longer than 64 MB, skipped\n');
		expect(run.stdout()).toContain('"gameId"');
		expect(peakKb * 1024).toBeLessThan(300 * 1024 * 1024);
	}, 120_000);

	test('--replay /dev/zero: one report, memory bounded, and SIGTERM still ends it', async () => {
		const run = startCli(['--replay', '/dev/zero', '--json', '--speed', '0'], {stdoutToNull: true});
		try {
			await waitFor(() => run.stderr().includes('/dev/zero:1: line longer than 64 MB, skipped'), {timeoutMs: 60_000, what: 'the report'});
			// Wait until it has streamed well past the bound, then look at its peak memory.
			await waitFor(async () => {
				const io = await readFile(`/proc/${run.child.pid}/io`, 'utf8');
				return Number(/rchar:\s+(\d+)/.exec(io)?.[1]) > 640 * 1024 * 1024;
			}, {timeoutMs: 60_000, what: '640 MB read'});
			const status = await readFile(`/proc/${run.child.pid}/status`, 'utf8');
			expect(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]) * 1024).toBeLessThan(300 * 1024 * 1024);
			run.child.kill('SIGTERM');
			expect(await run.exited).toStrictEqual({code: 143, signal: null});
			expect(run.stderr().match(/line longer than/g)).toHaveLength(1);
			expect(run.stderr()).not.toMatch(/RangeError|Invalid string length/);
		} finally {
			run.child.kill('SIGKILL');
		}
	}, 150_000);
});

/** Run the built command with `input` on its standard input. */
async function withStdin(args: readonly string[], input: Buffer): Promise<{code: number | null; stdout: string; stderr: string}> {
	const child = spawnCli(args);
	let stdout = '';
	let stderr = '';
	child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
		stdout += chunk;
	});
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
		stderr += chunk;
	});
	child.stdin.end(input);
	const code = await new Promise<number | null>(resolve => {
		child.on('close', resolve);
	});
	return {code, stdout, stderr};
}

describe('standard input as -', () => {
	test('`… | rugs-tui --replay - --json`: a gzip stream on stdin replays exactly as the plain file', async () => {
		const fromFile = await runCli(['--replay', session, '--json', '--speed', '0']);
		const fromStdin = await withStdin(['--replay', '-', '--json', '--speed', '0'], zlib.gzipSync(sessionText));
		expect(fromStdin.code).toBe(0);
		expect(fromStdin.stdout).toBe(fromFile.stdout);
		expect(fromStdin.stdout.split('\n').filter(line => line !== '')).toHaveLength(sessionLines.length);
	});

	test('summarize - (brotli on stdin) prints what summarize FILE prints', async () => {
		const fromFile = await runCli(['summarize', session]);
		const fromStdin = await withStdin(['summarize', '-'], zlib.brotliCompressSync(sessionText));
		expect(fromStdin.code).toBe(0);
		expect(fromStdin.stdout).toBe(fromFile.stdout);
		expect(fromStdin.stderr).toMatch(/1 of 1 files/);
	});

	test('stdin given twice, or with --loop, is a usage error', async () => {
		expect(await runCli(['--replay', '-', '--replay', '-', '--json'])).toMatchObject({code: 2, stderr: 'rugs-tui: --replay -: standard input can be read only once\n'});
		expect(await runCli(['--replay', '-', '--loop', '--json'])).toMatchObject({code: 2, stderr: expect.stringContaining('--loop cannot replay standard input again') as unknown});
	});
});

describe.skipIf(!hasCaptures)('REPLAYER derived ticks play as gameStateUpdates', () => {
	test('the long game reaches the monitor\'s state with its rug tick and peak', async () => {
		const file = capturePath('derived-ticks-long-game-2025-11-02.jsonl');
		// Independently: the first tick record that says rugged, the highest active price before it.
		const records = readFileSync(file, 'utf8').split('\n').filter(line => line !== '').map(line => JSON.parse(line) as {type: string; tick?: number; price?: number; active?: boolean; rugged?: boolean});
		const rug = records.find(record => record.type === 'tick' && record.rugged === true)!;
		const peak = Math.max(1, ...records.filter(record => record.type === 'tick' && record.active === true && record.rugged !== true).map(record => record.price!));
		let state = createState();
		let envelopes = 0;
		for (const item of await itemsOf(file)) {
			expect(item.ok).toBe(true);
			if (item.ok) {
				envelopes++;
				state = reduce(state, item.envelope);
			}
		}

		expect(envelopes).toBe(records.filter(record => record.type === 'tick').length);
		expect(state.game).toMatchObject({id: '20251102-b30575b7df6442dd', phase: 'RUGGED', rugTick: rug.tick, rugPrice: rug.price, peak});
		expect(state.stats).toMatchObject({internalErrors: 0, fieldErrors: 0, unknownEvents: 0});
	});

	test('it replays through the command like any recording', async () => {
		const {code, stdout} = await runCli(['--replay', capturePath('derived-ticks-long-game-2025-11-02.jsonl'), '--json', '--speed', '0', '--events', 'gameStateUpdate']);
		expect(code).toBe(0);
		expect(stdout.split('\n').filter(line => line !== '')).toHaveLength(1459);
	});
});

describe.skipIf(!hasCaptures)('the public capture, gzip and brotli', () => {
	test('summarize reads the capture the same in all three forms', async () => {
		const plain = readFileSync(publicFeedCapture);
		const gz = folder.write('public.jsonl.gz', zlib.gzipSync(plain));
		const br = folder.write('public.jsonl.br', zlib.brotliCompressSync(plain, {params: {[zlib.constants.BROTLI_PARAM_LGWIN]: 24}}));
		const results = await Promise.all([publicFeedCapture, gz, br].map(async file => runCli(['summarize', file])));
		expect(results.map(result => result.code)).toStrictEqual([0, 0, 0]);
		expect(results[1]!.stdout).toBe(results[0]!.stdout);
		expect(results[2]!.stdout).toBe(results[0]!.stdout);
	});
});
