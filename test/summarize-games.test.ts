import {describe, expect, test} from 'vitest';
import {gameCycle as syntheticGame, seedForLength, type GameCycle as SyntheticGame} from '../source/sim/game-cycle.js';
import type {Envelope} from '../source/protocol/envelope.js';
import {GameCollector} from '../source/analyze/game-collector.js';
import {safeJsonLine} from '../source/record/safe-json.js';
import {summarizeAll, type GameSummary} from '../source/analyze/summarize.js';
import {sha256Hex} from '../source/verify/verify-game.js';

const idA = '20250301-aaaaaaaaaaaaaaaa';
const idB = '20250301-bbbbbbbbbbbbbbbb';
const gameA = syntheticGame({gameId: idA, serverSeed: seedForLength(idA, 60, 80, 'a'), sidebetTicks: [0, 30, 50], seq: 1});
const gameB = syntheticGame({gameId: idB, serverSeed: seedForLength(idB, 90, 120, 'b'), sidebetTicks: [5, 70], seq: gameA.nextSeq, startTs: gameA.endTs + 100});

function summarize(...streams: Array<readonly Envelope[]>): {games: GameSummary[]; collector: GameCollector} {
	const collector = new GameCollector();
	for (const stream of streams) {
		for (const envelope of stream) {
			collector.add(envelope);
		}
	}

	return {games: summarizeAll(collector).map(game => game.summary), collector};
}

function only(games: GameSummary[], id: string): GameSummary {
	const matches = games.filter(game => game.gameId === id);
	expect(matches).toHaveLength(1);
	return matches[0]!;
}

/** Sidebet counts from the entry's records, worked out here: one bet per (player, start tick) over both kinds. */
function expectedCounts(game: SyntheticGame) {
	const records = game.entry.globalSidebets ?? [];
	const outcomes = new Map<string, string>();
	for (const record of records) {
		const key = `${record.playerId}/${record.type === 'placed' ? record.startedAtTick : record.startTick}`;
		if (record.type === 'payout') {
			outcomes.set(key, record.payout! > 0 ? 'won' : 'lost');
		} else if (!outcomes.has(key)) {
			outcomes.set(key, 'unsettled');
		}
	}

	const count = (outcome: string) => [...outcomes.values()].filter(value => value === outcome).length;
	return {
		placed: outcomes.size,
		won: count('won'),
		lost: count('lost'),
		unsettled: count('unsettled'),
		placedRecords: records.filter(record => record.type === 'placed').length,
		payoutRecords: records.filter(record => record.type === 'payout').length,
	};
}

/** A copy of a game's envelopes with one gameStateUpdate payload changed. */
function withFrame(game: SyntheticGame, pick: (data: Record<string, unknown>) => boolean, change: (data: Record<string, unknown>) => void): Envelope[] {
	return game.envelopes.map(envelope => {
		if (envelope.event !== 'gameStateUpdate' || !pick(envelope.data as Record<string, unknown>)) {
			return envelope;
		}

		const data = structuredClone(envelope.data) as Record<string, unknown>;
		change(data);
		return {...envelope, data};
	});
}

describe('summarize: complete games', () => {
	const {games} = summarize(gameA.envelopes, gameB.envelopes);

	test('one record per game, in the order played, with every field from the authoritative entry', () => {
		expect(games.map(game => game.gameId)).toEqual([idA, idB]);
		for (const game of [gameA, gameB]) {
			const summary = only(games, game.gameId);
			expect(summary).toMatchObject({
				rugged: true,
				rugTick: game.rugTick,
				rugPrice: game.prices.at(-1),
				peak: game.peak,
				ticksObserved: game.rugTick + 1,
				trades: game.trades,
				sidebets: expectedCounts(game),
				verified: {seedHash: true, pricePath: true, liveTicks: true, sidebets: true, peak: true},
				fromHistory: true,
				seenLive: true,
				serverSeedHash: game.serverSeedHash,
				notes: [],
			});
			expect(summary.startTime).toMatch(/^\d{4}-\d\d-\d\dT/);
			expect(summary.endTime).toBe(new Date(game.entry.timestamp!).toISOString());
		}
	});

	test('the fixtures exercise won and lost sidebets', () => {
		const counts = expectedCounts(gameA);
		expect(counts.won).toBeGreaterThan(0);
		expect(counts.lost).toBeGreaterThan(0);
	});
});

