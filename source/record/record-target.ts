import {constants as fsConstants} from 'node:fs';
import {lstat, mkdir, open, readdir, readlink, stat, type FileHandle} from 'node:fs/promises';
import path from 'node:path';
import {errorText} from '../protocol/error-text.js';
import {closeGzipTail} from './gzip-tail.js';
import {codecOfPath, emptyStream, streamEncoder, type RecordCodec, type StreamEncoder} from './record-codec.js';
import {lastRecordEntry, recordFilePath, siblingPath} from './record-files.js';

/**
How recorded bytes reach a file: which file (`--record FILE`, or `--record-dir`
with one series per UTC day rotated by size), how it is opened, how it is
compressed, what happens when the disk refuses a write, and when the file is
synced. The recorder above it decides what to write and when; this is the
only code that touches the file.

Design, and why:
- Appends only (O_APPEND), and only whole lines (whole units when
  compressed): the file is never truncated below what it held when it was
  opened. A plain file that ends in a partial line (a process killed
  mid-write) gets a newline first, so that line stays the only damaged one.
- A failed write (a full disk, a file size limit) is undone: the file is cut
  back (ftruncate) to the size it had before the write, plus the whole lines
  that made it — so no torn line stays behind and no retry writes a line
  twice. Compressed, the unit is all or nothing: the file goes back to its
  last flush point, and the retry writes the same bytes again (the encoder has
  moved past them).
- A line that cannot fit is skipped, so the lines after it still get written:
  when a write of that one line fails for lack of space 3 times while the
  disk had room for the line after it, it is dropped and counted. A full disk
  with no room for anything skips nothing: the lines wait (in the recorder,
  up to its memory bound). Compressed, big lines (64 KiB and more) are units
  of their own for this reason, and skipping one abandons the encoder (it has
  already taken the line in): the stream is ended at its last committed flush
  point (record-codec.ts `finish()`), and the lines after go into a new gzip
  member, or for brotli a new file (a brotli stream cannot be continued).
- Compressed streams (record-codec.ts): units of whole lines, each ending at a
  flush point, at least one per flush of the recorder (once a second).
  Appending to an existing `.gz` first finishes the member a killed run left
  open (gzip-tail.ts), then writes a new member; a gzip member is closed and
  a new one started every 32 MiB of content, which bounds that repair. A
  brotli file is never appended to: the next name is used. On close the
  stream is finished; a new file with no events gets a valid empty stream.
- Written only where the user said: in a `--record-dir`, files are opened
  without following a symbolic link (O_NOFOLLOW) and created only new
  (O_EXCL); a link or anything but a regular file under a recording's name is
  refused with a notice and the next name is used. `--record FILE` is the
  user's own path: a symbolic link there is followed (pointing a recording at
  another disk is a fair use), unless it sits in a folder others can write to
  and was made by someone else than the user or the folder's owner — the rule
  of Linux's fs.protected_symlinks, which not every system enforces.
- Rotation (`--record-dir`) measures bytes on disk: plain files never pass
  the limit (a longer line goes alone into a fresh file); compressed ones are
  closed at the first flush point at or past it.
- fsync policy: data reaches the kernel at every write, which is what survives
  a killed process; the file is fdatasync'ed when due (the recorder asks once a
  second while data flows), when a file is rotated, and on close.
*/

type RecordTargetOptions = {
	/** Append to this one file (its suffix says the codec: .gz, .br, else plain). */
	file?: string;
	/** Or: one file per UTC day in this directory, rotated by size. */
	dir?: string;
	/** With `dir`: how its files are stored (default plain). */
	codec?: RecordCodec;
	/** Size at which `dir` mode starts the next file of the day. */
	maxFileBytes: number;
	/** fdatasync at most this often while writing (0: only on rotation and close). */
	syncIntervalMs: number;
	/** Wall clock, epoch ms. */
	now: () => number;
	/** Closing a file failed (reported, never thrown: the recording goes on). */
	onCloseError: (error: unknown) => void;
	/** Worth telling the user, though recording goes on: a name not used and why, a repaired file. */
	onNotice?: (message: string) => void;
};

