import fc from 'fast-check';
import {describe, expect, test} from 'vitest';
import type {Envelope} from '../source/protocol/envelope.js';
import {sha256Hex} from '../source/verify/verify-game.js';
import {pricePath} from '../source/verify/price-path.js';
import {createState, reduce} from '../source/state/reducer.js';
import type {GameState, StateConfig} from '../source/state/types.js';
import {envelopeMaker, trace} from './helpers/envelopes.js';

const gameA = '20251212-aaaaaaaaaaaaaaaa';
const gameB = '20251212-bbbbbbbbbbbbbbbb';

function run(envelopes: readonly Envelope[], config: Partial<StateConfig> = {}): GameState {
	let state = createState(config);
	for (const envelope of envelopes) {
		state = reduce(state, envelope);
	}

	return state;
}

function cooldown(gameId: string, timer: number, extra: Record<string, unknown> = {}) {
	return {gameId, cooldownTimer: timer, cooldownPaused: false, allowPreRoundBuys: timer <= 10_000, leaderboard: [], connectedPlayers: 200, provablyFair: {serverSeedHash: 'ab'.repeat(32), version: 'v3'}, ...extra};
}

function active(gameId: string, tick: number, price: number, extra: Record<string, unknown> = {}) {
	return {gameId, active: true, rugged: false, price, tickCount: tick, cooldownTimer: 0, allowPreRoundBuys: false, tradeCount: tick * 2, connectedPlayers: 201, ...extra};
}

function partial(values: Record<number, number>) {
	const ticks = Object.keys(values).map(Number);
	return {startTick: Math.min(...ticks), endTick: Math.max(...ticks), values: Object.fromEntries(Object.entries(values).map(([tick, price]) => [String(tick), price]))};
}

describe('phases', () => {
	test('follow the fields present: cooldown → presale → active → rugged', () => {
		const make = envelopeMaker();
		const phases: unknown[] = [];
		let state = createState();
		for (const envelope of [
			make('gameStateUpdate', cooldown(gameA, 15_000)),
			make('gameStateUpdate', cooldown(gameA, 10_000)),
			make('gameStateUpdate', active(gameA, 0, 1)),
			make('gameStateUpdate', {...active(gameA, 1, 0.01), rugged: true}),
		]) {
			state = reduce(state, envelope);
			phases.push(state.game?.phase);
		}

		expect(phases).toEqual(['COOLDOWN', 'PRESALE', 'ACTIVE', 'RUGGED']);
		expect(state.game?.cooldownTimer).toBe(0);
	});

	test('a late frame from an earlier phase does not move the phase back', () => {
		const make = envelopeMaker();
		const state = run([
			make('gameStateUpdate', cooldown(gameA, 9900)),
			make('gameStateUpdate', cooldown(gameA, 14_900)),
		]);
		expect(state.game?.phase).toBe('PRESALE');
	});

	test('rugged stays rugged while active stays true', () => {
		const make = envelopeMaker();
		const state = run([
			make('gameStateUpdate', active(gameA, 5, 1.2)),
			make('gameStateUpdate', {...active(gameA, 6, 0.005), rugged: true}),
			make('gameStateUpdate', {...active(gameA, 7, 0.005), rugged: true}),
		]);
		expect(state.game).toMatchObject({phase: 'RUGGED', rugTick: 6, rugPrice: 0.005, tick: 6});
		expect(state.game?.prices).toHaveLength(7);
	});
});

