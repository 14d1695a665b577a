import {mkdirSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {gunzipSync} from 'node:zlib';
import {afterAll, afterEach, describe, expect, test, vi} from 'vitest';
import {makeEnvelope, type Envelope} from '../source/protocol/envelope.js';
import {codecOfPath} from '../source/record/record-codec.js';
import {recordFileEntry, recordFileIndex, recordFileName, siblingPath, utcDay} from '../source/record/record-files.js';
import {Recorder} from '../source/record/recorder.js';
import {makeTempDir, splitLines} from './helpers/recordings.js';
import {waitFor} from './helpers/wait.js';

const temporary = makeTempDir();
afterAll(() => {
	temporary.remove();
});

let counter = 0;
function file(name: string): string {
	return path.join(temporary.dir, `${++counter}-${name}`);
}

/** Envelopes whose seq have the same number of digits serialise to lines of the same length. */
function envelope(seq: number, payload?: unknown): Envelope {
	return makeEnvelope({seq, ts: 1_765_000_000_000 + seq, source: 'direct', direction: 'received', event: 'gameStateUpdate', args: [payload ?? {gameId: 'g', tickCount: seq, price: 1.5}]});
}

function envelopes(count: number, from = 1): Envelope[] {
	return Array.from({length: count}, (_, index) => envelope(from + index));
}

function lines(filePath: string): string[] {
	const {complete, partial} = splitLines(readFileSync(filePath, 'utf8'));
	expect(partial).toBeUndefined();
	return complete;
}

const recorders: Recorder[] = [];
function recorder(options: ConstructorParameters<typeof Recorder>[0]): Recorder {
	const made = new Recorder(options);
	recorders.push(made);
	return made;
}

afterEach(async () => {
	vi.useRealTimers();
	await Promise.all(recorders.splice(0).map(async made => made.close()));
});

describe('recorder: lines', () => {
	test('every envelope as one JSON line, lossless, in order', async () => {
		const target = file('plain.jsonl');
		const made = recorder({file: target});
		const sent = [...envelopes(3), makeEnvelope({seq: 4, ts: 5.5, source: 'cdp', direction: 'sent', event: 'standard/newTrade', args: [{__trace: true}, {id: 't', qty: 0.1}], ackId: 7})];
		for (const item of sent) {
			made.write(item);
		}

		const stats = await made.close();
		expect(lines(target).map(line => JSON.parse(line) as unknown)).toEqual(sent);
		expect(stats).toMatchObject({received: 4, written: 4, dropped: 0, pending: 0, files: [target]});
		expect(stats.bytes).toBe(statSync(target).size);
	});

	test('appends to an existing recording, never truncates it', async () => {
		const target = file('existing.jsonl');
		writeFileSync(target, '{"old":1}\n{"old":2}\n');
		const made = recorder({file: target});
		made.write(envelope(1));
		await made.close();
		expect(lines(target)).toEqual(['{"old":1}', '{"old":2}', JSON.stringify(envelope(1))]);
	});

	test('a recording that ends mid-line (a killed writer) keeps its torn line apart from the new ones', async () => {
		const target = file('torn.jsonl');
		writeFileSync(target, '{"old":1}\n{"torn":');
		const made = recorder({file: target});
		made.write(envelope(1));
		await made.close();
		expect(lines(target)).toEqual(['{"old":1}', '{"torn":', JSON.stringify(envelope(1))]);
	});

	test('a transform reshapes or drops envelopes before they are written', async () => {
		const target = file('transform.jsonl');
		const made = recorder({file: target, transform: item => (item.seq === 2 ? undefined : {...item, data: {redacted: true}})});
		for (const item of envelopes(3)) {
			made.write(item);
		}

		await made.close();
		expect(lines(target).map(line => (JSON.parse(line) as Envelope).seq)).toEqual([1, 3]);
		expect(lines(target).every(line => line.includes('"redacted":true'))).toBe(true);
	});

	test('writes after close are ignored; close twice is harmless', async () => {
		const target = file('closed.jsonl');
		const made = recorder({file: target});
		made.write(envelope(1));
		await made.close();
		made.write(envelope(2));
		const stats = await made.close();
		expect(stats.written).toBe(1);
		expect(lines(target)).toHaveLength(1);
	});
});

describe('recorder: when it writes', () => {
	test('buffered in memory, written by the one-second timer without any exit', async () => {
		vi.useFakeTimers({toFake: ['setInterval', 'clearInterval']});
		const target = file('interval.jsonl');
		const made = recorder({file: target});
		await made.open();
		for (const item of envelopes(5)) {
			made.write(item);
		}

		// Nothing is written before the timer fires…
		expect(readFileSync(target, 'utf8')).toBe('');
		expect(made.stats().pending).toBe(5);
		vi.advanceTimersByTime(1000);
		// …and everything is after it.
		await waitFor(() => made.stats().written === 5, {what: 'the timed flush'});
		expect(lines(target)).toHaveLength(5);
	});

	test('a large backlog (1 MiB) is written at once, not held until the timer', async () => {
		vi.useFakeTimers({toFake: ['setInterval', 'clearInterval']});
		const target = file('threshold.jsonl');
		const made = recorder({file: target});
		const big = 'x'.repeat(64 * 1024);
		for (let seq = 1; seq <= 20; seq++) {
			made.write(envelope(seq, {blob: big}));
		}

		await waitFor(() => made.stats().written >= 16, {what: 'the size-triggered flush'});
		expect(statSync(target).size).toBeGreaterThan(1024 * 1024);
	});
});

describe('recorder: failures are reported, never thrown, and memory stays bounded', () => {
	test('a folder that does not exist yet: lines wait (up to the bound), then it recovers and says so', async () => {
		let now = 1_000_000;
		const problems: string[] = [];
		const folder = path.join(temporary.dir, `later-${++counter}`);
		const target = path.join(folder, 'rec.jsonl');
		const line = JSON.stringify(envelope(10)).length + 1;
		const made = recorder({file: target, maxBufferedBytes: line * 10, now: () => now, onProblem(message) {
			problems.push(message);
		}});
		await made.open();
		expect(problems.at(-1)).toMatch(/cannot open .*later-\d+\/rec\.jsonl: .*ENOENT.*the folder does not exist/);
		for (const item of envelopes(25, 10)) {
			made.write(item);
		}

		expect(made.stats()).toMatchObject({pending: 10, dropped: 15, written: 0});
		expect(problems.some(message => /recording buffer full .*events dropped/.test(message))).toBe(true);

		mkdirSync(folder);
		now += 60_000;
		await made.flush();
		expect(made.stats()).toMatchObject({pending: 0, written: 10});
		expect(problems.at(-1)).toMatch(/resumed; 15 events were dropped while it failed/);
		// The oldest lines were kept, in order; the newest were dropped.
		expect(lines(target).map(text => (JSON.parse(text) as Envelope).seq)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
	});

	test('a path that is a directory (EISDIR) is reported with what to do', async () => {
		const problems: string[] = [];
		const made = recorder({file: temporary.dir, onProblem(message) {
			problems.push(message);
		}});
		made.write(envelope(1));
		await made.flush(true);
		expect(problems.join('\n')).toMatch(/EISDIR.*that is a directory; give a file name \(or use --record-dir\)/);
		const stats = await made.close();
		expect(stats.pending).toBe(1);
		expect(problems.at(-1)).toMatch(/1 events could not be written .* lost/);
	});

	test('a full disk (/dev/full gives a real ENOSPC) is reported and retried, and close says what was lost', async () => {
		const problems: string[] = [];
		const made = recorder({file: '/dev/full', onProblem(message) {
			problems.push(message);
		}});
		for (const item of envelopes(3)) {
			made.write(item);
		}

		await made.flush(true);
		expect(problems.join('\n')).toMatch(/cannot write to \/dev\/full: .*ENOSPC.*the disk is full/);
		expect(made.stats()).toMatchObject({pending: 3, written: 0});
		made.write(envelope(4));
		const stats = await made.close();
		expect(stats.failures).toBeGreaterThanOrEqual(2);
		expect(problems.at(-1)).toMatch(/4 events could not be written to \/dev\/full and are lost/);
	});

	test('the same problem is not repeated more than once every 10 s', async () => {
		let now = 0;
		const problems: string[] = [];
		const made = recorder({file: '/dev/full', now: () => now, onProblem(message) {
			problems.push(message);
		}});
		made.write(envelope(1));
		for (let attempt = 0; attempt < 5; attempt++) {
			now += 1000;
			await made.flush(true);
		}

		expect(problems.filter(message => message.includes('ENOSPC'))).toHaveLength(1);
		now += 10_000;
		await made.flush(true);
		expect(problems.filter(message => message.includes('ENOSPC'))).toHaveLength(2);
	});
});

describe('recorder: --record-dir rotation', () => {
	test('file names: one series per UTC day, then -1, -2 …', () => {
		expect(utcDay(Date.UTC(2025, 11, 31, 23, 59, 59))).toBe('2025-12-31');
		expect(recordFileName('2025-12-31', 0)).toBe('rugs-2025-12-31.jsonl');
		expect(recordFileName('2025-12-31', 2)).toBe('rugs-2025-12-31-2.jsonl');
		expect(recordFileIndex('rugs-2025-12-31-2.jsonl', '2025-12-31')).toBe(2);
		expect(recordFileIndex('rugs-2025-12-31.jsonl', '2025-12-31')).toBe(0);
		expect(recordFileIndex('rugs-2025-12-31-02.jsonl', '2025-12-31')).toBeUndefined();
		expect(recordFileIndex('rugs-2025-12-30.jsonl', '2025-12-31')).toBeUndefined();
		expect(recordFileName('2025-12-31', 0, 'gzip')).toBe('rugs-2025-12-31.jsonl.gz');
		expect(recordFileName('2025-12-31', 3, 'brotli')).toBe('rugs-2025-12-31-3.jsonl.br');
		expect(recordFileEntry('rugs-2025-12-31-3.jsonl.br', '2025-12-31')).toEqual({index: 3, codec: 'brotli'});
		expect(recordFileEntry('rugs-2025-12-31.jsonl.gz', '2025-12-31')).toEqual({index: 0, codec: 'gzip'});
		expect(recordFileEntry('rugs-2025-12-31.gz', '2025-12-31')).toBeUndefined();
		expect(siblingPath('/r/session.jsonl.br', 1)).toBe('/r/session-1.jsonl.br');
		expect(siblingPath('/r/notes.gz', 2)).toBe('/r/notes-2.gz');
		expect(siblingPath('/r/plain', 1)).toBe('/r/plain-1');
		expect(codecOfPath('a.JSONL.GZ')).toBe('gzip');
		expect(codecOfPath('a.br')).toBe('brotli');
		expect(codecOfPath('a.jsonl')).toBe('none');
	});

	test('the series is shared by the three endings: the latest file is continued only when it has this codec', async () => {
		const dir = path.join(temporary.dir, `codecs-${++counter}`);
		mkdirSync(dir);
		const now = () => Date.UTC(2025, 5, 2, 12);
		writeFileSync(path.join(dir, 'rugs-2025-06-02.jsonl'), '{"plain":1}\n');
		const gz = recorder({dir, codec: 'gzip', now});
		gz.write(envelope(1));
		await gz.close();
		const again = recorder({dir, codec: 'gzip', now});
		again.write(envelope(2));
		await again.close();
		const plain = recorder({dir, now});
		plain.write(envelope(3));
		await plain.close();
		expect(readdirSync(dir).toSorted()).toEqual(['rugs-2025-06-02-1.jsonl.gz', 'rugs-2025-06-02-2.jsonl', 'rugs-2025-06-02.jsonl']);
		// Two runs in one gzip file: two members, one valid file.
		expect(gunzipSync(readFileSync(path.join(dir, 'rugs-2025-06-02-1.jsonl.gz'))).toString('utf8')).toBe(`${JSON.stringify(envelope(1))}\n${JSON.stringify(envelope(2))}\n`);
		expect(lines(path.join(dir, 'rugs-2025-06-02-2.jsonl'))).toEqual([JSON.stringify(envelope(3))]);
	});

	test('a new file each UTC day, and past the size limit; whole lines only; nothing lost', async () => {
		const dir = path.join(temporary.dir, `dir-${++counter}`);
		let now = Date.UTC(2025, 11, 31, 23, 59, 0);
		const line = JSON.stringify(envelope(100)).length + 1;
		const made = recorder({dir, maxFileBytes: line * 4, now: () => now});
		const first = envelopes(10, 100);
		for (const item of first) {
			made.write(item);
		}

		await made.flush();
		now = Date.UTC(2026, 0, 1, 0, 0, 1);
		const second = envelopes(3, 200);
		for (const item of second) {
			made.write(item);
		}

		await made.close();
		expect(readdirSync(dir).toSorted()).toEqual(['rugs-2025-12-31-1.jsonl', 'rugs-2025-12-31-2.jsonl', 'rugs-2025-12-31.jsonl', 'rugs-2026-01-01.jsonl']);
		const read = (name: string) => lines(path.join(dir, name)).map(text => (JSON.parse(text) as Envelope).seq);
		expect(read('rugs-2025-12-31.jsonl')).toEqual([100, 101, 102, 103]);
		expect(read('rugs-2025-12-31-1.jsonl')).toEqual([104, 105, 106, 107]);
		expect(read('rugs-2025-12-31-2.jsonl')).toEqual([108, 109]);
		expect(read('rugs-2026-01-01.jsonl')).toEqual([200, 201, 202]);
		for (const name of readdirSync(dir)) {
			expect(statSync(path.join(dir, name)).size).toBeLessThanOrEqual(line * 4);
		}
	});

	test('a restart continues the latest file of the day, or the next one when it is full', async () => {
		const dir = path.join(temporary.dir, `resume-${++counter}`);
		mkdirSync(dir);
		const now = () => Date.UTC(2025, 5, 1, 12);
		writeFileSync(path.join(dir, 'rugs-2025-06-01.jsonl'), 'x'.repeat(50) + '\n');
		writeFileSync(path.join(dir, 'rugs-2025-06-01-3.jsonl'), '{"a":1}\n');
		writeFileSync(path.join(dir, 'notes.txt'), 'not a recording');
		const made = recorder({dir, maxFileBytes: 1000, now});
		made.write(envelope(1));
		await made.close();
		expect(lines(path.join(dir, 'rugs-2025-06-01-3.jsonl'))).toEqual(['{"a":1}', JSON.stringify(envelope(1))]);

		writeFileSync(path.join(dir, 'rugs-2025-06-01-3.jsonl'), 'y'.repeat(1200) + '\n');
		const next = recorder({dir, maxFileBytes: 1000, now});
		next.write(envelope(2));
		await next.close();
		expect(lines(path.join(dir, 'rugs-2025-06-01-4.jsonl'))).toEqual([JSON.stringify(envelope(2))]);
	});

	test('a single line larger than the limit still goes in, alone, in a fresh file', async () => {
		const dir = path.join(temporary.dir, `big-${++counter}`);
		const made = recorder({dir, maxFileBytes: 300, now: () => Date.UTC(2025, 0, 1)});
		made.write(envelope(1));
		made.write(envelope(2, {blob: 'z'.repeat(1000)}));
		made.write(envelope(3));
		await made.close();
		const names = readdirSync(dir).toSorted();
		expect(names).toEqual(['rugs-2025-01-01-1.jsonl', 'rugs-2025-01-01-2.jsonl', 'rugs-2025-01-01.jsonl']);
		expect(lines(path.join(dir, 'rugs-2025-01-01-1.jsonl'))).toHaveLength(1);
	});
});
