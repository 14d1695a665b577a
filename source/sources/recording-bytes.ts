import {createReadStream} from 'node:fs';
import process from 'node:process';
import zlib from 'node:zlib';

/**
The bytes of a recording, decompressed: a file or standard input (`-`), plain,
gzip or brotli, told apart by content, never by name (a `.jsonl` may hold
gzip, a `.gz` may have been unpacked in place).

How the content is recognised, in this order, from the first bytes read:
1. gzip: the magic bytes 1f 8b, then 08 (deflate) and a flag byte without
   reserved bits, and a trial decode of the head that raises no error (a
   brotli stream can begin with 1f 8b by chance). Every member is read (an
   appended recording is several members one after the other).
2. zstd (28 b5 2f fd), xz (fd 37 7a 58 5a 00) and bzip2 (`BZh` 1–9 and its block
   magic 31 41 59 26 53 59) by their magic numbers: not read, said so.
3. Plain text: after an optional byte-order mark and white space, the first
   byte is `{` or `[`, and the first 64 bytes (or the whole input, if shorter)
   hold no control byte other than TAB, LF and CR. A recording, a JSON document
   and the Python recorders' lines all pass.
4. brotli, which has no magic number: the first 64 KiB are decoded on trial.
   - An input shorter than that which is a complete, valid brotli stream is
     brotli (this includes an empty or blank recording).
   - Otherwise the trial decodes with a flush (so a stream cut short is no
     error) and it is brotli when that decodes without an error to something
     that reads as a recording: rule 3 from its start or from the start of one
     of its lines (a recording whose first line is not a record);
   - unless the input ITSELF holds a line that passes rule 3: then it is text
     that merely began like a brotli block stored uncompressed (a few header
     bytes, then a verbatim copy) — a text file whose first lines are junk, or
     cut from the front.
   Anything else is read as plain text, so its lines are reported as bad lines
   rather than guessed at.
Why this is sound: compressed bytes are near-random, so 64 of them passing rule
3 (each byte printable, TAB, LF or CR) is vanishingly unlikely (about 0.4^64);
text fails a brotli decode within its first bytes unless they happen to form
the header of a stored block, which the last rule catches; a text file forming
a complete brotli stream would need its last bytes to close the stream exactly.
What stays ambiguous is a brotli stream that is both cut short and stores its
lines uncompressed (an encoder stores only what it cannot shrink, so in
practice one short line at quality 0 or 1, in a file killed within its first
64 KiB): that is read as plain. The rules only choose between ways of reading:
a wrong guess shows as bad lines, never as data made up. Checked by
test/fuzz-recording.test.ts on every quality and window brotli offers.
*/

type Compression = 'gzip' | 'brotli' | 'none';

/** The name that stands for standard input, as for most Unix tools. */
export const stdinPath = '-';

/** How a recording is named in messages (`stdin` for `-`). */
export function displayName(file: string): string {
	return file === stdinPath ? 'stdin' : file;
}

/** A compressed stream that ends before its end (a killed writer) or holds bytes its format cannot decode. */
export class CompressedStreamError extends Error {
	readonly kind: 'truncated' | 'corrupt';
	readonly compression: Compression;

	constructor(kind: 'truncated' | 'corrupt', compression: Compression, detail: string) {
		super(`${kind === 'truncated' ? 'truncated' : 'corrupt'} ${compression} stream (${detail})`);
		this.kind = kind;
		this.compression = compression;
	}
}

type RecordingBytes = {
	compression: Compression;
	/** A compression rugs-tui recognises but does not read (its name), when that is what the input holds. */
	unsupported?: string;
	/**
	The decompressed content, chunk by chunk. Throws CompressedStreamError when
	the compressed stream is cut short or corrupt (after every byte before it),
	and the input's own errors (a directory, permissions) as they are.
	*/
	chunks: AsyncGenerator<Buffer>;
};

export type OpenOptions = {
	/** What `-` reads (default process.stdin). */
	stdin?: NodeJS.ReadableStream;
};

/** Bytes a text head must show (or the whole input, if shorter) before it counts as text. */
const textProbeBytes = 64;
/** Input bytes a trial brotli decode may look at before it gives up. */
const brotliProbeBytes = 64 * 1024;
/** File reads of this size: fewer, larger chunks for the line splitter. */
const readChunkBytes = 256 * 1024;

/** A source whose first chunks can be looked at before they are passed on. */
class Head {
	readonly chunks: Buffer[] = [];
	bytes = 0;
	ended = false;
	readonly #iterator: AsyncIterator<unknown>;

	constructor(iterator: AsyncIterator<unknown>) {
		this.#iterator = iterator;
	}

	/** Read until at least `count` bytes are held or the input ends. */
	async fill(count: number): Promise<void> {
		while (!this.ended && this.bytes < count) {
			await this.more();
		}
	}

