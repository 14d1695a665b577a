import {readFileSync} from 'node:fs';
import path from 'node:path';
import stringWidth from 'string-width';
import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {asEnvelope} from '../source/protocol/envelope.js';
import {App, type AppProps} from '../source/ui/app.js';
import {keymap} from '../source/ui/keymap.js';
import type {Size} from '../source/ui/layout.js';
import {FeedBuilder, gameIds, seedWithLength} from './helpers/game-feed.js';
import {fixturesDir} from './helpers/project.js';
import {keys, linesWith, mountApp, publishAll, type Mounted} from './helpers/ui.js';

afterEach(() => {
	cleanup();
});

function activeGame() {
	const feed = new FeedBuilder();
	const game = feed.game({
		gameId: gameIds[0],
		seed: seedWithLength(gameIds[0], 60, 120),
		maxTicks: 30,
		trades: [
			{tick: 2, username: 'alice', type: 'buy', qty: 0.5, amount: 0.5},
			{tick: 4, username: 'bob', type: 'short_open', qty: 1.2, amount: 0.2},
			{tick: 6, username: 'alice', type: 'sell', qty: 0.5, amount: 0.61},
			{tick: 8, username: 'carol', type: 'short_close', qty: 0.7, amount: 0.1},
		],
	});
	return {feed, game};
}

/** The top row of a pane's frame, with its title in it. */
function header(frame: string, title: string): string {
	return linesWith(frame, title)[0] ?? '';
}

const focusedMark = (title: string) => new RegExp(String.raw`\[${title}\]`);
/** The Tick pane's frame, focused or not (the help text mentions "1 Tick" too, but not in a frame at a line start). */
const paneHeader = /^╭─(?:\[1 Tick]| 1 Tick )/m;