/** What one write() achieved. */
type TargetWrite = {
	/** Lines (from the start of those given) now wholly in the file. */
	lines: number;
	/** Their bytes (before compression). */
	lineBytes: number;
	/** Lines after those, given up on (they cannot fit): the caller drops them too. */
	skipped: number;
	skippedBytes: number;
	/** What the disk had room for when a line was skipped. */
	room: number;
	/** Bytes the file holds more than before (compressed bytes for a compressed file). */
	bytes: number;
	/** Why it stopped short, and at what. */
	failure: {action: 'open' | 'write to'; error: unknown} | undefined;
};

type Unit = {bytes: Buffer; count: number; lineBytes: number};

type OpenFile = {
	key: string;
	path: string;
	handle: FileHandle;
	codec: RecordCodec;
	/** Bytes in the file that count: it ends at a whole line (a flush point when compressed). */
	size: number;
	/** A plain file that does not end with a newline (a torn line): write one first. */
	needsNewline: boolean;
	/** A regular file (can be cut back after a failed write). */
	regular: boolean;
	index: number;
	unsynced: boolean;
	/** The open gzip member or brotli stream. */
	encoder: StreamEncoder | undefined;
	/** Bytes that must go in before anything else: the end of a member given up on. */
	closing: Buffer | undefined;
	/** A unit whose write failed: written again, as is, before anything new. */
	inflight: Unit | undefined;
	/** No more may go into this file (a finished brotli stream): the next write rotates. */
	ended: boolean;
	/** The line that failed for lack of room, and how many times. */
	strike: {line: Buffer; count: number} | undefined;
};

/** A name that cannot be used for this recording; the next one is tried. */
class UnusableName extends Error {}

const newline = Buffer.from('\n');
/** Compressed: lines this long are units of their own (a line that cannot fit is then a unit that cannot fit). */
const bigLine = 64 * 1024;
/** Compressed: small lines per unit, at most. */
const unitBytes = 64 * 1024;
/** A gzip member is finished and a new one begun past this much content. */
const memberLimit = 32 * 1024 * 1024;
/** A line that fails for lack of room this many times, while the next would fit, is skipped. */
export const maxTries = 3;
/** Headroom asked of the disk for the next line when compressed (a header, a flush marker). */
const compressedMargin = 64;
/** Names tried in a row before giving up for now (each refused one is reported). */
const maxNames = 16;

// eslint-disable-next-line no-bitwise -- open(2) flags are bits
const appendNoFollow = fsConstants.O_RDWR | fsConstants.O_APPEND | (fsConstants.O_NOFOLLOW ?? 0);
// eslint-disable-next-line no-bitwise -- as above
const createNew = appendNoFollow | fsConstants.O_CREAT | fsConstants.O_EXCL;

function isSpaceError(error: unknown): boolean {
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	return code === 'ENOSPC' || code === 'EDQUOT' || code === 'EFBIG';
}

/** Write all of `bytes` at the end of the file; what reached it, and the error that stopped it. */
async function writeAll(handle: FileHandle, bytes: Buffer): Promise<{done: number; error: unknown}> {
	let done = 0;
	try {
		while (done < bytes.length) {
			const {bytesWritten} = await handle.write(bytes, done, bytes.length - done);
			if (bytesWritten <= 0) {
				throw new Error('the file accepted no data');
			}

			done += bytesWritten;
		}
	} catch (error) {
		return {done, error};
	}

	return {done, error: undefined};
}

export class RecordTarget {
	readonly #options: RecordTargetOptions;
	readonly #codec: RecordCodec;
	readonly #files: string[] = [];
	#file: OpenFile | undefined;
	#current: string | undefined;
	#lastSync: number;
	#bytes = 0;

	constructor(options: RecordTargetOptions) {
		if ((options.file === undefined) === (options.dir === undefined)) {
			throw new TypeError('a record target needs exactly one of file or dir');
		}

		this.#options = options;
		this.#codec = options.file === undefined ? options.codec ?? 'none' : codecOfPath(options.file);
		this.#lastSync = options.now();
	}

	/** Files written to, in order. */
	get files(): readonly string[] {
		return this.#files;
	}

