import {readFileSync} from 'node:fs';
import {describe, expect, test} from 'vitest';
import type {Envelope} from '../source/protocol/envelope.js';
import {readRecording} from '../source/sources/read-recording.js';
import {isFlat, sessionTotal} from '../source/state/position.js';
import {createState, reduce} from '../source/state/reducer.js';
import type {GameState} from '../source/state/types.js';
import {positionLines} from '../source/ui/components/PositionPane.js';
import {betsToShow, sidebetLines} from '../source/ui/components/SidebetsPane.js';
import {statusLine} from '../source/ui/components/StatusBar.js';
import {tradeLines} from '../source/ui/components/TradesPane.js';
import {plainText} from '../source/ui/segments.js';
import {capturePath, cdpCapture, hasCaptures, publicFeedCapture} from './helpers/captures.js';

/*
What the screen shows is right, checked on the real captures
(../shared/captures): the reducer's state, and the panes' lines drawn from
it. The expected values are worked out here from the raw frames, apart from
the reducer.
*/

type Row = Record<string, unknown>;
type Frame = {gameId?: string; tickCount?: number; leaderboard?: Row[]; active?: boolean; rugged?: boolean; allowPreRoundBuys?: boolean; cooldownTimer?: number};

async function envelopesOf(file: string): Promise<Envelope[]> {
	const envelopes: Envelope[] = [];
	for await (const item of readRecording(file)) {
		if (item.ok) {
			envelopes.push(item.envelope);
		}
	}

	return envelopes;
}

function fold(envelopes: readonly Envelope[], config: Parameters<typeof createState>[0] = {}, each?: (state: GameState, envelope: Envelope) => void): GameState {
	let state = createState(config);
	for (const envelope of envelopes) {
		state = reduce(state, envelope);
		each?.(state, envelope);
	}

	return state;
}

const frameOf = (envelope: Envelope) => (envelope.event === 'gameStateUpdate' ? envelope.data as Frame : undefined);
const isCooldown = (frame: Frame) => frame.active !== true && frame.rugged !== true && frame.allowPreRoundBuys !== true;

/**
Each game's final PnL for `player`, from the raw frames: the row of the last
frame that lists that game's leaderboard — its own frames, or the next
game's COOLDOWN frames, which still list the game that ended.
*/
function finalRows(envelopes: readonly Envelope[], player: string): Map<string, Row> {
	const finals = new Map<string, Row>();
	let last: string | undefined;
	let previous: string | undefined;
	for (const envelope of envelopes) {
		const frame = frameOf(envelope);
		if (frame?.gameId === undefined) {
			continue;
		}

		if (frame.gameId !== last && !finals.has(frame.gameId) && frame.gameId !== previous) {
			previous = last;
			last = frame.gameId;
		}

		const row = frame.leaderboard?.find(entry => entry['username'] === player);
		if (row === undefined || typeof row['pnl'] !== 'number') {
			continue;
		}

		const about = frame.gameId === last && isCooldown(frame) ? previous : frame.gameId;
		if (about !== undefined) {
			finals.set(about, row);
		}
	}

	return finals;
}

describe.skipIf(!hasCaptures)('Position: this game\'s, reset when a game starts, the session apart (public capture, --player)', () => {
	test.each(['Boss', 'Zer02Her0', 'getSmoked'])('%s', async player => {
		const envelopes = await envelopesOf(publicFeedCapture);
		const finals = new Map([...finalRows(envelopes, player)].map(([id, row]) => [id, row['pnl'] as number]));
		const played = new Set([...finalRows(envelopes, player)].filter(([, row]) => (row['totalInvested'] as number) > 0 || row['pnl'] !== 0 || (row['positionQty'] as number) > 0).map(([id]) => id));
		expect(finals.size, `${player} played in the capture`).toBeGreaterThan(0);
		let cooldowns = 0;
		const state = fold(envelopes, {player}, (current, envelope) => {
			const frame = frameOf(envelope);
			if (frame === undefined || current.game?.id !== frame.gameId || current.game?.phase !== 'COOLDOWN' || current.position === undefined) {
				return;
			}

			// In the countdown of the next game the position is this game's: flat, nothing invested, no PnL,
			// however well the last game went (its final row is still on the leaderboard).
			cooldowns++;
			expect(current.position.gameId).toBe(current.game.id);
			expect(isFlat(current.position)).toBe(true);
			expect(current.position.pnl).toBe(0);
			expect(current.position.totalInvested).toBe(0);
			// And the last game's PnL is kept apart, as that game ended (0: not on that game's leaderboard, so no trade).
			const last = current.session.lastGame;
			expect(last?.gameId).toBe(current.previousGame?.id);
			expect(last?.pnl).toBe(finals.get(current.previousGame!.id) ?? 0);
		});
		expect(cooldowns, 'some COOLDOWN frames with a position').toBeGreaterThan(0);
		// The session: every finished game's final PnL, the game running at the end on top.
		const total = sessionTotal(state.session);
		const finished = [...finals].filter(([id]) => id !== state.game?.id);
		expect(total.games).toBe(finished.filter(([id]) => played.has(id)).length);
		expect(total.pnl).toBeCloseTo(finished.reduce((sum, [, pnl]) => sum + pnl, 0), 9);
	});
});

