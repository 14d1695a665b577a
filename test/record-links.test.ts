import {execFileSync} from 'node:child_process';
import {chmodSync, lchownSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {gameCycle, seedForLength} from '../source/sim/game-cycle.js';
import {utcDay} from '../source/record/record-files.js';
import {runCli} from './helpers/cli.js';
import {makeTempDir, writeRecording} from './helpers/recordings.js';

/*
Output is written where the user said, and only there: in a --record-dir,
rugs-tui never follows a link (or writes into a FIFO) planted under a
recording's name — it says so, records under the next name, and the monitor
goes on. A --record FILE the user names as a link is followed, unless it was
planted by someone else in a folder others can write to.
*/

const temporary = makeTempDir('rugs-links-');
let counter = 0;
function temporaryPath(name: string): string {
	return path.join(temporary.dir, `${++counter}-${name}`);
}

let sessionFile = '';
let sessionText = '';
const victimText = 'precious: must never be appended to\n';

beforeAll(() => {
	const id = '20251212-7777777777777777';
	sessionFile = writeRecording(temporaryPath('session.jsonl'), gameCycle({gameId: id, serverSeed: seedForLength(id, 20, 40, 'links'), source: 'replay'}).envelopes);
	sessionText = readFileSync(sessionFile, 'utf8');
});

afterAll(() => {
	temporary.remove();
});

function problems(stderr: string): string[] {
	return stderr.split('\n').filter(line => line.startsWith('{')).map(line => JSON.parse(line) as {type: string; message?: string}).filter(line => line.type === 'problem').map(line => line.message ?? '');
}

function victim(): string {
	const file = temporaryPath('victim.txt');
	writeFileSync(file, victimText);
	return file;
}

describe('--record-dir: a link planted under today\'s name', () => {
	test.each([['none', '.jsonl'], ['gzip', '.jsonl.gz'], ['brotli', '.jsonl.br']] as const)('--record-compress %s: refused with a clear message, the target untouched, recorded under the next name, monitoring goes on', async (codec, suffix) => {
		const dir = temporaryPath(`dir-${codec}`);
		mkdirSync(dir);
		const target = victim();
		const today = utcDay(Date.now());
		const planted = path.join(dir, `rugs-${today}${suffix}`);
		symlinkSync(target, planted);
		const run = await runCli(['--replay', sessionFile, '--speed', '0', '--json', '--record-dir', dir, '--record-compress', codec]);
		expect(run.code).toBe(0);
		// Before: rugs-tui appended the recording to the link's target.
		expect(readFileSync(target, 'utf8')).toBe(victimText);
		expect(run.stdout).toBe(sessionText);
		const next = path.join(dir, `rugs-${today}-1${suffix}`);
		expect(problems(run.stderr)).toContain(`recording: ${planted} is a symbolic link (to ${target}): files in a recording folder are never followed out of it; recording to ${next} instead`);
		const bytes = readFileSync(next);
		const text = codec === 'none' ? bytes.toString('utf8') : (codec === 'gzip' ? zlib.gunzipSync(bytes) : zlib.brotliDecompressSync(bytes)).toString('utf8');
		expect(text).toBe(sessionText);
	});

	test('a dangling link is not followed into creating its target; a FIFO under the name is not written into', async () => {
		const today = utcDay(Date.now());
		const dangling = temporaryPath('dir-dangling');
		mkdirSync(dangling);
		const elsewhere = temporaryPath('would-be-created.jsonl.gz');
		symlinkSync(elsewhere, path.join(dangling, `rugs-${today}.jsonl.gz`));
		const fifo = temporaryPath('dir-fifo');
		mkdirSync(fifo);
		execFileSync('mkfifo', [path.join(fifo, `rugs-${today}.jsonl.gz`)]);
		for (const [dir, why] of [[dangling, 'is a symbolic link'], [fifo, 'is not a regular file']] as const) {
			const run = await runCli(['--replay', sessionFile, '--speed', '0', '--json', '--record-dir', dir]);
			expect(run.code).toBe(0);
			const next = path.join(dir, `rugs-${today}-1.jsonl.gz`);
			const message = problems(run.stderr).find(text => text.includes(`rugs-${today}.jsonl.gz ${why}`));
			expect(message).toMatch(/^recording: /);
			expect(message).toContain(`; recording to ${next} instead`);
			expect(zlib.gunzipSync(readFileSync(next)).toString('utf8')).toBe(sessionText);
		}

		expect(readdirSync(temporary.dir)).not.toContain(path.basename(elsewhere));
	});
});

describe('--record FILE that is a link', () => {
	test('the user\'s own link is followed: the recording goes to its target', async () => {
		const target = temporaryPath('real.jsonl');
		const link = temporaryPath('link.jsonl');
		symlinkSync(target, link);
		const run = await runCli(['--replay', sessionFile, '--speed', '0', '--json', '--record', link], {stdoutToNull: true});
		expect(run.code).toBe(0);
		expect(problems(run.stderr)).toEqual([]);
		expect(readFileSync(target, 'utf8')).toBe(sessionText);
	});

	test.runIf(process.getuid?.() === 0)('a link another user planted in a folder others can write to is refused; monitoring goes on', async () => {
		const shared = temporaryPath('shared');
		mkdirSync(shared);
		// World-writable without the sticky bit: the kernel's fs.protected_symlinks does not cover it; rugs-tui's own rule does.
		chmodSync(shared, 0o777);
		const target = victim();
		const link = path.join(shared, 'session.jsonl');
		symlinkSync(target, link);
		lchownSync(link, 65_534, 65_534);
		const run = await runCli(['--replay', sessionFile, '--speed', '0', '--json', '--record', link]);
		// The monitoring went on; the recording asked for was not made, so the run says it failed (exit 1, a rugs-tui: line).
		expect(run.code).toBe(1);
		expect(run.stderr).toMatch(/^rugs-tui: .+$/m);
		expect(run.stdout).toBe(sessionText);
		expect(readFileSync(target, 'utf8')).toBe(victimText);
		expect(problems(run.stderr).join('\n')).toContain(`${link} is a symbolic link (to ${target}) that another user (uid 65534) made in a folder others can write to: not following it`);
	});
});
