import stringWidth from 'string-width';
import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {multiplier, percent, quantity, signedSol, solDecimals} from '../source/ui/format.js';
import {noPositionHint} from '../source/ui/components/PositionPane.js';
import {helpOverlayLines} from '../source/ui/components/HelpOverlay.js';
import {statusLine} from '../source/ui/components/StatusBar.js';
import {helpLines} from '../source/ui/keymap.js';
import {plainText} from '../source/ui/segments.js';
import {createState} from '../source/state/reducer.js';
import type {RecordingInfo} from '../source/ui/store.js';
import {FeedBuilder, gameIds, seedWithLength, type PlayedGame} from './helpers/game-feed.js';
import {linesWith, mountApp} from './helpers/ui.js';

afterEach(() => {
	cleanup();
});

/** Game A (finished, verifiable), then game B with trades and a sidebet, cut at each of its phases. */
function feedWithTwoGames(): {feed: FeedBuilder; a: PlayedGame; b: PlayedGame} {
	const feed = new FeedBuilder();
	const a = feed.game({
		gameId: gameIds[0],
		seed: seedWithLength(gameIds[0], 25, 40),
		trades: [{tick: 3, username: 'zed', type: 'buy', qty: 0.25, amount: 0.25}],
	});
	const b = feed.game({
		gameId: gameIds[1],
		seed: seedWithLength(gameIds[1], 45, 90),
		trades: [
			{tick: 2, username: 'alice', type: 'buy', qty: 0.5, amount: 0.5},
			{tick: 5, username: 'bob', type: 'short_open', qty: 1.2, amount: 0.2},
			{tick: 9, username: 'alice', type: 'sell', qty: 0.5, amount: 0.61},
		],
		bets: [{username: 'carol', startTick: 10, betAmount: 0.01}],
		players: 321,
	});
	return {feed, a, b};
}

const {feed, a, b} = feedWithTwoGames();
const upTo = (mark: number) => feed.envelopes.slice(0, mark);
const midTick = 20;
const carolWins = b.rugTick <= 50;

function assertFits(frame: string, columns: number, rows: number): void {
	const lines = frame.split('\n');
	expect(lines.length).toBeLessThanOrEqual(rows - 1);
	for (const line of lines) {
		expect(stringWidth(line)).toBeLessThanOrEqual(columns);
	}
}

