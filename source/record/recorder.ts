import type {Envelope} from '../protocol/envelope.js';
import {errorText} from '../protocol/error-text.js';
import {envelopeLine} from './json-line.js';
import type {RecordCodec} from './record-codec.js';
import {defaultMaxFileMb, utcDay} from './record-files.js';
import {maxTries, RecordTarget} from './record-target.js';

/**
The recorder behind `--record FILE` and `--record-dir DIR`: every envelope,
as is (no deduplication, every Socket.IO argument kept), appended as one JSON
line — the format `--replay` and `summarize` read.

Design, and why (how bytes reach the file — appends only, compression, undoing
a failed write, skipping a line that cannot fit, rotation, links, fdatasync —
is RecordTarget's, in record-target.ts):
- `write()` is synchronous and cheap (serialise, copy into a buffer); the disk
  is only touched by asynchronous writes, one at a time, so recording never
  blocks the event loop (the display, the sockets).
- Whole lines only: the target writes runs of complete lines (units, when
  compressed). Should the OS accept part of a run and then fail (a full
  disk), the target cuts the file back to its last whole line; the lines known
  to be on disk are dropped from the buffer and the rest are retried, each
  written once. A line the target gives up on (it cannot fit, while the
  lines after it can) is dropped, counted in `skipped` and reported.
- Flushed every second (and as soon as 1 MiB is waiting), on close, and after
  any terminating signal through the caller's close(): a SIGKILL loses at most
  about the last second, and never damages earlier lines (they are already in
  the kernel; only the tail line or unit can be torn). The file is synced
  (fdatasync) once a second while data flows, on rotation and on close.
- Bounded memory: while the disk refuses writes (EACCES, ENOSPC, EISDIR, …)
  lines wait in memory up to 32 MiB (several minutes of the live feed) and are
  retried with backoff; beyond that new envelopes are dropped and counted —
  never unbounded growth. Problems and drops are reported through
  `onProblem` (the app shows them in the status bar and on stderr), rate
  limited; monitoring is never interrupted.
- One place makes the line (`#lineFor`), with an optional `transform` hook
  (e.g. redaction) applied there, so every byte written goes through it.
*/

type RecorderOptions = {
	/** Append to this one file. */
	file?: string;
	/** Or: one file per UTC day in this directory, rotated by size. */
	dir?: string;
	/** With `dir`: gzip, brotli or none (default none; `--record-dir` passes its own default, gzip). With `file`, its suffix decides. */
	codec?: RecordCodec;
	/** Size at which `dir` mode starts the next file of the day (default 256 MB). */
	maxFileBytes?: number;
	/** Longest time a line waits in memory (default 1000 ms). */
	flushIntervalMs?: number;
	/** Write early when this much is waiting (default 1 MiB). */
	flushBytes?: number;
	/** Most bytes held while the disk is slow or failing (default 32 MiB). */
	maxBufferedBytes?: number;
	/** fdatasync at most this often while writing (default 1000 ms: every timed flush; 0: only on rotation and close). */
	syncIntervalMs?: number;
	/** Reshape or drop (undefined) an envelope before it is written, e.g. redaction. */
	transform?: (envelope: Envelope) => Envelope | undefined;
	/** A problem worth showing (unwritable file, full disk, drops, skips, recovery, a file name not used). */
	onProblem?: (message: string) => void;
	/** Wall clock, epoch ms: names the day in `dir` mode (tests may replace it). */
	now?: () => number;
};

export type RecorderStats = {
	/** Envelopes given to write(). */
	received: number;
	/** Lines known to be on disk. */
	written: number;
	/** Bytes this recorder put on disk (compressed bytes for a compressed recording). */
	bytes: number;
	/** Envelopes dropped because the buffer was full (or that could not be serialised). */
	dropped: number;
	/** Envelopes given up on because they could not fit on the disk while those after them could. */
	skipped: number;
	/** Lines waiting in memory. */
	pending: number;
	/** Writes or opens that failed. */
	failures: number;
	/** Files written to, in order. */
	files: string[];
	/** The current file. */
	current: string | undefined;
	lastError: string | undefined;
};

type Segment = {key: string; lines: Buffer[]; bytes: number};

const mib = 1024 * 1024;

function sizeText(bytes: number): string {
	return bytes >= mib ? `${(bytes / mib).toFixed(1)} MiB` : (bytes >= 1024 ? `${Math.round(bytes / 1024)} KiB` : `${bytes} bytes`);
}

const reportEveryMs = 10_000;
const maxRetryMs = 10_000;