describe.skipIf(!hasCaptures)('Position fields as the logged-in sample carries them', () => {
	const sample = JSON.parse(readFileSync(capturePath('auth-gameStatePlayerUpdate-sample-2025-12-17.json'), 'utf8')) as {data: {gameId: string; leaderboardEntry: Record<string, number>}};
	const entry = sample.data.leaderboardEntry;

	test('positionQty × avgCost is what was paid (totalInvested, with no sell); pnlPercent is pnl over totalInvested', () => {
		expect(entry['positionQty']! * entry['avgCost']!).toBeCloseTo(entry['totalInvested']!, 8);
		expect((entry['pnl']! / entry['totalInvested']!) * 100).toBeCloseTo(entry['pnlPercent']!, 6);
	});

	test('the pane shows the units held at their average cost, the PnL with its share, and what went in', async () => {
		const state = fold(await envelopesOf(capturePath('auth-gameStatePlayerUpdate-sample-2025-12-17.json')));
		expect(state.position).toMatchObject({gameId: sample.data.gameId, qty: entry['positionQty'], avgCost: entry['avgCost'], pnl: entry['pnl'], totalInvested: entry['totalInvested']});
		const text = plainText(positionLines({position: state.position, session: state.session, price: undefined, player: undefined, leaders: state.leaders, gameId: state.game?.id}, 32));
		expect(text).toContain('this game 0.003192 @ 0.31x');
		expect(text).toMatch(/PnL\s+-0\.000116 SOL {2}-11\.6%/);
		expect(text).toMatch(/invested\s+0\.001000 SOL/);
	});
});

describe.skipIf(!hasCaptures)('Position when flat (logged-in CDP capture: playerUpdate with positionQty 0, avgCost 0)', () => {
	test('reads "flat", never an average cost of 0x', async () => {
		const envelopes = await envelopesOf(cdpCapture);
		const updates = envelopes.filter(envelope => envelope.event === 'playerUpdate');
		expect(updates.length).toBeGreaterThan(0);
		expect((updates[0]!.data as Row)['avgCost']).toBe(0);
		let checked = 0;
		fold(envelopes, {}, state => {
			if (state.position === undefined) {
				return;
			}

			checked++;
			const text = plainText(positionLines({position: state.position, session: state.session, price: state.game?.price, player: undefined, leaders: state.leaders, gameId: state.game?.id}, 32));
			expect(text).toContain('this game flat');
			expect(text).not.toMatch(/0(?:\.0+)?x/);
			expect(text).toMatch(/cash\s+0\.017620 SOL/);
		});
		expect(checked).toBeGreaterThan(100);
	});
});

describe.skipIf(!hasCaptures)('Trade tape (public capture)', () => {
	/** The capture's events with every two trades delivered the other way round, as the live feed's lag does. */
	function lagged(envelopes: readonly Envelope[]): Envelope[] {
		const out = [...envelopes];
		const trades = out.flatMap((envelope, index) => (envelope.event === 'standard/newTrade' ? [index] : []));
		for (let pair = 0; pair + 1 < trades.length; pair += 2) {
			const [a, b] = [trades[pair]!, trades[pair + 1]!];
			[out[a], out[b]] = [out[b]!, out[a]!];
		}

		return out;
	}

	test('newest first by the trade\'s own tick whatever the arrival order, one game after the other, newest game first', async () => {
		const envelopes = lagged(await envelopesOf(publicFeedCapture));
		const arrival = envelopes.filter(envelope => envelope.event === 'standard/newTrade').map(envelope => (envelope.data as {tickIndex: number}).tickIndex);
		// The delivery really is out of order.
		expect(arrival.some((tick, index) => index > 0 && tick < arrival[index - 1]!)).toBe(true);
		const state = fold(envelopes);
		const games = state.trades.map(trade => trade.gameId).filter((id, index, all) => index === 0 || all[index - 1] !== id);
		// Each game's trades together, the newest game first.
		expect(new Set(games).size).toBe(games.length);
		expect(games).toStrictEqual(['20251212-6114b2ff44ef4b71', '20251212-25dcb17086a24ad7']);
		for (const id of games) {
			const ticks = state.trades.filter(trade => trade.gameId === id).map(trade => trade.tick!);
			expect(ticks).toStrictEqual(ticks.toSorted((a, b) => b - a));
		}
	});

	test('a rule where the game changes, in the tape and in a filtered tape', async () => {
		const state = fold(await envelopesOf(publicFeedCapture));
		for (const filter of ['', 'zer0']) {
			const lines = tradeLines({trades: state.trades, filter}, 116, 40).map(line => plainText([line]));
			const rule = lines.findIndex(line => /^── game 20251212-2\S*4ad7 /.test(line));
			expect(rule, filter).toBeGreaterThan(1);
			expect(lines.slice(1, rule).every(line => /\b(buy|sell)\b/.test(line))).toBe(true);
			expect(lines.slice(rule + 1).length).toBeGreaterThan(0);
		}
	});

	test('short_open and short_close: the feed\'s qty of 0 is not shown as a quantity', async () => {
		const sample = JSON.parse(readFileSync(capturePath('public-feed-key-samples-2026-02-06.json'), 'utf8')) as Record<string, {event_type: string; data: Row}>;
		const shorts = Object.values(sample).filter(item => item.event_type === 'standard/newTrade' && String(item.data['type']).startsWith('short'));
		expect(shorts.map(item => item.data['qty'])).toStrictEqual([0, 0]);
		const state = fold(await envelopesOf(capturePath('public-feed-key-samples-2026-02-06.json')));
		const lines = tradeLines({trades: state.trades, filter: 'short'}, 116, 10).map(line => plainText([line]));
		expect(lines).toHaveLength(3);
		for (const line of lines.slice(1)) {
			expect(line).toMatch(/short_(open|close)\s+–\s+\d+\.\d\dx\s+0\.2\d{5}$/);
			expect(line).not.toMatch(/\s0\.0+\s/);
		}
	});
});

