import fc from 'fast-check';
import {describe, expect, test} from 'vitest';
import {makeEnvelope, type Envelope} from '../source/protocol/envelope.js';
import {checkPayload} from '../source/protocol/validate.js';
import {maxTick} from '../source/state/game.js';
import {maxHistoryEntriesPerFrame, maxVerificationsPerFrame} from '../source/state/history.js';
import {createState, reduce} from '../source/state/reducer.js';
import type {GameState} from '../source/state/types.js';
import {envelopes, gameIdPool, hugeHistoryFrame, step} from './helpers/feed-arbitraries.js';
import {check, nastyJson, nastyString, testTimeout} from './helpers/fuzz.js';
import {corpusEnvelopes} from './helpers/mutate.js';

/**
Fuzzing the state: game-shaped sequences with every field possibly wrong —
ticks going backwards, huge and negative numbers, NaN-like strings, a gameId
changing mid-game, gameHistory of any shape — plus exact counts where the
damage is known: each wrong-typed field is one field error, each unknown event
one unknown event, each frame of a replaced game one stale frame.
*/

const pool = gameIdPool;
const any = nastyJson({maxDepth: 2});
const config = {maxTrades: 20, maxHistory: 8, maxSidebets: 12};
// eslint-disable-next-line no-control-regex -- what must never reach the terminal: control characters are the point
const unsafeText = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

function expectClean(text: string | undefined): void {
	if (text !== undefined) {
		expect(text).not.toMatch(unsafeText);
	}
}

/** What must hold after every event, whatever came before. */
function expectInvariants(state: GameState, previous: GameState, envelope: Envelope): void {
	const {stats} = state;
	expect(stats.internalErrors).toBe(0);
	expect(stats.events).toBe(previous.stats.events + 1);
	expect(stats.fieldErrors).toBeGreaterThanOrEqual(previous.stats.fieldErrors);
	// Every buffer capped: memory stays flat however long it runs.
	expect(state.trades.length).toBeLessThanOrEqual(config.maxTrades);
	expect(state.history.length).toBeLessThanOrEqual(config.maxHistory);
	expect(state.sidebets.length).toBeLessThanOrEqual(config.maxSidebets);
	expect(state.pastGameIds.length).toBeLessThanOrEqual(20);
	expect(state.announcedHashes.length).toBeLessThanOrEqual(20);
	for (const game of [state.game, state.previousGame]) {
		if (game === undefined) {
			continue;
		}

		expect(Number.isInteger(game.tick)).toBe(true);
		expect(game.tick).toBeGreaterThanOrEqual(-1);
		expect(game.tick).toBeLessThanOrEqual(maxTick);
		expect(game.prices.length).toBeLessThanOrEqual(maxTick + 1);
		expect(game.prices.every(value => Number.isNaN(value) || Number.isFinite(value))).toBe(true);
		expect(Number.isFinite(game.peak)).toBe(true);
		if (game.price !== undefined) {
			expect(Number.isFinite(game.price)).toBe(true);
		}

		if (game.rugTick !== undefined) {
			expect(Number.isInteger(game.rugTick) && game.rugTick >= 0 && game.rugTick <= maxTick).toBe(true);
		}
	}

	const previousGame = previous.game;
	const data = envelope.data as Record<string, unknown> | null;
	if (state.game !== undefined && previousGame?.id === state.game.id && !(typeof data === 'object' && data !== null && 'gameHistory' in data)) {
		// Late or repeated ticks never move the tick back (only a gameHistory entry may correct it).
		expect(state.game.tick).toBeGreaterThanOrEqual(previousGame.tick);
	}

	// Text from the feed reaches the state cleaned.
	for (const row of state.trades) {
		expectClean(row.username);
		expectClean(row.type);
	}

	for (const row of state.sidebets) {
		expectClean(row.owner);
	}

	expectClean(state.username);
	expectClean(state.position?.name);
}