describe('keys', () => {
	it('1–5 focus a pane; its own number again maximises and restores it', async () => {
		const app = mountApp(activeGame().feed.envelopes);
		expect(app.text()).toMatch(focusedMark('1 Tick'));
		await app.press('3');
		let frame = await app.waitFor(text => focusedMark('3 Position').test(text));
		expect(header(frame, '1 Tick')).toContain(' 1 Tick ');
		await app.press('3');
		frame = await app.waitFor(text => !paneHeader.test(text));
		expect(frame).toMatch(focusedMark('3 Position'));
		for (const other of ['2 Price', '4 Sidebets', '5 Trades']) {
			expect(frame).not.toContain(other);
		}

		await app.press('5');
		frame = await app.waitFor(text => focusedMark('5 Trades').test(text));
		expect(frame).not.toContain('3 Position');
		await app.press('5');
		frame = await app.waitFor(text => paneHeader.test(text));
		expect(frame).toContain('2 Price');
		expect(frame).toMatch(focusedMark('5 Trades'));
	});

	it('Tab and Shift-Tab cycle the focus', async () => {
		const app = mountApp(activeGame().feed.envelopes);
		await app.press(keys.tab);
		await app.waitFor(text => focusedMark('2 Price').test(text));
		await app.press(keys.tab, keys.tab);
		await app.waitFor(text => focusedMark('4 Sidebets').test(text));
		await app.press(keys.shiftTab, keys.shiftTab, keys.shiftTab, keys.shiftTab);
		await app.waitFor(text => focusedMark('6 Stats').test(text));
		await app.press(keys.shiftTab);
		await app.waitFor(text => focusedMark('5 Trades').test(text));
	});

	it('? shows the help generated from the keymap; ? or Esc hides it', async () => {
		const app = mountApp(activeGame().feed.envelopes);
		await app.press('?');
		let frame = await app.waitFor(text => text.includes('Help · ? or Esc closes'));
		for (const binding of keymap) {
			expect(frame).toContain(binding.keys);
			expect(frame).toContain(binding.description.slice(0, 40));
		}

		expect(frame).not.toMatch(paneHeader);
		await app.press('?');
		frame = await app.waitFor(text => paneHeader.test(text));
		await app.press('?');
		await app.waitFor(text => text.includes('Help'));
		await app.press(keys.escape);
		frame = await app.waitFor(text => paneHeader.test(text));
		expect(frame).not.toContain('Help · ');
	});

	it.each(['p', ' '])('%j freezes the panes while data keeps flowing; unfreezing catches up at once', async freezeKey => {
		const {feed} = activeGame();
		const cut = feed.envelopes.findIndex(envelope => (envelope.data as {tickCount?: number}).tickCount === 10);
		const app = mountApp(feed.envelopes.slice(0, cut + 1), {fps: 30});
		expect(app.text()).toContain('ACTIVE  tick 10');
		await app.press(freezeKey);
		await app.waitFor(text => text.includes('FROZEN'));
		const frozenAt = app.frames.length;
		publishAll(app.bus, feed.envelopes.slice(cut + 1));
		// The store keeps reducing…
		expect(app.store.snapshot().state.game?.tick).toBe(30);
		// …the status bar keeps moving (a new frame comes), the panes keep tick 10.
		const frozen = await app.waitFor(() => app.frames.length > frozenAt);
		expect(frozen).toContain('FROZEN');
		expect(frozen).toContain('ACTIVE  tick 10');
		await app.press(freezeKey);
		const live = await app.waitFor(text => !text.includes('FROZEN'));
		expect(live).toContain('ACTIVE  tick 30');
	});

	it('/ filters the tape by username or type; Enter keeps it, Esc clears it', async () => {
		const app = mountApp(activeGame().feed.envelopes);
		await app.press('/');
		await app.waitFor(text => text.includes('filter: ▏'));
		await app.press('b', 'o', 'b');
		let frame = await app.waitFor(text => text.includes('filter: bob▏'));
		const tape = () => app.text().split('\n').filter(line => /\b(alice|bob|carol)\b/.test(line) && /\b(buy|sell|short_open|short_close)\b/.test(line));
		expect(tape()).toHaveLength(1);
		expect(tape()[0]).toContain('short_open');
		// Keys act on the filter while it is typed: q does not quit.
		await app.press('q');
		frame = await app.waitFor(text => text.includes('filter: bobq▏'));
		expect(app.quits).toEqual([]);
		expect(frame).toContain('no trade matches "bobq"');
		await app.press(keys.backspace);
		await app.waitFor(text => text.includes('filter: bob▏'));
		await app.press(keys.enter);
		frame = await app.waitFor(text => text.includes('filter: bob (Esc clears)'));
		expect(tape()).toHaveLength(1);
		await app.press(keys.escape);
		await app.waitFor(text => text.includes('newest first'));
		expect(tape()).toHaveLength(4);
		// By trade type.
		await app.press('/', 's', 'h', 'o', 'r', 't', keys.enter);
		await app.waitFor(text => text.includes('filter: short (Esc clears)'));
		expect(tape().map(line => /\b(alice|bob|carol)\b/.exec(line)?.[1])).toEqual(['carol', 'bob']);
	});

	it('+ and - change the frame-rate cap', async () => {
		const app = mountApp(activeGame().feed.envelopes, {fps: 10});
		await app.waitFor(text => /fps \d+\/10\b/.test(text));
		await app.press('+');
		await app.waitFor(text => /fps \d+\/15\b/.test(text));
		await app.press('-', '-');
		await app.waitFor(text => /fps \d+\/5\b/.test(text));
	});

	it('v shows the provably-fair details; Esc closes them', async () => {
		const feed = new FeedBuilder();
		feed.game({gameId: gameIds[0], seed: seedWithLength(gameIds[0], 10, 30)});
		const app = mountApp(feed.envelopes);
		await app.press('v');
		const frame = await app.waitFor(text => text.includes('Provably fair'));
		const row = linesWith(frame, gameIds[0].slice(0, 8))[0]!;
		expect(row).toMatch(/(?:✓\s+){4}\?/);
		expect(row).toContain('all checks that could run hold');
		await app.press(keys.escape);
		await app.waitFor(text => paneHeader.test(text));
	});

	it('takes keys that arrive in one chunk one by one ("55", "/bob", "ice⌫⏎")', async () => {
		const app = mountApp(activeGame().feed.envelopes);
		await app.press('55');
		await app.waitFor(text => text.startsWith('╭─[5 Trades]'));
		await app.press('/bob');
		await app.waitFor(text => text.includes('filter: bob▏'));
		await app.press('ice\u007F\r');
		await app.waitFor(text => text.includes('filter: bobic (Esc clears)'));
	});

	it('q and Ctrl-C quit', async () => {
		const app = mountApp([]);
		await app.press('q');
		await app.press(keys.ctrlC);
		expect(app.quits).toEqual(['q', 'ctrl-c']);
	});
});

