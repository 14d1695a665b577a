import type {Writable} from 'node:stream';
import type {Envelope} from '../protocol/envelope.js';
import {envelopeLine} from './json-line.js';

export type NdjsonWriterOptions = {
	/** Keep only these event names (`--events`). */
	events?: ReadonlySet<string>;
	/** Called once when the reader went away (EPIPE, as with `| head -1`) or the stream failed. */
	onClosed?: (reason: string) => void;
	/**
	With a live source nothing can wait for the reader: past this many buffered
	bytes, envelopes are dropped (and counted) instead of growing memory without bound.
	*/
	maxBufferedBytes?: number;
};

/**
Envelopes as newline-delimited JSON, one per line — itself a recording that
`--replay` reads back unchanged. Respects back-pressure through `ready()` and
treats a closed pipe as a normal end, not a crash.
*/
export class NdjsonWriter {
	written = 0;
	dropped = 0;
	closed = false;

	readonly #stream: Writable;
	readonly #options: NdjsonWriterOptions;
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
	}

	accepts(envelope: Envelope): boolean {
		return this.#options.events === undefined || this.#options.events.has(envelope.event);
	}

	write(envelope: Envelope): void {
		if (this.closed || !this.accepts(envelope)) {
			return;
		}

		const limit = this.#options.maxBufferedBytes;
		if (limit !== undefined && this.#stream.writableLength > limit) {
			this.dropped++;
			return;
		}

		this.written++;
		if (!this.#stream.write(`${envelopeLine(envelope)}\n`) && this.#drain === undefined) {
			this.#drain = new Promise(resolve => {
				this.#resolveDrain = resolve;
			});
			this.#stream.once('drain', () => {
				this.#release();
			});
		}
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
		this.#release();
		this.#options.onClosed?.(reason);
	}
}
