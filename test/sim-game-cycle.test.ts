import {describe, expect, test} from 'vitest';
import type {Envelope} from '../source/protocol/envelope.js';
import {gameCycle, seedForLength} from '../source/sim/game-cycle.js';
import {pricePath} from '../source/verify/price-path.js';
import {sha256Hex, verifyGame} from '../source/verify/verify-game.js';

/**
The scripted game cycle (the simulator's game of a chosen seed, behind the
benchmarks' games and the tests' FeedBuilder and syntheticSession) follows
PROTOCOL.md phase by phase, verifies, does what its script says, and cuts
where its marks say.
*/

/** A payload, loosely typed for assertions. */
type Frame = Record<string, unknown>;

const countdownKeys = ['gameId', 'cooldownTimer', 'cooldownPaused', 'allowPreRoundBuys', 'leaderboard', 'connectedPlayers', 'provablyFair'];
const gameId = '20251212-0c0c0c0c0c0c0c0c';
const serverSeed = seedForLength(gameId, 50, 70, 'cycle-test');
const cycle = gameCycle({
	gameId,
	serverSeed,
	trades: [
		{tick: 3, username: 'alice', type: 'buy', qty: 0.4, amount: 0.41},
		{tick: 8, username: 'alice', type: 'sell', qty: 0.1, amount: 0.12},
		{tick: 9, username: 'bob', type: 'short_open', qty: 0, amount: 0.05},
	],
	sidebets: [{tick: 4, username: 'carol', betAmount: 0.02}],
	sidebetTicks: [0, 30],
	chatTicks: [6],
});
const frames = (envelopes: readonly Envelope[]) => envelopes.filter(envelope => envelope.event === 'gameStateUpdate').map(envelope => envelope.data as Frame);

describe('a game cycle follows the documented phases', () => {
	test('COOLDOWN: only the seven countdown fields, the announced hash of the seed', () => {
		const cooldown = frames(cycle.envelopes.slice(0, cycle.marks.cooldown));
		expect(cooldown.map(frame => frame['cooldownTimer'])).toEqual([15_000, 14_900, 14_800]);
		for (const frame of cooldown) {
			expect(Object.keys(frame)).toEqual(countdownKeys);
			expect(frame['provablyFair']).toEqual({serverSeedHash: sha256Hex(serverSeed), version: 'v3'});
		}
	});

	test('PRESALE: pre-round buys allowed, its first frame at price 1 and tick 0', () => {
		const presale = frames(cycle.envelopes.slice(cycle.marks.cooldown, cycle.marks.presale));
		expect(presale).toHaveLength(1);
		expect(presale[0]).toMatchObject({allowPreRoundBuys: true, price: 1, tickCount: 0, cooldownTimer: 10_000, active: false});
	});

	test('ACTIVE: one frame per tick, 250 ms apart, at the seeded price, partialPrices over the last five ticks', () => {
		const ticks = cycle.envelopes.filter(envelope => (envelope.data as Frame)['active'] === true && (envelope.data as Frame)['rugged'] === false);
		const path = pricePath(serverSeed, gameId);
		expect(ticks.map(envelope => (envelope.data as Frame)['tickCount'])).toEqual(path.map((_, tick) => tick));
		expect(ticks.map(envelope => (envelope.data as Frame)['price'])).toEqual(path);
		for (const [tick, envelope] of ticks.entries()) {
			if (tick > 0) {
				expect(envelope.ts - ticks[tick - 1]!.ts).toBe(250);
				const partial = (envelope.data as Frame)['partialPrices'] as {startTick: number; endTick: number; values: Record<string, number>};
				expect(partial).toEqual({startTick: Math.max(0, tick - 4), endTick: tick, values: Object.fromEntries(path.slice(Math.max(0, tick - 4), tick + 1).map((price, index) => [String(Math.max(0, tick - 4) + index), price]))});
			}
		}
	});

	test('RUGGED: active stays true, tick N, the price collapses; then tick N+1 with the gameHistory entry that reveals the seed', () => {
		const [rug, history] = frames(cycle.envelopes.slice(cycle.marks.ticks.at(-1)));
		expect(cycle.marks.rugged).toBeGreaterThan(cycle.marks.ticks.at(-1)!);
		expect(rug).toMatchObject({active: true, rugged: true, tickCount: cycle.rugTick, price: cycle.rugPrice});
		expect(cycle.rugPrice).toBeGreaterThanOrEqual(0.002);
		expect(cycle.rugPrice).toBeLessThan(0.02);
		expect(history).toMatchObject({gameId, rugged: true, tickCount: cycle.rugTick + 1});
		const [entry] = history!['gameHistory'] as Frame[];
		expect(entry).toEqual(cycle.entry);
		expect(entry).toMatchObject({id: gameId, prices: cycle.prices, peakMultiplier: Math.max(...pricePath(serverSeed, gameId)), provablyFair: {serverSeed, serverSeedHash: sha256Hex(serverSeed)}});
		expect(cycle.envelopes).toHaveLength(cycle.marks.history);
	});

	test('every check of the provably-fair verification holds', () => {
		expect(verifyGame(cycle.entry, {announcedHash: sha256Hex(serverSeed), livePrices: cycle.prices})).toMatchObject({seedHash: true, pricePath: true, liveTicks: true, sidebets: true, notes: []});
	});
});