describe('sizes', () => {
	it('full at 120×40, compact at 80×24, "too small" below 60×16, and a resize re-lays out', () => {
		const {feed} = activeGame();
		const app = mountApp(feed.envelopes, {size: {columns: 120, rows: 40}});
		const full = app.text();
		expect(full.split('\n')).toHaveLength(39);
		// The full layout gives the tick pane 36 columns; the seed hash line is shown.
		expect(full).toContain('seed hash');
		expect(header(full, '1 Tick').indexOf('╭─ 2 Price ')).toBe(36);

		app.rerender(<AppAt size={{columns: 80, rows: 24}} app={app}/>);
		const compact = app.text();
		expect(compact.split('\n')).toHaveLength(23);
		for (const line of compact.split('\n')) {
			expect(stringWidth(line)).toBeLessThanOrEqual(80);
		}

		expect(compact).not.toContain('seed hash');
		expect(compact).toContain('5 Trades');

		app.rerender(<AppAt size={{columns: 50, rows: 12}} app={app}/>);
		expect(app.text()).toContain('terminal too small: need 60×16');
		expect(app.text()).toContain('now 50×12');
		expect(app.text().split('\n').length).toBeLessThanOrEqual(11);
	});
});

describe('untrusted text', () => {
	it('strips escape sequences from usernames and keeps wide characters and emoji inside their columns', () => {
		const feed = new FeedBuilder();
		feed.game({gameId: gameIds[0], seed: seedWithLength(gameIds[0], 40, 90), maxTicks: 12});
		const gameId = gameIds[0];
		feed.trade(gameId, {tick: 11, username: '\u001B[2J\u001B[Hclear\u0007me', type: 'buy', qty: 1, amount: 1}, 1.1);
		feed.trade(gameId, {tick: 11, username: '👨‍👩‍👧漢字の名前がとても長いユーザー🚀🚀🚀', type: 'sell', qty: 2, amount: 2}, 1.1);
		feed.push('standard/newTrade', {__trace: true}, {id: 'x1', gameId, username: 'bidi\u202Eevil', type: '\u001B[31mbuy', qty: 1, price: 1, amount: 1, tickIndex: 11});
		for (const size of [{columns: 120, rows: 40}, {columns: 80, rows: 24}, {columns: 60, rows: 16}]) {
			const app = mountApp(feed.envelopes, {size});
			const raw = app.lastFrame() ?? '';
			expect(raw).not.toContain('\u001B[2J');
			expect(raw).not.toContain('\u001B[H');
			expect(raw).not.toContain('\u0007');
			expect(raw).not.toContain('\u202E');
			const frame = app.text();
			expect(frame.split('\n')).toHaveLength(size.rows - 1);
			for (const line of frame.split('\n')) {
				expect(stringWidth(line)).toBeLessThanOrEqual(size.columns);
			}

			if (size.rows < 24) {
				// Two trades fit the tape at the minimum size; the wide rows were checked above.
				cleanup();
				continue;
			}

			expect(frame).toContain('clearme');

			const wide = linesWith(frame, '👨‍👩‍👧')[0]!;
			// The type column still lines up with the other rows'.
			const plain = linesWith(frame, 'clearme')[0]!;
			expect(stringWidth(wide.slice(0, wide.indexOf('sell')))).toBe(stringWidth(plain.slice(0, plain.indexOf('buy'))));
			cleanup();
		}
	});
});