describe('reducer fuzzing', () => {
	test('game-shaped sequences with any field wrong: never throws, never an internal error, every buffer capped, text cleaned, the tick never moves back', () => {
		check(fc.property(fc.array(step, {minLength: 1, maxLength: 60}), steps => {
			let state = createState(config);
			for (const envelope of envelopes(steps)) {
				const next = reduce(state, envelope);
				expectInvariants(next, state, envelope);
				state = next;
			}
		}), 300);
	}, testTimeout());

	test('ticks in any order, repeated and going backwards: the tick is the highest seen and each tick keeps its price', () => {
		const priceAt = (at: number) => 1 + (at / 100);
		check(fc.property(fc.array(fc.integer({min: 0, max: 200}), {minLength: 1, maxLength: 80}), ticks => {
			let state = createState();
			for (const [index, at] of ticks.entries()) {
				state = reduce(state, makeEnvelope({seq: index + 1, ts: 1_765_577_818_000 + index, source: 'replay', direction: 'received', event: 'gameStateUpdate', args: [{gameId: pool[0], active: true, rugged: false, price: priceAt(at), tickCount: at}]}));
			}

			const seen = new Set(ticks);
			const top = Math.max(...ticks);
			expect(state.game?.tick).toBe(top);
			expect(state.game?.price).toBe(priceAt(top));
			expect(state.game?.prices).toHaveLength(top + 1);
			for (let at = 0; at <= top; at++) {
				expect(state.game?.prices[at]).toBe(seen.has(at) ? priceAt(at) : Number.NaN);
			}
		}), 200);
	}, testTimeout());

	test('a gameId changing mid-game: the new game takes over; every later frame of the old one is a counted stale frame that changes nothing', () => {
		check(fc.property(fc.integer({min: 1, max: 30}), fc.array(fc.boolean(), {minLength: 1, maxLength: 60}), (before, after) => {
			const [a, b] = pool as [string, string];
			const frames: Array<[string, number]> = [];
			for (let at = 0; at < before; at++) {
				frames.push([a, at]);
			}

			frames.push([b, 0]);
			const counters = {a: before, b: 1};
			for (const isOld of after) {
				frames.push(isOld ? [a, counters.a++] : [b, counters.b++]);
			}

			let state = createState();
			let bState: GameState | undefined;
			for (const [index, [id, at]] of frames.entries()) {
				state = reduce(state, makeEnvelope({seq: index + 1, ts: 1_765_577_818_000 + index, source: 'replay', direction: 'received', event: 'gameStateUpdate', args: [{gameId: id, active: true, rugged: false, price: 1 + at, tickCount: at}]}));
				if (id === b) {
					bState = state;
				} else if (bState !== undefined) {
					// A stale frame leaves the current game exactly as it was.
					expect(state.game).toBe(bState.game);
				}
			}

			expect(state.game?.id).toBe(b);
			expect(state.game?.tick).toBe(counters.b - 1);
			expect(state.previousGame?.id).toBe(a);
			expect(state.previousGame?.tick).toBe(before - 1);
			expect(state.stats.staleFrames).toBe(after.filter(Boolean).length);
		}), 200);
	}, testTimeout());

	test('gameHistory of unbounded length, hostile and repeated ids, among ordinary frames: the work of each frame is bounded, each game verified once', () => {
		check(fc.property(fc.array(fc.oneof({weight: 1, arbitrary: hugeHistoryFrame}, {weight: 3, arbitrary: step}), {minLength: 1, maxLength: 12}), steps => {
			let state = createState(config);
			const verifiedKeys = new Set<string>();
			for (const envelope of envelopes(steps)) {
				const previous = state;
				state = reduce(state, envelope);
				expectInvariants(state, previous, envelope);
				const history = (envelope.data as {gameHistory?: unknown} | null)?.gameHistory;
				const length = envelope.direction === 'received' && envelope.event === 'gameStateUpdate' && Array.isArray(history) ? history.length : 0;
				expect(state.stats.gamesVerified - previous.stats.gamesVerified).toBeLessThanOrEqual(maxVerificationsPerFrame);
				expect(state.stats.historyEntriesSkipped - previous.stats.historyEntriesSkipped).toBe(Math.max(0, length - maxHistoryEntriesPerFrame));
				expect(state.verifiedGames.length).toBeLessThanOrEqual(256);
				for (const key of state.verifiedGames.slice(0, state.stats.gamesVerified - previous.stats.gamesVerified)) {
					// A key verified in this frame was never verified before (while it is remembered).
					expect(verifiedKeys.has(key)).toBe(false);
					verifiedKeys.add(key);
				}
			}
		}), 60);
	}, testTimeout());

	test('each wrong-typed or missing field of a real payload is exactly one field error, and the rest is still used', () => {
		const specs: Record<string, Record<string, 'number' | 'string' | 'boolean' | 'array' | 'object'>> = {
			gameStateUpdate: {gameId: 'string', active: 'boolean', rugged: 'boolean', price: 'number', tickCount: 'number', cooldownTimer: 'number', cooldownPaused: 'boolean', allowPreRoundBuys: 'boolean', tradeCount: 'number', connectedPlayers: 'number', partialPrices: 'object', leaderboard: 'array', gameHistory: 'array', provablyFair: 'object'},
			'standard/newTrade': {id: 'string', gameId: 'string', playerId: 'string', type: 'string', price: 'number', qty: 'number', amount: 'number', tickIndex: 'number'},
			playerUpdate: {cash: 'number', positionQty: 'number', avgCost: 'number', cumulativePnL: 'number', pnlPercent: 'number', totalInvested: 'number', sidebets: 'array'},
		};
		const required: Record<string, string[]> = {gameStateUpdate: ['gameId'], 'standard/newTrade': ['gameId', 'type'], playerUpdate: []};
		const wrong = {
			number: ['12', true, [], {}, null, Number.POSITIVE_INFINITY, 'NaN'],
			string: [12, true, [], {}, null],
			boolean: ['true', 1, [], {}, null],
			array: [{}, '[]', 1, true, null],
			object: [[], 'x', 1, true, null],
		};
		// Real payloads that check clean, from the generated session.
		const clean = corpusEnvelopes().filter(envelope => envelope.event in specs && envelope.direction === 'received' && checkPayload(envelope.event, envelope.data).length === 0);
		expect(clean.length).toBeGreaterThan(100);
		check(fc.property(fc.constantFrom(...clean), fc.array(fc.tuple(fc.nat(), fc.nat(), fc.boolean())), (envelope, damage) => {
			const spec = specs[envelope.event]!;
			const data = {...envelope.data as Record<string, unknown>};
			const present = Object.keys(spec).filter(field => field in data);
			const damaged = new Set<string>();
			for (const [which, value, remove] of damage) {
				const field = present[which % Math.max(1, present.length)];
				if (field === undefined || damaged.has(field)) {
					continue;
				}

				damaged.add(field);
				if (remove && required[envelope.event]!.includes(field)) {
					// eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- a field missing from the payload's copy is the damage under test
					delete data[field];
				} else {
					const choices = wrong[spec[field]!];
					data[field] = choices[value % choices.length];
				}
			}

			const state = reduce(createState(), {...envelope, data});
			expect(state.stats.fieldErrors).toBe(damaged.size);
			expect(state.stats.internalErrors).toBe(0);
			expect(state.stats.lastProblem === undefined).toBe(damaged.size === 0);
		}), 400);
	}, testTimeout());

	test('each event the feed is not known to send is counted once as unknown; known ones never are', () => {
		const known = new Set(['gameStateUpdate', 'standard/newTrade', 'playerUpdate', 'gameStatePlayerUpdate', 'usernameStatus', 'currentSidebet', 'currentSidebetResult', 'newSideBet', 'newChatMessage', 'goldenHourUpdate', 'goldenHourDrawing', 'battleEventUpdate', 'sidebetEventUpdate', 'maintenanceUpdate', 'rugRoyaleUpdate', 'rugpassStatus', 'playerLeaderboardPosition', 'leaderboardData', 'chatHistory', 'inboxMessages', 'mutedPlayers', 'playerCosmetics', 'ack', 'connect', 'disconnect', 'connect_error']);
		check(fc.property(fc.array(fc.tuple(fc.oneof(fc.constantFrom(...known), nastyString, fc.string({maxLength: 12})), any), {maxLength: 40}), events => {
			let state = createState();
			for (const [index, [event, data]] of events.entries()) {
				state = reduce(state, makeEnvelope({seq: index + 1, ts: 1_765_577_818_000 + index, source: 'replay', direction: 'received', event, args: [data]}));
			}

			expect(state.stats.unknownEvents).toBe(events.filter(([event]) => !known.has(event)).length);
			expect(state.stats.internalErrors).toBe(0);
		}), 300);
	}, testTimeout());
});