describe('summarize: deduplication', () => {
	test('the same frames in two files (two recorders at once) count once', () => {
		const once = summarize(gameA.envelopes).games;
		const twice = summarize(gameA.envelopes, gameA.envelopes).games;
		expect(twice).toEqual(once);
	});

	test('a game known from a later gameHistory and from its own frames is one game', () => {
		// The next game's first frame repeats A's entry, as the live feed does for ten games.
		const repeat = {...gameB.envelopes[0]!, data: {...(gameB.envelopes[0]!.data as object), gameHistory: [gameA.entry]}};
		const {games} = summarize(gameA.envelopes, [repeat, ...gameB.envelopes.slice(1)]);
		expect(games.map(game => game.gameId)).toEqual([idA, idB]);
	});

	test('the frames after the rug (tick N+1 repeating the rug price) are not ticks of the game', () => {
		const summary = only(summarize(gameA.envelopes).games, idA);
		expect(summary.ticksObserved).toBe(gameA.rugTick + 1);
		expect(summary.verified.liveTicks).toBe(true);
	});

	test('requests the page sent are not evidence about a game', () => {
		const sent = gameA.envelopes.map(envelope => ({...envelope, direction: 'sent' as const}));
		expect(summarize(sent).games).toEqual([]);
	});
});

describe('summarize: partial recordings', () => {
	test('a game seen only live: values from the frames, checks and sidebets null', () => {
		const live = gameA.envelopes.filter(envelope => !(envelope.data as {gameHistory?: unknown}).gameHistory);
		const summary = only(summarize(live).games, idA);
		expect(summary).toMatchObject({
			rugged: true,
			rugTick: gameA.rugTick,
			rugPrice: gameA.prices.at(-1),
			peak: gameA.peak,
			ticksObserved: gameA.rugTick + 1,
			trades: gameA.trades,
			sidebets: {placed: null, won: null, lost: null, unsettled: null, placedRecords: null, payoutRecords: null},
			verified: {seedHash: null, pricePath: null, liveTicks: null, sidebets: null, peak: null},
			fromHistory: false,
			endTime: null,
		});
		expect(summary.notes.join(' ')).toContain('no gameHistory entry');
	});

	test('a recording that starts mid-game: fewer ticks observed, no start time, still verified', () => {
		const firstActive = gameA.envelopes.findIndex(envelope => (envelope.data as {tickCount?: number}).tickCount === 20);
		const summary = only(summarize(gameA.envelopes.slice(firstActive)).games, idA);
		expect(summary.ticksObserved).toBe(gameA.rugTick + 1 - 20);
		expect(summary.startTime).toBeNull();
		expect(summary.verified).toMatchObject({seedHash: true, pricePath: true, liveTicks: true});
	});

	test('a game seen only in cooldown: not rugged, nothing known, nothing claimed', () => {
		const cooldown = gameA.envelopes.filter(envelope => typeof (envelope.data as {cooldownTimer?: number}).cooldownTimer === 'number' && (envelope.data as {cooldownTimer: number}).cooldownTimer > 10_000);
		const summary = only(summarize(cooldown).games, idA);
		expect(summary).toMatchObject({rugged: false, rugTick: null, rugPrice: null, peak: null, ticksObserved: 0, trades: 0, serverSeedHash: gameA.serverSeedHash});
	});

	test('an entry without prices (the 2026 feed): rug tick from the verified seed, peak checked instead of the path', () => {
		const noPrices = withFrame(gameA, data => Array.isArray(data['gameHistory']), data => {
			const [entry] = data['gameHistory'] as Array<Record<string, unknown>>;
			delete entry!['prices'];
		});
		const summary = only(summarize(noPrices).games, idA);
		expect(summary).toMatchObject({rugTick: gameA.rugTick, rugPrice: gameA.prices.at(-1), peak: gameA.peak, verified: {seedHash: true, pricePath: null, peak: true, liveTicks: true, sidebets: true}});
	});
});

