import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import fc from 'fast-check';
import {afterAll, describe, expect, test} from 'vitest';
import {createAppBus} from '../source/bus/app-bus.js';
import type {Problem} from '../source/bus/messages.js';
import {isSourceKind, type Envelope} from '../source/protocol/envelope.js';
import {parseRecordingLine, type ParsedRecord} from '../source/sources/recording-format.js';
import {readRecording, type RecordingItem} from '../source/sources/read-recording.js';
import {replay} from '../source/sources/replay.js';
import {check, checkAsync, nastyString, testTimeout} from './helpers/fuzz.js';
import {corpusEnvelopes, mutate, mutations} from './helpers/mutate.js';
import {fixturesDir} from './helpers/project.js';
import {makeTempDir} from './helpers/recordings.js';

/**
Fuzzing what reads recordings: single lines (the project's envelopes and the
Python recorders' formats), whole files with truncated, mutated and garbage
lines, and replays of them. No throw; every good line read exactly; every bad
one reported with its line number and counted, once.
*/

const folder = makeTempDir('rugs-fuzz-recording-');
afterAll(() => {
	folder.remove();
});

function expectSane(parsed: ParsedRecord): void {
	if (!parsed.ok) {
		expect(parsed.reason.length).toBeGreaterThan(0);
		return;
	}

	const {envelope} = parsed;
	expect(Number.isFinite(envelope.ts)).toBe(true);
	expect(typeof envelope.seq).toBe('number');
	expect(isSourceKind(envelope.source)).toBe(true);
	expect(['received', 'sent']).toContain(envelope.direction);
	expect(typeof envelope.event).toBe('string');
	expect('data' in envelope).toBe(true);
}

const fixtureLines = ['session.jsonl', 'session-auth.jsonl', 'session.seq-ts-event-data.jsonl', 'session.timestamp-event_type-data.jsonl', 'hostile-names.jsonl', 'malformed.jsonl']
	.flatMap(name => readFileSync(path.join(fixturesDir, name), 'utf8').split('\n'))
	.filter(line => line.trim() !== '' && line.length < 60_000);
const envelopes = corpusEnvelopes().filter(envelope => JSON.stringify(envelope).length < 60_000);

let fileNumber = 0;
function recordingFile(content: string | Buffer): string {
	const file = path.join(folder.dir, `recording-${++fileNumber}.jsonl`);
	writeFileSync(file, content);
	return file;
}

async function readAll(file: string): Promise<RecordingItem[]> {
	const items: RecordingItem[] = [];
	for await (const item of readRecording(file)) {
		items.push(item);
	}

	return items;
}

/**
A line of a file under construction: described (so a counterexample reads
well), then turned into bytes. Bad lines are certainly bad: a strict prefix of
a JSON object is never valid JSON (here cut at a byte, possibly inside a UTF-8
character), and text starting with `#` cannot be JSON at all.
*/
type Planned =
	| {kind: 'good'; index: number}
	| {kind: 'truncated'; index: number; at: number}
	| {kind: 'garbage'; bytes: number[]}
	| {kind: 'blank'; text: string};

const plannedLine: fc.Arbitrary<Planned> = fc.oneof(
	{weight: 6, arbitrary: fc.record({kind: fc.constant('good' as const), index: fc.nat({max: envelopes.length - 1})})},
	{weight: 1, arbitrary: fc.record({kind: fc.constant('truncated' as const), index: fc.nat({max: envelopes.length - 1}), at: fc.double({min: 0, max: 1, noNaN: true, maxExcluded: true})})},
	{weight: 1, arbitrary: fc.record({kind: fc.constant('garbage' as const), bytes: fc.oneof(
		fc.array(fc.integer({min: 0, max: 255}).filter(byte => byte !== 0x0A && byte !== 0x0D), {maxLength: 60}),
		nastyString.map(text => [...Buffer.from(text.replaceAll(/[\n\r]/g, ''))]),
	)})},
	{weight: 1, arbitrary: fc.record({kind: fc.constant('blank' as const), text: fc.constantFrom('', ' ', '\t', '  \t ')})},
);

