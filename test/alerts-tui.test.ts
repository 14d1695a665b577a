import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {alertFeed} from './helpers/alert-feed.js';
import {binPath} from './helpers/project.js';
import {makeTempDir} from './helpers/recordings.js';
import {cliCommand, hasTmux, shellQuote, Tmux} from './helpers/tmux.js';

/**
Alerts in a real terminal: tmux runs the monitor on a replay of a fair game
and a tampered one, `pipe-pane` copies every byte the program writes to the
terminal into a file, and tmux's own bell monitoring (the alert-bell hook)
says whether the terminal received a bell — the user-visible effect.
*/

const tmux = new Tmux();
const temporary = makeTempDir('rugs-alerts-tui-');
let recording = '';
/** price>=1.5 and rug for each of the two games, unfair for the tampered one. */
const expectedAlerts = 5;

/** The terminal bytes with OSC sequences (ESC ] … BEL) taken out: what is left of BEL is a bell. */
function bells(bytes: string): number {
	// eslint-disable-next-line no-control-regex -- the sequences are made of control characters
	return [...bytes.replaceAll(/\u001B][^\u0007\u001B]*(?:\u0007|\u001B\\)/g, '').matchAll(/\u0007/g)].length;
}

/** Start the monitor in a session whose output is piped to a file (a second's wait first, so the pipe is in place before anything is written). */
function start(name: string, args: string[]): {bytes: () => string; bellHook: string} {
	const output = path.join(temporary.dir, `${name}.bytes`);
	const bellHook = path.join(temporary.dir, `${name}.bell`);
	tmux.start(name, `sh -c ${shellQuote(`sleep 1; ${cliCommand(binPath, args)}`)}`);
	tmux.run('pipe-pane', '-O', '-t', name, `cat >> ${shellQuote(output)}`);
	tmux.run('set-option', '-t', name, 'monitor-bell', 'on');
	tmux.run('set-option', '-t', name, 'bell-action', 'any');
	tmux.run('set-hook', '-t', name, 'alert-bell', `run-shell ${shellQuote(`echo bell >> ${shellQuote(bellHook)}`)}`);
	return {bytes: () => (existsSync(output) ? readFileSync(output, 'latin1') : ''), bellHook};
}

describe.skipIf(!hasTmux())('alerts in the terminal UI (tmux)', () => {
	beforeAll(() => {
		const {feed} = alertFeed({min: 40, max: 90});
		recording = feed.write(path.join(temporary.dir, 'two-games.jsonl'));
	});

	afterAll(() => {
		tmux.killServer();
		temporary.remove();
	});

	test('each alert rings the bell once and shows in the status bar, unfair on the tampered game', async () => {
		const session = start('bell', ['--replay', recording, '--speed', '10', '--alert', 'price>=1.5', '--alert', 'rug', '--alert', 'unfair']);
		const screen = await tmux.waitFor('bell', text => text.includes('ALERT unfair: provably-fair check FAILED'), 'the unfair alert in the status bar', 60_000);
		// On the status bar, the last line of the screen; the two rugs and price crossings before it within the 10 s are counted.
		const statusBar = screen.trimEnd().split('\n').at(-1)!;
		expect(statusBar).toMatch(/ALERT unfair: provably-fair check FAILED: price at tick 20.* \(\+[1-4] more\)/);
		await tmux.waitFor('bell', () => bells(session.bytes()) >= expectedAlerts, 'five bells on the terminal', 20_000);
		expect(bells(session.bytes())).toBe(expectedAlerts);
		// tmux itself saw a bell in the pane (its alert-bell hook ran).
		await tmux.waitFor('bell', () => existsSync(session.bellHook), 'tmux’s alert-bell hook', 10_000);
		// Ten seconds after the last alert the status bar lets it go.
		await tmux.waitFor('bell', text => !text.includes('ALERT'), 'the alert to leave the status bar', 30_000);
		tmux.keys('bell', 'q');
		await tmux.waitFor('bell', text => text.includes('EXIT=0'), 'the exit');
	}, 150_000);

	test('--no-bell: the alerts show, no bell reaches the terminal; --notify sends OSC 9 and OSC 777', async () => {
		const session = start('quiet', ['--replay', recording, '--speed', '10', '--alert', 'unfair', '--no-bell', '--notify']);
		await tmux.waitFor('quiet', text => text.includes('ALERT unfair'), 'the unfair alert', 60_000);
		await tmux.waitFor('quiet', () => session.bytes().includes('\u001B]777;notify;rugs-tui;'), 'the notification bytes', 10_000);
		const bytes = session.bytes();
		expect(bells(bytes)).toBe(0);
		// eslint-disable-next-line no-control-regex -- the OSC 9 sequence, ESC ] … BEL
		expect(bytes).toMatch(/\u001B]9;rugs-tui: unfair: provably-fair check FAILED: price at tick 20[^\u0007]*\u0007/);
		// eslint-disable-next-line no-control-regex -- the OSC 777 sequence, ESC ] … BEL
		expect(bytes).toMatch(/\u001B]777;notify;rugs-tui;unfair: provably-fair check FAILED: price at tick 20[^\u0007;]*\u0007/);
		expect(existsSync(session.bellHook)).toBe(false);
		tmux.keys('quiet', 'q');
		await tmux.waitFor('quiet', text => text.includes('EXIT=0'), 'the exit');
	}, 120_000);
});
