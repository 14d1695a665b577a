import zlib from 'node:zlib';

/**
How a recording is stored: plain JSON lines, gzip or brotli. The codec of
`--record FILE` is its suffix (`.gz`, `.br`, anything else plain); of
`--record-dir`, `--record-compress` (default gzip). Readers decide by content.

Compressed recordings are one continuous stream per file (brotli) or per
gzip member, written in units that each end at a flush point: after a unit,
everything written so far decodes with standard tools (a zlib sync flush,
a brotli flush), so a SIGKILL loses at most the unit being written. The
window carries over from unit to unit, which is what makes a flush a second
cheap: the feed repeats itself from one second to the next (and, for
brotli's 16 MiB window, its gameHistory frames repeat the same ten games).

The encoders are wrapped so that the file, not zlib, is the truth:
- `encode(lines)` gives the bytes of one unit; they count only after
  `commit()` (they reached the file). Until then the unit can be written again
  (the same bytes: the encoder has moved past them), or abandoned.
- `finish()` gives the bytes that end the stream at the last COMMITTED unit,
  without zlib: after a flush the stream is byte-aligned at a block boundary,
  so gzip ends with an empty final block (`03 00`) and the trailer (CRC-32 and
  length of what was committed, tracked here), brotli with an empty last
  meta-block (`03`). So a member can be closed properly even when the
  encoder's own state is ahead of the file (a unit that never fits the disk),
  and a later run can close a member a killed run left open (gzip-tail.ts).
*/

export type RecordCodec = 'none' | 'gzip' | 'brotli';
export const recordCodecs: readonly RecordCodec[] = ['gzip', 'brotli', 'none'];

/** `--record-dir`'s default: zcat, jq, DuckDB, pandas and Spark read gzip as it is. */
export const defaultDirCodec: RecordCodec = 'gzip';

/*
Levels chosen by measurement (`npm run bench -- recorder-compress`, generated play flushed
once a second; recorder CPU per event against the uncompressed recorder's ~40 µs, best of 3):
gzip 1: 0.11× on disk, 1.3× CPU; 3: 0.11×, 1.5×; 4: 0.10×, 1.9×; 6 (zlib's default): 0.09×, 2.2×.
brotli 3: 0.03×, 1.7×; 4: 0.03×, 2.2×; 5: 0.025×, 2.6×. The targets are ≤ 0.15× / ≤ 0.05× on disk
and ≤ 2× CPU: level 3 and quality 3 meet all of them with room for a noisy machine.
*/
export const gzipLevel = 3;
export const brotliQuality = 3;
/** A 16 MiB window: wide enough to see the repeated gameHistory frames (issue 11). */
const brotliWindowBits = 24;

/** The codec a `--record FILE` name asks for. */
export function codecOfPath(file: string): RecordCodec {
	const lower = file.toLowerCase();
	if (lower.endsWith('.gz')) {
		return 'gzip';
	}

	return lower.endsWith('.br') ? 'brotli' : 'none';
}

/** The ending of the files `--record-dir` writes with this codec. */
export function recordSuffix(codec: RecordCodec): string {
	switch (codec) {
		case 'gzip': {
			return '.jsonl.gz';
		}

		case 'brotli': {
			return '.jsonl.br';
		}

		case 'none': {
			return '.jsonl';
		}
	}
}

/** The gzip member header rugs-tui writes (no name, no time: the same bytes Node's own gzip writes), also what gzip-tail.ts looks for. */
export const gzipHeader = Buffer.from([0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03]);
/** An empty final deflate block with fixed codes: closes a deflate stream that stopped at a flush point. */
export const deflateEnd = Buffer.from([0x03, 0x00]);
/** An empty last brotli meta-block (ISLAST, ISLASTEMPTY): closes a brotli stream that stopped at a flush point. */
const brotliEnd = Buffer.from([0x03]);

/** A complete stream holding nothing: what a new compressed recording with no events is closed with. */
export function emptyStream(codec: RecordCodec): Buffer {
	switch (codec) {
		case 'gzip': {
			return Buffer.concat([gzipHeader, deflateEnd, Buffer.alloc(8)]);
		}

		case 'brotli': {
			return zlib.brotliCompressSync(Buffer.alloc(0));
		}

		case 'none': {
			return Buffer.alloc(0);
		}
	}
}

let crcTable: Uint32Array | undefined;

const nativeCrc32 = (zlib as {crc32?: (data: Uint8Array, value?: number) => number}).crc32;

/** CRC-32 as gzip uses it, continuing from `value`: zlib's (Node 20.15+), or the same sum computed here. */
export function crc32(data: Uint8Array, value = 0): number {
	return nativeCrc32 === undefined ? portableCrc32(data, value) : nativeCrc32(data, value);
}