	/** Read one more chunk (or find the end). */
	async more(): Promise<void> {
		const next = await this.#iterator.next();
		if (next.done === true) {
			this.ended = true;
			return;
		}

		const chunk = toBuffer(next.value);
		this.chunks.push(chunk);
		this.bytes += chunk.length;
	}

	bytesUpTo(count: number): Buffer {
		const whole = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
		return whole.length > count ? whole.subarray(0, count) : whole;
	}

	/** Everything held, then the rest of the input. */
	async * all(): AsyncGenerator<Buffer> {
		try {
			yield * this.chunks;
			this.chunks.length = 0;
			while (!this.ended) {
				const next = await this.#iterator.next();
				if (next.done === true) {
					this.ended = true;
					return;
				}

				yield toBuffer(next.value);
			}
		} finally {
			// A reader that stops early lets go of the file (or stdin) at once.
			if (!this.ended) {
				this.ended = true;
				await this.close();
			}
		}
	}

	async close(): Promise<void> {
		await this.#iterator.return?.();
	}
}

function toBuffer(value: unknown): Buffer {
	if (Buffer.isBuffer(value)) {
		return value;
	}

	return typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value as Uint8Array);
}

function isSpace(byte: number): boolean {
	return byte === 0x20 || byte === 0x09 || byte === 0x0A || byte === 0x0D;
}

/**
Rule 3: the bytes start (after a byte-order mark and white space) with `{` or
`[`, and the first 64 bytes from there hold no control byte but TAB, LF, CR.
`complete` says the bytes are the whole input, so fewer than 64 are enough.
*/
function looksLikeText(bytes: Uint8Array, complete: boolean): boolean {
	let index = bytes[0] === 0xEF && bytes[1] === 0xBB && bytes[2] === 0xBF ? 3 : 0;
	while (index < bytes.length && isSpace(bytes[index]!)) {
		index++;
	}

	if (index >= bytes.length || (bytes[index] !== 0x7B && bytes[index] !== 0x5B)) {
		return false;
	}

	const end = index + textProbeBytes;
	if (bytes.length < end && !complete) {
		return false;
	}

	for (let at = index; at < Math.min(end, bytes.length); at++) {
		const byte = bytes[at]!;
		if (byte < 0x20 && !isSpace(byte)) {
			return false;
		}
	}

	return true;
}

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
	return bytes.length >= magic.length && magic.every((byte, index) => bytes[index] === byte);
}

const zstdMagic = [0x28, 0xB5, 0x2F, 0xFD];
const xzMagic = [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00];
const bzip2BlockMagic = [0x31, 0x41, 0x59, 0x26, 0x53, 0x59];

function unsupportedCompression(bytes: Uint8Array): string | undefined {
	if (startsWith(bytes, zstdMagic)) {
		return 'zstd';
	}

	if (startsWith(bytes, xzMagic)) {
		return 'xz';
	}

	// `BZh` + block size 1–9 + the block magic (π's digits): text cannot look like that by chance.
	if (bytes[0] === 0x42 && bytes[1] === 0x5A && bytes[2] === 0x68 && bytes[3]! >= 0x31 && bytes[3]! <= 0x39 && startsWith(bytes.subarray(4), bzip2BlockMagic)) {
		return 'bzip2';
	}

	return undefined;
}

/**
Rule 1: the magic 1f 8b, deflate (08), no reserved flag bits, and a header
that a trial decode accepts (a brotli stream can begin with 1f 8b too).
*/
function isGzip(start: Buffer): boolean {
	if (start[0] !== 0x1F || start[1] !== 0x8B || start[2] !== 0x08 || start[3]! >= 0x20) {
		return false;
	}

	try {
		zlib.gunzipSync(start, {finishFlush: zlib.constants.Z_SYNC_FLUSH});
		return true;
	} catch {
		return false;
	}
}

/** Rule 3 from the start of the bytes or from the start of one of their lines. */
function holdsTextLine(bytes: Uint8Array, complete: boolean, fromStart: boolean): boolean {
	if (fromStart && looksLikeText(bytes, complete)) {
		return true;
	}

	for (let lineEnd = bytes.indexOf(0x0A); lineEnd !== -1; lineEnd = bytes.indexOf(0x0A, lineEnd + 1)) {
		const next = bytes[lineEnd + 1];
		if ((next === 0x7B || next === 0x5B || next === 0x20 || next === 0x09 || next === 0x0A || next === 0x0D) && looksLikeText(bytes.subarray(lineEnd + 1), complete)) {
			return true;
		}
	}

	return false;
}

function isCompleteBrotli(bytes: Buffer): boolean {
	try {
		zlib.brotliDecompressSync(bytes);
		return true;
	} catch {
		return false;
	}
}

/** Rule 4 on the first 64 KiB (`whole`: they are the whole input). */
function isBrotli(probe: Buffer, whole: boolean): boolean {
	if (whole && isCompleteBrotli(probe)) {
		return true;
	}

	let out: Buffer;
	try {
		out = zlib.brotliDecompressSync(probe, {finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH});
	} catch {
		return false;
	}

	return out.length > 0 && holdsTextLine(out, whole, true) && !holdsTextLine(probe, whole, false);
}

