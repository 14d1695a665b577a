import {randomBytes} from 'node:crypto';
import {existsSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import {afterAll, afterEach, beforeAll, describe, expect, test} from 'vitest';
import {makeEnvelope, type Envelope} from '../source/protocol/envelope.js';
import {Recorder} from '../source/record/recorder.js';
import {startCli, stopCli, type CliRun} from './helpers/cli.js';
import {makeTempDir, writeRecording} from './helpers/recordings.js';
import {mountSmallDisk, tmpfsUnavailable, type SmallDisk} from './helpers/tmpfs.js';
import {waitFor} from './helpers/wait.js';

/*
A full disk resumes cleanly: a real tmpfs that fills up, then frees space.
The file holds whole lines only (whole flush units when compressed), each
event at most once; a line that cannot fit while the lines after it can is
skipped, counted and reported; recording resumes once there is room.
(Before: a failed write left its torn part in the file, each retry appended
another copy, and a frame that never fitted blocked everything behind it.)
*/

const suffixes = ['.jsonl', '.jsonl.gz', '.jsonl.br'] as const;
type Suffix = typeof suffixes[number];

function envelope(seq: number, data?: unknown): Envelope {
	return makeEnvelope({seq, ts: 1_765_000_000_000 + seq, source: 'direct', direction: 'received', event: 'gameStateUpdate', args: [data ?? {gameId: 'g', tickCount: seq, price: 1 + (seq / 100), note: 'x'.repeat(200)}]});
}

/** The text a recording file holds: strictly decoded (a compressed stream must be complete) or, with `open`, up to its last flush point. */
function contentOf(file: string, suffix: Suffix, open = false): string {
	const bytes = readFileSync(file);
	const sync = {finishFlush: zlib.constants.Z_SYNC_FLUSH};
	switch (suffix) {
		case '.jsonl': {
			return bytes.toString('utf8');
		}

		case '.jsonl.gz': {
			return (open ? zlib.gunzipSync(bytes, sync) : zlib.gunzipSync(bytes)).toString('utf8');
		}

		case '.jsonl.br': {
			return (open ? zlib.brotliDecompressSync(bytes, {finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH}) : zlib.brotliDecompressSync(bytes)).toString('utf8');
		}
	}
}

/** Seqs of the lines of a text that must hold whole lines only. */
function seqsOf(text: string): number[] {
	expect(text === '' || text.endsWith('\n'), 'whole lines only').toBe(true);
	return text.split('\n').filter(line => line !== '').map(line => (JSON.parse(line) as Envelope).seq);
}

const range = (from: number, to: number) => Array.from({length: to - from + 1}, (_, index) => from + index);

describe.skipIf(tmpfsUnavailable !== undefined)(`a full disk (a real tmpfs)${tmpfsUnavailable === undefined ? '' : ` — skipped: ${tmpfsUnavailable}`}`, () => {
	let disk: SmallDisk;
	let counter = 0;
	beforeAll(() => {
		disk = mountSmallDisk(1024 * 1024);
	});

	afterEach(() => {
		disk.free();
	});

	afterAll(() => {
		disk.unmount();
	});

	test.each(suffixes)('%s: fills up mid-write, then frees space: whole lines only, each event once, recording resumes', async suffix => {
		const file = path.join(disk.dir, `fills-${++counter}${suffix}`);
		const problems: string[] = [];
		const recorder = new Recorder({file, onProblem(message) {
			problems.push(message);
		}});
		await recorder.open();
		for (const seq of range(1, 20)) {
			recorder.write(envelope(seq));
		}

		await recorder.flush(true);
		expect(recorder.stats().written).toBe(20);
		// Room for a few lines more, not for the next batch: the kernel takes part of the write, then refuses.
		disk.fill(2048);
		// Noise, so that compression cannot make the batch small enough to fit.
		for (const seq of range(21, 220)) {
			recorder.write(envelope(seq, {gameId: 'g', tickCount: seq, noise: randomBytes(150).toString('base64')}));
		}

		for (let attempt = 0; attempt < 4; attempt++) {
			await recorder.flush(true);
			// Whatever is in the file while the disk refuses: whole lines (flush points), each once, in order.
			const seqs = seqsOf(contentOf(file, suffix, true));
			expect(seqs).toEqual(range(1, seqs.length));
		}

		const stuck = recorder.stats();
		expect(stuck.pending).toBeGreaterThan(0);
		expect(stuck.skipped).toBe(0);
		expect(problems.join('\n')).toMatch(/ENOSPC.*the disk is full/);

		disk.free();
		await recorder.flush(true);
		for (const seq of range(221, 230)) {
			recorder.write(envelope(seq));
		}

		const stats = await recorder.close();
		expect(stats).toMatchObject({written: 230, pending: 0, skipped: 0, dropped: 0});
		expect(problems.at(-1)).toMatch(/resumed/);
		expect(seqsOf(contentOf(file, suffix))).toEqual(range(1, 230));
		expect(stats.bytes).toBe(statSync(file).size);
	});

	test.each(suffixes)('%s: a frame that never fits is skipped after 3 tries (counted, reported), and the events behind it are written', async suffix => {
		const file = path.join(disk.dir, `big-${++counter}${suffix}`);
		const problems: string[] = [];
		const recorder = new Recorder({file, onProblem(message) {
			problems.push(message);
		}});
		await recorder.open();
		disk.fill(192 * 1024);
		// 400 KB of base64 noise: too big for the disk even compressed (about 300 KB).
		const big = envelope(11, {gameId: 'g', blob: randomBytes(300_000).toString('base64')});
		for (const item of [...range(1, 10).map(seq => envelope(seq)), big, ...range(12, 40).map(seq => envelope(seq))]) {
			recorder.write(item);
		}

		for (let attempt = 0; attempt < 6 && recorder.stats().skipped === 0; attempt++) {
			await recorder.flush(true);
		}

		expect(recorder.stats()).toMatchObject({skipped: 1, written: 39, pending: 0});
		expect(problems.join('\n')).toMatch(/an event of 39\d KiB could not be written to .* in 3 tries \(.*ENOSPC.*room for .*\) and was skipped, so the events after it still get written; 1 skipped so far/);

		disk.free();
		for (const seq of range(41, 50)) {
			recorder.write(envelope(seq));
		}

		const stats = await recorder.close();
		expect(stats).toMatchObject({written: 49, skipped: 1, pending: 0});
		// A brotli stream that took the frame in cannot go on without it: it is ended, and the rest goes to the next file.
		const files = suffix === '.jsonl.br' ? [file, file.replace(/\.jsonl\.br$/, '-1.jsonl.br')] : [file];
		expect(stats.files).toEqual(files);
		expect(seqsOf(files.map(name => contentOf(name, suffix)).join(''))).toEqual([...range(1, 10), ...range(12, 50)]);
	});

	test.each(suffixes)('rugs-tui --record FILE%s on a disk that is full, then freed: every event once, the run goes on', async suffix => {
		const input = makeTempDir('rugs-full-input-');
		let run: CliRun | undefined;
		try {
			// 40 events, then 40 more 3 s later: the disk is freed in between.
			const events = range(1, 80).map(seq => ({...envelope(seq), source: 'replay' as const, ts: 1_765_000_000_000 + (seq > 40 ? 3000 : 0) + seq}));
			const source = writeRecording(path.join(input.dir, 'in.jsonl'), events);
			const file = path.join(disk.dir, `cli-${++counter}${suffix}`);
			disk.fill(0);
			run = startCli(['--replay', source, '--speed', '1', '--json', '--record', file], {stdoutToNull: true});
			await waitFor(() => run!.stderr().includes('ENOSPC'), {what: 'the full disk reported', timeoutMs: 20_000});
			disk.free();
			const exit = await run.exited;
			expect(exit.code).toBe(0);
			expect(run.stderr()).toMatch(/resumed/);
			expect(run.stderr()).not.toMatch(/skipped|lost/);
			expect(existsSync(file)).toBe(true);
			expect(seqsOf(contentOf(file, suffix))).toEqual(range(1, 80));
		} finally {
			stopCli(run);
			input.remove();
		}
	});
});
