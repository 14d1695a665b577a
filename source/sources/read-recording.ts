import {createReadStream} from 'node:fs';
import {open, readFile, stat} from 'node:fs/promises';
import {createInterface} from 'node:readline';
import {cleanText} from '../protocol/untrusted-text.js';
import {parseRecordingLine, recordFromValue, type ParsedRecord} from './recording-format.js';

export type RecordingItem = ParsedRecord & {
	/** 1-based line number (or item number in a whole-document JSON file). */
	line: number;
};

/** Whole-document JSON (pretty-printed) files larger than this are not read. */
const maxDocumentBytes = 256 * 1024 * 1024;

async function looksLikeDocument(path: string): Promise<boolean> {
	const handle = await open(path, 'r');
	try {
		const buffer = Buffer.alloc(4096);
		const {bytesRead} = await handle.read(buffer, 0, buffer.length, 0);
		const head = buffer.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '');
		const firstLine = head.split('\n').find(line => line.trim() !== '')?.trim();
		return firstLine === '{' || firstLine === '[' || (firstLine?.startsWith('[') ?? false);
	} finally {
		await handle.close();
	}
}

function * documentItems(value: unknown): Generator<RecordingItem> {
	if (Array.isArray(value)) {
		for (const [index, item] of value.entries()) {
			yield {...recordFromValue(item, index + 1), line: index + 1};
		}

		return;
	}

	const single = recordFromValue(value, 1);
	if (single.ok || typeof value !== 'object' || value === null) {
		yield {...single, line: 1};
		return;
	}

	// An object of named samples: {"01_…": {event_type, timestamp_ms, data}, …}
	let index = 0;
	for (const item of Object.values(value)) {
		index++;
		yield {...recordFromValue(item, index), line: index};
	}
}

/** The records of JSON-lines text already in memory, numbered as the streaming reader numbers them. */
function * textLines(text: string): Generator<RecordingItem> {
	for (const [index, line] of text.split(/\r\n|\n|\r/).entries()) {
		if (line.trim() !== '') {
			yield {...parseRecordingLine(line, index + 1), line: index + 1};
		}
	}
}

/**
Every record of a recording, in file order, with bad lines reported (never
thrown) so a reader can say which line was wrong and go on. JSON-lines files
are streamed; a pretty-printed JSON document (an array of records, one record,
or an object of named records) is read whole.
*/
export async function * readRecording(path: string): AsyncGenerator<RecordingItem> {
	if (await looksLikeDocument(path)) {
		// Checked before reading: the point is not to load it.
		const {size} = await stat(path);
		if (size > maxDocumentBytes) {
			yield {ok: false, reason: `JSON document larger than ${maxDocumentBytes / 1024 / 1024} MB: write it as JSON lines to replay it`, line: 1};
			return;
		}

		const whole = await readFile(path, 'utf8');
		const text = whole.replace(/^\uFEFF/, '');

		let value: unknown;
		try {
			value = JSON.parse(text);
		} catch (error) {
			// Not a document after all: a JSON-lines recording whose first line merely starts
			// like one (torn to a lone `{` by a killed writer, or an array). Its good lines must not be lost.
			const lines = [...textLines(text)];
			if (lines.some(item => item.ok)) {
				yield * lines;
				return;
			}

			const message = cleanText(error instanceof Error ? error.message : String(error), 200);
			yield {ok: false, reason: `invalid JSON document (${message})`, line: 1};
			return;
		}

		yield * documentItems(value);
		return;
	}

	const lines = createInterface({input: createReadStream(path, {encoding: 'utf8'}), crlfDelay: Number.POSITIVE_INFINITY});
	let line = 0;
	for await (const text of lines) {
		line++;
		if (text.trim() === '') {
			continue;
		}

		// A byte-order mark (editors on Windows add one) is not part of the first record.
		yield {...parseRecordingLine(line === 1 ? text.replace(/^\uFEFF/, '') : text, line), line};
	}
}
