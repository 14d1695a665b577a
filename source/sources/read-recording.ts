import {stat} from 'node:fs/promises';
import {cleanText} from '../protocol/untrusted-text.js';
import {errorText} from '../protocol/error-text.js';
import {CompressedStreamError, displayName, openRecordingBytes, stdinPath, type OpenOptions} from './recording-bytes.js';
import {defaultMaxLineBytes, LineSplitter, megabytesText, type LineItem} from './recording-lines.js';
import {interpretLine, interpretValue, type ParsedRecord} from './recording-format.js';

/**
The one reader of recordings: `--replay`, `summarize`, `export` (and whatever
reads recordings next) read them all through `readRecording`.

- Any input: a file or `-` (standard input); plain, gzip or brotli, decided by
  content (recording-bytes.ts says how); JSON lines or a pretty-printed JSON
  document (an array of records, one record, or an object of named records).
- Any format recording-format.ts knows: the project's envelopes, the Python
  recorders' lines, REPLAYER's derived tick records.
- Nothing bad is thrown: a bad line is an item saying which line and why; a
  line longer than the bound is reported and streamed past (recording-lines.ts);
  a compressed stream cut short (a killed writer) is read up to its last
  complete line and the cut reported once, as `truncated compressed stream
  after line N`. Only an input that cannot be opened or read at all (missing,
  a directory, permissions) throws, for the caller to report.
*/

export type RecordingItem = ParsedRecord & {
	/** 1-based line number (or item number in a whole-document JSON file). */
	line: number;
	/** The problem is the input's as a whole (a cut stream), not one line's: reported without a line number. */
	wholeInput?: true;
};

export type ReadRecordingOptions = OpenOptions & {
	/** Longest line read (default 64 MB); a longer one is reported and skipped. */
	maxLineBytes?: number;
	/** Largest whole JSON document read (default 256 MB). */
	maxDocumentBytes?: number;
	/**
	Stop reading when it aborts, even inside a line that yields nothing for a
	long time (an endless line is streamed past, and /dev/zero never ends).
	*/
	signal?: AbortSignal;
};

/** Whole-document JSON (pretty-printed) inputs larger than this are not read. */
const defaultMaxDocumentBytes = 256 * 1024 * 1024;
/** How much of the start decides between JSON lines and a whole document. */
const documentProbeBytes = 4096;

/** A problem of a recording as one line of text: `FILE:LINE: reason`, or `FILE: reason` for the input as a whole. */
export function problemText(file: string, item: {line: number; reason: string; wholeInput?: true}): string {
	return `${displayName(file)}${item.wholeInput === true ? '' : `:${item.line}`}: ${item.reason}`;
}

async function sizeOf(file: string): Promise<number> {
	const {size} = await stat(file);
	return size;
}

function looksLikeDocument(head: string): boolean {
	const firstLine = head.replace(/^\uFEFF/, '').split('\n').find(line => line.trim() !== '')?.trim();
	return firstLine === '{' || firstLine === '[' || (firstLine?.startsWith('[') ?? false);
}

function * documentItems(value: unknown): Generator<RecordingItem> {
	if (Array.isArray(value)) {
		for (const [index, item] of value.entries()) {
			const parsed = interpretValue(item, index + 1);
			if (parsed !== undefined) {
				yield {...parsed, line: index + 1};
			}
		}

		return;
	}

	const single = interpretValue(value, 1);
	if (single?.ok === true || typeof value !== 'object' || value === null) {
		if (single !== undefined) {
			yield {...single, line: 1};
		}

		return;
	}

	// An object of named samples: {"01_…": {event_type, timestamp_ms, data}, …}
	let index = 0;
	for (const item of Object.values(value)) {
		index++;
		const parsed = interpretValue(item, index);
		if (parsed !== undefined) {
			yield {...parsed, line: index};
		}
	}
}

/** The records of JSON-lines text already in memory, numbered as the streaming reader numbers them. */
function * textLines(text: string): Generator<RecordingItem> {
	for (const [index, line] of text.split(/\r\n|\n|\r/).entries()) {
		if (line.trim() !== '') {
			const parsed = interpretLine(line, index + 1);
			if (parsed !== undefined) {
				yield {...parsed, line: index + 1};
			}
		}
	}
}

function itemOf(line: LineItem, maxLineBytes: number): RecordingItem | undefined {
	if (line.kind === 'overlong') {
		return {ok: false, reason: `line longer than ${megabytesText(maxLineBytes)}, skipped`, line: line.line};
	}

	if (line.text.trim() === '') {
		return undefined;
	}

	// A byte-order mark (editors on Windows add one) is not part of the first record.
	const parsed = interpretLine(line.line === 1 ? line.text.replace(/^\uFEFF/, '') : line.text, line.line);
	return parsed === undefined ? undefined : {...parsed, line: line.line};
}

function cutReport(error: CompressedStreamError, lines: number): RecordingItem {
	const reason = error.kind === 'truncated'
		? `truncated compressed stream after line ${lines}`
		: `corrupt ${error.compression} stream after line ${lines} (${cleanText(error.message, 200)}); the rest is not read`;
	return {ok: false, reason, line: lines, wholeInput: true};
}