describe('ticks and prices', () => {
	test('partialPrices fill ticks whose frames were missed', () => {
		const make = envelopeMaker();
		const state = run([
			make('gameStateUpdate', active(gameA, 1, 1.1)),
			// Frames for ticks 2 and 3 never arrived.
			make('gameStateUpdate', active(gameA, 4, 1.4, {partialPrices: partial({2: 1.2, 3: 1.3, 4: 1.4})})),
		]);
		expect(state.game?.prices.slice(1)).toEqual([1.1, 1.2, 1.3, 1.4]);
		expect(state.game?.tick).toBe(4);
		expect(state.game?.price).toBe(1.4);
	});

	test('a gap partialPrices cannot cover stays a visible hole (NaN), not an invented price', () => {
		const make = envelopeMaker();
		const state = run([
			make('gameStateUpdate', active(gameA, 1, 1.1)),
			make('gameStateUpdate', active(gameA, 9, 1.9, {partialPrices: partial({7: 1.7, 8: 1.8, 9: 1.9})})),
		]);
		const {prices} = state.game!;
		expect(prices).toHaveLength(10);
		expect(prices.slice(2, 7).every(price => Number.isNaN(price))).toBe(true);
		expect(prices.slice(7)).toEqual([1.7, 1.8, 1.9]);
	});

	test('late or repeated ticks never move the tick backwards', () => {
		const make = envelopeMaker();
		const state = run([
			make('gameStateUpdate', active(gameA, 0, 1)),
			make('gameStateUpdate', active(gameA, 0, 1)),
			make('gameStateUpdate', active(gameA, 129, 2.29)),
			make('gameStateUpdate', active(gameA, 128, 2.28)),
		]);
		expect(state.game?.tick).toBe(129);
		expect(state.game?.price).toBe(2.29);
		expect(state.game?.prices[128]).toBe(2.28);
		expect(state.game?.prices[0]).toBe(1);
	});

	test('the peak is the highest price seen and the rug price does not extend the path after the rug', () => {
		const make = envelopeMaker();
		const state = run([
			make('gameStateUpdate', active(gameA, 1, 3)),
			make('gameStateUpdate', active(gameA, 2, 2)),
			make('gameStateUpdate', {...active(gameA, 3, 0.01), rugged: true}),
			make('gameStateUpdate', {...active(gameA, 5, 0.01), rugged: true, partialPrices: partial({4: 0.01, 5: 0.01})}),
		]);
		expect(state.game?.peak).toBe(3);
		expect(state.game?.prices).toHaveLength(4);
		expect(state.game?.rugTick).toBe(3);
	});

	test('absurd tick numbers are ignored instead of allocating memory', () => {
		const make = envelopeMaker();
		const state = run([make('gameStateUpdate', active(gameA, 1e9, 2, {partialPrices: partial({1e12: 5})}))]);
		expect(state.game?.prices.length).toBe(0);
		expect(state.game?.tick).toBe(-1);
	});
});

