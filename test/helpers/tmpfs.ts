import {execFileSync} from 'node:child_process';
import {mkdtempSync, openSync, closeSync, rmSync, writeSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';

/**
A real, small file system that fills up: a tmpfs of a given size mounted on a
fresh folder (root only). `fill(leave)` takes all but `leave` bytes with a
filler file, `free()` removes it. `available` is undefined with the reason
when this machine cannot mount one (not root, no mount privilege).
*/
export type SmallDisk = {dir: string; fill(leaveBytes: number): void; free(): void; unmount(): void};

function tryMount(): string | undefined {
	if (process.platform !== 'linux' || process.getuid?.() !== 0) {
		return 'needs root on Linux to mount a tmpfs';
	}

	const probe = mkdtempSync(path.join(tmpdir(), 'rugs-tmpfs-probe-'));
	try {
		execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], {stdio: 'ignore'});
		execFileSync('umount', [probe], {stdio: 'ignore'});
		return undefined;
	} catch {
		return 'mount -t tmpfs is not permitted here';
	} finally {
		rmSync(probe, {recursive: true, force: true});
	}
}

/** Why no tmpfs can be mounted here, or undefined when one can. */
export const tmpfsUnavailable = tryMount();

export function mountSmallDisk(sizeBytes: number): SmallDisk {
	const dir = mkdtempSync(path.join(tmpdir(), 'rugs-small-disk-'));
	execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeBytes},mode=0755`, 'tmpfs', dir]);
	const filler = path.join(dir, 'filler');
	return {
		dir,
		fill(leaveBytes) {
			rmSync(filler, {force: true});
			const free = Number(execFileSync('df', ['--output=avail', '-B1', dir], {encoding: 'utf8'}).trim().split('\n').at(-1));
			const fd = openSync(filler, 'w');
			try {
				const block = Buffer.alloc(4096, 0x61);
				let left = free - leaveBytes;
				// Page by page, to the last byte the disk takes (the rest of a page cannot be had anyway).
				while (left > 0) {
					try {
						writeSync(fd, block, 0, Math.min(block.length, left));
					} catch {
						break;
					}

					left -= block.length;
				}
			} finally {
				closeSync(fd);
			}
		},
		free() {
			rmSync(filler, {force: true});
		},
		unmount() {
			try {
				execFileSync('umount', ['-l', dir], {stdio: 'ignore'});
			} catch {
				// Already unmounted.
			}

			rmSync(dir, {recursive: true, force: true});
		},
	};
}