/** A write failure in words, with what the user can do about the common ones. */
function writeErrorText(error: unknown): string {
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	const message = errorText(error);
	// No code (not a system error) falls to the default: the message alone.
	switch (code ?? '') {
		case 'ENOSPC': {
			return `${message} — the disk is full; free some space (recording resumes by itself)`;
		}

		case 'EACCES':
		case 'EPERM':
		case 'EROFS': {
			return `${message} — not writable; fix the permissions or record elsewhere`;
		}

		case 'EISDIR': {
			return `${message} — that is a directory; give a file name (or use --record-dir)`;
		}

		case 'ENOENT': {
			return `${message} — the folder does not exist; create it or give another path`;
		}

		case 'EEXIST':
		case 'ENOTDIR': {
			return `${message} — a file is in the way: give a folder for --record-dir, or a --record path whose parent is a folder`;
		}

		default: {
			return message;
		}
	}
}

export class Recorder {
	readonly #options: RecorderOptions;
	readonly #now: () => number;
	readonly #flushBytes: number;
	readonly #maxBufferedBytes: number;
	readonly #target: RecordTarget;
	readonly #queue: Segment[] = [];
	readonly #stats: Omit<RecorderStats, 'files' | 'current' | 'bytes'> = {received: 0, written: 0, dropped: 0, skipped: 0, pending: 0, failures: 0, lastError: undefined};
	readonly #timer: NodeJS.Timeout;
	#buffered = 0;
	#running: Promise<void> | undefined;
	#again = false;
	#closed = false;
	#retryAt = 0;
	#retryMs = 500;
	#failing = false;
	#droppedSinceReport = 0;
	readonly #lastReport = new Map<string, number>();