describe.each([
	{name: 'full 120×40', size: {columns: 120, rows: 40}},
	{name: 'compact 80×24', size: {columns: 80, rows: 24}},
])('every pane in every phase ($name)', ({size}) => {
	it('COOLDOWN: countdown, last game chart, last game trades and bets, history with ✓', async () => {
		const app = mountApp(upTo(b.marks.cooldown), {size});
		const frame = app.text();
		assertFits(frame, size.columns, size.rows);
		// Tick
		expect(frame).toContain(' COOLDOWN ');
		expect(frame).toMatch(/COOLDOWN {2}(?:starts in )?12s/);
		// Price: the game that just rugged, with its rug marked.
		expect(frame).toMatch(/2 Price]?─? ─? ?last game/);
		expect(frame).toContain(`✕ rugged at tick ${a.rugTick}`);
		// Position: how to get one.
		expect(frame).toContain('No position');
		// Sidebets: this game has none yet, and the list says so.
		expect(frame).toContain('no sidebets');
		expect(frame).not.toContain('leaderboard ·');
		// Trades: the last game's tape.
		expect(linesWith(frame, 'zed')[0]).toMatch(/\b3 (?:\S+ )?zed\s+buy\s+0\.25(?:00)+\s+/);
		// History strip: game A verified.
		expect(frame).toMatch(new RegExp(`last games ${multiplier(Math.max(...a.path)).replace('.', String.raw`\.`)} t${a.rugTick} ✓`));
	});

	it('PRESALE: the presale badge and its countdown', () => {
		const frame = mountApp(upTo(b.marks.presale), {size}).text();
		expect(frame).toContain(' PRESALE ');
		expect(frame).toMatch(/PRESALE {2}(?:starts in )?5s/);
		expect(frame).toMatch(/2 Price]?─? ─? ?last game/);
	});

	it('ACTIVE: tick, price, chart of this game, open sidebet with its window, tape newest first', () => {
		const app = mountApp(upTo(b.marks.ticks[midTick]!), {size});
		const frame = app.text();
		assertFits(frame, size.columns, size.rows);
		expect(frame).toContain(` ACTIVE  tick ${midTick}`);
		expect(frame).toContain(`now ${multiplier(b.path[midTick])}`);
		expect(frame).toMatch(new RegExp(String.raw`2 Price\]?─? ─ ${gameIds[1].slice(0, 8)}`));
		expect(frame).toContain('┤');
		// The bet started at tick 10: 10 of its 40 ticks have passed, 30 are left.
		expect(frame).toMatch(/this game(?:'s bets)?: 1 \(1 open\)/);
		const bet = linesWith(frame, 'carol')[0]!;
		expect(bet).toMatch(/carol\s+0\.0100 █+░+ 30 left/);
		expect(bet).toContain('0.0500');
		// Newest trade first: alice's sell (tick 9), bob's short_open (5), alice's buy (2).
		const tape = frame.split('\n').filter(line => /\b(alice|bob)\b.*\b(buy|sell|short_open|short_close)\b/.test(line));
		expect(tape.map(line => /\b(buy|sell|short_open|short_close)\b/.exec(line)?.[1])).toEqual(['sell', 'short_open', 'buy']);
		expect(tape[0]).toMatch(/^│\s*9 (?:\S+ )?alice/);
		// A short has no qty on the feed: the tape says so rather than show 0.
		expect(linesWith(frame, 'short_open')[0]).toMatch(/short_open\s+–\s/);
		// players and trade count from the frame, where the tick pane has room for them
		if (size.rows >= 40) {
			expect(frame).toMatch(/players\s+321/);
			expect(frame).toMatch(/trades\s+3\b/);
		}
	});

	it('RUGGED: the rug on the chart and the tick pane, the sidebet decided', () => {
		const frame = mountApp(upTo(b.marks.rugged), {size}).text();
		expect(frame).toContain(' RUGGED ');
		expect(frame).toContain(`✕ rugged at tick ${b.rugTick}`);
		const bet = linesWith(frame, 'carol')[0]!;
		expect(bet).toContain(carolWins ? 'WON' : 'lost');
	});

	it('after the gameHistory frame: both games in the history strip', () => {
		const frame = mountApp(upTo(b.marks.history), {size}).text();
		const strip = linesWith(frame, 'last games')[0]!;
		expect(strip).toContain(`t${b.rugTick} ✓`);
		expect(strip).toContain(`t${a.rugTick} ✓`);
		expect(strip.indexOf(`t${b.rugTick}`)).toBeLessThan(strip.indexOf(`t${a.rugTick}`));
	});
});

