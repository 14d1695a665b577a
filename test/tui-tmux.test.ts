import {execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {FeedBuilder, gameIds, seedWithLength} from './helpers/game-feed.js';
import {binPath, fixturesDir, projectRoot} from './helpers/project.js';
import {hasTmux, Tmux} from './helpers/tmux.js';

/**
The TUI in a real terminal: tmux runs `rugs-tui --replay` on the project's
fixtures (and on a longer recording made here, for the exit paths), the test types keys with send-keys and reads the screen with
capture-pane. Each pane's shell prints the exit code and `stty -a` after
rugs-tui ends, so the test can see that the terminal came back: main screen,
cursor shown, canonical mode and echo on.
*/

const tmux = new Tmux();
let directory = '';
let recording = '';
const faultHook = pathToFileURL(path.join(projectRoot, 'test/helpers/inject-fault.mjs')).href;

function shellQuote(text: string): string {
	return `'${text.replaceAll('\'', String.raw`'\''`)}'`;
}

/** A shell command line: rugs-tui with `args`, then what the terminal looks like afterwards. */
function command(args: string[], options: {env?: Record<string, string>; node?: string[]} = {}): string {
	const env = Object.entries(options.env ?? {}).map(([key, value]) => `${key}=${shellQuote(value)}`).join(' ');
	const node = ['node', ...(options.node ?? []), shellQuote(binPath), ...args.map(arg => shellQuote(arg))].join(' ');
	// CI makes Ink print only its last frame; FORCE_COLOR from the test runner would override --no-color checks.
	return `sh -c ${shellQuote(`env -u CI -u CONTINUOUS_INTEGRATION -u FORCE_COLOR ${env} ${node}; echo "EXIT=$?"; stty -a; exec sleep 600`)}`;
}

function replayArgs(speed: number): string[] {
	return ['--replay', recording, '--speed', String(speed)];
}

const headerAtTop = (screen: string) => /^╭─(?:\[1 Tick]| 1 Tick )/.test(screen);
/** The exit code and stty's local flags after it: `EXIT=` alone may be on the screen before stty has printed them. */
const exited = (screen: string) => /EXIT=\d+[\s\S]*icanon/.test(screen);

function expectRestored(name: string, screen: string, code: number): void {
	expect(screen).toContain(`EXIT=${code}`);
	expect(tmux.format(name, 'alternate_on')).toBe('0');
	expect(tmux.format(name, 'cursor_flag')).toBe('1');
	const stty = screen.slice(screen.indexOf(`EXIT=${code}`));
	// Cooked mode again: canonical input and echo on (raw mode shows -icanon -echo).
	expect(stty).toMatch(/(?:^|\s)icanon(?:\s|$)/m);
	expect(stty).toMatch(/(?:^|\s)echo(?:\s|$)/m);
	expect(stty).not.toMatch(/-icanon|(?:^|\s)-echo(?:\s|$)/m);
}

async function started(name: string): Promise<string> {
	const screen = await tmux.waitFor(name, headerAtTop, 'the first frame');
	expect(tmux.format(name, 'alternate_on')).toBe('1');
	return screen;
}

describe.skipIf(!hasTmux())('rugs-tui in a real terminal (tmux)', () => {
	beforeAll(() => {
		directory = mkdtempSync(path.join(tmpdir(), 'rugs-tui-tmux-'));
		const feed = new FeedBuilder();
		feed.game({
			gameId: gameIds[0],
			seed: seedWithLength(gameIds[0], 20, 40),
			trades: [{tick: 3, username: 'alice', type: 'buy', qty: 0.5, amount: 0.5}],
		});
		// A long second game: data keeps coming for the whole test.
		feed.game({
			gameId: gameIds[1],
			seed: seedWithLength(gameIds[1], 600, 3000),
			maxTicks: 400,
			trades: [
				{tick: 2, username: 'bob', type: 'short_open', qty: 1.2, amount: 0.2},
				{tick: 4, username: 'carol\u001B[2J', type: 'buy', qty: 0.7, amount: 0.1},
			],
			bets: [{username: 'dave', startTick: 5, betAmount: 0.02}],
		});
		recording = feed.write(path.join(directory, 'feed.jsonl'));
	});

	afterAll(() => {
		tmux.killServer();
		rmSync(directory, {recursive: true, force: true});
	});

	it('draws the full layout on the alternate screen, follows keys and resizes, and restores the terminal after q', async () => {
		tmux.start('main', command(['--replay', path.join(fixturesDir, 'session.jsonl'), '--speed', '2']));
		let screen = await started('main');
		// The live area is rows - 1: the last row stays empty.
		expect(screen.split('\n')[39] ?? '').toBe('');
		screen = await tmux.waitFor('main', text => /ACTIVE {2}tick \d+/.test(text), 'an active game');
		const firstTick = Number(/ACTIVE {2}tick (\d+)/.exec(screen)![1]);
		screen = await tmux.waitFor('main', text => Number(/ACTIVE {2}tick (\d+)/.exec(text)?.[1] ?? -1) >= firstTick + 8, 'a few more ticks');
		// Frames repaint in place: after many of them the header is still the top line.
		expect(headerAtTop(screen)).toBe(true);
		expect(screen).toContain('seed hash');
		expect(screen).toMatch(/playing ×2 │ event \d+\/\d+|replay finished/);
		// Someone on the tape with a plain name (a trade without one shows the player id, shortened).
		const plainTrader = /^│\s*\d+ (?:\d\d:\d\d:\d\d )?([A-Za-z]\w*)\s+(buy|sell|short_open|short_close)\b/m;
		const trader = plainTrader.exec(await tmux.waitFor('main', text => plainTrader.test(text), 'a trade on the tape'));
		const [, someone, theirType] = trader!;

		tmux.keys('main', '?');
		screen = await tmux.waitFor('main', text => text.includes('Help · ? or Esc closes'), 'the help overlay');
		expect(screen).toContain('freeze / unfreeze the display');
		tmux.keys('main', 'Escape');
		await tmux.waitFor('main', headerAtTop, 'the panes after Esc');

		tmux.keys('main', '5', '5');
		screen = await tmux.waitFor('main', text => text.startsWith('╭─[5 Trades]'), 'the maximised tape');
		expect(screen).not.toContain('1 Tick');
		tmux.keys('main', '/');
		tmux.type('main', someone!);
		tmux.keys('main', 'Enter');
		screen = await tmux.waitFor('main', text => text.includes(`filter: ${someone} (Esc clears)`), 'the tape filter');
		const tape = screen.split('\n').filter(line => /\b(buy|sell|short_open|short_close)\b/.test(line));
		expect(tape.length, screen).toBeGreaterThan(0);
		expect(tape.every(line => line.includes(someone!) || line.includes(theirType!))).toBe(true);
		tmux.keys('main', 'Escape');
		await tmux.waitFor('main', text => text.includes('newest first'), 'the filter cleared');
		tmux.keys('main', 'Escape');
		await tmux.waitFor('main', headerAtTop, 'the five panes again');

		tmux.keys('main', 'p');
		await tmux.waitFor('main', text => text.includes('FROZEN'), 'the frozen display');
		tmux.keys('main', 'p');
		await tmux.waitFor('main', text => !text.includes('FROZEN'), 'the live display');

		tmux.resize('main', 80, 24);
		screen = await tmux.waitFor('main', text => headerAtTop(text) && !text.includes('seed hash'), 'the compact layout');
		for (const line of screen.split('\n')) {
			expect(line.length).toBeLessThanOrEqual(80);
		}

		expect(screen).toContain('5 Trades');
		tmux.resize('main', 50, 12);
		await tmux.waitFor('main', text => text.includes('terminal too small: need 60×16'), 'the too-small screen');
		tmux.resize('main', 120, 40);
		screen = await tmux.waitFor('main', text => headerAtTop(text) && text.includes('seed hash'), 'the full layout again');
		expect(screen.split('\n')[39] ?? '').toBe('');

		tmux.keys('main', 'q');
		screen = await tmux.waitFor('main', exited, 'the exit and stty -a');
		expectRestored('main', screen, 0);
	});

	it('records while it shows (--record), and after Ctrl-C restores the terminal with the recording on disk', async () => {
		const recordFile = path.join(directory, 'recorded.jsonl');
		tmux.start('ctrl-c', command([...replayArgs(4), '--record', recordFile]));
		await started('ctrl-c');
		await tmux.waitFor('ctrl-c', text => /rec \d+(\.\d)? MB/.test(text) && text.includes('ACTIVE'), 'the recording in the status bar');
		tmux.keys('ctrl-c', 'C-c');
		const screen = await tmux.waitFor('ctrl-c', exited, 'the exit and stty -a');
		expectRestored('ctrl-c', screen, 130);
		const lines = readFileSync(recordFile, 'utf8').trim().split('\n');
		expect(lines.length).toBeGreaterThan(5);
		expect(JSON.parse(lines[0]!)).toMatchObject({event: 'gameStateUpdate'});
	});

	it('restores the terminal after SIGTERM', async () => {
		tmux.start('term', command(replayArgs(4)));
		await started('term');
		process.kill(tmux.processIn('term', 'rugs-tui')!, 'SIGTERM');
		const screen = await tmux.waitFor('term', exited, 'the exit and stty -a');
		expectRestored('term', screen, 143);
	});

	it.each([
		['an uncaught exception', 'exception', 'injected uncaught exception'],
		['an unhandled rejection', 'rejection', 'injected unhandled rejection'],
	])('restores the terminal after %s, then reports it', async (_name, fault, message) => {
		const name = `fault-${fault}`;
		tmux.start(name, command(replayArgs(4), {env: {RUGS_TEST_FAULT: fault}, node: ['--import', faultHook]}));
		await started(name);
		process.kill(tmux.processIn(name, 'rugs-tui')!, 'SIGUSR2');
		const screen = await tmux.waitFor(name, exited, 'the exit and stty -a');
		expectRestored(name, screen, 1);
		expect(screen).toContain('stopped by an unexpected error (the terminal has been restored)');
		expect(screen).toContain(message);
	});

	it('shows hostile usernames as text: nothing in the feed clears the screen, sets the title or breaks the layout', async () => {
		tmux.start('hostile', command(['--replay', path.join(fixturesDir, 'hostile-names.jsonl'), '--speed', '4']));
		await started('hostile');
		const title = tmux.format('hostile', 'pane_title');
		const screen = await tmux.waitFor('hostile', text => text.includes('replay finished'), 'the end of the hostile replay');
		expect(headerAtTop(screen)).toBe(true);
		expect(tmux.format('hostile', 'pane_title')).toBe(title);
		expect(tmux.format('hostile', 'alternate_on')).toBe('1');
		const lines = screen.split('\n');
		expect(lines[39] ?? '').toBe('');
		// Five pane frames on three rows (two rows hold two panes side by side), where they belong.
		const headers = lines.filter(line => /^╭─(?:\[\d [A-Z][a-z]+]| \d [A-Z][a-z]+ )/.test(line));
		expect(headers.map(line => /^\W*(\d)/.exec(line)?.[1])).toEqual(['1', '3', '5']);
		expect(headers[0]).toContain('2 Price');
		expect(headers[1]).toContain('4 Sidebets');
		tmux.keys('hostile', 'q');
		expectRestored('hostile', await tmux.waitFor('hostile', exited, 'the exit and stty -a'), 0);
	});

	it('uses colour by default and none with --no-color or NO_COLOR', async () => {
		// eslint-disable-next-line no-control-regex -- a colour code starts with ESC
		const colour = /\u001B\[[\d;]*(?:3[0-7]|4[0-7]|9[0-7])m/;
		tmux.start('colour', command(replayArgs(4)));
		await tmux.waitFor('colour', text => /ACTIVE|COOLDOWN|PRESALE/.test(text), 'a phase badge');
		expect(tmux.capture('colour', {escapes: true})).toMatch(colour);
		tmux.keys('colour', 'q');

		tmux.start('no-color', command([...replayArgs(4), '--no-color']));
		await tmux.waitFor('no-color', text => /ACTIVE|COOLDOWN|PRESALE/.test(text), 'a phase badge');
		expect(tmux.capture('no-color', {escapes: true})).not.toMatch(colour);
		tmux.keys('no-color', 'q');

		tmux.start('no-color-env', command(replayArgs(4), {env: {NO_COLOR: '1'}}));
		await tmux.waitFor('no-color-env', text => /ACTIVE|COOLDOWN|PRESALE/.test(text), 'a phase badge');
		expect(tmux.capture('no-color-env', {escapes: true})).not.toMatch(colour);
		tmux.keys('no-color-env', 'q');
		for (const name of ['colour', 'no-color', 'no-color-env']) {
			await tmux.waitFor(name, text => text.includes('EXIT=0'), `${name} to quit`);
		}
	});

	it('writes JSON lines with one note on stderr when stdout is not a terminal', () => {
		const result = execFileSync('sh', ['-c', `env -u CI node ${shellQuote(binPath)} --replay ${shellQuote(recording)} --speed 0 2>${shellQuote(path.join(directory, 'stderr.txt'))} | head -3`], {encoding: 'utf8'});
		const lines = result.trim().split('\n');
		expect(lines).toHaveLength(3);
		expect(JSON.parse(lines[0]!)).toMatchObject({event: 'gameStateUpdate', source: 'replay'});
		const stderr = readFileSync(path.join(directory, 'stderr.txt'), 'utf8');
		expect(stderr).toContain('stdout is not a terminal; writing events as JSON lines');
		expect(stderr).not.toContain('\u001B[?1049h');
	});
});