/** CRC-32 without zlib's, for Node before 20.15: table-driven, reflected, polynomial 0xEDB88320. */
export function portableCrc32(data: Uint8Array, value = 0): number {
	crcTable ??= Uint32Array.from({length: 256}, (_, index) => {
		let c = index;
		for (let bit = 0; bit < 8; bit++) {
			c = c % 2 === 1 ? xor(0xED_B8_83_20, Math.floor(c / 2)) : Math.floor(c / 2);
		}

		return c;
	});
	let crc = xor(value, 0xFF_FF_FF_FF);
	for (const byte of data) {
		crc = xor(crcTable[xor(crc, byte) % 256]!, Math.floor(crc / 256));
	}

	return xor(crc, 0xFF_FF_FF_FF);
}

/** Unsigned 32-bit exclusive or. */
function xor(a: number, b: number): number {
	// eslint-disable-next-line no-bitwise -- a checksum is bit arithmetic
	return (a ^ b) >>> 0;
}

/** The gzip trailer: CRC-32 and length (mod 2³²) of the member's content, little-endian. */
export function gzipTrailer(crc: number, length: number): Buffer {
	const trailer = Buffer.alloc(8);
	trailer.writeUInt32LE(crc, 0);
	trailer.writeUInt32LE(length % (2 ** 32), 4);
	return trailer;
}

export type StreamEncoder = {
	readonly codec: 'gzip' | 'brotli';
	/** Content committed to this member or stream, in bytes before compression. */
	readonly committedBytes: number;
	/** The bytes of one unit: these lines, up to a flush point. The encoder must not be used while one is pending. */
	encode(lines: readonly Buffer[]): Promise<Buffer>;
	/** The bytes of the last encode() reached the file. */
	commit(): void;
	/** Bytes that end the member or stream at the last committed unit (empty when nothing was committed). */
	finish(): Buffer;
	/** Free zlib's memory. */
	close(): void;
};

/**
Feed a zlib stream and take all its output. The stream was made with a flush
mode (`flush` option), so each write is one trip to zlib's thread that ends at
a flush point — half the round trips of write() then flush().
*/
async function flushed(stream: zlib.DeflateRaw | zlib.BrotliCompress, input: Buffer): Promise<Buffer> {
	const chunks: Buffer[] = [];
	const onData = (chunk: Buffer) => {
		chunks.push(chunk);
	};

	stream.on('data', onData);
	try {
		await new Promise<void>((resolve, reject) => {
			stream.write(input, error => {
				if (error) {
					reject(error);
				} else {
					resolve();
				}
			});
		});
	} finally {
		stream.off('data', onData);
	}

	return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

/** A gzip member, written unit by unit: raw deflate with sync flushes, the header and trailer written here. */
export function gzipEncoder(): StreamEncoder {
	const deflate = zlib.createDeflateRaw({level: gzipLevel, flush: zlib.constants.Z_SYNC_FLUSH});
	// A zlib error reaches encode() through the write callback; without a listener it would also be thrown.
	deflate.on('error', () => undefined);
	let committed = {crc: 0, length: 0, started: false};
	let pending: typeof committed | undefined;
	return {
		codec: 'gzip',
		get committedBytes() {
			return committed.length;
		},
		async encode(lines) {
			const input = lines.length === 1 ? lines[0]! : Buffer.concat(lines);
			const body = await flushed(deflate, input);
			pending = {crc: crc32(input, committed.crc), length: committed.length + input.length, started: true};
			return committed.started ? body : Buffer.concat([gzipHeader, body]);
		},
		commit() {
			if (pending !== undefined) {
				committed = pending;
				pending = undefined;
			}
		},
		finish() {
			return committed.started ? Buffer.concat([deflateEnd, gzipTrailer(committed.crc, committed.length)]) : Buffer.alloc(0);
		},
		close() {
			deflate.close();
		},
	};
}

/** A brotli stream with a 16 MiB window, written unit by unit with flushes. */
function brotliEncoder(): StreamEncoder {
	const brotli = zlib.createBrotliCompress({
		flush: zlib.constants.BROTLI_OPERATION_FLUSH,
		params: {
			[zlib.constants.BROTLI_PARAM_QUALITY]: brotliQuality,
			[zlib.constants.BROTLI_PARAM_LGWIN]: brotliWindowBits,
			[zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
		},
	});
	brotli.on('error', () => undefined);
	let committed = {length: 0, started: false};
	let pending: typeof committed | undefined;
	return {
		codec: 'brotli',
		get committedBytes() {
			return committed.length;
		},
		async encode(lines) {
			const input = lines.length === 1 ? lines[0]! : Buffer.concat(lines);
			const body = await flushed(brotli, input);
			pending = {length: committed.length + input.length, started: true};
			return body;
		},
		commit() {
			if (pending !== undefined) {
				committed = pending;
				pending = undefined;
			}
		},
		finish() {
			return committed.started ? brotliEnd : Buffer.alloc(0);
		},
		close() {
			brotli.close();
		},
	};
}

export function streamEncoder(codec: 'gzip' | 'brotli'): StreamEncoder {
	return codec === 'gzip' ? gzipEncoder() : brotliEncoder();
}