describe('position pane', () => {
	it('says how to get a position when nothing is known', () => {
		// The countdown of game B: its leaderboard is still empty.
		const frame = mountApp(upTo(b.marks.cooldown), {size: {columns: 160, rows: 40}}).text();
		// The hint's words, wrapped inside the pane's frame.
		const pane = frame.split('\n').map(line => /^│ (.*?) +││/.exec(line)?.[1] ?? '').join(' ');
		expect(pane.replaceAll(/\s+/g, ' ')).toContain(noPositionHint);
	});

	it('without a position of its own, shows the top of the game\'s leaderboard', () => {
		const frame = mountApp(upTo(b.marks.ticks[midTick]!), {size: {columns: 100, rows: 36}}).text();
		expect(frame).toContain('No position');
		expect(frame).toContain('top of this game\'s leaderboard');
		const tickFrame = upTo(b.marks.ticks[midTick]!).findLast(envelope => (envelope.data as {tickCount?: number}).tickCount === midTick)!;
		const first = (tickFrame.data as {leaderboard: Array<{username: string; pnl: number}>}).leaderboard[0]!;
		expect(linesWith(frame, 'top of this game')[0]!.length).toBeGreaterThan(0);
		const row = frame.split('\n').find(line => new RegExp(String.raw`^│ ${first.username}\s+${signedSol(first.pnl).replace('+', String.raw`\+`)}`).test(line));
		expect(row, frame).toBeDefined();
	});

	it('shows the tracked --player from the leaderboard', () => {
		const frame = mountApp(upTo(b.marks.ticks[midTick]!), {player: 'carol', size: {columns: 160, rows: 40}}).text();
		expect(frame).toMatch(/3 Position ─ carol · leaderboard/);
		// carol's row of the leaderboard in the frame of that tick, as the feed sent it.
		const tickFrame = upTo(b.marks.ticks[midTick]!).findLast(envelope => (envelope.data as {tickCount?: number}).tickCount === midTick)!;
		const row = (tickFrame.data as {leaderboard: Array<{username: string; positionQty: number; avgCost: number; pnl: number; pnlPercent: number}>}).leaderboard.find(entry => entry.username === 'carol')!;
		const literal = (text: string) => text.replaceAll(/[.()+]/g, String.raw`\$&`);
		// A row with no units held is flat, never "avg cost 0x".
		expect(frame).toMatch(row.positionQty > 0 ? new RegExp(String.raw`this game ${literal(quantity(row.positionQty, solDecimals.position))} @ ${literal(multiplier(row.avgCost))}`) : /this game flat/);
		expect(frame).not.toContain('0.00x avg');
		expect(frame).toMatch(new RegExp(String.raw`PnL\s+${literal(signedSol(row.pnl, solDecimals.position))} SOL  ${literal(percent(row.pnlPercent))}`));
	});

	it('waits for a tracked player who is not on the leaderboard yet', () => {
		const frame = mountApp(upTo(b.marks.ticks[5]!), {player: 'nobody'}).text();
		expect(frame).toContain('Waiting for nobody');
	});

	it('shows the logged-in user\'s own position with cash (CDP)', () => {
		const own = new FeedBuilder()
			.push('usernameStatus', {__trace: true}, {id: 'me', username: 'Dutch', hasUsername: true})
			.push('gameStatePlayerUpdate', {gameId: gameIds[0], leaderboardEntry: {username: 'Dutch', pnl: -0.000_115_942, pnlPercent: -11.5942, positionQty: 0.003_192_12, avgCost: 0.313_271_335, totalInvested: 0.001}})
			.push('playerUpdate', {cash: 1.5, positionQty: 0.003_192_12});
		const frame = mountApp(own.envelopes, {size: {columns: 160, rows: 40}}).text();
		expect(frame).toContain('Dutch · your account');
		expect(frame).toMatch(/PnL\s+-0\.000116 SOL {2}-11\.6%/);
		expect(frame).toMatch(/cash\s+1\.50{5} SOL/);
		expect(frame).toMatch(/this game 0\.003192 @ 0\.31x/);
	});
});

describe('before any data', () => {
	it('shows what it is waiting for', () => {
		const frame = mountApp([]).text();
		expect(frame).toContain('WAITING');
		expect(frame).toContain('waiting for game state');
		expect(frame).toContain('no price yet');
		expect(frame).toContain('no trades yet');
		expect(frame).toContain('none finished yet');
		expect(frame).toContain('no source yet');
	});
});