describe('a game cycle does what its script says', () => {
	const trades = cycle.envelopes.filter(envelope => envelope.event === 'standard/newTrade');

	test('scripted trades: sent as [trace, payload] after their tick\'s frame, with the quantities written, counted in tradeCount', () => {
		const scripted = trades.map(envelope => envelope.data as Frame).filter(trade => ['alice', 'bob'].includes(trade['username'] as string));
		expect(scripted.map(trade => [trade['username'], trade['type'], trade['tickIndex'], trade['amount']])).toEqual([['alice', 'buy', 3, 0.41], ['alice', 'sell', 8, 0.12], ['bob', 'short_open', 9, 0.05]]);
		expect(scripted[0]).toMatchObject({qty: 0.4, price: cycle.path[3]});
		for (const envelope of trades) {
			expect(envelope.extra?.[0]).toMatchObject({__trace: true});
		}

		expect(cycle.trades).toBe(trades.length);
		const lastFrame = frames(cycle.envelopes.slice(0, cycle.marks.ticks.at(-1))).at(-1)!;
		expect(lastFrame['tradeCount']).toBe(trades.length);
	});

	test('the leaderboard tells the same story: alice holds what she bought minus what she sold, carol\'s bet is open', () => {
		const atTen = frames(cycle.envelopes).find(frame => frame['tickCount'] === 10 && frame['active'] === true)!;
		const board = atTen['leaderboard'] as Frame[];
		expect(board.find(row => row['username'] === 'alice')).toMatchObject({positionQty: 0.3, totalInvested: 0.41});
		expect(board.find(row => row['username'] === 'carol')).toMatchObject({sideBet: {startedAtTick: 4, end: 44, betAmount: 0.02, xPayout: 5}});
	});

	test('sidebets, scripted and from the crowd, are placed and paid by "wins iff rug tick ≤ end tick"', () => {
		const records = cycle.entry.globalSidebets ?? [];
		const placed = records.filter(record => record.type === 'placed');
		expect(placed.map(record => record.startedAtTick)).toEqual([0, 4, 30]);
		const payouts = records.filter(record => record.type === 'payout');
		expect(payouts).toHaveLength(3);
		for (const record of payouts) {
			expect(record.payout! > 0).toBe(cycle.rugTick <= record.endTick!);
		}
	});

	test('chat after the tick asked for, and nothing else but frames and trades', () => {
		const chat = cycle.envelopes.filter(envelope => envelope.event === 'newChatMessage');
		expect(chat).toHaveLength(1);
		const tickSix = cycle.envelopes.findIndex(envelope => (envelope.data as Frame)['tickCount'] === 6);
		expect(cycle.envelopes.indexOf(chat[0]!)).toBeGreaterThan(tickSix);
		expect(cycle.envelopes.indexOf(chat[0]!)).toBeLessThan(cycle.marks.ticks[6]!);
		expect(new Set(cycle.envelopes.map(envelope => envelope.event))).toEqual(new Set(['gameStateUpdate', 'standard/newTrade', 'newChatMessage']));
	});

	test('a tampered price in the entry fails the verification at that tick', () => {
		const tampered = gameCycle({gameId, serverSeed, tamperTick: 7});
		const verification = verifyGame(tampered.entry);
		expect(verification.pricePath).toBe(false);
		expect(verification.notes.join('\n')).toContain('price at tick 7');
		expect(tampered.prices).toEqual(cycle.prices);
	});

	test('maxTicks stops before the rug: no rug frame, no gameHistory frame, every tick up to it', () => {
		const cut = gameCycle({gameId, serverSeed, maxTicks: 12});
		expect(cut.rugged).toBe(false);
		expect(cut.marks).toMatchObject({rugged: 0, history: 0});
		expect(cut.marks.ticks).toHaveLength(13);
		expect(cut.envelopes).toHaveLength(cut.marks.ticks.at(-1)!);
		expect(frames(cut.envelopes).some(frame => frame['rugged'] === true || 'gameHistory' in frame)).toBe(false);
	});

	test('cycles chain: numbered on from seq, timed on from startTs', () => {
		const next = gameCycle({gameId: '20251212-1d1d1d1d1d1d1d1d', serverSeed: seedForLength('20251212-1d1d1d1d1d1d1d1d', 10, 20), seq: cycle.nextSeq, startTs: cycle.endTs});
		expect(next.envelopes[0]!.seq).toBe(cycle.envelopes.at(-1)!.seq + 1);
		expect(next.envelopes[0]!.ts).toBeGreaterThan(cycle.envelopes.at(-1)!.ts);
		expect(next.envelopes.map(envelope => envelope.seq)).toEqual(next.envelopes.map((_, index) => cycle.nextSeq + index));
	});
});