describe('the project\'s hostile-names fixture', () => {
	it('draws every size with no escape or control character from the feed and every line within the width', async () => {
		const envelopes = readFileSync(path.join(fixturesDir, 'hostile-names.jsonl'), 'utf8').trim().split('\n').map(line => asEnvelope(JSON.parse(line))!);
		for (const size of [{columns: 120, rows: 40}, {columns: 80, rows: 24}, {columns: 60, rows: 16}]) {
			const app = mountApp(envelopes, {size});
			// The panes, the provably-fair overlay, then the tape maximised.
			const screens = [
				{press: [], shows: (text: string) => text.includes('Trades')},
				{press: ['v'], shows: (text: string) => text.includes('Provably fair')},
				{press: [keys.escape, '5', '5'], shows: (text: string) => text.startsWith('╭─[5 Trades]')},
			];
			for (const {press, shows} of screens) {
				await app.press(...press);
				await app.waitFor(shows);

				// Ink's own colour codes are the only escapes allowed: SGR sequences, nothing else.
				// eslint-disable-next-line no-control-regex -- Ink's colour codes start with ESC
				const raw = (app.lastFrame() ?? '').replaceAll(/\u001B\[[\d;]*m/g, '');
				// eslint-disable-next-line no-control-regex -- what must never reach the terminal: control characters are the point
				expect(raw).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/);
				const frame = app.text();
				expect(frame.split('\n').length).toBeLessThanOrEqual(size.rows - 1);
				for (const line of frame.split('\n')) {
					expect(stringWidth(line)).toBeLessThanOrEqual(size.columns);
				}
			}

			cleanup();
		}
	});
});

describe('throttled rendering', () => {
	it('draws at most --fps frames in any second while data flows faster (fake clock)', async () => {
		vi.useFakeTimers({toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'Date', 'performance']});
		try {
			const feed = new FeedBuilder();
			const game = feed.game({gameId: gameIds[0], seed: seedWithLength(gameIds[0], 400, 3000), maxTicks: 200});
			const app = mountApp(feed.envelopes.slice(0, game.marks.ticks[0]), {fps: 5});
			// React starts the frame clock in an effect, on the next turn of the (real) loop.
			await new Promise(resolve => {
				setImmediate(resolve);
			});
			const perSecond: number[] = [];
			let tick = 1;
			for (let second = 0; second < 3; second++) {
				const before = app.frames.length;
				// A new tick every 25 ms: 40 visible changes a second against a cap of 5.
				for (let step = 0; step < 40; step++) {
					publishAll(app.bus, feed.envelopes.slice(game.marks.ticks[tick - 1], game.marks.ticks[tick]));
					tick++;
					await vi.advanceTimersByTimeAsync(25);
				}

				perSecond.push(app.frames.length - before);
			}

			expect(perSecond.every(frames => frames <= 5), String(perSecond)).toBe(true);
			expect(perSecond.every(frames => frames >= 4), String(perSecond)).toBe(true);
			expect(app.text()).toMatch(/tick 1[12]\d\b/);
		} finally {
			vi.useRealTimers();
		}
	});

	it('redraws once per frame however many events arrive, and not at all when nothing changes', async () => {
		const {feed} = activeGame();
		const app = mountApp(feed.envelopes.slice(0, 10), {fps: 10});
		await app.waitFor(text => text.includes('ACTIVE  tick 3'));
		const before = app.frames.length;
		// Hundreds of events inside one frame interval.
		const burst = new FeedBuilder();
		for (let index = 0; index < 500; index++) {
			burst.push('standard/newTrade', {__trace: true}, {id: `b${index}`, gameId: gameIds[0], username: `u${index}`, type: 'buy', qty: 1, price: 1, amount: 1, tickIndex: 1});
		}

		publishAll(app.bus, [...feed.envelopes.slice(10), ...burst.envelopes]);
		await app.waitFor(text => text.includes('u499'));
		const afterBurst = app.frames.length;
		expect(afterBurst - before).toBeLessThanOrEqual(2);
		// Nothing new: the frame clock skips (only an idle refresh per second may come).
		await new Promise(resolve => {
			setTimeout(resolve, 450);
		});
		expect(app.frames.length - afterBurst).toBeLessThanOrEqual(1);
	});
});

/** Re-render the mounted app at another size (what a terminal resize does). */
function AppAt({size, app}: {size: Size; app: Mounted}) {
	const props: AppProps = {
		store: app.store,
		fps: 30,
		size,
		onQuit() {
			// The resize tests never quit.
		},
	};
	return <App {...props}/>;
}
