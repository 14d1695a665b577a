import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {checkFrames, cutNumbers} from './helpers/screen-check.js';
import {FeedBuilder, gameIds, seedWithLength} from './helpers/game-feed.js';
import {mountApp} from './helpers/ui.js';

/*
The checks the terminal tests rely on (test/tui-screen-tmux.test.ts), shown
to find what they look for: on the App's own screen, then on copies of it
broken on purpose. (ink-testing-library's terminal is 100 columns wide: the
full layout is checked in tmux.)
*/

afterEach(() => {
	cleanup();
});

function screen(size: {columns: number; rows: number}): string {
	const feed = new FeedBuilder();
	feed.game({gameId: gameIds[0], seed: seedWithLength(gameIds[0], 20, 40), trades: [{tick: 3, username: 'alice', type: 'buy', qty: 0.5, amount: 0.5}]});
	return mountApp(feed.envelopes, {size}).text();
}

describe('checkFrames', () => {
	it.each([[{columns: 100, rows: 36}, 5], [{columns: 80, rows: 24}, 5], [{columns: 60, rows: 16}, 4]] as const)('finds every pane frame of the App whole at %o', (size, panes) => {
		const {frames, problems} = checkFrames(screen(size));
		expect(problems).toStrictEqual([]);
		expect(frames.map(frame => /\d [A-Z][a-z]+/.exec(frame.title)?.[0])).toHaveLength(panes);
		// The chart's own round corners are not taken for frames.
		expect(frames.every(frame => /^╭─[ []\d /.test(frame.title))).toBe(true);
	});

	it('reports a side, a corner or a bottom row that is broken', () => {
		const whole = screen({columns: 100, rows: 36});
		const lines = whole.split('\n');
		const breakAt = (row: number, column: number, by: string) => lines.map((line, index) => (index === row ? [...line].map((character, at) => (at === column ? by : character)).join('') : line)).join('\n');
		const side = lines.findIndex((line, index) => index > 0 && line.startsWith('│'));
		expect(checkFrames(breakAt(side, 0, ' ')).problems).toHaveLength(1);
		const bottom = lines.findIndex(line => line.startsWith('╰'));
		expect(checkFrames(breakAt(bottom, 0, '─')).problems).toHaveLength(1);
		expect(checkFrames(breakAt(bottom, 5, ' ')).problems[0]).toContain('bottom row');
		expect(checkFrames(breakAt(0, [...lines[0]!].indexOf('╮'), '─')).problems.length).toBeGreaterThan(0);
	});
});

describe('cutNumbers', () => {
	it('finds a digit followed by …, and nothing on the App\'s screens', () => {
		expect(cutNumbers('peak 2.0… │ PnL -0.00508 SOL (-84…')).toHaveLength(2);
		expect(cutNumbers('a name… 20251212-6114‥4b71 · 1.00x')).toStrictEqual([]);
		for (const size of [{columns: 100, rows: 36}, {columns: 80, rows: 24}, {columns: 60, rows: 16}]) {
			expect(cutNumbers(screen(size))).toStrictEqual([]);
		}
	});
});