	constructor(options: RecorderOptions) {
		if ((options.file === undefined) === (options.dir === undefined)) {
			throw new TypeError('Recorder needs exactly one of file or dir');
		}

		this.#options = options;
		this.#now = options.now ?? Date.now;
		this.#flushBytes = options.flushBytes ?? mib;
		this.#maxBufferedBytes = options.maxBufferedBytes ?? 32 * mib;
		this.#target = new RecordTarget({
			file: options.file,
			dir: options.dir,
			codec: options.codec,
			maxFileBytes: options.maxFileBytes ?? defaultMaxFileMb * 1e6,
			syncIntervalMs: options.syncIntervalMs ?? 1000,
			now: this.#now,
			onCloseError: error => {
				this.#failed('close', error);
			},
			onNotice: message => {
				this.#problem(message);
			},
		});
		this.#timer = setInterval(() => {
			// The timed flush also syncs what it wrote: data flushed and on the disk at least once a second.
			void this.flush(false, true);
		}, options.flushIntervalMs ?? 1000);
		// The recorder alone must not keep the process alive.
		this.#timer.unref();
	}

	/**
	Open (create) the file now rather than at the first flush, so a path that
	cannot be written is reported at start. Failures are reported, not thrown.
	*/
	async open(): Promise<void> {
		if (this.#running !== undefined) {
			return this.#running;
		}

		this.#running = (async () => {
			try {
				await this.#target.open(this.#options.file ?? utcDay(this.#now()));
				this.#recovered();
			} catch (error) {
				this.#failed('open', error);
			}
		})().finally(() => {
			this.#running = undefined;
		});
		return this.#running;
	}

	/** Queue one envelope. Never throws, never waits. */
	write(envelope: Envelope): void {
		if (this.#closed) {
			return;
		}

		this.#stats.received++;
		const line = this.#lineFor(envelope);
		if (line === undefined) {
			return;
		}

		if (this.#buffered + line.length > this.#maxBufferedBytes) {
			this.#stats.dropped++;
			this.#droppedSinceReport++;
			this.#report('drop', `recording buffer full (${Math.round(this.#maxBufferedBytes / mib)} MiB waiting for the disk): ${this.#droppedSinceReport} events dropped so far`);
			return;
		}

		const key = this.#options.file ?? utcDay(this.#now());
		let segment = this.#queue.at(-1);
		if (segment?.key !== key) {
			segment = {key, lines: [], bytes: 0};
			this.#queue.push(segment);
		}

		segment.lines.push(line);
		segment.bytes += line.length;
		this.#buffered += line.length;
		this.#stats.pending++;
		if (this.#buffered >= this.#flushBytes && this.#running === undefined) {
			void this.flush();
		}
	}

	stats(): RecorderStats {
		return {...this.#stats, bytes: this.#target.bytes, files: [...this.#target.files], current: this.#target.current};
	}

	/** Write everything waiting now (one attempt while the disk is failing); `sync`: fdatasync what was written, however recently the last one ran. */
	async flush(force = false, sync = false): Promise<void> {
		if (this.#running !== undefined) {
			this.#again = true;
			return this.#running;
		}

		if (!force && this.#failing && this.#now() < this.#retryAt) {
			return;
		}

		this.#running = (async () => {
			do {
				this.#again = false;
				const ok = await this.#drain();
				if (!ok) {
					break;
				}
			} while (this.#again);

			await this.#target.syncIfDue(sync);
		})().catch((error: unknown) => {
			// Nothing above should throw; if it does, it is a failed write, not a crashed monitor.
			this.#failed('write to', error);
		}).finally(() => {
			this.#running = undefined;
		});
		return this.#running;
	}

	/** Flush, sync and close. Resolves with the final figures; reports what could not be written. */
	async close(): Promise<RecorderStats> {
		if (!this.#closed) {
			this.#closed = true;
			clearInterval(this.#timer);
			await this.#running;
			await this.flush(true);
			if (this.#stats.pending > 0) {
				this.#problem(`recording: ${this.#stats.pending} events could not be written to ${this.#target.describe()} and are lost (${this.#stats.lastError ?? 'write failed'})`);
			}

			await this.#target.close();
		}

		return this.stats();
	}

	#lineFor(envelope: Envelope): Buffer | undefined {
		try {
			const shaped = this.#options.transform === undefined ? envelope : this.#options.transform(envelope);
			if (shaped === undefined) {
				return undefined;
			}

			// Any depth the decoder accepted (JSON.stringify alone gives up past a few thousand levels).
			const json = envelopeLine(shaped);
			// One copy: the UTF-8 bytes and the newline straight into one buffer (no concatenated string).
			const line = Buffer.allocUnsafe(Buffer.byteLength(json, 'utf8') + 1);
			const end = line.write(json, 0, 'utf8');
			line[end] = 0x0A;
			return line;
		} catch (error) {
			this.#stats.dropped++;
			this.#problem(`recording: an event could not be serialised and was skipped (${errorText(error)})`);
			return undefined;
		}
	}

	#problem(message: string): void {
		try {
			this.#options.onProblem?.(message);
		} catch {
			// A failing reporter must not stop the recording.
		}
	}

	/** Report at most once per 10 s per kind, so a full disk does not flood the screen. */
	#report(kind: string, message: string): void {
		const now = this.#now();
		const last = this.#lastReport.get(kind);
		if (last !== undefined && now - last < reportEveryMs) {
			return;
		}

		this.#lastReport.set(kind, now);
		this.#problem(message);
	}

	#failed(action: string, error: unknown): void {
		this.#stats.failures++;
		const text = writeErrorText(error);
		const changed = this.#stats.lastError !== text;
		this.#stats.lastError = text;
		this.#failing = true;
		this.#retryAt = this.#now() + this.#retryMs;
		this.#retryMs = Math.min(maxRetryMs, this.#retryMs * 2);
		if (changed) {
			this.#lastReport.delete('error');
		}

		this.#report('error', `recording: cannot ${action} ${this.#target.describe()}: ${text}; ${this.#stats.pending} events waiting, monitoring goes on`);
	}

	#recovered(): void {
		if (!this.#failing) {
			return;
		}

		this.#failing = false;
		this.#retryMs = 500;
		this.#lastReport.delete('error');
		const dropped = this.#droppedSinceReport;
		this.#droppedSinceReport = 0;
		this.#problem(`recording to ${this.#target.describe()} resumed${dropped > 0 ? `; ${dropped} events were dropped while it failed` : ''}`);
	}

	/** Write queued lines until the queue is empty (true) or a write fails (false). */
	async #drain(): Promise<boolean> {
		while (this.#queue.length > 0) {
			const segment = this.#queue[0]!;
			if (segment.lines.length === 0) {
				this.#queue.shift();
				continue;
			}

			const result = await this.#target.write(segment.key, segment.lines);
			segment.lines.splice(0, result.lines + result.skipped);
			segment.bytes -= result.lineBytes + result.skippedBytes;
			this.#buffered -= result.lineBytes + result.skippedBytes;
			this.#stats.pending -= result.lines + result.skipped;
			this.#stats.written += result.lines;
			this.#stats.skipped += result.skipped;
			if (result.skipped > 0) {
				this.#problem(`recording: an event of ${sizeText(result.skippedBytes)} could not be written to ${this.#target.describe()} in ${maxTries} tries (${writeErrorText(result.failure?.error)}; room for ${sizeText(result.room)} only) and was skipped, so the events after it still get written; ${this.#stats.skipped} skipped so far`);
				// The lines after it may fit now: go on at once.
				continue;
			}

			if (result.failure !== undefined) {
				this.#failed(result.failure.action, result.failure.error);
				return false;
			}

			this.#recovered();
			if (segment.lines.length === 0 && this.#queue.length > 1) {
				this.#queue.shift();
			}
		}

		return true;
	}
}
