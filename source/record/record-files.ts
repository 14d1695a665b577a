import path from 'node:path';
import {recordSuffix, type RecordCodec} from './record-codec.js';

/**
Names of the files `--record-dir` writes: one series per UTC day,
`rugs-YYYY-MM-DD.jsonl.gz` (`.jsonl.br`, `.jsonl` with --record-compress),
then `rugs-YYYY-MM-DD-1.jsonl.gz`, `-2`, … each time the current one reaches
the size limit (or cannot be appended to). The index is shared by the three
endings, so the series stays in order when the codec changes within a day.
And the siblings of a `--record FILE` that cannot be appended to (a brotli
stream, a gzip file rugs-tui cannot check): `FILE-1.jsonl.br`, `-2`, ….
Pure: the recorder does the I/O.
*/

export const defaultMaxFileMb = 256;

const endings = ['.jsonl.gz', '.jsonl.br', '.jsonl'] as const;

/** The UTC day of a time, `YYYY-MM-DD`. */
export function utcDay(ms: number): string {
	return new Date(ms).toISOString().slice(0, 10);
}

export function recordFileName(day: string, index: number, codec: RecordCodec = 'none'): string {
	return `rugs-${day}${index === 0 ? '' : `-${index}`}${recordSuffix(codec)}`;
}

/** The index and codec of a recording file of that day, or undefined for any other name. */
export function recordFileEntry(name: string, day: string): {index: number; codec: RecordCodec} | undefined {
	const prefix = `rugs-${day}`;
	const ending = endings.find(suffix => name.endsWith(suffix));
	if (!name.startsWith(prefix) || ending === undefined || name.length < prefix.length + ending.length) {
		return undefined;
	}

	const codec: RecordCodec = ending === '.jsonl.gz' ? 'gzip' : (ending === '.jsonl.br' ? 'brotli' : 'none');
	const middle = name.slice(prefix.length, -ending.length);
	if (middle === '') {
		return {index: 0, codec};
	}

	return /^-[1-9]\d{0,5}$/.test(middle) ? {index: Number(middle.slice(1)), codec} : undefined;
}

/** The index of a recording file of that day (any of the three endings), or undefined for any other name. */
export function recordFileIndex(name: string, day: string): number | undefined {
	return recordFileEntry(name, day)?.index;
}

/** The highest index already used for that day among the names of a directory (-1 when none), and the codec of that file. */
export function lastRecordEntry(names: readonly string[], day: string): {index: number; codec: RecordCodec | undefined} {
	let last: {index: number; codec: RecordCodec | undefined} = {index: -1, codec: undefined};
	for (const name of names) {
		const entry = recordFileEntry(name, day);
		if (entry !== undefined && entry.index > last.index) {
			last = entry;
		}
	}

	return last;
}

export function recordFilePath(dir: string, day: string, index: number, codec: RecordCodec = 'none'): string {
	return path.join(dir, recordFileName(day, index, codec));
}

/** `session.jsonl.br` → `session-1.jsonl.br` (the ending kept: `.jsonl.gz`, `.jsonl.br`, `.jsonl`, `.gz`, `.br`, else none). */
export function siblingPath(file: string, index: number): string {
	const base = path.basename(file);
	const ending = [...endings, '.gz', '.br'].find(suffix => base.length > suffix.length && base.toLowerCase().endsWith(suffix)) ?? '';
	return path.join(path.dirname(file), `${base.slice(0, base.length - ending.length)}-${index}${base.slice(base.length - ending.length)}`);
}
