import fc from 'fast-check';
import {describe, expect, test} from 'vitest';
import {gameCycle as syntheticGame, seedForLength} from '../source/sim/game-cycle.js';
import type {GameHistoryEntry, GlobalSidebet} from '../source/protocol/events.js';
import {pricePath} from '../source/verify/price-path.js';
import {overallVerdict, sha256Hex, verifyGame} from '../source/verify/verify-game.js';

/**
A real-shaped finished game that rugs at tick 43–48, with sidebets on both
sides of the rule: the bets placed at ticks 0–2 end at 40–42 and lose, those
placed at 10 and 20 end at 50 and 60 and win.
*/
const gameId = '20250101-0123456789abcdef';
const game = syntheticGame({gameId, serverSeed: seedForLength(gameId, 43, 48), sidebetTicks: [0, 1, 2, 10, 20]});

function entryCopy(): GameHistoryEntry {
	return structuredClone(game.entry);
}

describe('verifyGame on an untampered game', () => {
	test('all checks hold', () => {
		const verification = verifyGame(entryCopy(), {announcedHash: game.serverSeedHash, livePrices: game.prices});
		expect(verification).toMatchObject({seedHash: true, pricePath: true, liveTicks: true, sidebets: true, peak: true, rugTick: game.rugTick, notes: []});
	});

	test('the fixture has won and lost bets, so the sidebet check has both kinds to check', () => {
		const payouts = (game.entry.globalSidebets ?? []).filter(record => record.type === 'payout');
		expect(payouts.map(record => record.payout! > 0)).toEqual([false, false, false, true, true]);
	});
});

describe('crafted mismatches are reported false, with a note', () => {
	test('a tampered seed: hash and path both fail', () => {
		const entry = entryCopy();
		entry.provablyFair = {...entry.provablyFair, serverSeed: sha256Hex('another seed')};
		const verification = verifyGame(entry);
		expect(verification.seedHash).toBe(false);
		expect(verification.pricePath).toBe(false);
		expect(overallVerdict(verification)).toBe(false);
		expect(verification.notes.join('\n')).toMatch(/≠ recorded hash/);
	});

	test('a seed that matches the recorded hash but not the one announced during the game', () => {
		const verification = verifyGame(entryCopy(), {announcedHash: sha256Hex('what the server promised')});
		expect(verification.seedHash).toBe(false);
		expect(verification.notes.join('\n')).toMatch(/announced during the game/);
	});

	test('two different hashes announced for one game: the wrong one fails the check', () => {
		const verification = verifyGame(entryCopy(), {announcedHashes: [game.serverSeedHash, sha256Hex('x')]});
		expect(verification.seedHash).toBe(false);
	});

	test('a hash in upper case is the same hash', () => {
		const entry = entryCopy();
		entry.provablyFair = {...entry.provablyFair, serverSeedHash: game.serverSeedHash.toUpperCase()};
		expect(verifyGame(entry, {announcedHash: game.serverSeedHash.toUpperCase()}).seedHash).toBe(true);
	});

	test('a tampered price in the middle of the path', () => {
		const entry = entryCopy();
		const tick = Math.floor(game.rugTick / 2);
		entry.prices![tick] = entry.prices![tick]! + 1e-12;
		const verification = verifyGame(entry);
		expect(verification.pricePath).toBe(false);
		expect(verification.seedHash).toBe(true);
		expect(verification.notes.join('\n')).toContain(`price at tick ${tick}`);
	});

	test('a path cut short or extended (a different rug tick)', () => {
		const shorter = entryCopy();
		shorter.prices = [...shorter.prices!.slice(0, -2), shorter.prices!.at(-1)!];
		expect(verifyGame(shorter).pricePath).toBe(false);
		const longer = entryCopy();
		longer.prices = [...longer.prices!.slice(0, -1), 1.5, longer.prices!.at(-1)!];
		expect(verifyGame(longer).pricePath).toBe(false);
	});

	test('a wrong peakMultiplier, with and without prices: the peak check fails, the prices themselves still match', () => {
		const entry = entryCopy();
		entry.peakMultiplier = game.peak + 0.01;
		expect(verifyGame(entry)).toMatchObject({pricePath: true, peak: false, notes: [`recomputed peak ${game.peak} ≠ peakMultiplier ${game.peak + 0.01}`]});
		delete entry.prices;
		const verification = verifyGame(entry);
		expect(verification.pricePath).toBeNull();
		expect(verification.peak).toBe(false);
	});

	test('the peak is not checkable without the seed or without peakMultiplier, and the notes say which', () => {
		const noPeak = entryCopy();
		delete noPeak.peakMultiplier;
		expect(verifyGame(noPeak)).toMatchObject({pricePath: true, peak: null, notes: ['no peakMultiplier to compare the recomputed peak with']});
		const noSeed = entryCopy();
		noSeed.provablyFair = {serverSeedHash: game.serverSeedHash};
		expect(verifyGame(noSeed)).toMatchObject({pricePath: null, peak: null, notes: expect.arrayContaining(['no serverSeed revealed', 'price path not recomputable without serverSeed and id']) as unknown});
	});

	test('a sidebet payout against the rule: a loss paid, or a win refused', () => {
		const paid = entryCopy();
		const losing = paid.globalSidebets!.find(record => record.type === 'payout' && record.payout === 0)!;
		losing.payout = 0.005;
		const verification = verifyGame(paid);
		expect(verification.sidebets).toBe(false);
		expect(verification.notes.join('\n')).toMatch(/won but the rug came at tick/);
		expect(verification.seedHash && verification.pricePath).toBe(true);

		const refused = entryCopy();
		const winning = refused.globalSidebets!.find(record => record.type === 'payout' && record.payout! > 0)!;
		winning.payout = 0;
		expect(verifyGame(refused).sidebets).toBe(false);
	});

	test('the rule is ≤: a bet ending exactly on the rug tick wins, one tick earlier loses', () => {
		const base = entryCopy();
		const rug = game.rugTick;
		const record = (endTick: number, payout: number): GlobalSidebet => ({type: 'payout', endTick, payout});
		expect(verifyGame({...base, globalSidebets: [record(rug, 0.005)]}).sidebets).toBe(true);
		expect(verifyGame({...base, globalSidebets: [record(rug - 1, 0)]}).sidebets).toBe(true);
		expect(verifyGame({...base, globalSidebets: [record(rug, 0)]}).sidebets).toBe(false);
		expect(verifyGame({...base, globalSidebets: [record(rug - 1, 0.005)]}).sidebets).toBe(false);
	});

	test('a live price that differs from the seeded path, and one seen after the rug', () => {
		const live = [...game.prices];
		live[3] = live[3]! + 0.5;
		expect(verifyGame(entryCopy(), {livePrices: live}).liveTicks).toBe(false);
		expect(verifyGame(entryCopy(), {liveSamples: [[game.rugTick + 1, 1]]}).liveTicks).toBe(false);
	});

	test('one tick seen with two prices: only one can be right', () => {
		const verification = verifyGame(entryCopy(), {liveSamples: [[1, game.prices[1]!], [1, game.prices[1]! * 2]]});
		expect(verification.liveTicks).toBe(false);
	});

	test('prices that are not numbers are a failed check, not a crash', () => {
		const entry = entryCopy() as unknown as Record<string, unknown>;
		entry['prices'] = [1, '1.2', null];
		const verification = verifyGame(entry);
		expect(verification.pricePath).toBe(false);
		expect(verification.notes.join('\n')).toContain('not a list of numbers');
	});
});

