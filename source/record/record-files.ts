import path from 'node:path';

/**
Names of the files `--record-dir` writes: one series per UTC day,
`rugs-YYYY-MM-DD.jsonl`, then `rugs-YYYY-MM-DD-1.jsonl`, `-2`, … each time the
current one reaches the size limit. Pure: the recorder does the I/O.
*/

export const defaultMaxFileMb = 256;

/** The UTC day of a time, `YYYY-MM-DD`. */
export function utcDay(ms: number): string {
	return new Date(ms).toISOString().slice(0, 10);
}

export function recordFileName(day: string, index: number): string {
	return index === 0 ? `rugs-${day}.jsonl` : `rugs-${day}-${index}.jsonl`;
}

/** The index of a recording file of that day, or undefined for any other name. */
export function recordFileIndex(name: string, day: string): number | undefined {
	const prefix = `rugs-${day}`;
	if (!name.startsWith(prefix) || !name.endsWith('.jsonl')) {
		return undefined;
	}

	const middle = name.slice(prefix.length, -'.jsonl'.length);
	if (middle === '') {
		return 0;
	}

	return /^-[1-9]\d{0,5}$/.test(middle) ? Number(middle.slice(1)) : undefined;
}

/** The highest index already used for that day among the names of a directory (-1 when none). */
export function lastRecordIndex(names: readonly string[], day: string): number {
	let last = -1;
	for (const name of names) {
		const index = recordFileIndex(name, day);
		if (index !== undefined && index > last) {
			last = index;
		}
	}

	return last;
}

export function recordFilePath(dir: string, day: string, index: number): string {
	return path.join(dir, recordFileName(day, index));
}
