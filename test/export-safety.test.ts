import {execFileSync, spawn} from 'node:child_process';
import {createHash} from 'node:crypto';
import {existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import {afterAll, describe, expect, test} from 'vitest';
import {csvRow, parseCsv} from '../source/analyze/csv.js';
import {ticksFileName} from '../source/analyze/export.js';
import type {Envelope} from '../source/protocol/envelope.js';
import {gameCycle, seedForLength} from '../source/sim/game-cycle.js';
import {runCli, spawnCli} from './helpers/cli.js';
import {binPath} from './helpers/project.js';
import {makeTempDir, writeRecording} from './helpers/recordings.js';

/**
Issue 14 and 11: export writes where the user said and only there, and a
failure is never reported as success. Formula-like text is neutralised in CSV,
a NUL never reaches a file, names derived from game ids never collide or leave
--out, links planted in the export directory are never followed, and a full
disk (/dev/full, a small tmpfs) makes summarize and export exit 1 with one
`rugs-tui:` line and no temporary left behind.
*/

const folder = makeTempDir('rugs-export-safety-');
afterAll(() => {
	folder.remove();
});

/** One complete game under `gameId` (any text: the feed's ids are untrusted). */
function gameAs(gameId: string, index: number): Envelope[] {
	const plain = `20250505-${index.toString(16).padStart(16, '0')}`;
	const game = gameCycle({gameId: plain, serverSeed: seedForLength(plain, 20, 40, `safety-${index}`), startTs: Date.UTC(2025, 4, 5, index)});
	return structuredClone(game.envelopes).map(envelope => {
		const data = envelope.data as Record<string, unknown>;
		if (data['gameId'] === plain) {
			data['gameId'] = gameId;
		}

		for (const entry of (data['gameHistory'] as Array<Record<string, unknown>> | undefined) ?? []) {
			if (entry['id'] === plain) {
				entry['id'] = gameId;
			}
		}

		return envelope;
	});
}

function readCsv(file: string): Array<Record<string, string>> {
	const [header, ...rows] = parseCsv(readFileSync(file, 'utf8'));
	return rows.map(row => Object.fromEntries(header!.map((name, index) => [name, row[index]!])));
}

describe('CSV cells are safe to open in a spreadsheet', () => {
	test('formula-like text gets a leading quote; numbers written by us stay numbers; NUL is never written', () => {
		expect(csvRow(['=1+1', '+1', '-2', '@SUM(A1)', '\tx', '\rx', 'plain', -0.5, 0, 'a\0b'])).toBe('"\'=1+1","\'+1","\'-2","\'@SUM(A1)","\'\tx","\'\rx",plain,-0.5,0,a\uFFFDb\n');
	});

	test('through the command: hostile game ids in games.csv are neutralised, and no NUL byte is in any file', async () => {
		const ids = ['=HYPERLINK("http://x","y")', '@cmd', '-1+1', '\tid', 'nul\0byte'];
		const file = writeRecording(path.join(folder.dir, 'hostile.jsonl'), ids.flatMap((id, index) => gameAs(id, index)));
		const out = path.join(folder.dir, 'hostile-out');
		const {code} = await runCli(['export', file, '--out', out]);
		expect(code).toBe(0);
		const rows = readCsv(path.join(out, 'games.csv'));
		expect(rows.map(row => row['gameId'])).toStrictEqual(ids.map(text => (text.startsWith('n') ? 'nul\uFFFDbyte' : `'${text}`)));
		// Numbers stay numbers (a peak is never quoted).
		expect(rows.every(row => /^\d/.test(row['peak']!))).toBe(true);
		for (const name of ['games.csv', ...readdirSync(path.join(out, 'ticks')).map(tick => `ticks/${tick}`)]) {
			expect(readFileSync(path.join(out, name)).includes(0), name).toBe(false);
		}
	});
});

describe('file names from game ids never collide and never leave --out', () => {
	test('any two different ids get different names, each a plain file name inside ticks/', () => {
		fc.assert(fc.property(fc.string({unit: 'binary', maxLength: 40}), fc.string({unit: 'binary', maxLength: 40}), (a, b) => {
			const [nameA, nameB] = [ticksFileName(a), ticksFileName(b)];
			expect(a === b || nameA.toLowerCase() !== nameB.toLowerCase()).toBe(true);
			for (const name of [nameA, nameB]) {
				expect(name).toMatch(/^ticks\/[a-z\d_][a-z\d-]*\.csv$/);
				expect(path.resolve('/out', name).startsWith('/out/ticks/')).toBe(true);
			}
		}), {numRuns: 2000});
	});

	test('an id shaped like another id\'s name, and ids differing only in case, all get files of their own', async () => {
		const ids = ['X/Y', `_${createHash('sha256').update('X/Y').digest('hex')}`, `game-${createHash('sha256').update('X/Y').digest('hex').slice(0, 16)}`, 'abc', 'ABC'];
		const file = writeRecording(path.join(folder.dir, 'lookalikes.jsonl'), ids.flatMap((id, index) => gameAs(id, index)));
		const out = path.join(folder.dir, 'lookalikes-out');
		const run = await runCli(['export', file, '--out', out]);
		expect(run.code).toBe(0);
		const rows = readCsv(path.join(out, 'games.csv'));
		expect(rows.map(row => row['gameId'])).toStrictEqual(ids);
		const names = rows.map(row => row['ticksFile']!.toLowerCase());
		expect(new Set(names).size).toBe(ids.length);
		expect(readdirSync(path.join(out, 'ticks'))).toHaveLength(ids.length);
		// Each file holds its own game's series (the games have different lengths).
		const lengths = rows.map(row => readCsv(path.join(out, row['ticksFile']!)).length);
		expect(lengths.map((length, index) => length === Number(rows[index]!['rugTick']) + 1)).toStrictEqual(ids.map(() => true));
	});
});

describe('links planted in the export directory are never followed', () => {
	const id = '20250505-00000000000000aa';
	const recording = writeRecording(path.join(folder.dir, 'one.jsonl'), gameAs(id, 7));

	function victim(name: string): {file: string; unchanged: () => boolean} {
		const file = path.join(folder.dir, name);
		writeFileSync(file, 'precious\n');
		return {file, unchanged: () => readFileSync(file, 'utf8') === 'precious\n'};
	}

	test('links under the real names and the old .partial names: replaced by real files, their targets untouched', async () => {
		const out = path.join(folder.dir, 'planted');
		mkdirSync(path.join(out, 'ticks'), {recursive: true});
		const victims = ['v-games', 'v-ticks', 'v-games-partial', 'v-ticks-partial'].map(name => victim(name));
		symlinkSync(victims[0]!.file, path.join(out, 'games.csv'));
		symlinkSync(victims[1]!.file, path.join(out, `ticks/${id}.csv`));
		symlinkSync(victims[2]!.file, path.join(out, 'games.csv.partial'));
		symlinkSync(victims[3]!.file, path.join(out, `ticks/${id}.csv.partial`));
		const {code} = await runCli(['export', recording, '--out', out]);
		expect(code).toBe(0);
		expect(victims.map(one => one.unchanged())).toStrictEqual([true, true, true, true]);
		expect(lstatSync(path.join(out, 'games.csv')).isFile()).toBe(true);
		expect(lstatSync(path.join(out, `ticks/${id}.csv`)).isFile()).toBe(true);
		expect(readCsv(path.join(out, 'games.csv')).map(row => row['gameId'])).toStrictEqual([id]);
	});

	test('a link in place of ticks/ (or a Parquet partition folder) is refused, nothing written through it', async () => {
		const outside = path.join(folder.dir, 'outside');
		mkdirSync(outside);
		const out = path.join(folder.dir, 'planted-dir');
		mkdirSync(out);
		symlinkSync(outside, path.join(out, 'ticks'));
		const csv = await runCli(['export', recording, '--out', out]);
		expect(csv.code).toBe(1);
		expect(csv.stderr).toMatch(/^rugs-tui: export cannot use --out .*ticks is a symbolic link: refusing to write through it/m);

		const parquetOut = path.join(folder.dir, 'planted-partition');
		mkdirSync(path.join(parquetOut, 'games'), {recursive: true});
		symlinkSync(outside, path.join(parquetOut, 'games', 'date=2025-05-05'));
		const parquet = await runCli(['export', recording, '--out', parquetOut, '--format', 'parquet', '--partition', 'date']);
		expect(parquet.code).toBe(1);
		expect(parquet.stderr).toMatch(/^rugs-tui: export could not write to .*date=2025-05-05 is a symbolic link: refusing to write through it/m);
		expect(readdirSync(outside)).toStrictEqual([]);
	});

	test('a link under a Parquet table\'s name is replaced, its target untouched', async () => {
		const out = path.join(folder.dir, 'planted-parquet');
		mkdirSync(out);
		const target = victim('v-parquet');
		symlinkSync(target.file, path.join(out, 'games.parquet'));
		const run = await runCli(['export', recording, '--out', out, '--format', 'parquet']);
		expect(run.code).toBe(0);
		expect(target.unchanged()).toBe(true);
		expect(lstatSync(path.join(out, 'games.parquet')).isFile()).toBe(true);
	});
});

/** A small tmpfs of its own, or the reason there cannot be one here (not root, no mount). */
function smallTmpfs(kilobytes: number): {dir: string; unmount: () => void} | string {
	const dir = path.join(folder.dir, `tmpfs-${kilobytes}k`);
	mkdirSync(dir);
	try {
		execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${kilobytes}k`, 'tmpfs', dir], {stdio: 'pipe'});
	} catch (error) {
		return `cannot mount a tmpfs here (${String((error as Error).message).split('\n')[0]})`;
	}

	return {
		dir,
		unmount() {
			execFileSync('umount', [dir]);
		},
	};
}

/** Run the command with stdout going to a file of our choosing (opened by the shell's way: O_TRUNC). */
async function runTo(args: readonly string[], stdoutFile: string): Promise<{code: number | null; stderr: string}> {
	const child = spawn('sh', ['-c', `exec "$0" "$@" > "${stdoutFile}"`, process.execPath, binPath, ...args], {stdio: ['ignore', 'ignore', 'pipe'], env: {...process.env, CI: undefined}});
	let stderr = '';
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
		stderr += chunk;
	});
	const code = await new Promise<number | null>(resolve => {
		child.on('close', resolve);
	});
	return {code, stderr};
}

describe('a full disk is a failure, said in one line', () => {
	const many = writeRecording(path.join(folder.dir, 'many.jsonl'), Array.from({length: 12}, (_, index) => gameAs(`20250505-${(100 + index).toString(16).padStart(16, '0')}`, 20 + index)).flat());

	test('summarize > /dev/full: exit 1, one rugs-tui: line', async () => {
		const {code, stderr} = await runTo(['summarize', many], '/dev/full');
		expect(code).toBe(1);
		const lines = stderr.split('\n').filter(line => line.startsWith('rugs-tui:'));
		expect(lines).toHaveLength(1);
		expect(lines[0]).toMatch(/^rugs-tui: summarize could not write its output \(no space left on device, ENOSPC\) after \d+ of 12 games; the output is incomplete$/);
	});

	test('summarize | head -1 is still a success (the reader went away)', async () => {
		const child = spawnCli(['summarize', many]);
		child.stdout.once('data', () => {
			child.stdout.destroy();
		});
		const code = await new Promise<number | null>(resolve => {
			child.on('close', resolve);
		});
		expect(code).toBe(0);
	});

	test('summarize into a small tmpfs: exit 1 and the message; export there: exit 1, the message, no temporary left', async context => {
		const disk = smallTmpfs(8);
		if (typeof disk === 'string') {
			// Mounting needs root (CAP_SYS_ADMIN); /dev/full above covers the same path without it.
			context.skip(disk);
			return;
		}

		const {dir, unmount} = disk;
		try {
			const full = await runCli(['summarize', many]);
			const whole = full.stdout;
			expect(whole.length).toBeGreaterThan(8 * 1024);
			const summary = await runTo(['summarize', many], path.join(dir, 'games.jsonl'));
			expect(summary.code).toBe(1);
			expect(summary.stderr).toMatch(/^rugs-tui: summarize could not write its output \(no space left on device, ENOSPC\) after \d+ of 12 games/m);
			expect(readFileSync(path.join(dir, 'games.jsonl'), 'utf8').length).toBeLessThan(whole.length);

			const out = path.join(dir, 'export');
			for (const format of ['csv', 'parquet']) {
				const run = await runCli(['export', many, '--out', out, '--format', format]);
				expect(run.code, format).toBe(1);
				const lines = run.stderr.split('\n').filter(line => line.startsWith('rugs-tui:'));
				expect(lines, format).toHaveLength(1);
				expect(lines[0], format).toMatch(/^rugs-tui: export could not write to .*: no space left on device \(ENOSPC\)/);
				const left = existsSync(out) ? execFileSync('find', [out, '-name', '*.partial'], {encoding: 'utf8'}) : '';
				expect(left, format).toBe('');
			}
		} finally {
			unmount();
		}
	}, 60_000);
});
