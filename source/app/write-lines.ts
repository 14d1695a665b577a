import type {Writable} from 'node:stream';

/**
Write text to a stream with back-pressure, treating a reader that went away
(EPIPE, as with `| head -1`) as a normal end. Resolves to false once the stream
is closed; later writes are skipped.
*/
export class LineOutput {
	#closed = false;
	readonly #stream: Writable;

	constructor(stream: Writable) {
		this.#stream = stream;
		stream.on('error', () => {
			this.#closed = true;
		});
	}

	get closed(): boolean {
		return this.#closed || this.#stream.destroyed;
	}

	async write(text: string): Promise<boolean> {
		if (this.closed) {
			return false;
		}

		if (!this.#stream.write(text)) {
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

	/** Resolves when everything written so far has been handed to the OS. */
	async end(): Promise<void> {
		if (this.closed) {
			return;
		}

		await new Promise<void>(resolve => {
			this.#stream.write('', () => {
				resolve();
			});
		});
	}
}
