import {createHash} from 'node:crypto';
import {describe, expect, test} from 'vitest';
import {makeEnvelope, type Envelope} from '../source/protocol/envelope.js';
import {maxHistoryEntriesPerFrame, maxVerificationsPerFrame} from '../source/state/history.js';
import {createState, reduce} from '../source/state/reducer.js';
import type {GameState} from '../source/state/types.js';
import {pricePath} from '../source/verify/price-path.js';

/**
The cost of a gameStateUpdate is bounded by what it carries, not by what came
before: a gameHistory of 10,000 games (2.2 MB, as a hostile or broken server
could send four times a second) costs at most `maxVerificationsPerFrame`
verifications per frame, each game (id and seed) is verified once however
often it comes back, and only the first `maxHistoryEntriesPerFrame` entries
are looked at. Asserted on the state's own counts of the work done, not on time.
*/

let counter = 0;

/** A finished game as gameHistory carries it, with a real seed (so its verification is real work). */
function entry(index: number, options: {prices?: boolean} = {}): Record<string, unknown> {
	const id = `20251212-${index.toString(16).padStart(16, '0')}`;
	const serverSeed = createHash('sha256').update(`seed-${index}`).digest('hex');
	const path = pricePath(serverSeed, id);
	return {
		id,
		timestamp: 1_765_577_818_000 - (index * 30_000),
		peakMultiplier: Math.max(1, ...path),
		...(options.prices === true ? {prices: [...path, 0.001]} : {}),
		provablyFair: {serverSeed, serverSeedHash: createHash('sha256').update(serverSeed).digest('hex')},
	};
}

function frame(gameHistory: unknown[], gameId = '20251212-ffffffffffffffff'): Envelope {
	counter++;
	return makeEnvelope({seq: counter, ts: 1_765_577_818_000 + (counter * 250), source: 'replay', direction: 'received', event: 'gameStateUpdate', args: [{gameId, active: true, tickCount: counter, price: 1, gameHistory}]});
}

describe('gameHistory: bounded work per frame', () => {
	const huge = Array.from({length: 10_000}, (_, index) => entry(index));

	test('10,000 entries in every frame: at most 10 verifications a frame, each game once, the rest skipped and counted', () => {
		expect(JSON.stringify(huge).length).toBeGreaterThan(2_000_000);
		let state: GameState = createState();
		const perFrame: number[] = [];
		for (let index = 0; index < 20; index++) {
			const before = state.stats.gamesVerified;
			state = reduce(state, frame(huge));
			perFrame.push(state.stats.gamesVerified - before);
		}

		// The first 100 entries, ten a frame, then nothing more to do however often the frame comes back.
		expect(perFrame).toEqual([...Array.from({length: maxHistoryEntriesPerFrame / maxVerificationsPerFrame}, () => maxVerificationsPerFrame), ...Array.from({length: 10}, () => 0)]);
		expect(state.stats.gamesVerified).toBe(maxHistoryEntriesPerFrame);
		expect(state.stats.historyEntriesSkipped).toBe(20 * (10_000 - maxHistoryEntriesPerFrame));
		// The history keeps its 50 newest games, all verified (the seed hash holds).
		expect(state.history).toHaveLength(state.config.maxHistory);
		expect(state.history.map(game => game.id)).toEqual(huge.slice(0, 50).map(item => item['id']));
		expect(state.history.every(game => game.verification?.seedHash === true)).toBe(true);
		expect(state.stats.internalErrors).toBe(0);
	});

	test('a game older than every kept one is not verified again each time it comes back', () => {
		let state: GameState = createState({maxHistory: 5});
		const ten = huge.slice(0, 10);
		for (let index = 0; index < 30; index++) {
			state = reduce(state, frame(ten));
		}

		expect(state.stats.gamesVerified).toBe(10);
		expect(state.history.map(game => game.id)).toEqual(ten.slice(0, 5).map(item => item['id']));
	});

	test('every frame brings 100 games never seen before: still at most 10 verifications a frame', () => {
		let state: GameState = createState();
		for (let index = 0; index < 8; index++) {
			const before = state.stats.gamesVerified;
			state = reduce(state, frame(Array.from({length: 100}, (_, item) => entry(20_000 + (index * 100) + item))));
			expect(state.stats.gamesVerified - before).toBe(maxVerificationsPerFrame);
		}

		expect(state.history).toHaveLength(50);
	});

	test('the real feed\'s shape (its 10 newest games in every frame): all 10 verified at the first frame, then never again', () => {
		let state: GameState = createState();
		const ten = Array.from({length: 10}, (_, index) => entry(50_000 + index, {prices: true}));
		state = reduce(state, frame(ten));
		expect(state.stats.gamesVerified).toBe(10);
		expect(state.history.map(game => game.id)).toEqual(ten.map(item => item['id']));
		expect(state.history.every(game => game.verification?.pricePath === true)).toBe(true);
		for (let index = 0; index < 40; index++) {
			state = reduce(state, frame(ten));
		}

		expect(state.stats.gamesVerified).toBe(10);
		expect(state.stats.historyEntriesSkipped).toBe(0);
	});

	test('a new game joins the history the frame it first appears, verified once', () => {
		let state: GameState = createState();
		const games = Array.from({length: 20}, (_, index) => entry(60_000 + index));
		// A sliding window of ten, newest first, as the feed sends it game after game.
		for (let newest = 10; newest <= 20; newest++) {
			const window = games.slice(20 - newest, 30 - newest);
			for (let repeat = 0; repeat < 3; repeat++) {
				state = reduce(state, frame(window));
			}

			expect(state.history[0]?.id).toBe(window[0]!['id']);
		}

		expect(state.stats.gamesVerified).toBe(20);
	});
});