describe('games', () => {
	test('a new gameId starts the next game and keeps the previous one for the chart', () => {
		const make = envelopeMaker();
		const state = run([
			make('gameStateUpdate', active(gameA, 1, 1.5)),
			make('gameStateUpdate', {...active(gameA, 2, 0.01), rugged: true}),
			make('gameStateUpdate', cooldown(gameB, 14_900)),
		]);
		expect(state.game?.id).toBe(gameB);
		expect(state.game?.phase).toBe('COOLDOWN');
		expect(state.previousGame?.id).toBe(gameA);
		expect(state.history.map(game => [game.id, game.rugTick, game.peak, game.fromHistory])).toEqual([[gameA, 2, 1.5, false]]);
	});

	test('frames of the old game arriving after the new one started are stale: counted, not switched back to', () => {
		const make = envelopeMaker();
		const state = run([
			make('gameStateUpdate', {...active(gameA, 2, 0.01), rugged: true}),
			make('gameStateUpdate', cooldown(gameB, 14_900)),
			make('gameStateUpdate', {...active(gameA, 4, 0.01), rugged: true}),
			make('gameStateUpdate', cooldown(gameB, 14_800)),
		]);
		expect(state.game?.id).toBe(gameB);
		expect(state.game?.cooldownTimer).toBe(14_800);
		expect(state.stats.staleFrames).toBe(1);
	});

	test('gameHistory is absorbed once per game id, verified, and corrects the live rug tick', () => {
		const seed = 'c'.repeat(64);
		const path = pricePath(seed, gameA);
		const entry = {
			id: gameA,
			timestamp: 1_765_577_900_000,
			prices: [...path, 0.004],
			peakMultiplier: Math.max(...path),
			rugged: true,
			globalTrades: [],
			globalSidebets: [{type: 'payout', startTick: 0, endTick: path.length, payout: 0.05}],
			provablyFair: {serverSeed: seed, serverSeedHash: sha256Hex(seed)},
			gameVersion: 'v3',
		};
		const make = envelopeMaker();
		const live = path.slice(0, 3).map((price, tick) => make('gameStateUpdate', active(gameA, tick, price, {provablyFair: {serverSeedHash: sha256Hex(seed), version: 'v3'}})));
		const state = run([
			...live,
			make('gameStateUpdate', {...active(gameA, path.length + 1, 0.004), rugged: true, gameHistory: [entry]}),
			make('gameStateUpdate', cooldown(gameB, 15_000, {gameHistory: [entry]})),
			make('gameStateUpdate', cooldown(gameB, 14_900, {gameHistory: [entry]})),
		]);
		expect(state.history).toHaveLength(1);
		const [game] = state.history;
		expect(game).toMatchObject({id: gameA, rugTick: path.length, rugPrice: 0.004, peak: Math.max(...path), fromHistory: true, sidebets: {placed: 0, won: 1, lost: 0}});
		expect(game?.verification).toMatchObject({seedHash: true, pricePath: true, liveTicks: true, sidebets: true});
		expect(state.previousGame?.rugTick).toBe(path.length);
	});

	test('a tampered live price is caught by the live-tick check', () => {
		const seed = 'd'.repeat(64);
		const path = pricePath(seed, gameA);
		const entry = {id: gameA, prices: [...path, 0.01], peakMultiplier: Math.max(...path), provablyFair: {serverSeed: seed, serverSeedHash: sha256Hex(seed)}};
		const make = envelopeMaker();
		const state = run([
			make('gameStateUpdate', active(gameA, 1, path[1]! + 0.001)),
			make('gameStateUpdate', {...active(gameA, path.length, 0.01), rugged: true, gameHistory: [entry]}),
		]);
		expect(state.history[0]?.verification).toMatchObject({seedHash: true, pricePath: true, liveTicks: false});
	});
});

test('a tick first shown with a wrong price, then corrected, still fails the live-tick check', () => {
	const seed = 'e'.repeat(64);
	const path = pricePath(seed, gameA);
	const entry = {id: gameA, prices: [...path, 0.01], peakMultiplier: Math.max(...path), provablyFair: {serverSeed: seed, serverSeedHash: sha256Hex(seed)}};
	const make = envelopeMaker();
	const state = run([
		make('gameStateUpdate', active(gameA, 1, path[1]! * 1.5)),
		make('gameStateUpdate', active(gameA, 2, path[2]!, {partialPrices: partial({1: path[1]!, 2: path[2]!})})),
		make('gameStateUpdate', {...active(gameA, path.length, 0.01), rugged: true, gameHistory: [entry]}),
	]);
	expect(state.game?.prices[1]).toBe(path[1]);
	expect(state.history[0]?.verification).toMatchObject({seedHash: true, pricePath: true, liveTicks: false});
});

