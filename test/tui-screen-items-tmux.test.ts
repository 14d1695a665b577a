import {mkdtempSync, rmSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {signedSol, solDecimals} from '../source/ui/format.js';
import {FeedBuilder, gameIds, seedWithLength} from './helpers/game-feed.js';
import {binPath, fixturesDir} from './helpers/project.js';
import {cliCommand, hasTmux, Tmux} from './helpers/tmux.js';

/**
What the screen says, read in a real terminal (tmux, 120×40) from rugs-tui
replaying recordings made here: the position of this game apart from the
last game's and the session's, the tape in tick order with a rule where the
game changes, shorts without a made-up qty, the sidebets header, the one
retry count with the source it tries, the problem log (e) and the replay's
own keys and status.
*/

const tmux = new Tmux();
let directory = '';
const framed = (screen: string) => screen.startsWith('╭─');

/** The lines of the pane whose frame has `title`, inside its frame (the panes of one row side by side are split by ││). */
function pane(screen: string, title: string): string[] {
	const lines = screen.split('\n');
	const top = lines.findIndex(line => line.includes(` ${title} `) || line.includes(`[${title}]`));
	if (top === -1) {
		return [];
	}

	const column = Math.max(lines[top]!.indexOf(` ${title} `), lines[top]!.indexOf(`[${title}]`)) - 2;
	const rows: string[] = [];
	for (const line of lines.slice(top + 1)) {
		const cells = [...line];
		if (cells[column] !== '│') {
			break;
		}

		const end = cells.indexOf('│', column + 1);
		rows.push(cells.slice(column + 1, end).join('').trim());
	}

	return rows;
}

/** Game A (alice buys at 2 and sells at 6, bob shorts, carol bets), then game B as far as `upTo` of it goes. */
function twoGames(upTo: 'cooldown' | 'active') {
	const feed = new FeedBuilder();
	const a = feed.game({
		gameId: gameIds[0],
		seed: seedWithLength(gameIds[0], 30, 60),
		trades: [
			{tick: 2, username: 'alice', type: 'buy', qty: 0.5, amount: 0.5},
			{tick: 4, username: 'bob', type: 'short_open', qty: 0, amount: 0.2},
			{tick: 6, username: 'alice', type: 'sell', qty: 0.5, amount: 0.61},
		],
		bets: [{username: 'carol', startTick: 3, betAmount: 0.01}],
	});
	// A late trade of game A (tick 5), after its tick 6: the tape still shows 6, 5, 4, 2.
	feed.trade(gameIds[0], {tick: 5, username: 'zed', type: 'buy', qty: 0.1, amount: 0.1}, a.path[5]!);
	const b = feed.game({
		gameId: gameIds[1],
		seed: seedWithLength(gameIds[1], 200, 400),
		trades: [{tick: 3, username: 'dave', type: 'buy', qty: 0.2, amount: 0.2}],
		bets: [{username: 'frank', startTick: 2, betAmount: 0.02}],
	});
	feed.envelopes.splice(upTo === 'cooldown' ? b.marks.cooldown : b.marks.ticks[8]!);
	if (upTo === 'active') {
		// B's trades out of order: tick 1 arrives after tick 3.
		feed.trade(gameIds[1], {tick: 1, username: 'erin', type: 'buy', qty: 0.3, amount: 0.3}, b.path[1]!);
	}

	return {feed, a};
}

/** Alice's last leaderboard row in game A, from the raw frames. */
function lastRow(feed: FeedBuilder, gameId: string, player: string): {pnl: number} {
	const rows = feed.envelopes.flatMap(envelope => {
		const frame = envelope.data as {gameId?: string; leaderboard?: Array<{username: string; pnl: number}>};
		return envelope.event === 'gameStateUpdate' && frame.gameId === gameId ? (frame.leaderboard ?? []).filter(row => row.username === player) : [];
	});
	return rows.at(-1)!;
}

async function finished(name: string): Promise<string> {
	return tmux.waitFor(name, text => framed(text) && text.includes('replay finished'), `${name}: the end of the replay`, 30_000);
}

describe.skipIf(!hasTmux())('what the screen says (tmux, 120×40)', () => {
	beforeAll(() => {
		directory = mkdtempSync(path.join(tmpdir(), 'rugs-tui-items-'));
	});

	afterAll(() => {
		tmux.killServer();
		rmSync(directory, {recursive: true, force: true});
	});

	it('Position: in the next game\'s countdown, this game is flat; the last game\'s PnL and the session\'s are apart', async () => {
		const {feed} = twoGames('cooldown');
		const file = feed.write(path.join(directory, 'cooldown.jsonl'));
		const final = lastRow(feed, gameIds[0], 'alice');
		expect(final.pnl).not.toBe(0);
		tmux.start('position', cliCommand(binPath, ['--replay', file, '--speed', '0', '--player', 'alice']));
		const screen = await finished('position');
		expect(screen).toContain(' COOLDOWN ');
		const lines = pane(screen, '3 Position');
		const pnl = signedSol(final.pnl, solDecimals.position);
		expect(lines[0]).toBe('this game flat');
		expect(lines).toContain(`last game ${pnl} SOL`);
		expect(lines.find(line => line.startsWith('session'))).toMatch(new RegExp(String.raw`^session\s+${pnl.replace('+', String.raw`\+`)} SOL · 1 game$`));
		// Not the last game's PnL as this game's, and never an average cost of 0x.
		expect(lines.some(line => line.startsWith('PnL'))).toBe(false);
		expect(lines.join('\n')).not.toMatch(/avg cost|0\.00x/);
		// Sidebets: this game has none; the list says the rows are the last game's, with outcomes.
		const bets = pane(screen, '4 Sidebets');
		expect(bets[0]).toMatch(/^no bets in this game yet; the last game's 1, with outcomes/);
		expect(bets[1]).toMatch(/^── last game 20251212\S*: 1 (won|lost) ─+$/);
		expect(bets[2]).toMatch(/^carol\s+0\.0100 █+ (WON|lost)\s+0\.0500$/);
		tmux.keys('position', 'q');
	});

	it('Trades: newest first by tick whatever the arrival, a rule where the game changes (filtered too), shorts without a qty; Sidebets: this game\'s', async () => {
		const {feed} = twoGames('active');
		const file = feed.write(path.join(directory, 'active.jsonl'));
		tmux.start('tape', cliCommand(binPath, ['--replay', file, '--speed', '0']));
		let screen = await finished('tape');
		let tape = pane(screen, '5 Trades');
		// Beside the Stats pane the tape has no room for the time column: » says a column is left out.
		expect(tape[0]).toMatch(/^tick\s+user\s+type\s+qty\s+price\s+SOL »$/);
		const rows = (lines: string[]) => lines.slice(1).filter(line => line !== '').map(line => (line.startsWith('──') ? /^── game 20251212-a\S+ \(older\) ─+$/.test(line) && 'rule' : /^(\d+)\s+(?:\d\d:\d\d:\d\d\s+)?(\w+)/.exec(line)?.slice(1).join(' ')));
		expect(rows(tape)).toStrictEqual(['3 dave', '1 erin', 'rule', '6 alice', '5 zed', '4 bob', '2 alice']);
		expect(tape.find(line => line.includes('short_open'))).toMatch(/short_open\s+–\s+\d\.\d{2}x\s+0\.20{3}(?:0{2})?$/);
		const bets = pane(screen, '4 Sidebets');
		expect(bets[0]).toMatch(/^this game's bets: 1 \(1 open\)/);
		expect(bets[1]).toMatch(/^frank\s+0\.0200 █+░+ +\d+ left\s+0\.1000$/);
		expect(bets.some(line => line.includes('carol'))).toBe(true);
		// Filtered by type: the rule between the games stays.
		tmux.keys('tape', '/');
		tmux.type('tape', 'buy');
		tmux.keys('tape', 'Enter');
		screen = await tmux.waitFor('tape', text => text.includes('filter: buy (Esc clears)'), 'the filtered tape');
		tape = pane(screen, '5 Trades');
		expect(rows(tape), tape.join('\n')).toStrictEqual(['3 dave', '1 erin', 'rule', '5 zed', '2 alice']);
		// Maximised, the tape has the room: the time column comes back.
		// One key at a time: two sent at once can reach Ink in one read ("55"), which is not the key 5.
		tmux.keys('tape', '5');
		await tmux.waitFor('tape', text => text.includes('[5 Trades]'), 'the tape focused');
		tmux.keys('tape', '5');
		screen = await tmux.waitFor('tape', text => text.startsWith('╭─[5 Trades]'), 'the tape maximised');
		expect(pane(screen, '5 Trades')[0]).toMatch(/^tick\s+time\s+user\s+type\s+qty\s+price\s+SOL$/);
		tmux.keys('tape', 'q');
	});

	it('Retry: the source being tried, where, and attempt n of this outage — no second count', async () => {
		const port = await new Promise<number>(resolve => {
			const server = createServer();
			server.listen(0, '127.0.0.1', () => {
				const {port: free} = server.address() as {port: number};
				server.close(() => {
					resolve(free);
				});
			});
		});
		tmux.start('retry', cliCommand(binPath, ['--source', 'direct', '--url', `http://127.0.0.1:${port}`]));
		const screen = await tmux.waitFor('retry', text => /attempt [2-9]/.test(text), 'a few attempts', 40_000);
		const status = screen.split('\n').find(line => line.startsWith('●'))!;
		expect(status).toMatch(new RegExp(String.raw`^● direct (?:re)?connecting to 127\.0\.0\.1:${port} · attempt \d+`));
		expect(status).not.toMatch(/reconnects \d|try \d/);
		tmux.keys('retry', 'q');
	});

	it('Problems: the latest message in the status bar; e lists them, newest first, with time, source and kind', async () => {
		tmux.start('problems', cliCommand(binPath, ['--replay', path.join(fixturesDir, 'malformed.jsonl'), '--speed', '0']));
		let screen = await finished('problems');
		const status = screen.split('\n').findLast(line => line.includes('problems (e)'))!;
		expect(status, screen).toMatch(/! \d+ problems \(e\) │ \S*malformed\.jsonl:11: /);
		tmux.keys('problems', 'e');
		screen = await tmux.waitFor('problems', text => text.includes(' Problems · 1–'), 'the problem log');
		const log = screen.split('\n');
		expect(log[1]).toMatch(/^time\s+source\s+kind\s+message$/);
		expect(log[2]).toMatch(/^\d\d:\d\d:\d\d replay\s+line\s+\S*malformed\.jsonl:11: /);
		expect(log.some(line => line.includes('malformed.jsonl:2: '))).toBe(true);
		const total = Number(/ Problems · 1–\d+ of (\d+)/.exec(screen)![1]);
		tmux.keys('problems', 'j');
		screen = await tmux.waitFor('problems', text => text.includes(' Problems · 2–'), 'the log scrolled by one');
		expect(screen).toContain(`of ${total}`);
		tmux.keys('problems', 'e');
		await tmux.waitFor('problems', framed, 'the panes again');
		tmux.keys('problems', 'q');
	});

	it('Replay: file, event n of N, time played of total and speed; Space, > and <, ] and [; at the end it stays, finished', async () => {
		const feed = new FeedBuilder();
		for (const [index, gameId] of gameIds.slice(0, 3).entries()) {
			feed.game({gameId, seed: seedWithLength(gameId, 40 + (index * 10), 80), trades: [{tick: 3, username: `p${index}`, type: 'buy', qty: 0.1, amount: 0.1}]});
		}

		const file = feed.write(path.join(directory, 'three-games.jsonl'));
		const total = feed.envelopes.length;
		tmux.start('drive', cliCommand(binPath, ['--replay', file]));
		let screen = await tmux.waitFor('drive', text => /playing ×1 │ event \d+\/\d+/.test(text), 'the replay playing, its events counted');
		const status = () => tmux.capture('drive').split('\n').find(line => /^(?: PAUSED|playing|replay finished)/.test(line)) ?? '';
		expect(status()).toMatch(new RegExp(String.raw`^playing ×1 │ event \d+/${total} │ 0:\d\d/\d:\d\d │ three-games\.jsonl`));
		const event = () => Number(/event (\d+)\//.exec(status())?.[1]);
		// The Tick pane's game (the chart's title says "last game …" during a countdown).
		const gameOf = (text: string) => /│ game\s+(20251212-\S+)/.exec(text)?.[1];

		tmux.keys('drive', 'Space');
		await tmux.waitFor('drive', text => text.includes(' PAUSED (Space plays) '), 'paused');
		const held = event();
		await new Promise(resolve => {
			setTimeout(resolve, 1500);
		});
		expect(event()).toBe(held);
		tmux.keys('drive', 'Space', '>');
		await tmux.waitFor('drive', text => text.includes('playing ×2'), 'twice as fast');
		tmux.keys('drive', '<');
		await tmux.waitFor('drive', text => text.includes('playing ×1'), 'back to the recorded cadence');

		screen = tmux.capture('drive');
		const first = gameOf(screen);
		tmux.keys('drive', ']');
		screen = await tmux.waitFor('drive', text => gameOf(text) !== undefined && gameOf(text) !== first, 'the next game');
		expect(gameOf(screen)!.startsWith(gameIds[1].slice(0, 14))).toBe(true);
		const there = event();
		tmux.keys('drive', '[');
		screen = await tmux.waitFor('drive', text => gameOf(text) === first, 'the game before, again');
		expect(event()).toBeLessThan(there);

		// To the end at full speed: finished, the totals, the last state kept, the last event's recorded time (not an age).
		for (let step = 0; step < 10; step++) {
			tmux.keys('drive', '>');
		}

		screen = await finished('drive');
		expect(status()).toMatch(new RegExp(`^replay finished: ${total} events, 0 bad lines │ event ${total}/${total}`));
		const lastEvent = (text: string) => text.split('\n').find(line => line.includes('last event'));
		expect(lastEvent(screen)).toMatch(/last event \d\d:\d\d:\d\d · finished/);
		await new Promise(resolve => {
			setTimeout(resolve, 2000);
		});
		expect(lastEvent(tmux.capture('drive'))).toBe(lastEvent(screen));
		tmux.keys('drive', 'q');
	}, 90_000);
});
