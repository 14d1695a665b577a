import type {Writable} from 'node:stream';

/**
Write text to a stream with back-pressure. A reader that went away (EPIPE, as
with `| head -1`) is a normal end: later writes are skipped and `failure`
stays undefined. Any other error (a full disk, ENOSPC; an I/O error; EBADF)
is a failure: later writes are skipped too, and `failure` says what it was, so
the command can exit non-zero instead of reporting success.
*/
export class LineOutput {
	#closed = false;
	#failure: NodeJS.ErrnoException | undefined;
	readonly #stream: Writable;

	constructor(stream: Writable) {
		this.#stream = stream;
		stream.on('error', (error: NodeJS.ErrnoException) => {
			this.#closed = true;
			if (error.code !== 'EPIPE') {
				this.#failure ??= error;
			}
		});
	}

	get closed(): boolean {
		return this.#closed || this.#stream.destroyed;
	}

	/** The error that stopped the output, unless it was the reader going away. */
	get failure(): NodeJS.ErrnoException | undefined {
		return this.#failure;
	}

	async write(text: string): Promise<boolean> {
		if (this.closed) {
			return false;
		}

		if (!this.#stream.write(text, error => {
			this.#fail(error);
		})) {
			await new Promise<void>(resolve => {
				const done = () => {
					this.#stream.off('drain', done);
					this.#stream.off('error', done);
					this.#stream.off('close', done);
					resolve();
				};

				this.#stream.on('drain', done);
				this.#stream.on('error', done);
				this.#stream.on('close', done);
			});
		}

		return !this.closed;
	}

	/** Resolves when everything written so far has been handed to the OS (or has failed to be). */
	async end(): Promise<void> {
		if (this.closed) {
			return;
		}

		await new Promise<void>(resolve => {
			this.#stream.write('', error => {
				this.#fail(error);
				resolve();
			});
		});
	}

	#fail(error: Error | null | undefined): void {
		if (error !== null && error !== undefined) {
			this.#closed = true;
			if ((error as NodeJS.ErrnoException).code !== 'EPIPE') {
				this.#failure ??= error as NodeJS.ErrnoException;
			}
		}
	}
}

/** An output error in words for a one-line message: `no space left on device (ENOSPC)`, or with `, ` as the separator `no space left on device, ENOSPC`. */
export function outputErrorText(error: NodeJS.ErrnoException, separator?: string): string {
	const message = error.message.replace(/^[A-Z]+: /, '').replace(/, (?:write|open|rename|mkdir|close) .*$|, write$/, '');
	if (error.code === undefined || !/^E[A-Z]+$/.test(error.code)) {
		return message;
	}

	return separator === undefined ? `${message} (${error.code})` : `${message}${separator}${error.code}`;
}
