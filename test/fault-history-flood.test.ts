import {createHash} from 'node:crypto';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {binPath} from './helpers/project.js';
import {cliCommand, hasTmux, Tmux} from './helpers/tmux.js';

/**
The TUI in a real terminal (tmux) replaying, at the recorded cadence, four
gameStateUpdate frames a second that each carry a 10,000-game gameHistory
(2.6 MB): the reducer used to re-verify every game of it on every frame (0.6–2
s of CPU a frame), so the monitor fell behind and a key took seconds. Now each
game is verified once and a frame's work is bounded (state-history-cost checks
the counts): keys are answered during the flood, the last frame is on screen
when the replay ends, and the process used far less CPU than the time that
passed. The time bounds are generous (seconds): they tell "keeps up" from
"falls behind", they are not targets.
*/

const tmux = new Tmux();
const folder = mkdtempSync(path.join(tmpdir(), 'rugs-tui-history-flood-'));

afterAll(() => {
	tmux.killServer();
	rmSync(folder, {recursive: true, force: true});
});

const frames = 32;
const spacingMs = 250;

function recording(): string {
	const games = Array.from({length: 10_000}, (_, index) => {
		const serverSeed = createHash('sha256').update(`flood-${index}`).digest('hex');
		return {
			id: `20251212-${index.toString(16).padStart(16, '0')}`,
			timestamp: 1_765_577_818_000 - (index * 30_000),
			peakMultiplier: 2.5,
			provablyFair: {serverSeed, serverSeedHash: createHash('sha256').update(serverSeed).digest('hex')},
		};
	});
	const lines: string[] = [];
	for (let index = 0; index < frames; index++) {
		lines.push(JSON.stringify({
			seq: index + 1,
			ts: 1_765_577_818_000 + (index * spacingMs),
			source: 'direct',
			direction: 'received',
			event: 'gameStateUpdate',
			data: {gameId: '20251212-flood00000000000', active: true, rugged: false, tickCount: 100 + index, price: 1.5, gameHistory: games},
		}));
	}

	const file = path.join(folder, 'history-flood.jsonl');
	writeFileSync(file, `${lines.join('\n')}\n`);
	return file;
}

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid: number): number {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	// utime and stime are fields 14 and 15 of stat, 12 and 13 after the comm.
	return (Number(fields[11]) + Number(fields[12])) / 100;
}

describe.skipIf(!hasTmux())('the TUI replaying frames with a 10,000-game gameHistory, four a second (tmux)', () => {
	it('answers keys during the flood, keeps up with it, and uses a fraction of a core', async () => {
		const file = recording();
		tmux.start('flood', cliCommand(binPath, ['--replay', file, '--speed', '1']));
		await tmux.waitFor('flood', screen => screen.includes('tick 10'), 'the first frame', 30_000);
		const pid = tmux.processIn('flood', 'rugs-tui')!;
		expect(pid).toBeDefined();
		const started = performance.now();
		const cpuAtStart = cpuSeconds(pid);

		tmux.keys('flood', '?');
		const keyAt = performance.now();
		await tmux.waitFor('flood', screen => screen.includes('Help · ? or Esc closes'), 'the help overlay during the flood', 3000);
		const answerMs = performance.now() - keyAt;
		tmux.keys('flood', 'Escape');
		await tmux.waitFor('flood', screen => !screen.includes('Help · ? or Esc closes'), 'the panes again', 3000);

		// The last frame (tick 131) is due (frames − 1) × 250 ms after the first: it is on screen soon after.
		await tmux.waitFor('flood', screen => screen.includes(`tick ${100 + frames - 1}`), 'the last frame of the replay', ((frames * spacingMs) + 4000));
		const elapsed = (performance.now() - started) / 1000;
		const cpu = cpuSeconds(pid) - cpuAtStart;
		process.stderr.write(`fault-history-flood: key answered in ${Math.round(answerMs)} ms; ${frames} frames of 2.6 MB in ${elapsed.toFixed(1)} s using ${cpu.toFixed(2)} s of CPU\n`);
		// Re-verifying 10,000 games took 0.6–2 s of CPU a frame: over a core. Now parsing the frame dominates.
		expect(cpu).toBeLessThan(elapsed * 0.6);
		tmux.keys('flood', 'q');
		await tmux.waitFor('flood', screen => screen.includes('EXIT=0'), 'the exit');
	}, 120_000);
});