	/** The file opened last (it stays named after close). */
	get current(): string | undefined {
		return this.#current;
	}

	/** Bytes this target added to files (compressed bytes when compressed; what a failed write left was cut back). */
	get bytes(): number {
		return this.#bytes;
	}

	get codec(): RecordCodec {
		return this.#codec;
	}

	/** The file, or where files go, for messages. */
	describe(): string {
		return this.#file?.path ?? this.#options.file ?? this.#options.dir ?? '?';
	}

	/** Open (or rotate to) the file for `key`: the file path, or the UTC day in `dir` mode. Throws what open throws. */
	async open(key: string): Promise<void> {
		await this.#fileFor(key);
	}

	/**
	Append lines of `key` (each ending in a newline): as many as fit in the
	current file, at least one (a line over the size limit goes alone into a
	fresh file); compressed, one unit. Never throws: a failure is returned with
	what reached the file.
	*/
	async write(key: string, lines: readonly Buffer[]): Promise<TargetWrite> {
		const result: TargetWrite = {lines: 0, lineBytes: 0, skipped: 0, skippedBytes: 0, room: 0, bytes: 0, failure: undefined};
		let file: OpenFile;
		try {
			file = await this.#fileFor(key);
			await (file.codec === 'none' ? this.#writePlain(file, lines, result) : this.#writeCompressed(file, lines, result));
		} catch (error) {
			result.failure = {action: 'open', error};
		}

		return result;
	}

	/** fdatasync when data was written since the last one and the interval has passed (or `force`). */
	async syncIfDue(force = false): Promise<void> {
		const file = this.#file;
		if (file === undefined || !file.unsynced || this.#options.syncIntervalMs === 0) {
			return;
		}

		const now = this.#options.now();
		if (!force && now - this.#lastSync < this.#options.syncIntervalMs) {
			return;
		}

		this.#lastSync = now;
		try {
			await file.handle.datasync();
		} catch {
			// Pipes and character devices cannot be synced; nothing is lost by skipping.
		}

		file.unsynced = false;
	}

	/** Finish the stream (compressed), sync and close the current file, if one is open. */
	async close(): Promise<void> {
		const file = this.#file;
		if (file === undefined) {
			return;
		}

		this.#file = undefined;
		await this.#closeFile(file);
	}

	async #closeFile(file: OpenFile): Promise<void> {
		if (file.codec !== 'none' && !file.ended) {
			// The end of the stream at its last committed flush point; a unit that never reached the file is not in it.
			const end = file.closing ?? file.encoder?.finish() ?? Buffer.alloc(0);
			const bytes = end.length === 0 && file.size === 0 ? emptyStream(file.codec) : end;
			if (bytes.length > 0) {
				const {done} = await writeAll(file.handle, bytes);
				if (done === bytes.length) {
					this.#grew(file, done);
					file.unsynced = true;
				} else if (done > 0) {
					// Left open at its last flush point, as after a SIGKILL: readable, and finished by the next run (gzip).
					await this.#cutBack(file);
				}
			}
		}

		file.encoder?.close();
		try {
			if (file.unsynced) {
				await file.handle.datasync();
			}
		} catch {
			// Some files (pipes, /dev/null) cannot be synced.
		}

		try {
			await file.handle.close();
		} catch (error) {
			this.#options.onCloseError(error);
		}
	}

