import {readdirSync} from 'node:fs';
import {afterAll, describe, expect, it} from 'vitest';
import {capturePath, capturesDir, hasCaptures} from './helpers/captures.js';
import {binPath} from './helpers/project.js';
import {checkFrames, cutNumbers} from './helpers/screen-check.js';
import {cliCommand, hasTmux, Tmux} from './helpers/tmux.js';

/**
The screen in a real terminal at 120×40, 80×24 and 60×16, over a replay of
every shared capture and over the demo: no number on screen is ever cut (a
digit followed by '…'), and every pane's frame is whole — on every screen
sampled while the replay plays, then with the chart and the tape maximised.
*/

const tmux = new Tmux();
afterAll(() => {
	tmux.killServer();
});

const sizes = [
	{columns: 120, rows: 40, panes: 6},
	{columns: 80, rows: 24, panes: 5},
	{columns: 60, rows: 16, panes: 4},
] as const;

/** Every capture file (SOURCES.md describes them), at a speed that plays the longest in about ten seconds. */
const captures = hasCaptures ? readdirSync(capturesDir).filter(name => name !== 'SOURCES.md').toSorted() : [];
const inputs: Array<{name: string; args: string[]; seconds: number}> = [
	...captures.map(name => ({name, args: ['--replay', capturePath(name), '--speed', '8'], seconds: 30})),
	{name: 'the demo', args: ['--demo', '--speed', '4'], seconds: 8},
];

const framed = (screen: string) => screen.startsWith('╭─');

function problemsOf(screen: string, panes: number): string[] {
	const {frames, problems} = checkFrames(screen);
	if (frames.length !== panes) {
		problems.push(`${frames.length} pane frames, not ${panes}`);
	}

	return [...cutNumbers(screen), ...problems];
}

async function sleep(ms: number): Promise<void> {
	await new Promise(resolve => {
		setTimeout(resolve, ms);
	});
}

describe.skipIf(!hasTmux())('numbers and frames in a real terminal', () => {
	it.each(inputs)('$name: no number cut, every frame whole, at 120×40, 80×24 and 60×16', async ({name, args, seconds}) => {
		const sessions = sizes.map(size => ({...size, session: `${name.replaceAll(/\W/g, '')}-${size.columns}`}));
		for (const {session, columns, rows} of sessions) {
			tmux.start(session, cliCommand(binPath, args), {columns, rows});
		}

		const failures: string[] = [];
		let samples = 0;
		const check = (session: string, screen: string, panes: number, when: string) => {
			samples++;
			for (const problem of problemsOf(screen, panes)) {
				if (failures.length < 5) {
					failures.push(`${session} ${when}: ${problem}\n${screen}`);
				}
			}
		};

		for (const {session} of sessions) {
			await tmux.waitFor(session, framed, `${session}: the first frame`, 30_000);
		}

		// While it plays: a screen of each size every 250 ms, until the replay has finished (or the demo has run a while).
		const deadline = Date.now() + (seconds * 1000);
		const finished = new Set<string>();
		while (Date.now() < deadline && finished.size < sessions.length) {
			for (const {session, panes} of sessions) {
				const screen = tmux.capture(session);
				if (screen.includes('replay finished')) {
					finished.add(session);
				}

				check(session, screen, panes, 'playing');
			}

			await sleep(250);
		}

		// The chart and the tape maximised: one frame, the whole width.
		for (const [keys, title] of [[['2', '2'], '[2 Price]'], [['2', '5', '5'], '[5 Trades]']] as const) {
			for (const {session} of sessions) {
				tmux.keys(session, ...keys);
			}

			for (const {session} of sessions) {
				const screen = await tmux.waitFor(session, text => text.startsWith(`╭─${title}`), `${session}: ${title} maximised`);
				check(session, screen, 1, `${title} maximised`);
			}
		}

		for (const {session} of sessions) {
			tmux.keys(session, 'q');
		}

		expect(samples).toBeGreaterThan(sessions.length * 2);
		expect(failures, failures.join('\n\n')).toStrictEqual([]);
	}, 120_000);
});