function bytesOf(line: Planned): Buffer {
	switch (line.kind) {
		case 'good': {
			return Buffer.from(JSON.stringify(envelopes[line.index]));
		}

		case 'truncated': {
			const bytes = Buffer.from(JSON.stringify(envelopes[line.index]));
			return bytes.subarray(0, 1 + Math.floor(line.at * (bytes.length - 1)));
		}

		case 'garbage': {
			return Buffer.concat([Buffer.from('#'), Buffer.from(line.bytes)]);
		}

		case 'blank': {
			return Buffer.from(line.text);
		}
	}
}

/** What reading each non-blank line must give. */
function expectedItems(lines: readonly Planned[]): Array<{ok: boolean; line: number; envelope?: Envelope}> {
	const first = lines.find(line => line.kind !== 'blank');
	if (first !== undefined && bytesOf(first).toString('utf8').trim() === '{' && !lines.some(line => line.kind === 'good')) {
		// It starts like a pretty-printed document and holds no record: one bad document (line 1).
		return [{ok: false, line: 1}];
	}

	return lines.flatMap((line, index) => {
		if (line.kind === 'blank') {
			return [];
		}

		return [line.kind === 'good' ? {ok: true, line: index + 1, envelope: envelopes[line.index]} : {ok: false, line: index + 1}];
	});
}

function buildFile(lines: readonly Planned[], endings: readonly boolean[], finalNewline: boolean): Buffer {
	const parts: Buffer[] = [];
	for (const [index, line] of lines.entries()) {
		parts.push(bytesOf(line));
		if (index < lines.length - 1 || finalNewline) {
			parts.push(Buffer.from(endings[index % endings.length] ? '\r\n' : '\n'));
		}
	}

	return Buffer.concat(parts);
}

describe('recording line fuzzing', () => {
	test('any text as a line: never throws; what it accepts is a sane envelope', () => {
		check(fc.property(fc.oneof(fc.string({unit: 'binary', maxLength: 300}), fc.json({maxDepth: 3}), nastyString), line => {
			expectSane(parseRecordingLine(line, 1));
		}), 500);
	}, testTimeout());

	test('mutated lines of every recording format: never throws; what it accepts is a sane envelope', () => {
		check(fc.property(fc.constantFrom(...fixtureLines), mutations, (line, steps) => {
			expectSane(parseRecordingLine(mutate(line, steps), 7));
		}), 500);
	}, testTimeout());
});