describe('what cannot be checked is null, never true', () => {
	test('no seed revealed', () => {
		const entry = entryCopy();
		entry.provablyFair = {serverSeedHash: game.serverSeedHash};
		expect(verifyGame(entry, {livePrices: game.prices})).toMatchObject({seedHash: null, pricePath: null, liveTicks: null, peak: null});
		expect(overallVerdict(verifyGame(entry))).not.toBe(false);
	});

	test('no hash to compare the seed with', () => {
		const entry = entryCopy();
		entry.provablyFair = {serverSeed: game.serverSeed};
		expect(verifyGame(entry).seedHash).toBeNull();
	});

	test('no live prices seen, no sidebet records', () => {
		const entry = entryCopy();
		entry.globalSidebets = [];
		const verification = verifyGame(entry, {livePrices: []});
		expect(verification.liveTicks).toBeNull();
		expect(verification.sidebets).toBeNull();
	});

	test('garbage in any field never throws', () => {
		fc.assert(fc.property(fc.anything(), fc.anything(), fc.anything(), fc.anything(), (id, prices, fair, sidebets) => {
			const verification = verifyGame({id, prices, provablyFair: fair, globalSidebets: sidebets, peakMultiplier: prices} as unknown as GameHistoryEntry, {livePrices: Array.isArray(prices) ? prices as number[] : undefined});
			expect(['boolean', 'object']).toContain(typeof verification.seedHash);
		}), {numRuns: 300});
		expect(() => verifyGame(null as unknown as GameHistoryEntry)).not.toThrow();
	});
});

describe('properties over many seeds', () => {
	const seeds = fc.tuple(fc.stringMatching(/^[\da-f]{64}$/), fc.stringMatching(/^2025\d{4}-[\da-f]{16}$/));

	test('the path starts at 1, is positive, and a game built from it verifies', () => {
		fc.assert(fc.property(seeds, ([seed, id]) => {
			const path = pricePath(seed, id);
			expect(path[0]).toBe(1);
			expect(path.every(price => price >= 0 && Number.isFinite(price))).toBe(true);
			const entry: GameHistoryEntry = {id, prices: [...path, 0.01], peakMultiplier: Math.max(...path), provablyFair: {serverSeed: seed, serverSeedHash: sha256Hex(seed)}};
			const verification = verifyGame(entry);
			expect(verification.seedHash && verification.pricePath).toBe(true);
			expect(verification.rugTick).toBe(path.length);
		}), {numRuns: 60});
	});

	test('changing any one seeded price fails the path; changing the rug price does not', () => {
		fc.assert(fc.property(seeds, fc.nat(), fc.double({min: 1e-9, max: 10, noNaN: true}), ([seed, id], at, delta) => {
			const path = pricePath(seed, id);
			const prices = [...path, 0.01];
			const entry: GameHistoryEntry = {id, prices, provablyFair: {serverSeed: seed, serverSeedHash: sha256Hex(seed)}};
			const tick = at % path.length;
			const tampered = {...entry, prices: prices.map((price, index) => (index === tick ? price + delta : price))};
			expect(verifyGame(tampered).pricePath).toBe(false);
			const otherRug = {...entry, prices: [...path, 0.01 + delta]};
			expect(verifyGame(otherRug).pricePath).toBe(true);
		}), {numRuns: 60});
	});

	test('any other seed fails the hash check', () => {
		fc.assert(fc.property(seeds, fc.string({minLength: 1}), ([seed, id], other) => {
			fc.pre(other !== seed);
			const entry: GameHistoryEntry = {id, provablyFair: {serverSeed: other, serverSeedHash: sha256Hex(seed)}};
			expect(verifyGame(entry).seedHash).toBe(false);
		}), {numRuns: 100});
	});
});