describe('trades', () => {
	const trade = (id: string, tickIndex: number, extra: Record<string, unknown> = {}) => ({id, gameId: gameA, playerId: 'did:privy:x', username: 'alice', type: 'buy', price: 1.2, qty: 0.5, amount: 0.6, tickIndex, coin: 'solana', ...extra});

	test('newest first, with their own tick, from the payload (last argument)', () => {
		const make = envelopeMaker();
		const state = run([
			make('standard/newTrade', trace, trade('t1', 3)),
			make('standard/newTrade', trace, trade('t2', 9, {type: 'short_open', username: 'bob'})),
		]);
		expect(state.trades.map(row => [row.id, row.tick, row.username, row.type])).toEqual([['t2', 9, 'bob', 'short_open'], ['t1', 3, 'alice', 'buy']]);
	});

	test('the same trade id is counted once', () => {
		const make = envelopeMaker();
		const state = run([make('standard/newTrade', trace, trade('t1', 3)), make('standard/newTrade', trace, trade('t1', 3))]);
		expect(state.trades).toHaveLength(1);
	});

	test('usernames are cleaned of escape sequences and control characters', () => {
		const make = envelopeMaker();
		const state = run([make('standard/newTrade', trace, trade('t1', 3, {username: 'evil\u001B[2J\u001B]0;title\u0007\u0000name'}))]);
		expect(state.trades[0]?.username).toBe('evilname');
	});

	test('a lossy recording (trace only) is counted as payload unavailable, not as a trade or a field error', () => {
		const make = envelopeMaker();
		const state = run([make('standard/newTrade', trace, null)]);
		expect(state.trades).toHaveLength(0);
		expect(state.stats).toMatchObject({payloadUnavailable: 1, fieldErrors: 0});
	});

	test('the tape is capped', () => {
		const make = envelopeMaker({step: 1});
		const state = run(Array.from({length: 500}, (_, index) => make('standard/newTrade', trace, trade(`t${index}`, index))), {maxTrades: 50});
		expect(state.trades).toHaveLength(50);
		expect(state.trades[0]?.id).toBe('t499');
	});
});

describe('position', () => {
	test('from playerUpdate and gameStatePlayerUpdate, keeping cash', () => {
		const make = envelopeMaker();
		const state = run([
			make('usernameStatus', trace, {id: 'did:privy:me', username: 'Me', hasUsername: true}),
			make('playerUpdate', {cash: 0.5, positionQty: 0, avgCost: 0, cumulativePnL: 0, pnlPercent: 0, totalInvested: 0}),
			make('gameStatePlayerUpdate', {gameId: gameA, leaderboardEntry: {username: 'Me', positionQty: 2, avgCost: 1.1, pnl: 0.2, pnlPercent: 9, totalInvested: 2.2}}),
		]);
		expect(state.username).toBe('Me');
		expect(state.position).toMatchObject({source: 'gameStatePlayerUpdate', name: 'Me', qty: 2, avgCost: 1.1, pnl: 0.2, pnlPercent: 9, cash: 0.5});
	});

	test('--player tracks a leaderboard entry by name and says when it drops off', () => {
		const make = envelopeMaker();
		const entry = {id: 'did:privy:z', username: 'Zed', positionQty: 3, avgCost: 1, pnl: 0.1, pnlPercent: 3, totalInvested: 3};
		const state1 = run([make('gameStateUpdate', active(gameA, 1, 1.1, {leaderboard: [entry]}))], {player: 'zed'});
		expect(state1.position).toMatchObject({source: 'leaderboard', name: 'zed', qty: 3, onLeaderboard: true});
		const state2 = reduce(state1, make('gameStateUpdate', active(gameA, 2, 1.2, {leaderboard: []})));
		expect(state2.position).toMatchObject({qty: 3, onLeaderboard: false});
	});
});

describe('sidebets', () => {
	const bet = (start: number) => ({startedAtTick: start, end: start + 40, gameId: gameA, betAmount: 0.01, xPayout: 5});
	const withBet = (tick: number, price: number) => active(gameA, tick, price, {leaderboard: [{username: 'carol', sideBet: bet(10)}]});

	test('a bet wins when the rug comes exactly on its end tick (≤, as the data shows)', () => {
		const make = envelopeMaker();
		const state = run([
			make('gameStateUpdate', withBet(12, 1.1)),
			make('gameStateUpdate', {...active(gameA, 50, 0.01), rugged: true}),
		]);
		expect(state.sidebets).toHaveLength(1);
		expect(state.sidebets[0]).toMatchObject({owner: 'carol', startTick: 10, endTick: 50, outcome: 'won', payout: 0.05});
	});

	test('a bet loses when the rug comes one tick after its end', () => {
		const make = envelopeMaker();
		const state = run([
			make('gameStateUpdate', withBet(12, 1.1)),
			make('gameStateUpdate', {...active(gameA, 51, 0.01), rugged: true}),
		]);
		expect(state.sidebets[0]).toMatchObject({outcome: 'lost', payout: 0});
	});

	test('the user’s own bet and the server’s result', () => {
		const make = envelopeMaker();
		const state = run([
			make('gameStateUpdate', active(gameA, 7, 1)),
			make('currentSidebet', trace, {gameId: gameA, startTick: 7, endTick: 47, betAmount: 0.001, xPayout: 5, type: 'placed'}),
			make('currentSidebetResult', trace, {gameId: gameA, startTick: 7, endTick: 47, betAmount: 0.001, xPayout: 5, payout: 0.005, profit: 0.004, type: 'payout'}),
		]);
		expect(state.sidebets).toHaveLength(1);
		expect(state.sidebets[0]).toMatchObject({mine: true, outcome: 'won', payout: 0.005, startTick: 7, endTick: 47});
	});

	test('leaderboard sidebets of this game are counted', () => {
		const make = envelopeMaker();
		const state = run([make('gameStateUpdate', active(gameA, 12, 1.1, {leaderboard: [{username: 'a', sideBet: bet(1)}, {username: 'b', sideBet: null}, {username: 'c', sideBet: bet(3)}]}))]);
		expect(state.game?.leaderboardSidebets).toBe(2);
	});
});

