import {PassThrough, Writable} from 'node:stream';
import {afterAll, describe, expect, test, vi} from 'vitest';
import {createAppBus} from '../source/bus/app-bus.js';
import {type Options, parseOptions} from '../source/app/options.js';
import {runJson} from '../source/app/run-json.js';
import {asEnvelope} from '../source/protocol/envelope.js';
import {envelopeLine} from '../source/record/json-line.js';
import {NdjsonWriter} from '../source/record/ndjson-writer.js';
import {recordingText, tempFolder, testEnvelope} from './helpers/own-recordings.js';

const folder = tempFolder();
afterAll(() => {
	folder.remove();
});

/** A stdout stand-in that only takes data when told to, like a pipe whose reader is slow. */
class SlowStdout extends Writable {
	chunks: string[] = [];
	maxBuffered = 0;
	readonly #waiting: Array<() => void> = [];

	constructor(highWaterMark: number) {
		super({highWaterMark, decodeStrings: false});
	}

	override _write(chunk: string, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
		this.maxBuffered = Math.max(this.maxBuffered, this.writableLength);
		this.#waiting.push(() => {
			this.chunks.push(chunk);
			callback();
		});
	}

	/** Let the reader take one pending chunk. Returns false when none was waiting. */
	takeOne(): boolean {
		const next = this.#waiting.shift();
		next?.();
		return next !== undefined;
	}
}

function collectText(stream: PassThrough): {text: () => string} {
	let text = '';
	stream.setEncoding('utf8');
	stream.on('data', (chunk: string) => {
		text += chunk;
	});
	return {text: () => text};
}

describe('NdjsonWriter', () => {
	test('one JSON line per envelope, in order, with the envelope\'s own key order', () => {
		const stream = new PassThrough();
		const out = collectText(stream);
		const writer = new NdjsonWriter(stream);
		const envelopes = [testEnvelope(1, 1000), {...testEnvelope(2, 2000, 'ack', [{success: true}]), ackId: 3}];
		for (const envelope of envelopes) {
			writer.write(envelope);
		}

		expect(out.text()).toBe(recordingText(envelopes));
		expect(writer.written).toBe(2);
	});

	test('--events keeps only the named events', () => {
		const stream = new PassThrough();
		const out = collectText(stream);
		const writer = new NdjsonWriter(stream, {events: new Set(['standard/newTrade', 'newChatMessage'])});
		writer.write(testEnvelope(1, 1));
		writer.write(testEnvelope(2, 2, 'standard/newTrade', [{type: 'buy'}]));
		writer.write(testEnvelope(3, 3, 'newChatMessage', [{message: 'gm'}]));
		writer.write(testEnvelope(4, 4, 'gameStateUpdate'));
		expect(out.text().trim().split('\n').map(line => (JSON.parse(line) as {seq: number}).seq)).toStrictEqual([2, 3]);
		expect(writer.accepts(testEnvelope(5, 5))).toBe(false);
	});

	test('back-pressure: ready() is a promise while the stream is over its mark, resolved by drain', async () => {
		const stream = new SlowStdout(64);
		const writer = new NdjsonWriter(stream);
		expect(writer.ready()).toBeUndefined();
		writer.write(testEnvelope(1, 1));
		const waiting = writer.ready();
		expect(waiting).toBeInstanceOf(Promise);
		let resolved = false;
		void waiting!.then(() => {
			resolved = true;
		});
		await new Promise(resolve => {
			setImmediate(resolve);
		});
		expect(resolved).toBe(false);
		while (stream.takeOne()) {
			// Drain everything.
		}

		await waiting;
		expect(resolved).toBe(true);
		expect(writer.ready()).toBeUndefined();
	});

	test('EPIPE (the reader went away, as with | head -1) closes the writer quietly and releases a waiting producer', async () => {
		const stream = new SlowStdout(16);
		const reasons: string[] = [];
		const writer = new NdjsonWriter(stream, {
			onClosed(reason) {
				reasons.push(reason);
			},
		});
		writer.write(testEnvelope(1, 1));
		const waiting = writer.ready();
		stream.destroy(Object.assign(new Error('write EPIPE'), {code: 'EPIPE'}));
		await waiting;
		await new Promise(resolve => {
			setImmediate(resolve);
		});
		expect(writer.closed).toBe(true);
		expect(reasons).toStrictEqual(['EPIPE']);
		writer.write(testEnvelope(2, 2));
		expect(writer.written).toBe(1);
		expect(writer.ready()).toBeUndefined();
	});

	test('another stream error is reported with its message, once', async () => {
		const stream = new PassThrough();
		const reasons: string[] = [];
		const writer = new NdjsonWriter(stream, {
			onClosed(reason) {
				reasons.push(reason);
			},
		});
		stream.destroy(new Error('disk full'));
		await new Promise(resolve => {
			setImmediate(resolve);
		});
		expect(reasons).toStrictEqual(['disk full']);
		expect(writer.closed).toBe(true);
	});

	test('with maxBufferedBytes (live sources cannot wait), envelopes past the limit are dropped and counted', () => {
		const stream = new SlowStdout(1);
		const writer = new NdjsonWriter(stream, {maxBufferedBytes: 500});
		for (let seq = 1; seq <= 50; seq++) {
			writer.write(testEnvelope(seq, seq));
		}

		expect(writer.dropped).toBeGreaterThan(0);
		expect(writer.written + writer.dropped).toBe(50);
		expect(stream.writableLength).toBeLessThanOrEqual(500 + 200);
	});
});

