import {randomBytes} from 'node:crypto';
import {constants} from 'node:fs';
import {lstat, mkdir, open, rename, stat, unlink} from 'node:fs/promises';
import path from 'node:path';

/**
Files of an export, written where the user said and only there:
- every file is written whole or not at all: into a temporary file beside it,
  then renamed over the real name, so a crash or a full disk never leaves half
  a file under the real name (and a failed write removes its temporary);
- the temporary is created new (O_CREAT | O_EXCL | O_NOFOLLOW, under a random
  name), so a link planted in the directory is never followed and never
  truncated; rename() replaces a link planted under the real name instead of
  writing through it;
- folders inside --out (ticks/, games/date=…/) are created, or must already be
  real folders: a link in their place is refused rather than followed out of
  --out. --out itself is the user's own choice and may be a link;
- names are relative paths without `..`; one that would resolve outside --out
  is refused before anything is written.
*/
export class ExportDirectory {
	readonly root: string;
	readonly #ready = new Set<string>();

	constructor(root: string) {
		this.root = path.resolve(root);
	}

	/** The full path of a name inside the export, refused if it would leave it. */
	resolve(name: string): string {
		const full = path.resolve(this.root, name);
		if (!full.startsWith(this.root + path.sep)) {
			throw new Error(`refusing to write ${JSON.stringify(name)}: outside ${this.root}`);
		}

		return full;
	}

	/** Create --out (and its parents) if needed; it must be a folder (it may be a link to one: the user named it). */
	async prepare(): Promise<void> {
		await mkdir(this.root, {recursive: true});
		const info = await stat(this.root);
		if (!info.isDirectory()) {
			throw new Error(`${this.root} is not a folder`);
		}
	}

	async #prepared(): Promise<void> {
		if (!this.#ready.has('.')) {
			await this.prepare();
			this.#ready.add('.');
		}
	}

	/** Make sure a folder inside the export exists as a real folder, creating it (and its parents) if needed. */
	async folder(name: string): Promise<void> {
		if (this.#ready.has(name)) {
			return;
		}

		await this.prepare();
		let current = this.root;
		for (const part of name.split('/')) {
			current = path.join(current, part);
			try {
				await mkdir(current);
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
					throw error;
				}
			}

			const info = await lstat(current);
			if (!info.isDirectory()) {
				throw new Error(`${current} is ${info.isSymbolicLink() ? 'a symbolic link' : 'not a folder'}: refusing to write through it (remove it, or choose another --out)`);
			}
		}

		this.#ready.add(name);
	}

	/** Write a file whole (pieces in order), replacing one of the same name. */
	async write(name: string, pieces: Iterable<string | Uint8Array>): Promise<void> {
		const target = this.resolve(name);
		const folder = path.dirname(name);
		await (folder === '.' ? this.#prepared() : this.folder(folder));

		const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.partial`);
		// eslint-disable-next-line no-bitwise -- open(2) flags are a bit set
		const handle = await open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
		try {
			for (const piece of pieces) {
				// writeFile, not write: it goes on until every byte is written (write may write fewer, as on a filling disk).

				await handle.writeFile(piece);
			}

			await handle.close();
			await rename(temporary, target);
		} catch (error) {
			await handle.close().catch(() => undefined);
			await unlink(temporary).catch(() => undefined);
			throw error;
		}
	}
}