type Detected = {compression: Compression; unsupported?: string};

async function detect(head: Head): Promise<Detected> {
	await head.fill(textProbeBytes);
	const start = head.bytesUpTo(textProbeBytes);
	if (isGzip(start)) {
		return {compression: 'gzip'};
	}

	const unsupported = unsupportedCompression(start);
	if (unsupported !== undefined) {
		return {compression: 'none', unsupported};
	}

	if (head.bytes === 0 || looksLikeText(head.bytesUpTo(4096), head.ended)) {
		return {compression: 'none'};
	}

	// Whether the input ends within the trial is part of the evidence: read one byte past it (or to the end).
	await head.fill(brotliProbeBytes + 1);
	const whole = head.ended && head.bytes <= brotliProbeBytes;
	return {compression: isBrotli(head.bytesUpTo(brotliProbeBytes), whole) ? 'brotli' : 'none'};
}

/** A zlib error as what it means for the reader. */
function classify(error: unknown, compression: Compression): unknown {
	const {code, message} = error as NodeJS.ErrnoException;
	if (code === 'Z_BUF_ERROR') {
		return new CompressedStreamError('truncated', compression, message);
	}

	if (code === 'Z_DATA_ERROR' || (typeof code === 'string' && code.startsWith('ERR__'))) {
		return new CompressedStreamError('corrupt', compression, message);
	}

	return error;
}

/**
Compressed input is handed to the decompressor in slices of this size: when a
slice holds damage, zlib drops what that slice would have decoded, so a small
slice keeps the lines before the damage.
*/
const decompressSliceBytes = 8 * 1024;

async function * sliced(source: AsyncGenerator<Buffer>): AsyncGenerator<Buffer> {
	for await (const chunk of source) {
		for (let at = 0; at < chunk.length; at += decompressSliceBytes) {
			yield chunk.subarray(at, at + decompressSliceBytes);
		}
	}
}

/**
The decompressed bytes, slice by slice: each slice is written, and what it
decoded is passed on before the next one is written (so nothing decoded is
lost when a later slice fails, and a slow reader holds back the input).
*/
async function * decompressed(source: AsyncGenerator<Buffer>, compression: 'gzip' | 'brotli'): AsyncGenerator<Buffer> {
	const decompressor = compression === 'gzip' ? zlib.createGunzip({chunkSize: readChunkBytes}) : zlib.createBrotliDecompress({chunkSize: readChunkBytes});
	const decoded: Buffer[] = [];
	let failure: unknown;
	decompressor.on('data', (chunk: Buffer) => {
		decoded.push(chunk);
	});
	decompressor.on('error', (error: unknown) => {
		failure ??= error;
	});
	/** Resolves when `events` (or an error, or the stream's close) come, after `start` ran. */
	const settled = async (events: readonly string[], start: (done: () => void) => void): Promise<void> => new Promise(resolve => {
		const all = [...events, 'error', 'close'];
		const done = () => {
			for (const event of all) {
				decompressor.off(event, done);
			}

			resolve();
		};

		for (const event of all) {
			decompressor.once(event, done);
		}

		start(done);
	});

	try {
		for await (const slice of sliced(source)) {
			await settled([], done => {
				decompressor.write(slice, done);
			});
			yield * decoded.splice(0);
			if (failure !== undefined) {
				throw classify(failure, compression);
			}
		}

		// Not end()'s callback, which can come before the final flush reports a cut stream: its 'end', or the error.
		await settled(['end'], () => {
			decompressor.end();
		});
		yield * decoded.splice(0);
		if (failure !== undefined) {
			throw classify(failure, compression);
		}
	} finally {
		decompressor.destroy();
	}
}

/**
Open a recording (a path, or `-` for standard input) and tell its
compression. Errors opening or reading a file (missing, a directory, no
permission) are thrown as they are: the caller reports the file as unreadable.
*/
export async function openRecordingBytes(file: string, options: OpenOptions = {}): Promise<RecordingBytes> {
	const input: NodeJS.ReadableStream = file === stdinPath ? options.stdin ?? process.stdin : createReadStream(file, {highWaterMark: readChunkBytes});
	const head = new Head(input[Symbol.asyncIterator]());
	let detected: Detected;
	try {
		detected = await detect(head);
	} catch (error) {
		await head.close().catch(() => undefined);
		throw error;
	}

	if (detected.unsupported !== undefined) {
		await head.close();
		async function * nothing(): AsyncGenerator<Buffer> {
			// No bytes are passed on from a format that is not read.
		}

		return {compression: 'none', unsupported: detected.unsupported, chunks: nothing()};
	}

	const raw = head.all();
	return {
		compression: detected.compression,
		chunks: detected.compression === 'none' ? raw : decompressed(raw, detected.compression),
	};
}