describe('NdjsonWriter holds what waits for a slow reader itself, in chunks', () => {
	test('a stalled stream is handed at most one 256 KB chunk beyond its mark; the queue stays within the limit; the lines arrive whole and in order', () => {
		const stream = new SlowStdout(16 * 1024);
		const limit = 4 * 1024 * 1024;
		const writer = new NdjsonWriter(stream, {maxBufferedBytes: limit});
		const envelopes = Array.from({length: 60_000}, (_, index) => testEnvelope(index + 1, 1000 + index));
		const longest = Math.max(...envelopes.map(envelope => envelopeLine(envelope).length + 1));
		let maxStream = 0;
		let maxBuffered = 0;
		// The reader takes one chunk every 1,000 envelopes: far slower than they come.
		for (const [index, envelope] of envelopes.entries()) {
			writer.write(envelope);
			maxStream = Math.max(maxStream, stream.writableLength);
			maxBuffered = Math.max(maxBuffered, writer.bufferedChars);
			if (index % 1000 === 999) {
				stream.takeOne();
			}
		}

		expect(writer.dropped).toBeGreaterThan(0);
		expect(writer.written + writer.dropped).toBe(envelopes.length);
		expect(maxBuffered).toBeLessThanOrEqual(limit + longest);
		// The stream's own buffer: its mark, plus the chunk handed to it when it drained.
		expect(maxStream).toBeLessThanOrEqual((16 * 1024) + (256 * 1024) + longest);
		while (stream.takeOne()) {
			// The reader catches up.
		}

		const lines = stream.chunks.join('').split('\n').filter(line => line !== '');
		expect(lines).toHaveLength(writer.written);
		const seqs = lines.map(line => (JSON.parse(line) as {seq: number}).seq);
		expect(seqs).toEqual(seqs.toSorted((a, b) => a - b));
		expect(writer.bufferedChars).toBe(0);
	});

	test('without a limit (a replay) nothing is dropped and ready() holds the producer until the queue is handed over', async () => {
		const stream = new SlowStdout(1024);
		const writer = new NdjsonWriter(stream);
		for (let seq = 1; seq <= 100; seq++) {
			writer.write(testEnvelope(seq, seq));
		}

		const waiting = writer.ready();
		expect(waiting).toBeInstanceOf(Promise);
		expect(writer.dropped).toBe(0);
		const flushed = writer.flushed();
		while (stream.takeOne()) {
			await new Promise(resolve => {
				setImmediate(resolve);
			});
		}

		await waiting;
		await flushed;
		expect(stream.chunks.join('').split('\n').filter(line => line !== '')).toHaveLength(100);
		expect(writer.ready()).toBeUndefined();
	});
});

describe('runJson back-pressure (in process)', () => {
	function options(file: string, extra: Record<string, unknown> = {}): Options {
		const parsed = parseOptions({replay: [file], json: true, speed: 0, ...extra});
		if (!parsed.ok) {
			throw new Error(parsed.error);
		}

		return parsed.options;
	}

	test('a reader that takes one chunk at a time gets every line, and at most one line beyond the mark is ever buffered', async () => {
		const envelopes = Array.from({length: 300}, (_, index) => testEnvelope(index + 1, 1000 + index));
		const file = folder.write('slow-reader.jsonl', recordingText(envelopes));
		const stdout = new SlowStdout(1024);
		const stderr = new PassThrough();
		const stderrText = collectText(stderr);
		const running = runJson(options(file), {stdout, stderr}, createAppBus());
		let done = false;
		void running.then(() => {
			done = true;
		});
		// The slow reader: one chunk per turn of the event loop.
		// eslint-disable-next-line no-unmodified-loop-condition -- set by the promise's callback, which runs while the loop awaits
		while (!done) {
			stdout.takeOne();
			await new Promise(resolve => {
				setImmediate(resolve);
			});
		}

		expect(await running).toBe(0);
		const lines = stdout.chunks.join('').split('\n').filter(line => line !== '');
		expect(lines.map(line => asEnvelope(JSON.parse(line))?.seq)).toStrictEqual(envelopes.map(envelope => envelope.seq));
		const longest = Math.max(...lines.map(line => line.length + 1));
		expect(stdout.maxBuffered).toBeLessThanOrEqual(1024 + longest);
		expect(stderrText.text()).toContain('"state":"ended"');
	});
});

describe('envelopeLine', () => {
	test('serialises an envelope once when it is written twice in a row (--json and --record), and each new one afresh', () => {
		const first = {seq: 1, event: 'a', data: {deep: [1, 2, 3]}};
		const second = {seq: 2, event: 'b', data: null};
		const expected = JSON.stringify(first);
		const stringify = vi.spyOn(JSON, 'stringify');
		try {
			expect(envelopeLine(first)).toBe(expected);
			// The same object again: the text of the first call, no second serialisation.
			expect(envelopeLine(first)).toBe(expected);
			expect(stringify).toHaveBeenCalledTimes(1);
		} finally {
			stringify.mockRestore();
		}

		expect(envelopeLine(second)).toBe(JSON.stringify(second));
		// An equal but distinct object is serialised on its own.
		const copy = structuredClone(first);
		expect(envelopeLine(copy)).toBe(JSON.stringify(copy));
	});
});
