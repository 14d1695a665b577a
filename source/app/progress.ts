import type {Writable} from 'node:stream';

/**
Progress of a long offline command on stderr. On a terminal: one line redrawn
in place at most 10 times a second; otherwise (a log file, CI): a full line at
most every 5 seconds. Nothing is shown for work that finishes within the first
second, so small runs stay quiet.
*/
export type Progress = {
	update(text: string): void;
	/** Clear the redrawn line (terminal) so later output starts clean. */
	done(): void;
};

type ProgressOptions = {
	stream: Writable & {isTTY?: boolean};
	/** Milliseconds clock (tests may replace it). */
	now?: () => number;
	quietMs?: number;
};

export function createProgress(options: ProgressOptions): Progress {
	const now = options.now ?? (() => performance.now());
	const tty = options.stream.isTTY === true;
	const start = now();
	const quietMs = options.quietMs ?? 1000;
	const everyMs = tty ? 100 : 5000;
	let last = Number.NEGATIVE_INFINITY;
	let drawn = false;
	return {
		update(text) {
			const time = now();
			if (time - start < quietMs || time - last < everyMs) {
				return;
			}

			last = time;
			if (tty) {
				options.stream.write(`\r${text}\u001B[K`);
				drawn = true;
			} else {
				options.stream.write(`${text}\n`);
			}
		},
		done() {
			if (drawn) {
				options.stream.write('\r\u001B[K');
				drawn = false;
			}
		},
	};
}
