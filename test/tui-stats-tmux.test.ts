import path from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {generateSession} from '../source/sim/generate-session.js';
import {binPath} from './helpers/project.js';
import {makeTempDir, writeRecording} from './helpers/recordings.js';
import {checkFrames, cutNumbers} from './helpers/screen-check.js';
import {cliCommand, hasTmux, Tmux} from './helpers/tmux.js';

/**
The Stats pane in a real terminal: beside the trade tape at 120×40 with the
games of --history on the screen the monitor first shows, and behind key 6
at 80×24 (then maximised by 6 again), with no number cut and every frame whole.
*/

const tmux = new Tmux();
const temporary = makeTempDir('rugs-stats-tmux-');
afterAll(() => {
	tmux.killServer();
	temporary.remove();
});

const history = writeRecording(path.join(temporary.dir, 'last-week.jsonl'), [...generateSession({games: 40, seed: 'stats-tmux'})]);

describe.skipIf(!hasTmux())('the Stats pane in a real terminal', () => {
	it('120×40: beside the trades, with the --history games on the first frame', async () => {
		tmux.start('wide', cliCommand(binPath, ['--demo', '--speed', '2', '--history', history]), {columns: 120, rows: 40});
		const screen = await tmux.waitFor('wide', text => text.includes('6 Stats'), 'the Stats pane');
		const row = screen.split('\n').find(line => line.includes('5 Trades'))!;
		expect(row.indexOf('6 Stats')).toBeGreaterThan(row.indexOf('5 Trades'));
		// The first frame already counts last week's games (the demo adds its own history as it plays).
		expect(screen).toMatch(/games\s+50 .*since (2025-)?12-12 .*50 from --history/);
		expect(screen).toMatch(/verdict\s+(consistent|not consistent|inconsistent)\b.*p = \d/);
		expect(cutNumbers(screen)).toEqual([]);
		expect(checkFrames(screen).problems).toEqual([]);
		expect(checkFrames(screen).frames).toHaveLength(6);
	});

	it('80×24: key 6 shows it in the tape\'s place, 6 again maximises it', async () => {
		tmux.start('compact', cliCommand(binPath, ['--demo', '--speed', '2', '--history', history]), {columns: 80, rows: 24});
		await tmux.waitFor('compact', text => text.includes('5 Trades'), 'the compact layout');
		tmux.keys('compact', '6');
		const shown = await tmux.waitFor('compact', text => text.includes('6 Stats') && text.includes('verdict'), 'Stats in the tape\'s place');
		expect(shown).toMatch(/verdict/);
		expect(cutNumbers(shown)).toEqual([]);
		tmux.keys('compact', '6');
		const maximised = await tmux.waitFor('compact', text => text.startsWith('╭─[6 Stats]'), 'Stats maximised');
		expect(maximised).toMatch(/survival >50/);
		expect(maximised).toMatch(/bet now/);
		expect(checkFrames(maximised).problems).toEqual([]);
		tmux.keys('compact', 'q');
		await tmux.waitFor('compact', text => text.includes('EXIT=0'), 'a clean exit');
	});
});
