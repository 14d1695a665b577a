import {mkdir, open, readdir, type FileHandle} from 'node:fs/promises';
import {lastRecordIndex, recordFilePath} from './record-files.js';

/**
How recorded bytes reach a file: which file (`--record FILE`, or `--record-dir`
with one series per UTC day rotated by size), how it is opened, how a torn
tail is repaired, how a run of whole lines is written and what is known to be
on disk after a failure, and when the file is synced. The recorder above it
decides what to write and when; this is the only code that touches the file.

Design, and why:
- Appends only (O_APPEND): an existing recording is never truncated. If it ends
  in a partial line (a process killed mid-write), a newline is written first so
  that line stays the only damaged one and every new line is whole.
- Whole lines only: a write is a run of complete lines. Should the OS accept
  part of it and then fail (a full disk), the caller learns how many whole
  lines are on disk, and the next write starts with a newline so the torn line
  cannot swallow the next one.
- fsync policy: data reaches the kernel at every write, which is what survives
  a killed process. Surviving a power cut needs the disk itself, so the file is
  fdatasync'ed at most every `syncIntervalMs` while data flows, when a file is
  rotated, and on close — not after every write, which would make the disk the
  bottleneck for no gain against the common failure (a killed process).
*/

export type RecordTargetOptions = {
	/** Append to this one file. */
	file?: string;
	/** Or: one file per UTC day in this directory, rotated by size. */
	dir?: string;
	/** Size at which `dir` mode starts the next file of the day. */
	maxFileBytes: number;
	/** fdatasync at most this often while writing (0: only on rotation and close). */
	syncIntervalMs: number;
	/** Wall clock, epoch ms. */
	now: () => number;
	/** Closing a file failed (reported, never thrown: the recording goes on). */
	onCloseError: (error: unknown) => void;
};

/** What one write() achieved. */
export type TargetWrite = {
	/** Lines (from the start of those given) now wholly in the file. */
	lines: number;
	/** Their bytes. */
	lineBytes: number;
	/** Every byte the file accepted (a repair newline, a torn line's part included). */
	bytes: number;
	/** Why it stopped short, and at what. */
	failure: {action: 'open' | 'write to'; error: unknown} | undefined;
};

type OpenFile = {
	key: string;
	path: string;
	handle: FileHandle;
	size: number;
	/** The file does not end with a newline (a torn line): write one first. */
	needsNewline: boolean;
	index: number;
	unsynced: boolean;
};

const newline = Buffer.from('\n');

export class RecordTarget {
	readonly #options: RecordTargetOptions;
	readonly #files: string[] = [];
	#file: OpenFile | undefined;
	#current: string | undefined;
	#lastSync: number;

	constructor(options: RecordTargetOptions) {
		if ((options.file === undefined) === (options.dir === undefined)) {
			throw new TypeError('a record target needs exactly one of file or dir');
		}

		this.#options = options;
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
	fresh file). Never throws: a failure is returned with what reached the file.
	*/
	async write(key: string, lines: readonly Buffer[]): Promise<TargetWrite> {
		const result: TargetWrite = {lines: 0, lineBytes: 0, bytes: 0, failure: undefined};
		let file: OpenFile;
		let count: number;
		try {
			file = await this.#fileFor(key);
			count = this.#fitting(file, lines);
			if (count === 0) {
				file = await this.#rotate(file);
				count = Math.max(1, this.#fitting(file, lines));
			}
		} catch (error) {
			result.failure = {action: 'open', error};
			return result;
		}

		const prefix = file.needsNewline ? [newline] : [];
		const run = lines.slice(0, count);
		const chunk = Buffer.concat([...prefix, ...run]);
		let done = 0;
		try {
			while (done < chunk.length) {
				const {bytesWritten} = await file.handle.write(chunk, done, chunk.length - done);
				if (bytesWritten <= 0) {
					throw new Error('the file accepted no data');
				}

				done += bytesWritten;
			}
		} catch (error) {
			result.failure = {action: 'write to', error};
		}

		// Account for what reached the file, whole lines only.
		let onDisk = done - prefix.length;
		if (prefix.length > 0 && done >= prefix.length) {
			file.needsNewline = false;
		}

		while (result.lines < run.length && onDisk >= run[result.lines]!.length) {
			onDisk -= run[result.lines]!.length;
			result.lineBytes += run[result.lines]!.length;
			result.lines++;
		}

		if (onDisk > 0) {
			// Part of a line reached the file: it is torn; the retry starts on a fresh line.
			file.needsNewline = true;
		}

		file.size += done;
		if (done > 0) {
			file.unsynced = true;
		}

		result.bytes = done;
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

	/** Sync and close the current file, if one is open. */
	async close(): Promise<void> {
		const file = this.#file;
		if (file === undefined) {
			return;
		}

		this.#file = undefined;
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

	async #open(key: string, filePath: string, index: number): Promise<OpenFile> {
		let handle: FileHandle;
		try {
			handle = await open(filePath, 'a+');
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EACCES') {
				throw error;
			}

			// Append-only permission: no reading back the tail, so assume it ends cleanly.
			handle = await open(filePath, 'a');
		}

		let size = 0;
		let needsNewline = false;
		try {
			const stats = await handle.stat();
			size = stats.size;
			if (size > 0) {
				const last = Buffer.alloc(1);
				const {bytesRead} = await handle.read(last, 0, 1, size - 1);
				needsNewline = bytesRead === 1 && last[0] !== 0x0A;
			}
		} catch {
			// Not readable (a FIFO, an append-only handle): nothing to repair.
		}

		if (!this.#files.includes(filePath)) {
			this.#files.push(filePath);
		}

		this.#current = filePath;
		return {key, path: filePath, handle, size, needsNewline, index, unsynced: false};
	}

	/** The file lines of `key` go to now; opens (or rotates to) it. */
	async #fileFor(key: string): Promise<OpenFile> {
		if (this.#file?.key === key) {
			return this.#file;
		}

		await this.close();
		if (this.#options.file !== undefined) {
			this.#file = await this.#open(key, this.#options.file, 0);
			return this.#file;
		}

		const dir = this.#options.dir!;
		await mkdir(dir, {recursive: true});
		const index = Math.max(0, lastRecordIndex(await readdir(dir), key));
		let file = await this.#open(key, recordFilePath(dir, key, index), index);
		if (file.size >= this.#options.maxFileBytes) {
			await file.handle.close();
			file = await this.#open(key, recordFilePath(dir, key, index + 1), index + 1);
		}

		this.#file = file;
		return file;
	}

	async #rotate(file: OpenFile): Promise<OpenFile> {
		await this.close();
		this.#file = await this.#open(file.key, recordFilePath(this.#options.dir!, file.key, file.index + 1), file.index + 1);
		return this.#file;
	}

	/** Lines (from the start) that fit in the current file. */
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