describe('summarize: tampered recordings are reported false', () => {
	test('a live price that is not the seeded one', () => {
		const tampered = withFrame(gameA, data => data['tickCount'] === 10 && data['rugged'] === false, data => {
			data['price'] = (data['price'] as number) + 0.25;
		});
		const summary = only(summarize(tampered).games, idA);
		expect(summary.verified).toMatchObject({liveTicks: false, pricePath: true, seedHash: true});
		expect(summary.notes.join(' ')).toContain('tick 10');
	});

	test('a price in the gameHistory entry', () => {
		const tampered = withFrame(gameA, data => Array.isArray(data['gameHistory']), data => {
			const [entry] = data['gameHistory'] as Array<{prices: number[]}>;
			entry!.prices[5] = 9;
		});
		expect(only(summarize(tampered).games, idA).verified.pricePath).toBe(false);
	});

	test('a hash announced during the game that the revealed seed does not match', () => {
		const tampered = withFrame(gameA, data => data['cooldownTimer'] === 15_000, data => {
			data['provablyFair'] = {serverSeedHash: sha256Hex('promised something else'), version: 'v3'};
		});
		const summary = only(summarize(tampered).games, idA);
		expect(summary.verified.seedHash).toBe(false);
	});

	test('a sidebet paid against the rule', () => {
		const tampered = withFrame(gameA, data => Array.isArray(data['gameHistory']), data => {
			const [entry] = data['gameHistory'] as Array<{globalSidebets: Array<{type: string; payout?: number}>}>;
			const payout = entry!.globalSidebets.find(record => record.type === 'payout')!;
			payout.payout = payout.payout! > 0 ? 0 : 0.01;
		});
		expect(only(summarize(tampered).games, idA).verified.sidebets).toBe(false);
	});

	test('two different entries for one game: both are checked, the failure wins, and it is said', () => {
		const forged = structuredClone(gameA.entry);
		forged.prices![3] = 2;
		const extra = {...gameB.envelopes[0]!, data: {...(gameB.envelopes[0]!.data as object), gameHistory: [forged]}};
		const summary = only(summarize(gameA.envelopes, [extra]).games, idA);
		expect(summary.verified.pricePath).toBe(false);
		expect(summary.notes[0]).toBe('2 different gameHistory entries were recorded for this game');
	});
});

describe('summarize: trades', () => {
	test('counted once per trade id; a lossy recorder\'s trades without payload are counted apart', () => {
		const trades = gameA.envelopes.filter(envelope => envelope.event === 'standard/newTrade');
		expect(trades.length).toBe(gameA.trades);
		const lossy = trades.map(envelope => ({...envelope, data: null}));
		const {games, collector} = summarize(gameA.envelopes, trades, lossy);
		expect(only(games, idA).trades).toBe(gameA.trades);
		expect(collector.stats.tradesWithoutPayload).toBe(trades.length);
	});
});

describe('summarize output is safe on a terminal', () => {
	test('control, C1 and bidi characters from the feed are escaped, and the line still parses to the same value', () => {
		const hostile = {gameId: 'a\u001B[2Jb\u009B31mc\u202Ed\u2028e\u007F'};
		const line = safeJsonLine(hostile);
		// eslint-disable-next-line no-control-regex -- control characters are what it looks for
		expect(line).not.toMatch(/[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/);
		expect(JSON.parse(line)).toEqual(hostile);
	});
});