async function * documentFrom(first: Buffer[], rest: AsyncGenerator<Buffer>, maxBytes: number, knownSize: number | undefined, signal: AbortSignal | undefined): AsyncGenerator<RecordingItem> {
	const tooLarge: RecordingItem = {ok: false, reason: `JSON document larger than ${maxBytes / 1024 / 1024} MB: write it as JSON lines to replay it`, line: 1};
	// Checked before reading when the size is known: the point is not to load it.
	if (knownSize !== undefined && knownSize > maxBytes) {
		await rest.return(undefined);
		yield tooLarge;
		return;
	}

	const parts = [...first];
	let bytes = parts.reduce((sum, part) => sum + part.length, 0);
	let cut: CompressedStreamError | undefined;
	try {
		for await (const chunk of rest) {
			if (signal?.aborted === true) {
				return;
			}

			bytes += chunk.length;
			if (bytes > maxBytes) {
				yield tooLarge;
				return;
			}

			parts.push(chunk);
		}
	} catch (error) {
		if (!(error instanceof CompressedStreamError)) {
			throw error;
		}

		cut = error;
	}

	const text = Buffer.concat(parts).toString('utf8').replace(/^\uFEFF/, '');
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (error) {
		// Not a document after all: a JSON-lines recording whose first line merely starts
		// like one (torn to a lone `{` by a killed writer, or an array). Its good lines must not be lost.
		const lines = [...textLines(text)];
		if (lines.some(item => item.ok)) {
			yield * lines;
		} else {
			const message = cleanText(errorText(error), 200);
			yield {ok: false, reason: `invalid JSON document (${message})`, line: 1};
		}

		if (cut !== undefined) {
			yield cutReport(cut, lines.at(-1)?.line ?? 0);
		}

		return;
	}

	yield * documentItems(value);
	if (cut !== undefined) {
		yield cutReport(cut, 1);
	}
}

async function * linesFrom(first: Buffer[], rest: AsyncIterable<Buffer>, maxLineBytes: number, signal: AbortSignal | undefined): AsyncGenerator<RecordingItem> {
	const splitter = new LineSplitter(maxLineBytes);
	const out: LineItem[] = [];
	async function * chunks(): AsyncGenerator<Buffer> {
		yield * first;
		yield * rest;
	}

	try {
		for await (const chunk of chunks()) {
			if (signal?.aborted === true) {
				return;
			}

			splitter.push(chunk, out);
			for (const line of out) {
				const item = itemOf(line, maxLineBytes);
				if (item !== undefined) {
					yield item;
				}
			}

			out.length = 0;
		}
	} catch (error) {
		if (!(error instanceof CompressedStreamError)) {
			throw error;
		}

		// Everything before the cut is read; a torn last line is kept only if it is a whole record after all.
		let last = splitter.lines;
		const torn = splitter.dropPartial();
		if (torn !== undefined) {
			const parsed = interpretLine(torn.toString('utf8'), last + 1);
			if (parsed?.ok === true) {
				last++;
				yield {...parsed, line: last};
			}
		}

		yield cutReport(error, last);
		return;
	}

	splitter.end(out);
	for (const line of out) {
		const item = itemOf(line, maxLineBytes);
		if (item !== undefined) {
			yield item;
		}
	}
}

/**
Every record of a recording, in input order, with bad lines reported (never
thrown) so a reader can say which line was wrong and go on.
*/
export async function * readRecording(file: string, options: ReadRecordingOptions = {}): AsyncGenerator<RecordingItem> {
	const maxLineBytes = options.maxLineBytes ?? defaultMaxLineBytes;
	const maxDocumentBytes = options.maxDocumentBytes ?? defaultMaxDocumentBytes;
	const opened = await openRecordingBytes(file, options);
	if (opened.unsupported !== undefined) {
		yield {ok: false, reason: `${opened.unsupported}-compressed: rugs-tui reads plain, gzip and brotli recordings; decompress it first`, line: 0, wholeInput: true};
		return;
	}

	const {chunks, compression} = opened;
	// The first chunks decide between JSON lines and a document; they are passed on either way.
	const first: Buffer[] = [];
	let firstBytes = 0;
	try {
		while (firstBytes < documentProbeBytes) {
			const next = await chunks.next();
			if (next.done === true) {
				break;
			}

			first.push(next.value);
			firstBytes += next.value.length;
		}
	} catch (error) {
		if (!(error instanceof CompressedStreamError)) {
			throw error;
		}

		// Cut within its first bytes: what came through is read below, then the cut reported.
		const failed = error;
		const rest: AsyncIterable<Buffer> = {
			[Symbol.asyncIterator]: () => ({
				async next() {
					throw failed;
				},
			}),
		};
		yield * linesFrom(first, rest, maxLineBytes, options.signal);
		return;
	}

	const head = Buffer.concat(first).subarray(0, documentProbeBytes).toString('utf8');
	try {
		if (looksLikeDocument(head)) {
			const size = file !== stdinPath && compression === 'none' ? await sizeOf(file) : undefined;
			yield * documentFrom(first, chunks, maxDocumentBytes, size, options.signal);
		} else {
			yield * linesFrom(first, chunks, maxLineBytes, options.signal);
		}
	} finally {
		await chunks.return(undefined);
	}
}
