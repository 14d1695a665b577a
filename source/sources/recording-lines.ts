/**
Lines of a recording from its bytes, with a bound on a line's length: a line
longer than `maxLineBytes` is reported once, as soon as it crosses the bound,
and the rest of it is passed over as it streams by, never held. So a 2 GB line
without a newline, or /dev/zero, costs at most the bound in memory.

Line ends are LF, CRLF and a lone CR, as Node's readline splits them (JSON
escapes CR inside strings, so a raw CR only ever ends a line). Bytes are decoded
as UTF-8 once a line is whole, so a character split between chunks survives.
*/

export type LineItem =
	| {kind: 'line'; line: number; text: string}
	/** The line starting at `line` is longer than the bound: the rest of it is skipped. */
	| {kind: 'overlong'; line: number};

/** The longest line read: four times the largest frame a source accepts (16 MiB), in decimal megabytes. */
export const defaultMaxLineBytes = 64 * 1000 * 1000;

export function megabytesText(bytes: number): string {
	return `${Number((bytes / 1e6).toFixed(3))} MB`;
}

export class LineSplitter {
	readonly #maxLineBytes: number;
	#pending: Buffer[] = [];
	#pendingBytes = 0;
	/** Inside an overlong line: bytes are dropped until its end. */
	#skipping = false;
	#line = 0;

	constructor(maxLineBytes = defaultMaxLineBytes) {
		this.#maxLineBytes = maxLineBytes;
	}

	/** Lines completed so far (the number of the last one). */
	get lines(): number {
		return this.#line;
	}

	/** Whether bytes of an unfinished line are waiting (or being skipped). */
	get partial(): boolean {
		return this.#pendingBytes > 0 || this.#skipping;
	}

	/** Feed a chunk; the lines it completes (and overlong starts) are appended to `out`. */
	push(chunk: Buffer, out: LineItem[]): void {
		let start = 0;
		for (;;) {
			const end = chunk.indexOf(0x0A, start);
			if (end === -1) {
				break;
			}

			this.#complete(chunk.subarray(start, end), out);
			start = end + 1;
		}

		if (start < chunk.length) {
			this.#hold(chunk.subarray(start), out);
		}
	}

	/** The input ended: its last line, if it had no line end. */
	end(out: LineItem[]): void {
		if (this.#skipping) {
			this.#skipping = false;
			this.#line++;
			return;
		}

		if (this.#pendingBytes > 0) {
			const bytes = this.#take();
			this.#emit(bytes, out);
		}
	}

	/** Drop an unfinished last line (a cut stream's torn tail), returning its bytes. */
	dropPartial(): Buffer | undefined {
		if (this.#skipping) {
			this.#skipping = false;
			return undefined;
		}

		return this.#pendingBytes > 0 ? this.#take() : undefined;
	}

	#take(): Buffer {
		const bytes = this.#pending.length === 1 ? this.#pending[0]! : Buffer.concat(this.#pending, this.#pendingBytes);
		this.#pending = [];
		this.#pendingBytes = 0;
		return bytes;
	}

	#hold(piece: Buffer, out: LineItem[]): void {
		if (this.#skipping) {
			return;
		}

		if (this.#pendingBytes + piece.length > this.#maxLineBytes) {
			this.#pending = [];
			this.#pendingBytes = 0;
			this.#skipping = true;
			out.push({kind: 'overlong', line: this.#line + 1});
			return;
		}

		// A copy: a slice would keep the whole chunk it came from alive while the line grows.
		this.#pending.push(Buffer.from(piece));
		this.#pendingBytes += piece.length;
	}

	#complete(piece: Buffer, out: LineItem[]): void {
		if (this.#skipping) {
			this.#skipping = false;
			this.#line++;
			return;
		}

		if (this.#pendingBytes + piece.length > this.#maxLineBytes) {
			this.#pending = [];
			this.#pendingBytes = 0;
			this.#line++;
			out.push({kind: 'overlong', line: this.#line});
			return;
		}

		let bytes = piece;
		if (this.#pendingBytes > 0) {
			this.#pending.push(piece);
			this.#pendingBytes += piece.length;
			bytes = this.#take();
		}

		this.#emit(bytes, out);
	}

	#emit(bytes: Buffer, out: LineItem[]): void {
		let text = bytes.toString('utf8');
		if (text.endsWith('\r')) {
			text = text.slice(0, -1);
		}

		if (!text.includes('\r')) {
			this.#line++;
			out.push({kind: 'line', line: this.#line, text});
			return;
		}

		// Lone CRs inside: each ends a line of its own.
		for (const part of text.split('\r')) {
			this.#line++;
			out.push({kind: 'line', line: this.#line, text: part});
		}
	}
}
