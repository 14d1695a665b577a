import type {Writable} from 'node:stream';
import type {Envelope} from '../protocol/envelope.js';
import {envelopeLine} from './json-line.js';

type NdjsonWriterOptions = {
	/** Keep only these event names (`--events`). */
	events?: ReadonlySet<string>;
	/** Called once when the reader went away (EPIPE, as with `| head -1`) or the stream failed. */
	onClosed?: (reason: string) => void;
	/**
	With a live source nothing can wait for the reader: past this much unwritten
	text (characters), envelopes are dropped (and counted) instead of growing
	memory without bound.
	*/
	maxBufferedBytes?: number;
};

/** Lines waiting for the stream are joined into chunks of about this many characters. */
const chunkChars = 256 * 1024;

/**
Envelopes as newline-delimited JSON, one per line — itself a recording that
`--replay` reads back unchanged. Respects back-pressure through `ready()` and
treats a closed pipe as a normal end, not a crash.

What waits for a slow reader is held here, not in the stream: once the stream
is over its high-water mark, lines are queued and joined into chunks of 256 KB,
and handed to the stream one chunk per 'drain'. A Writable that is handed every
line keeps each as a JS string with its own write request, and a socket then
writes the whole backlog in one writev, copying it all again: under a flood
from a live source the process held four to six times the 64 MiB of text it
meant to keep (RSS 280–590 MB). Now the stream holds at most one chunk beyond
its mark, and the text waiting here is the text the limit counts. Chunks are
UTF-8 Buffers, not joined strings: a 256 K-character string is a large V8
object that lingers until a full collection, and the queue's strings grew
the heap until one came (RSS climbing to 300–330 MB in test/fault-json-flood
under load); as Buffers the peak stays near 180 MB, flat.
*/
export class NdjsonWriter {
	written = 0;
	dropped = 0;
	closed = false;

	readonly #stream: Writable;
	readonly #options: NdjsonWriterOptions;
	/** Joined chunks waiting for the stream, oldest first, and the lines not yet joined. */
	readonly #chunks: Uint8Array[] = [];
	#lines: string[] = [];
	#linesChars = 0;
	/** Bytes in `#chunks` plus characters in `#lines` (one per byte for the ASCII the feed mostly is). */
	#queuedChars = 0;
	/** The stream said it is over its mark: wait for 'drain' before handing it more. */
	#streamFull = false;
	#drain: Promise<void> | undefined;
	#resolveDrain: (() => void) | undefined;

	constructor(stream: Writable, options: NdjsonWriterOptions = {}) {
		this.#stream = stream;
		this.#options = options;
		stream.on('error', (error: NodeJS.ErrnoException) => {
			this.#close(error.code === 'EPIPE' ? 'EPIPE' : error.message);
		});
		stream.on('close', () => {
			this.#close('closed');
		});
		stream.on('drain', () => {
			this.#streamFull = false;
			this.#pump();
		});
	}

	/** Text not yet handed to the reader: queued here, plus what the stream buffers. */
	get bufferedChars(): number {
		return this.#queuedChars + this.#stream.writableLength;
	}

	accepts(envelope: Envelope): boolean {
		return this.#options.events === undefined || this.#options.events.has(envelope.event);
	}

	write(envelope: Envelope): void {
		if (this.closed || !this.accepts(envelope)) {
			return;
		}

		const limit = this.#options.maxBufferedBytes;
		if (limit !== undefined && this.bufferedChars > limit) {
			this.dropped++;
			return;
		}

		this.written++;
		const line = `${envelopeLine(envelope)}\n`;
		if (!this.#streamFull && this.#queuedChars === 0) {
			this.#hand(line);
			return;
		}

		this.#queue(line);
	}

	/** A promise to wait for before writing more, or undefined when there is room. */
	ready(): Promise<void> | undefined {
		return this.#drain;
	}

	/**
	Resolve a pending ready() at once: the run is ending (Ctrl-C), and whoever
	waits must not wait for a reader that may never read again.
	*/
	releaseWaiters(): void {
		this.#release();
	}

	/** Settles once everything written so far has been handed to the stream and it has taken it (or the writer closed). */
	async flushed(): Promise<void> {
		while (!this.closed && (this.#queuedChars > 0 || this.#streamFull)) {
			await new Promise<void>(resolve => {
				const done = () => {
					this.#stream.off('drain', done);
					this.#stream.off('close', done);
					resolve();
				};

				this.#stream.on('drain', done);
				this.#stream.on('close', done);
			});
		}

		if (this.closed) {
			return;
		}

		await new Promise<void>(resolve => {
			this.#stream.write('', () => {
				resolve();
			});
		});
	}

	#queue(line: string): void {
		this.#lines.push(line);
		this.#linesChars += line.length;
		this.#queuedChars += line.length;
		if (this.#linesChars >= chunkChars) {
			// As UTF-8 bytes outside the JS heap: the joined string is garbage at once, and a
			// chunk of two-byte text (an emoji in a username) holds no more than it writes.
			this.#chunks.push(Buffer.from(this.#lines.join(''), 'utf8'));
			this.#queuedChars += this.#chunks.at(-1)!.length - this.#linesChars;
			this.#lines = [];
			this.#linesChars = 0;
		}

		this.#hold();
	}

	/** Hand text to the stream; when it says it is full, wait for its 'drain'. */
	#hand(text: string | Uint8Array): void {
		if (!this.#stream.write(text)) {
			this.#streamFull = true;
			this.#hold();
		}
	}

	/** Hand queued chunks to the stream until it is full again or nothing is left. */
	#pump(): void {
		while (!this.closed && !this.#streamFull && this.#queuedChars > 0) {
			const chunk = this.#chunks.shift();
			if (chunk === undefined) {
				const rest = this.#lines.join('');
				this.#lines = [];
				this.#queuedChars -= this.#linesChars;
				this.#linesChars = 0;
				this.#hand(rest);
			} else {
				this.#queuedChars -= chunk.length;
				this.#hand(chunk);
			}
		}

		if (!this.#streamFull && this.#queuedChars === 0) {
			this.#release();
		}
	}

	/** Producers that can wait (a replay) are asked to, from now until the queue is empty and the stream has room. */
	#hold(): void {
		this.#drain ??= new Promise(resolve => {
			this.#resolveDrain = resolve;
		});
	}

	#release(): void {
		const resolve = this.#resolveDrain;
		this.#drain = undefined;
		this.#resolveDrain = undefined;
		resolve?.();
	}

	#close(reason: string): void {
		if (this.closed) {
			return;
		}

		this.closed = true;
		this.#chunks.length = 0;
		this.#lines = [];
		this.#queuedChars = 0;
		this.#release();
		this.#options.onClosed?.(reason);
	}
}