describe('status bar and history strip', () => {
	it('shows source, connection, ping, reconnects, events/s, decode errors, fps and problems', () => {
		const app = mountApp(upTo(b.marks.presale), {size: {columns: 160, rows: 40}});
		app.bus.publish('status', {source: 'direct', state: 'connected', ts: Date.now(), endpoint: 'https://backend.rugs.fun?frontend-version=1.0', latencyMs: 48.6, reconnects: 2});
		app.bus.publish('problem', {kind: 'decode', ts: Date.now(), message: 'frame 12: unexpected token'});
		return app.waitFor(frame => frame.includes('connected')).then(frame => {
			const status = frame.split('\n').at(-1)!;
			expect(status).toContain('direct connected (backend.rugs.fun) · reconnected 2×');
			expect(status).toContain('ping 49ms');
			expect(status).toMatch(/\d+(\.\d)? ev\/s/);
			expect(status).toContain('decode errors 1');
			expect(status).toMatch(/fps \d+\/30/);
			expect(status).toContain('! 1 problem (e) │ frame 12: unexpected');
		});
	});

	it('shows a recording and its trouble', () => {
		const segments = (recording: RecordingInfo) => statusLine({status: undefined, problems: {total: 0, byKind: {}, recent: []}, stats: createState().stats, eventsPerSecond: 0, fpsCap: 10, fps: 0, frozen: false, recording}, 120).map(part => part.text).join('');
		expect(segments({bytes: 1_234_567, dropped: 0, failures: 0, current: 'a.jsonl'})).toContain('rec 1.2 MB');
		expect(segments({bytes: 12_345_678, dropped: 3, failures: 0, current: 'a.jsonl'})).toContain('rec 12 MB, 3 dropped');
		expect(segments({bytes: 0, dropped: 0, failures: 2, current: undefined})).toContain('rec FAILING (2)');
	});

	it('keeps the problem count, and as much of the latest message as fits, when the line is narrow', async () => {
		const app = mountApp([], {size: {columns: 80, rows: 24}});
		app.bus.publish('problem', {kind: 'line', ts: Date.now(), message: 'x.jsonl:3: invalid JSON (Unexpected token)'});
		app.bus.publish('problem', {kind: 'line', ts: Date.now(), message: 'x.jsonl:4: invalid JSON (Unexpected token)'});
		const frame = await app.waitFor(text => text.includes('2 problems'));
		const status = frame.split('\n').at(-1)!;
		expect(stringWidth(status)).toBeLessThanOrEqual(80);
		// The latest message keeps what room the count leaves, before rates and counters of lower priority.
		expect(status).toMatch(/! 2 problems \(e\) │ x\.jsonl:4: invalid JSON/);
	});

	it('marks a game whose price path does not match its seed with ✗, and explains it in the v overlay', async () => {
		const tampered = new FeedBuilder();
		const game = tampered.game({gameId: gameIds[3], seed: seedWithLength(gameIds[3], 20, 40), tamperTick: 7});
		const app = mountApp(tampered.envelopes);
		expect(linesWith(app.text(), 'last games')[0]).toContain(`t${game.rugTick} ✗`);
		await app.press('v');
		const frame = await app.waitFor(text => text.includes('Provably fair'));
		const row = linesWith(frame, gameIds[3].slice(0, 8))[0]!;
		expect(row).toContain('✗');
		expect(row).toContain('price at tick 7');
	});

	it('deduplicates games the feed repeats and keeps the last 10', () => {
		const many = new FeedBuilder();
		const ids = Array.from({length: 12}, (_, index) => `20251212-${String(index).padStart(16, '0')}`);
		for (const id of ids) {
			many.game({gameId: id, seed: seedWithLength(id, 3, 12)});
		}

		// The gameHistory of the last game again, as the feed repeats it in ~10 frames.
		many.push('gameStateUpdate', many.envelopes.at(-1)!.data);
		const frame = mountApp(many.envelopes, {size: {columns: 300, rows: 40}}).text();
		const strip = linesWith(frame, 'last games')[0]!;
		expect(strip.match(/✓/g)).toHaveLength(10);
	});
});

describe('help overlay', () => {
	const words = (text: string) => text.split(/\s+/).filter(Boolean);

	it.each([120, 80, 60])('at %i columns every word of every description is shown, wrapped within the width', columns => {
		const text = plainText(helpOverlayLines(columns));
		for (const line of text.split('\n')) {
			expect(stringWidth(line)).toBeLessThanOrEqual(columns);
		}

		const shown = words(text);
		for (const row of helpLines()) {
			if ('description' in row) {
				for (const word of words(row.description)) {
					expect(shown, `${row.keys}: ${word}`).toContain(word);
				}
			}
		}
	});

	it('on a short terminal, the last row says how many lines are hidden', () => {
		const all = helpOverlayLines(60);
		const lines = helpOverlayLines(60, 10);
		expect(lines).toHaveLength(10);
		expect(plainText(lines.slice(-1))).toBe(`… ${all.length - 9} more lines: make the terminal taller`);
		expect(helpOverlayLines(60, all.length)).toEqual(all);
	});
});
