import path from 'node:path';
import {PassThrough} from 'node:stream';
import fc from 'fast-check';
import {afterAll, describe, expect, test} from 'vitest';
import {asEnvelope, makeEnvelope, sourceKinds, type Envelope} from '../source/protocol/envelope.js';
import {jsonLine, stringifyDeep} from '../source/record/json-line.js';
import {NdjsonWriter} from '../source/record/ndjson-writer.js';
import {Recorder} from '../source/record/recorder.js';
import {readRecording} from '../source/sources/read-recording.js';
import {checkAsync, check, deepArray, nastyJson, nastyString, testTimeout} from './helpers/fuzz.js';
import {makeTempDir} from './helpers/recordings.js';

/**
Fuzzing what writes: the recorder (`--record`) and the NDJSON writer (`--json`).
Whatever an envelope holds — control characters, escape sequences, lone
surrogates, line separators, `__proto__` keys, huge numbers, a million levels
of nesting — each becomes exactly one line that reads back as the same
envelope, and nothing is dropped.
*/

const folder = makeTempDir('rugs-fuzz-recorder-');
afterAll(() => {
	folder.remove();
});

const weirdEnvelope: fc.Arbitrary<Envelope> = fc.record({
	seq: fc.oneof(fc.nat(), fc.constantFrom(0, -1, 2 ** 53, 1e300)),
	ts: fc.oneof(fc.double({noNaN: true, noDefaultInfinity: true}), fc.constantFrom(0, 1_765_577_818_000.125, -1)),
	source: fc.constantFrom(...sourceKinds),
	direction: fc.constantFrom('received' as const, 'sent' as const),
	event: fc.oneof(nastyString, fc.string({unit: 'grapheme', maxLength: 30}), fc.constantFrom('gameStateUpdate', 'standard/newTrade', 'ack', '__proto__')),
	args: fc.array(nastyJson({finite: true}), {maxLength: 3}),
	ns: fc.option(fc.oneof(fc.constant('/game'), nastyString), {nil: undefined}),
	ackId: fc.option(fc.nat(), {nil: undefined}),
	big: fc.option(fc.tuple(fc.string({unit: 'grapheme', minLength: 1, maxLength: 8}), fc.integer({min: 1000, max: 20_000})).map(([text, times]) => text.repeat(times)), {nil: undefined, freq: 10}),
}).map(({args, big, ...init}) => makeEnvelope({...init, args: big === undefined ? args : [...args, big]}));

/** The envelope a line must read back as: JSON keeps values, not `-0` nor key quirks of the original objects. */
function asWritten(envelope: Envelope): Envelope {
	const line = JSON.stringify(envelope);
	return asEnvelope(JSON.parse(line))!;
}

let fileNumber = 0;

describe('one line per envelope, whatever it holds', () => {
	test('jsonLine gives exactly JSON.stringify\'s text for any value (it only takes over when that runs out of stack)', () => {
		check(fc.property(fc.anything({withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withNullPrototype: true, maxDepth: 5}), value => {
			const native = JSON.stringify(value) as string | undefined;
			if (native === undefined) {
				expect(() => jsonLine(value)).toThrow(TypeError);
				return;
			}

			expect(stringifyDeep(value)).toBe(native);
			expect(jsonLine(value)).toBe(native);
		}), 1000);
		const cyclic: Record<string, unknown> = {a: 1};
		cyclic['self'] = {back: cyclic};
		expect(() => stringifyDeep(cyclic)).toThrow(/circular/);
		expect(() => stringifyDeep({n: 1n})).toThrow(/BigInt/);
	}, testTimeout());

	test('the recorder writes every envelope as one line that reads back as the same envelope, dropping none', async () => {
		await checkAsync(fc.asyncProperty(fc.array(weirdEnvelope, {minLength: 1, maxLength: 30}), fc.integer({min: 1, max: 64 * 1024}), async (envelopes, flushBytes) => {
			const file = path.join(folder.dir, `recording-${++fileNumber}.jsonl`);
			const problems: string[] = [];
			const recorder = new Recorder({file, flushBytes, onProblem(message) {
				problems.push(message);
			}});
			for (const [index, envelope] of envelopes.entries()) {
				recorder.write(envelope);
				if (index % 7 === 3) {
					await recorder.flush();
				}
			}

			const stats = await recorder.close();
			expect(problems).toEqual([]);
			expect(stats).toMatchObject({received: envelopes.length, written: envelopes.length, dropped: 0, pending: 0, failures: 0});
			const read: unknown[] = [];
			for await (const item of readRecording(file)) {
				read.push(item);
			}

			expect(read).toEqual(envelopes.map((envelope, index) => ({ok: true, envelope: asWritten(envelope), line: index + 1})));
		}), 60);
	}, testTimeout());

	test('--json output: every envelope one line that parses back to it', async () => {
		await checkAsync(fc.asyncProperty(fc.array(weirdEnvelope, {minLength: 1, maxLength: 30}), async envelopes => {
			const stream = new PassThrough();
			let text = '';
			stream.setEncoding('utf8').on('data', (chunk: string) => {
				text += chunk;
			});
			const writer = new NdjsonWriter(stream);
			for (const envelope of envelopes) {
				writer.write(envelope);
				await writer.ready();
			}

			await new Promise<void>(resolve => {
				stream.end(resolve);
			});
			const lines = text.split('\n');
			expect(lines.pop()).toBe('');
			expect(lines.map(line => asEnvelope(JSON.parse(line)))).toEqual(envelopes.map(envelope => asWritten(envelope)));
			expect(writer.written).toBe(envelopes.length);
		}), 100);
	}, testTimeout());

	test('an envelope nested 200,000 deep is recorded and read back whole, not dropped', async () => {
		const depth = 200_000;
		const deep = makeEnvelope({seq: 1, ts: 1_765_577_818_000, source: 'cdp', direction: 'received', event: 'gameStateUpdate', args: [{gameId: 'deep', nested: deepArray(depth, 'leaf')}]});
		expect(() => JSON.stringify(deep)).toThrow(RangeError);
		const file = path.join(folder.dir, 'deep.jsonl');
		const recorder = new Recorder({file});
		recorder.write(makeEnvelope({seq: 0, ts: 1_765_577_817_000, source: 'cdp', direction: 'received', event: 'before', args: [1]}));
		recorder.write(deep);
		recorder.write(makeEnvelope({seq: 2, ts: 1_765_577_819_000, source: 'cdp', direction: 'received', event: 'after', args: [2]}));
		expect(await recorder.close()).toMatchObject({written: 3, dropped: 0});
		const items = [];
		for await (const item of readRecording(file)) {
			items.push(item);
		}

		expect(items.map(item => item.ok && item.envelope.event)).toEqual(['before', 'gameStateUpdate', 'after']);
		// Compared as text: the structure is far too deep for a recursive equality check.
		const [, second] = items;
		expect(second?.ok && stringifyDeep(second.envelope)).toBe(stringifyDeep(deep));
	}, testTimeout());

	test('a number past the float range (JSON 1e999) becomes null in a line: the one thing JSON text cannot hold', () => {
		const envelope = makeEnvelope({seq: 1, ts: 1, source: 'cdp', direction: 'received', event: 'x', args: [{price: Number.POSITIVE_INFINITY}]});
		expect(jsonLine(envelope)).toContain('"price":null');
	});
});
