import {describe, expect, test} from 'vitest';
import {gameCycle, seedForLength, type GameCycleOptions} from '../source/sim/game-cycle.js';
import {generateSession, type SessionOptions} from '../source/sim/generate-session.js';

function lines(options: SessionOptions): string[] {
	return [...generateSession(options)].map(envelope => JSON.stringify(envelope));
}

describe('determinism', () => {
	test('the same seed and options give byte-identical sessions', () => {
		const options: SessionOptions = {seed: 'same', games: 3, authenticated: true, clientRequests: true, hostileNames: true};
		const first = lines(options);
		expect(first.length).toBeGreaterThan(1000);
		expect(lines(options)).toEqual(first);
	});

	test('a number seed is the same as its text', () => {
		expect(lines({seed: 7, games: 1})).toEqual(lines({seed: '7', games: 1}));
	});

	test('another seed gives another session', () => {
		const a = lines({seed: 'a', games: 1});
		const b = lines({seed: 'b', games: 1});
		expect(a).not.toEqual(b);
		expect(a[0]).not.toEqual(b[0]);
	});

	test('an unbounded session streams: the first events come without generating the rest', () => {
		const session = generateSession({seed: 'endless'});
		let count = 0;
		for (const _envelope of session) {
			if (++count === 5000) {
				break;
			}
		}

		expect(count).toBe(5000);
	});

	test('a game cycle of the same seed and script is byte-identical; another seed gives another', () => {
		const gameId = '20251212-5a5a5a5a5a5a5a5a';
		const options: GameCycleOptions = {
			gameId,
			serverSeed: seedForLength(gameId, 30, 60),
			trades: [{tick: 2, username: 'alice', type: 'buy', qty: 1, amount: 1}],
			sidebetTicks: [1, 9],
			chatTicks: [4],
		};
		const cycle = (more: Partial<GameCycleOptions> = {}) => gameCycle({...options, ...more}).envelopes.map(envelope => JSON.stringify(envelope));
		const first = cycle();
		expect(first.length).toBeGreaterThan(30);
		expect(cycle()).toEqual(first);
		expect(cycle({serverSeed: seedForLength(gameId, 30, 60, 'other')})).not.toEqual(first);
	});

	test('envelopes carry the source label asked for, "demo" by default', () => {
		const [first] = [...generateSession({seed: 'label', games: 1})];
		expect(first).toMatchObject({seq: 1, source: 'demo', direction: 'received'});
		const cdp = [...generateSession({seed: 'label', games: 1, source: 'cdp'})];
		expect(cdp.every(envelope => envelope.source === 'cdp')).toBe(true);
	});
});

describe('options are checked, with errors that say what to do', () => {
	test.each([
		[{games: 0}, /games must be a whole number from 1/],
		[{games: 1.5}, /games must be a whole number/],
		[{rugTicks: {min: 50, max: 10}}, /rugTicks.max must be a whole number from 50/],
		[{rugTicks: {min: 0}}, /rugTicks.min must be a whole number from 1/],
		[{leaderboardSize: -1}, /leaderboardSize must be a whole number from 0/],
		[{historySize: 0}, /historySize must be a whole number from 1/],
		[{startTs: Number.NaN}, /startTs must be epoch milliseconds/],
	] as Array<[SessionOptions, RegExp]>)('%o', (options, message) => {
		expect(() => generateSession(options).next()).toThrow(message);
	});
});