	#grew(file: OpenFile, bytes: number): void {
		file.size += bytes;
		this.#bytes += bytes;
	}

	/** Cut the file back to the bytes that count (after a failed write). False when that is impossible. */
	async #cutBack(file: OpenFile): Promise<boolean> {
		if (!file.regular) {
			return false;
		}

		try {
			await file.handle.truncate(file.size);
			return true;
		} catch {
			return false;
		}
	}

	async #writePlain(file: OpenFile, given: readonly Buffer[], result: TargetWrite): Promise<void> {
		let count = this.#fitting(file, given);
		if (count === 0) {
			file = await this.#rotate(file);
			count = Math.max(1, this.#fitting(file, given));
		}

		const prefix = file.needsNewline ? [newline] : [];
		const run = given.slice(0, count);
		const {done, error} = await writeAll(file.handle, Buffer.concat([...prefix, ...run]));
		if (done > 0) {
			file.unsynced = true;
		}

		// Account for what reached the file, whole lines only.
		let onDisk = done - prefix.length;
		let keep = Math.min(done, prefix.length);
		if (keep > 0) {
			file.needsNewline = false;
		}

		while (result.lines < run.length && onDisk >= run[result.lines]!.length) {
			onDisk -= run[result.lines]!.length;
			keep += run[result.lines]!.length;
			result.lineBytes += run[result.lines]!.length;
			result.lines++;
		}

		if (error === undefined) {
			this.#grew(file, done);
			result.bytes = done;
			file.strike = undefined;
			return;
		}

		result.failure = {action: 'write to', error};
		const torn = done - keep;
		this.#grew(file, keep);
		result.bytes = keep;
		if (torn > 0 && !(await this.#cutBack(file))) {
			// The torn part stays (a pipe, a device): the retry starts on a fresh line so it cannot swallow the next one.
			this.#grew(file, torn);
			result.bytes = done;
			file.needsNewline = true;
		}

		const culprit = run[result.lines];
		if (culprit !== undefined && this.#cannotFit(file, culprit, given[result.lines + 1], torn, 0, error)) {
			result.skipped = 1;
			result.skippedBytes = culprit.length;
			result.room = torn;
		}
	}

	async #writeCompressed(file: OpenFile, given: readonly Buffer[], result: TargetWrite): Promise<void> {
		if (this.#options.dir !== undefined && file.size >= this.#options.maxFileBytes && file.inflight === undefined) {
			file = await this.#rotate(file);
		}

		if (file.encoder !== undefined && file.inflight === undefined && file.encoder.codec === 'gzip' && file.encoder.committedBytes >= memberLimit) {
			// Bound the member: a killed run's open member is what the next run must decode to close it.
			file.closing = file.encoder.finish();
			file.encoder.close();
			file.encoder = undefined;
		}

		if (file.closing !== undefined) {
			const {done, error} = await writeAll(file.handle, file.closing);
			if (error !== undefined) {
				if (done > 0) {
					await this.#cutBack(file);
				}

				result.failure = {action: 'write to', error};
				return;
			}

			this.#grew(file, done);
			file.unsynced = true;
			result.bytes += done;
			file.closing = undefined;
			if (file.codec === 'brotli') {
				file.ended = true;
			}
		}

		if (file.ended) {
			file = await this.#rotate(file);
		}

		if (file.inflight === undefined) {
			file.encoder ??= streamEncoder(file.codec as 'gzip' | 'brotli');
			const lines = this.#unit(given);
			const bytes = await file.encoder.encode(lines);
			file.inflight = {bytes, count: lines.length, lineBytes: lines.reduce((sum, line) => sum + line.length, 0)};
		}

		const unit = file.inflight;
		const {done, error} = await writeAll(file.handle, unit.bytes);
		if (error === undefined) {
			file.encoder!.commit();
			file.inflight = undefined;
			file.strike = undefined;
			this.#grew(file, done);
			file.unsynced = true;
			result.bytes += done;
			result.lines = unit.count;
			result.lineBytes = unit.lineBytes;
			return;
		}

		result.failure = {action: 'write to', error};
		if (done > 0 && !(await this.#cutBack(file))) {
			// The stream in this file is torn for good (not a regular file): nothing more goes into it.
			file.encoder?.close();
			file.encoder = undefined;
			file.inflight = undefined;
			file.ended = true;
			return;
		}

		if (unit.count === 1 && this.#cannotFit(file, given[0]!, given[1], done, compressedMargin, error)) {
			// The encoder has taken the line in: end the stream at its last committed unit; the lines after start afresh.
			file.closing = file.encoder!.finish();
			file.encoder!.close();
			file.encoder = undefined;
			file.inflight = undefined;
			if (file.closing.length === 0) {
				file.closing = undefined;
			}

			result.skipped = 1;
			result.skippedBytes = unit.lineBytes;
			result.room = done;
		}
	}

	/**
	Count a failed write of `line` against it; true when it is to be skipped:
	the disk was out of room for it `maxTries` times while it had room for the
	line after it (a full disk with no room for anything skips nothing).
	*/
	#cannotFit(file: OpenFile, line: Buffer, next: Buffer | undefined, room: number, margin: number, error: unknown): boolean {
		if (!isSpaceError(error) || next === undefined || room < next.length + margin) {
			return false;
		}

		if (file.strike?.line !== line) {
			file.strike = {line, count: 0};
		}

		file.strike.count++;
		if (file.strike.count < maxTries) {
			return false;
		}

		file.strike = undefined;
		return true;
	}

	/** The lines of the next compressed unit: one big line alone, or small lines up to `unitBytes`. */
	#unit(lines: readonly Buffer[]): Buffer[] {
		if (lines[0]!.length >= bigLine) {
			return [lines[0]!];
		}

		const unit: Buffer[] = [];
		let bytes = 0;
		for (const line of lines) {
			if (line.length >= bigLine || (bytes + line.length > unitBytes && unit.length > 0)) {
				break;
			}

			unit.push(line);
			bytes += line.length;
		}

		return unit;
	}

	/** The file lines of `key` go to now; opens (or rotates to) it. */
	async #fileFor(key: string): Promise<OpenFile> {
		if (this.#file?.key === key) {
			return this.#file;
		}

		await this.close();
		if (this.#options.file !== undefined) {
			this.#file = await this.#firstUsable(key, 0, index => (index === 0 ? this.#options.file! : siblingPath(this.#options.file!, index)), false);
			return this.#file;
		}

		const dir = this.#options.dir!;
		await mkdir(dir, {recursive: true});
		const last = lastRecordEntry(await readdir(dir), key);
		// Continue the day's latest file when it is of this codec; otherwise the next index (the series stays in order).
		const start = last.index === -1 ? 0 : (last.codec === this.#codec ? last.index : last.index + 1);
		this.#file = await this.#firstUsable(key, start, index => recordFilePath(dir, key, index, this.#codec), true);
		return this.#file;
	}

	async #rotate(file: OpenFile): Promise<OpenFile> {
		if (this.#file === file) {
			this.#file = undefined;
		}

		await this.#closeFile(file);
		const next = this.#options.file === undefined
			? await this.#firstUsable(file.key, file.index + 1, index => recordFilePath(this.#options.dir!, file.key, index, this.#codec), true)
			: await this.#firstUsable(file.key, file.index + 1, index => siblingPath(this.#options.file!, index), false);
		this.#file = next;
		return next;
	}

	/** Open the first name from `start` on that can take this recording; each one refused is reported. */
	async #firstUsable(key: string, start: number, name: (index: number) => string, inDir: boolean): Promise<OpenFile> {
		for (let index = start; index < start + maxNames; index++) {
			const filePath = name(index);
			try {
				const file = await this.#open(key, filePath, index, inDir || index > 0);
				if (inDir && file.size >= this.#options.maxFileBytes) {
					await this.#closeFile(file);
					continue;
				}

				return file;
			} catch (error) {
				if (!(error instanceof UnusableName)) {
					throw error;
				}

				this.#options.onNotice?.(`recording: ${error.message}; recording to ${name(index + 1)} instead`);
			}
		}

		throw new Error(`no usable file name from ${name(start)} to ${name(start + maxNames - 1)}`);
	}

	/** `--record FILE`: a symbolic link the user names is followed, unless someone else planted it in a folder others can write to. */
	async #checkUserLink(filePath: string): Promise<void> {
		const link = await lstat(filePath).catch(() => undefined);
		if (!link?.isSymbolicLink()) {
			return;
		}

		const folder = await stat(path.dirname(filePath));
		const uid = process.getuid?.();
		// Group or others may write there (mode bits 0o020, 0o002).
		const shared = Math.floor(folder.mode / 0o020) % 2 === 1 || Math.floor(folder.mode / 0o002) % 2 === 1;
		if (shared && uid !== undefined && link.uid !== uid && link.uid !== folder.uid) {
			const target = await readlink(filePath).catch(() => '?');
			throw new Error(`${filePath} is a symbolic link (to ${target}) that another user (uid ${link.uid}) made in a folder others can write to: not following it; remove it or record elsewhere`);
		}
	}

	/**
	Open a recording file for appending, and make its end ready for what comes:
	a newline after a torn plain line, a finished gzip member. `owned`: a name
	rugs-tui chose (in a directory, or a sibling), never followed through a
	link and only created new.
	*/
	async #open(key: string, filePath: string, index: number, owned: boolean): Promise<OpenFile> {
		const handle = owned ? await this.#openOwned(filePath) : await this.#openUsers(filePath);
		let file: OpenFile | undefined;
		try {
			const stats = await handle.stat();
			if (owned && !stats.isFile()) {
				throw new UnusableName(`${filePath} is not a regular file`);
			}

			file = {key, path: filePath, handle, codec: this.#codec, size: stats.size, needsNewline: false, regular: stats.isFile(), index, unsynced: false, encoder: undefined, closing: undefined, inflight: undefined, ended: false, strike: undefined};
			await this.#prepareEnd(file);
		} catch (error) {
			await handle.close().catch(() => undefined);
			throw error;
		}

		if (!this.#files.includes(filePath)) {
			this.#files.push(filePath);
		}

		this.#current = filePath;
		return file;
	}

	async #openOwned(filePath: string): Promise<FileHandle> {
		try {
			return await open(filePath, appendNoFollow);
		} catch (error) {
			const {code} = error as NodeJS.ErrnoException;
			if (code === 'ELOOP' || code === 'EMLINK') {
				const target = await readlink(filePath).catch(() => '?');
				throw new UnusableName(`${filePath} is a symbolic link (to ${target}): files in a recording folder are never followed out of it`);
			}

			if (code !== 'ENOENT') {
				throw error;
			}
		}

		try {
			// New, or nothing: O_EXCL never follows a link, and fails if anything appeared there meanwhile.
			return await open(filePath, createNew, 0o644);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
				throw new UnusableName(`${filePath} appeared while it was being created`);
			}

			throw error;
		}
	}

	async #openUsers(filePath: string): Promise<FileHandle> {
		await this.#checkUserLink(filePath);
		try {
			return await open(filePath, 'a+');
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EACCES') {
				throw error;
			}

			// Append-only permission: no reading back the tail, so assume it ends cleanly.
			return open(filePath, 'a');
		}
	}

	async #prepareEnd(file: OpenFile): Promise<void> {
		if (file.size === 0 || !file.regular) {
			return;
		}

		switch (file.codec) {
			case 'none': {
				try {
					const last = Buffer.alloc(1);
					const {bytesRead} = await file.handle.read(last, 0, 1, file.size - 1);
					file.needsNewline = bytesRead === 1 && last[0] !== 0x0A;
				} catch {
					// Not readable (an append-only handle): nothing to repair.
				}

				return;
			}

			case 'brotli': {
				throw new UnusableName(`${file.path} already holds a brotli stream, which cannot be appended to`);
			}

			case 'gzip': {
				let tail;
				try {
					tail = await closeGzipTail(file.handle, file.size);
				} catch (error) {
					throw new UnusableName(`${file.path} could not be checked before appending (${errorText(error)})`);
				}

				if (tail.kind === 'unknown') {
					throw new UnusableName(`${file.path} does not end in a gzip member rugs-tui can check (${tail.reason}), so a new member might not be readable after it`);
				}

				if (tail.kind === 'repaired') {
					file.size = tail.size;
					this.#options.onNotice?.(`recording: ${file.path} ended in an unfinished gzip member (a run that was killed): finished it after its last whole line${tail.dropped > 0 ? ` (${tail.dropped} bytes of a torn write dropped)` : ''}; appending a new member`);
				}
			}
		}
	}

	/** Lines (from the start) that fit in the current plain file. */
	#fitting(file: OpenFile, lines: readonly Buffer[]): number {
		if (this.#options.dir === undefined) {
			return lines.length;
		}

		let {size} = file;
		let count = 0;
		while (count < lines.length) {
			const {length} = lines[count]!;
			// A line larger than the limit still goes in, alone, into a fresh file.
			if (size + length > this.#options.maxFileBytes && size > 0) {
				break;
			}

			size += length;
			count++;
		}

		return count;
	}
}