describe('recording file fuzzing', () => {
	test('a file of good, truncated, garbage and blank lines (LF or CRLF, with or without a final newline): every good line read exactly, every bad line reported at its number', async () => {
		await checkAsync(fc.asyncProperty(
			fc.array(plannedLine, {minLength: 1, maxLength: 40}),
			fc.array(fc.boolean(), {minLength: 1, maxLength: 3}),
			fc.boolean(),
			async (lines, endings, finalNewline) => {
				const items = await readAll(recordingFile(buildFile(lines, endings, finalNewline)));
				const expected = expectedItems(lines);
				expect(items.map(item => (item.ok ? {ok: true, line: item.line, envelope: item.envelope} : {ok: false, line: item.line}))).toEqual(expected);
			},
		), 150);
	}, testTimeout());

	test('the same file gzip- or brotli-compressed (any quality and window, stored blocks too) reads exactly as the plain one: content decides, not the name', async () => {
		const compressions = fc.oneof(
			fc.constant({kind: 'gzip' as const, level: 6, quality: 0, window: 0}),
			fc.record({kind: fc.constant('gzip' as const), level: fc.integer({min: 0, max: 9}), quality: fc.constant(0), window: fc.constant(0)}),
			fc.record({kind: fc.constant('brotli' as const), level: fc.constant(0), quality: fc.integer({min: 0, max: 11}), window: fc.integer({min: 10, max: 24})}),
		);
		await checkAsync(fc.asyncProperty(fc.array(plannedLine, {minLength: 1, maxLength: 40}), fc.array(fc.boolean(), {minLength: 1, maxLength: 3}), fc.boolean(), compressions, async (lines, endings, finalNewline, compression) => {
			const plain = buildFile(lines, endings, finalNewline);
			const packed = compression.kind === 'gzip'
				? zlib.gzipSync(plain, {level: compression.level})
				: zlib.brotliCompressSync(plain, {params: {[zlib.constants.BROTLI_PARAM_QUALITY]: compression.quality, [zlib.constants.BROTLI_PARAM_LGWIN]: compression.window}});
			// Named as if plain: the name must not matter.
			const items = await readAll(recordingFile(packed));
			const expected = await readAll(recordingFile(plain));
			expect(items).toEqual(expected);
		}), 150);
	}, testTimeout());

	test('a recording cut at any byte (a killed writer): every complete line before the cut is read exactly; at most the torn last line is bad', async () => {
		const text = Buffer.from(envelopes.slice(0, 200).map(envelope => `${JSON.stringify(envelope)}\n`).join(''));
		await checkAsync(fc.asyncProperty(fc.integer({min: 1, max: text.length}), async cut => {
			const bytes = text.subarray(0, cut);
			const complete = bytes.toString('utf8').split('\n').length - 1;
			const items = await readAll(recordingFile(bytes));
			expect(items.slice(0, complete)).toEqual(envelopes.slice(0, complete).map((envelope, index) => ({ok: true, envelope, line: index + 1})));
			const torn = items.slice(complete);
			expect(torn.length).toBeLessThanOrEqual(1);
			// A cut right at the end of a line's JSON (before its newline) leaves a whole, valid line.
			const endsAtLineEnd = bytes.at(-1) === 0x7D && text[cut] === 0x0A;
			expect(torn.every(item => item.ok === endsAtLineEnd)).toBe(true);
		}), 100);
	}, testTimeout());

	test('a pretty-printed JSON document, cut anywhere: one clear error, nothing else', async () => {
		const document = JSON.stringify(envelopes.slice(0, 30), undefined, 2);
		await checkAsync(fc.asyncProperty(fc.integer({min: 1, max: document.length - 1}), async cut => {
			const text = document.slice(0, cut);
			fc.pre(text.trimStart().startsWith('['));
			const items = await readAll(recordingFile(text));
			expect(items).toHaveLength(1);
			expect(items[0]).toMatchObject({ok: false, line: 1});
			expect((items[0] as {reason: string}).reason).toMatch(/invalid JSON document/);
		}), 60);
	}, testTimeout());

	test('a replay of such a file publishes every good envelope in order and one problem per bad line, and counts them', async () => {
		await checkAsync(fc.asyncProperty(fc.array(plannedLine, {minLength: 1, maxLength: 40}), async lines => {
			const file = recordingFile(buildFile(lines, [false], true));
			const bus = createAppBus();
			const published: Envelope[] = [];
			const problems: Problem[] = [];
			bus.subscribe('envelope', envelope => {
				published.push(envelope);
			});
			bus.subscribe('problem', problem => {
				problems.push(problem);
			});
			const result = await replay(bus, {files: [file], speed: 0});
			const expected = expectedItems(lines);
			const good = expected.flatMap(item => (item.envelope === undefined ? [] : [item.envelope]));
			const badNumbers = expected.filter(item => !item.ok).map(item => item.line);
			expect(published).toEqual(good);
			expect(result).toMatchObject({events: good.length, badLines: badNumbers.length, aborted: false});
			expect(problems.map(problem => problem.kind)).toEqual(badNumbers.map(() => 'line'));
			expect(problems.map(problem => Number(/:(\d+): /.exec(problem.message)?.[1]))).toEqual(badNumbers);
		}), 100);
	}, testTimeout());
});
