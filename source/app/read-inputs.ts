import {stat} from 'node:fs/promises';
import type {Writable} from 'node:stream';
import type {Envelope} from '../protocol/envelope.js';
import {cleanText} from '../protocol/untrusted-text.js';
import {problemText, readRecording} from '../sources/read-recording.js';
import {displayName, stdinPath} from '../sources/recording-bytes.js';
import {fileErrorText} from '../protocol/error-text.js';

/**
Feed every envelope of several recordings (any input and format readRecording
knows: files or `-` for standard input, plain, gzip or brotli) to a consumer,
for the offline commands (summarize, export, and any later one: they all read
through here). A bad line is reported on stderr as `FILE:LINE: reason` and
skipped; a cut compressed stream as `FILE: truncated compressed stream after
line N`; a file that cannot be read is reported and skipped; reading goes on
either way. Reasons can quote the line itself, which is untrusted, so they are
cleaned before they reach the terminal.
*/

type InputReport = {
	files: number;
	/** Files that could not be read at all (missing, a directory, permissions). */
	unreadable: number;
	envelopes: number;
	badLines: number;
};

type ReadInputsOptions = {
	files: readonly string[];
	stderr: Writable;
	/** Prefix of every diagnostic line, e.g. `rugs-tui summarize`. */
	label: string;
	onEnvelope: (envelope: Envelope) => void;
	/** Called now and then (every 1,000 envelopes and at each file) for progress displays. */
	onProgress?: (state: {file: string; fileIndex: number; files: number; envelopes: number; bytesDone: number; bytesTotal: number}) => void;
	/** Bad lines shown per file before the rest are only counted (default 10). */
	maxShownPerFile?: number;
	/** What `-` reads (default process.stdin). */
	stdin?: NodeJS.ReadableStream;
	/** Longest line read (default 64 MB). */
	maxLineBytes?: number;
};

async function sizeOf(file: string): Promise<number> {
	if (file === stdinPath) {
		return 0;
	}

	try {
		const {size} = await stat(file);
		return size;
	} catch {
		return 0;
	}
}

export async function readInputs(options: ReadInputsOptions): Promise<InputReport> {
	const {files, stderr, label} = options;
	const maxShown = options.maxShownPerFile ?? 10;
	const report: InputReport = {files: files.length, unreadable: 0, envelopes: 0, badLines: 0};
	const sizes = await Promise.all(files.map(async file => sizeOf(file)));
	const bytesTotal = sizes.reduce((sum, size) => sum + size, 0);
	let bytesDone = 0;
	const progress = (file: string, fileIndex: number) => options.onProgress?.({file, fileIndex, files: files.length, envelopes: report.envelopes, bytesDone, bytesTotal});
	let stdinRead = false;
	for (const [fileIndex, file] of files.entries()) {
		progress(file, fileIndex);
		let bad = 0;
		const before = report.envelopes;
		const name = displayName(file);
		if (file === stdinPath) {
			if (stdinRead) {
				stderr.write(`${label}: -: standard input is read once; given again, skipped\n`);
				continue;
			}

			stdinRead = true;
		}

		try {
			for await (const item of readRecording(file, {stdin: options.stdin, maxLineBytes: options.maxLineBytes})) {
				if (!item.ok) {
					if (item.wholeInput === true) {
						// The input as a whole (a cut stream): always said, once, and not a bad line.
						stderr.write(`${label}: ${cleanText(problemText(file, item), 400)}\n`);
						continue;
					}

					bad++;
					if (bad <= maxShown) {
						stderr.write(`${label}: ${cleanText(problemText(file, item), 400)}\n`);
					}

					continue;
				}

				report.envelopes++;
				options.onEnvelope(item.envelope);
				if (report.envelopes % 1000 === 0) {
					progress(file, fileIndex);
				}
			}
		} catch (error) {
			report.unreadable++;
			stderr.write(`${label}: ${name}: cannot read (${cleanText(fileErrorText(error), 300)}); check the path and permissions\n`);
		}

		if (bad > maxShown) {
			stderr.write(`${label}: ${name}: ${bad - maxShown} more bad lines not shown (${bad} in all)\n`);
		}

		if (bad > 0 && report.envelopes === before) {
			stderr.write(`${label}: ${name}: no event could be read from this file; rugs-tui reads its own recordings, the {seq, ts, event, data} / {timestamp, event_type, data} formats and REPLAYER tick records (plain, gzip or brotli)\n`);
		}

		report.badLines += bad;
		bytesDone += sizes[fileIndex] ?? 0;
	}

	return report;
}
