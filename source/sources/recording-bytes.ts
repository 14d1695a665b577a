import {createReadStream} from 'node:fs';
import process from 'node:process';
import {pipeline, Readable} from 'node:stream';
import zlib from 'node:zlib';

/**
The bytes of a recording, decompressed: a file or standard input (`-`), plain,
gzip or brotli, told apart by content, never by name (a `.jsonl` may hold
gzip, a `.gz` may have been unpacked in place).

How the content is recognised, in this order, from the first bytes read:
1. gzip: the magic bytes 1f 8b. Every member is read (an appended recording is
   several members one after the other).
2. zstd (28 b5 2f fd), xz (fd 37 7a 58 5a 00) and bzip2 (`BZh` 1–9 and its block
   magic 31 41 59 26 53 59) by their magic numbers: not read, said so.
3. Plain text: after an optional byte-order mark and white space, the first
   byte is `{` or `[`, and the first 64 bytes (or the whole input, if shorter)
   hold no control byte other than TAB, LF and CR. A recording, a JSON document
   and the Python recorders' lines all pass.
4. brotli, which has no magic number: the first 64 KiB are decoded on trial
   (a flush, not an end, so a head cut mid-stream is no error). It is brotli
   when that decodes without an error to text that passes rule 3, or, for an
   input shorter than that, when the whole input is a complete brotli stream
   (an empty recording). Anything else is read as plain text, so its lines are
   reported as bad lines rather than guessed at.
   Except when the input reads as text from its second line on (rule 3 after
   its first LF): that is a text file whose first line is not a record (cut
   from the front, or junk), which a trial decode can mistake for a brotli
   block stored uncompressed (a few header bytes, then a verbatim copy).
Why this is sound: compressed bytes are near-random, so 64 of them passing rule
3 (each byte printable, TAB, LF or CR) is vanishingly unlikely (about 0.4^64);
text fails a brotli decode within its first bytes unless its first bytes
happen to form the header of a stored block, which the exception catches; and
an encoder stores a block uncompressed only when it cannot shrink it, which
JSON lines longer than a few dozen bytes never are. The rules only choose
between ways of reading: a wrong guess shows as bad lines, never as data made up.
*/

export type Compression = 'gzip' | 'brotli' | 'none';

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

export type RecordingBytes = {
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
export function looksLikeText(bytes: Uint8Array, complete: boolean): boolean {
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
The exception to rule 4: the input itself reads as text from its second line on
(rule 3 after its first LF). A brotli stream that stores its bytes uncompressed
(an encoder does so only for a block it cannot shrink, such as one short line
at a low quality) decodes by copying them, so a text file whose first line is
not a record would pass the trial decode; compressed JSON lines never hold an LF
followed by 64 bytes of text.
*/
function textAfterFirstLine(bytes: Uint8Array, complete: boolean): boolean {
	const lineEnd = bytes.indexOf(0x0A);
	return lineEnd !== -1 && looksLikeText(bytes.subarray(lineEnd + 1), complete);
}

type Probe = 'yes' | 'no' | 'more';

/** Rule 4 on the bytes read so far. */
function brotliProbe(head: Buffer, complete: boolean): Probe {
	let out: Buffer;
	try {
		out = zlib.brotliDecompressSync(head, {finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH});
	} catch {
		return 'no';
	}

	if (out.length === 0) {
		if (!complete) {
			return 'more';
		}

		// An input that ends having produced nothing is brotli only if it is a whole, valid stream (an empty recording).
		try {
			zlib.brotliDecompressSync(head);
			return 'yes';
		} catch {
			return 'no';
		}
	}

	if (out.length < textProbeBytes && !complete) {
		return 'more';
	}

	return looksLikeText(out, complete) ? 'yes' : 'no';
}

type Detected = {compression: Compression; unsupported?: string};

async function detect(head: Head): Promise<Detected> {
	await head.fill(textProbeBytes);
	const start = head.bytesUpTo(textProbeBytes);
	if (start[0] === 0x1F && start[1] === 0x8B) {
		return {compression: 'gzip'};
	}

	const unsupported = unsupportedCompression(start);
	if (unsupported !== undefined) {
		return {compression: 'none', unsupported};
	}

	if (head.bytes === 0 || looksLikeText(head.bytesUpTo(4096), head.ended)) {
		return {compression: 'none'};
	}

	for (;;) {
		const probe = head.bytesUpTo(brotliProbeBytes);
		const whole = head.ended && head.bytes <= brotliProbeBytes;
		const verdict = brotliProbe(probe, whole || head.bytes >= brotliProbeBytes);
		if (verdict !== 'more' || head.ended || head.bytes >= brotliProbeBytes) {
			return {compression: verdict === 'yes' && !textAfterFirstLine(probe, whole) ? 'brotli' : 'none'};
		}

		await head.more();
	}
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

async function * decompressed(source: AsyncGenerator<Buffer>, compression: 'gzip' | 'brotli'): AsyncGenerator<Buffer> {
	const decompressor = compression === 'gzip' ? zlib.createGunzip({chunkSize: readChunkBytes}) : zlib.createBrotliDecompress({chunkSize: readChunkBytes});
	const output = pipeline(Readable.from(source), decompressor, () => {
		// Errors reach the reader through the output stream's iteration below.
	});
	try {
		for await (const chunk of output) {
			yield chunk as Buffer;
		}
	} catch (error) {
		throw classify(error, compression);
	} finally {
		output.destroy();
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