describe.skipIf(!hasCaptures)('Sidebets header says what the list is (public capture)', () => {
	test('at every event: the count in the header is the number of this game\'s bets listed, or it says they are the last game\'s', async () => {
		const envelopes = await envelopesOf(publicFeedCapture);
		let withBets = 0;
		fold(envelopes, {}, state => {
			const rows = betsToShow(state.sidebets, state.game?.id, state.previousGame?.id);
			if (rows.length === 0) {
				return;
			}

			withBets++;
			const lines = sidebetLines({sidebets: state.sidebets, game: state.game, previousGame: state.previousGame}, 80).map(line => plainText([line]));
			const current = rows.filter(bet => bet.gameId === state.game?.id).length;
			const last = rows.length - current;
			if (current > 0) {
				expect(lines[0]).toMatch(new RegExp(String.raw`^this game's bets: ${current} \(`));
			} else {
				expect(lines[0]).toMatch(new RegExp(`^no bets in this game yet; the last game's ${last}`));
			}

			if (last > 0) {
				expect(lines.some(line => line.startsWith('── last game '))).toBe(true);
			}

			expect(lines.join('\n')).not.toContain('leaderboard');
		});
		expect(withBets).toBeGreaterThan(100);
	});
});

describe('Retry counts: one count, the source being tried', () => {
	const base = {problems: {total: 0, byKind: {}, recent: []}, stats: createState().stats, eventsPerSecond: 0, fpsCap: 10, fps: 0, frozen: false};
	const line = (status: Parameters<typeof statusLine>[0]['status']) => plainText([statusLine({...base, status}, 160)]);

	test('while reconnecting: the source, where it connects, attempt n of this outage, the next try', () => {
		const text = line({source: 'direct', state: 'reconnecting', ts: 0, endpoint: 'https://backend.rugs.fun?frontend-version=1.0', attempt: 10, nextRetryMs: 30_000, reconnects: 0});
		expect(text).toContain('direct reconnecting to backend.rugs.fun · attempt 10, next in 30s');
		// No second count beside it that reads as another number of tries.
		expect(text).not.toMatch(/reconnects \d|try \d/);
	});

	test('in auto mode each status names its own candidate (cdp, direct) and endpoint', () => {
		expect(line({source: 'cdp', state: 'connecting', ts: 0, endpoint: '127.0.0.1:9222', attempt: 2, detail: 'auto → cdp (preferred)'})).toContain('cdp connecting to 127.0.0.1:9222 · attempt 2');
		expect(line({source: 'direct', state: 'connecting', ts: 0, endpoint: 'https://backend.rugs.fun', detail: 'auto → direct, as cdp reconnecting'})).toContain('direct connecting to backend.rugs.fun');
	});

	test('once connected: the reconnections so far, only when there were any', () => {
		expect(line({source: 'direct', state: 'connected', ts: 0, endpoint: 'https://backend.rugs.fun', reconnects: 0, latencyMs: 40})).not.toContain('reconnect');
		expect(line({source: 'direct', state: 'connected', ts: 0, endpoint: 'https://backend.rugs.fun', reconnects: 3, latencyMs: 40})).toContain('direct connected (backend.rugs.fun) · reconnected 3×');
	});
});