describe('robustness', () => {
	test('never mutates the state it is given', () => {
		const make = envelopeMaker();
		const before = run([make('gameStateUpdate', active(gameA, 1, 1.1)), make('standard/newTrade', trace, {id: 'x', gameId: gameA, type: 'buy', tickIndex: 1})]);
		const snapshot = structuredClone(before);
		reduce(before, make('gameStateUpdate', active(gameA, 2, 1.2, {partialPrices: partial({2: 1.2})})));
		reduce(before, make('standard/newTrade', trace, {id: 'y', gameId: gameA, type: 'sell', tickIndex: 2}));
		expect(before).toEqual(snapshot);
	});

	test('wrong-typed fields are counted and the rest of the frame is still used', () => {
		const make = envelopeMaker();
		const state = run([make('gameStateUpdate', {...active(gameA, 3, 1.3), tradeCount: 'many', connectedPlayers: null})]);
		expect(state.stats.fieldErrors).toBe(2);
		expect(state.game?.tick).toBe(3);
		expect(state.game?.tradeCount).toBeUndefined();
	});

	test('unknown events pass through, counted', () => {
		const make = envelopeMaker();
		const state = run([make('somethingNew', {a: 1})]);
		expect(state.stats).toMatchObject({events: 1, unknownEvents: 1, internalErrors: 0});
	});

	test('any payload for any event never throws and never hits the internal-error guard', () => {
		const events = ['gameStateUpdate', 'standard/newTrade', 'playerUpdate', 'gameStatePlayerUpdate', 'usernameStatus', 'currentSidebet', 'currentSidebetResult', 'newSideBet', 'unknown'];
		const frameLike = fc.record({
			gameId: fc.oneof(fc.constant(gameA), fc.constant(gameB), fc.anything()),
			active: fc.anything(),
			rugged: fc.anything(),
			price: fc.oneof(fc.double(), fc.anything()),
			tickCount: fc.oneof(fc.integer({min: -5, max: 6000}), fc.double(), fc.anything()),
			partialPrices: fc.anything(),
			leaderboard: fc.oneof(fc.array(fc.anything()), fc.anything()),
			gameHistory: fc.oneof(fc.array(fc.anything()), fc.anything()),
			sideBet: fc.anything(),
			leaderboardEntry: fc.anything(),
			startTick: fc.anything(),
			endTick: fc.anything(),
			payout: fc.anything(),
		}, {requiredKeys: []});
		fc.assert(fc.property(fc.array(fc.tuple(fc.constantFrom(...events), fc.oneof(frameLike, fc.anything()))), pairs => {
			const make = envelopeMaker({step: 1});
			const state = run(pairs.map(([event, data]) => make(event, data)));
			expect(state.stats.internalErrors).toBe(0);
			expect(state.stats.events).toBe(pairs.length);
		}), {seed: 20_261_121, numRuns: 300});
	});
});
