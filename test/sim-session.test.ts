import {describe, expect, test} from 'vitest';
import type {Envelope} from '../source/protocol/envelope.js';
import {generateSession, wireFrame} from '../source/sim/generate-session.js';
import {pricePath} from '../source/verify/price-path.js';
import {gamesOf, historyById, isFrame, median, type Frame, type GameView} from './helpers/sessions.js';

const countdownKeys = ['gameId', 'cooldownTimer', 'cooldownPaused', 'allowPreRoundBuys', 'leaderboard', 'connectedPlayers', 'provablyFair'];
const tradeTypes = ['buy', 'sell', 'short_open', 'short_close'];

// Quirks off: the plain facts of PROTOCOL.md, exactly.
const plain = [...generateSession({seed: 'phases', games: 6, quirks: false})];
const plainGames = gamesOf(plain).slice(0, 6);
const plainHistory = historyById(plain);

function cooldownFrames(game: GameView): Frame[] {
	return game.frames.map(frame => frame.data).filter(data => data['allowPreRoundBuys'] === false && data['active'] !== true);
}

function presaleFrames(game: GameView): Frame[] {
	return game.frames.map(frame => frame.data).filter(data => data['allowPreRoundBuys'] === true);
}

function activeTicks(game: GameView): Array<{ts: number; data: Frame}> {
	return game.frames.filter(({data}) => data['active'] === true && data['rugged'] === false && data['gameHistory'] === undefined);
}

describe('a session without quirks follows the documented phases', () => {
	test('six games are played, then the next cooldown opens', () => {
		const games = gamesOf(plain);
		expect(games).toHaveLength(7);
		expect(games.slice(0, 6).every(game => game.rug !== undefined)).toBe(true);
		// The closing frame reveals the last game played.
		const closing = plain.at(-1)!.data as Frame;
		expect(closing['cooldownTimer']).toBe(15_000);
		expect((closing['gameHistory'] as Frame[])[0]!['id']).toBe(games[5]!.id);
	});

	test('COOLDOWN: the big 15000 frame, then 14900 → 10100 every 100 ms with only the seven countdown fields', () => {
		for (const game of plainGames) {
			const frames = cooldownFrames(game);
			expect(frames.map(frame => frame['cooldownTimer'])).toEqual(Array.from({length: 50}, (_, index) => 15_000 - (index * 100)));
			const [opening, ...rest] = frames;
			expect(opening).toMatchObject({active: false, price: 1, tickCount: 0, rugged: false, cooldownTimer: 15_000});
			expect(Array.isArray(opening!['gameHistory'])).toBe(true);
			expect(typeof opening!['averageMultiplier']).toBe('number');
			for (const frame of rest) {
				expect(Object.keys(frame)).toEqual(countdownKeys);
				expect(frame['provablyFair']).toEqual({serverSeedHash: expect.stringMatching(/^[\da-f]{64}$/) as string, version: 'v3'});
			}

			const times = game.frames.filter(({data}) => data['allowPreRoundBuys'] === false && data['active'] === undefined).map(frame => frame.ts);
			for (let index = 1; index < times.length; index++) {
				expect(times[index]! - times[index - 1]!).toBeGreaterThanOrEqual(94);
				expect(times[index]! - times[index - 1]!).toBeLessThanOrEqual(106);
			}
		}
	});

	test('the cooldown shows the previous game\'s final leaderboard (top 10)', () => {
		for (const [index, game] of plainGames.entries()) {
			const board = cooldownFrames(game)[1]!['leaderboard'] as Frame[];
			expect(board.length).toBeLessThanOrEqual(10);
			if (index > 0) {
				expect(board).toEqual(plainGames[index - 1]!.rug!.data['leaderboard']);
			}
		}
	});

	test('PRESALE: allowPreRoundBuys while the timer runs 10000 → 100; its first frame has price 1, tick 0, an empty leaderboard', () => {
		for (const game of plainGames) {
			const frames = presaleFrames(game);
			expect(frames.map(frame => frame['cooldownTimer'])).toEqual([10_000, ...Array.from({length: 100}, (_, index) => 10_000 - (index * 100))]);
			expect(frames[0]).toMatchObject({
				price: 1,
				tickCount: 0,
				active: false,
				rugged: false,
				leaderboard: [],
				partialPrices: {startTick: 0, endTick: 0, values: {0: 1}},
			});
		}
	});

	test('ACTIVE: a frame per tick every 247–258 ms, price = the provably-fair path, partialPrices over the last ≤ 5 ticks', () => {
		for (const game of plainGames) {
			const entry = plainHistory.get(game.id)!;
			const path = pricePath((entry['provablyFair'] as Frame)['serverSeed'] as string, game.id);
			const ticks = activeTicks(game);
			expect(ticks.map(({data}) => data['tickCount'])).toEqual(Array.from({length: path.length}, (_, index) => index));
			for (let index = 1; index < ticks.length; index++) {
				const {ts, data} = ticks[index]!;
				expect(ts - ticks[index - 1]!.ts).toBeGreaterThanOrEqual(247);
				expect(ts - ticks[index - 1]!.ts).toBeLessThanOrEqual(258);
				expect(data['price']).toBe(path[index]);
				const partial = data['partialPrices'] as {startTick: number; endTick: number; values: Record<string, number>};
				expect(partial.endTick).toBe(index);
				expect(partial.startTick).toBe(Math.max(0, index - 4));
				expect(Object.keys(partial.values)).toHaveLength(partial.endTick - partial.startTick + 1);
				expect(partial.values[index]).toBe(path[index]);
				expect((data['leaderboard'] as unknown[]).length).toBeLessThanOrEqual(10);
			}
		}
	});

	test('RUG: at tick N = path length, rugged while active stays true, the price collapses to 0.002–0.02', () => {
		for (const game of plainGames) {
			const entry = plainHistory.get(game.id)!;
			const prices = entry['prices'] as number[];
			const rug = game.rug!.data;
			expect(rug).toMatchObject({active: true, rugged: true, tickCount: prices.length - 1, price: prices.at(-1)});
			expect(rug['price']).toBeGreaterThanOrEqual(0.002);
			expect(rug['price']).toBeLessThanOrEqual(0.02);
		}
	});

	test('after the rug: 0.8–5.3 s later a 250–600 KB frame of the same game, tick N+1 or N+2, with the previous 10 games; the next cooldown adds this one', () => {
		const sizes: number[] = [];
		for (const [index, game] of plainGames.entries()) {
			const rug = game.rug!;
			const after = game.frames.find(frame => frame.index > rug.index && frame.data['gameHistory'] !== undefined)!;
			expect(after.ts - rug.ts).toBeGreaterThanOrEqual(800);
			expect(after.ts - rug.ts).toBeLessThanOrEqual(5300);
			const rugTick = rug.data['tickCount'] as number;
			expect([rugTick + 1, rugTick + 2]).toContain(after.data['tickCount']);
			expect(after.data).toMatchObject({active: true, rugged: true, price: rug.data['price']});
			const history = after.data['gameHistory'] as Frame[];
			expect(history).toHaveLength(10);
			// As on the real feed, this frame does not list the game that just rugged yet.
			expect(history.some(entry => entry['id'] === game.id)).toBe(false);
			const timestamps = history.map(entry => entry['timestamp'] as number);
			expect(timestamps).toEqual(timestamps.toSorted((a, b) => b - a));
			const next = index + 1 < plainGames.length ? plainGames[index + 1]! : undefined;
			if (next !== undefined) {
				expect((cooldownFrames(next)[0]!['gameHistory'] as Frame[])[0]!['id']).toBe(game.id);
			}

			sizes.push(wireFrame(plain[after.index]!).length);
		}

		for (const size of sizes) {
			expect(size).toBeGreaterThan(150_000);
			expect(size).toBeLessThan(700_000);
		}

		expect(median(sizes)).toBeGreaterThan(250_000);
		expect(median(sizes)).toBeLessThan(600_000);
	});

	test('game ids are YYYYMMDD-<16 hex> of the day they run, and never repeat', () => {
		const ids = gamesOf(plain).map(game => game.id);
		expect(new Set(ids).size).toBe(ids.length);
		for (const game of gamesOf(plain)) {
			const day = new Date(game.frames[0]!.ts).toISOString().slice(0, 10).replaceAll('-', '');
			expect(game.id).toMatch(new RegExp(String.raw`^${day}-[\da-f]{16}$`));
		}
	});

	test('arrival times never go backwards; seq counts from 1', () => {
		for (let index = 1; index < plain.length; index++) {
			expect(plain[index]!.ts).toBeGreaterThanOrEqual(plain[index - 1]!.ts);
			expect(plain[index]!.seq).toBe(index + 1);
		}
	});
});

describe('trades and chat', () => {
	const session = [...generateSession({seed: 'trades', games: 60})];
	const trades = session.filter(envelope => envelope.event === 'standard/newTrade');
	const games = new Map(gamesOf(session).map(game => [game.id, game]));
	const history = historyById(session);

	test('trades arrive as two arguments [trace, payload], the payload in data', () => {
		expect(trades.length).toBeGreaterThan(100);
		for (const trade of trades) {
			expect(trade.extra).toEqual([{__trace: true, traceparent: expect.stringMatching(/^00-[\da-f]{32}-[\da-f]{16}-01$/) as string}]);
			const payload = trade.data as Frame;
			expect(payload).toMatchObject({id: expect.stringMatching(/^[\da-f]{8}-[\da-f]{4}-4[\da-f]{3}-[89ab][\da-f]{3}-[\da-f]{12}$/) as string, coin: 'solana'});
			expect(payload['playerId']).toMatch(/^did:privy:c[\da-z]{24}$/);
			expect(tradeTypes).toContain(payload['type']);
			for (const field of ['price', 'qty', 'amount', 'tickIndex', 'level']) {
				expect(typeof payload[field]).toBe('number');
			}
		}
	});

	test('each trade is priced at its own tick, 0–8 ticks behind the live tick', () => {
		const liveTick = new Map<string, number>();
		for (const envelope of session) {
			if (isFrame(envelope)) {
				const data = envelope.data as Frame;
				if (data['active'] === true && typeof data['tickCount'] === 'number') {
					liveTick.set(data['gameId'] as string, Math.max(liveTick.get(data['gameId'] as string) ?? 0, data['tickCount']));
				}

				continue;
			}

			if (envelope.event !== 'standard/newTrade') {
				continue;
			}

			const payload = envelope.data as Frame;
			const entry = history.get(payload['gameId'] as string)!;
			expect((entry['prices'] as number[])[payload['tickIndex'] as number]).toBe(payload['price']);
			const live = liveTick.get(payload['gameId'] as string) ?? 0;
			expect(live - (payload['tickIndex'] as number)).toBeGreaterThanOrEqual(0);
			expect(live - (payload['tickIndex'] as number)).toBeLessThanOrEqual(8);
			expect(games.has(payload['gameId'] as string)).toBe(true);
		}
	});

	test('0.35–0.47 trades per second on average', () => {
		const seconds = (session.at(-1)!.ts - session[0]!.ts) / 1000;
		const rate = trades.length / seconds;
		expect(rate).toBeGreaterThanOrEqual(0.35);
		expect(rate).toBeLessThanOrEqual(0.47);
	});

	test('every trade type appears; buys carry a quantity of amount / price', () => {
		const seen = new Set(trades.map(trade => (trade.data as Frame)['type'] as string));
		expect([...seen].toSorted()).toEqual(tradeTypes.toSorted());
		for (const trade of trades) {
			const payload = trade.data as Frame;
			if (payload['type'] === 'buy') {
				expect(payload['qty']).toBeCloseTo((payload['amount'] as number) / (payload['price'] as number), 8);
			}
		}
	});

	test('chat arrives as two arguments too', () => {
		const chat = session.filter(envelope => envelope.event === 'newChatMessage');
		expect(chat.length).toBeGreaterThan(0);
		for (const message of chat) {
			expect(message.extra).toHaveLength(1);
			expect(typeof (message.data as Frame)['message']).toBe('string');
		}
	});
});

describe('the feed\'s quirks, seeded and occasional', () => {
	const session = [...generateSession({seed: 'quirks', games: 60})];
	const games = gamesOf(session);

	test('a 15000 frame that comes after the 14900 one, and cooldowns without it', () => {
		let late = 0;
		let missing = 0;
		for (const game of games.slice(1, -1)) {
			const timers = game.frames.map(frame => frame.data).filter(data => data['allowPreRoundBuys'] === false && data['active'] !== true).map(data => data['cooldownTimer']);
			if (timers[0] === 14_900 && timers[1] === 15_000) {
				late++;
			} else if (!timers.includes(15_000)) {
				missing++;
			}
		}

		expect(late).toBeGreaterThan(0);
		expect(missing).toBeGreaterThan(0);
	});

	test('late or repeated ticks (tick 0 twice; a tick after a later one)', () => {
		let repeatedZero = 0;
		let late = 0;
		for (const game of games) {
			let highest = -1;
			let zeros = 0;
			for (const {data} of game.frames) {
				if (data['active'] !== true || data['rugged'] === true || data['gameHistory'] !== undefined) {
					continue;
				}

				const tick = data['tickCount'] as number;
				zeros += tick === 0 ? 1 : 0;
				late += tick < highest ? 1 : 0;
				highest = Math.max(highest, tick);
			}

			repeatedZero += zeros > 1 ? 1 : 0;
		}

		expect(repeatedZero).toBeGreaterThan(0);
		expect(late).toBeGreaterThan(0);
	});

	test('a third gameHistory frame at the new game\'s tick 0', () => {
		const atZero = games.filter(game => game.frames.some(({data}) => data['active'] === true && data['tickCount'] === 0 && Array.isArray(data['gameHistory'])));
		expect(atZero.length).toBeGreaterThan(0);
	});

	test('old and new game frames interleave around the rug', () => {
		let interleaved = 0;
		for (const [index, game] of games.entries()) {
			const next = games[index + 1];
			if (next !== undefined && game.frames.at(-1)!.index > next.frames[0]!.index) {
				interleaved++;
				// Only the old game's post-rug frame comes late.
				expect(game.frames.filter(frame => frame.index > next.frames[0]!.index).every(frame => frame.data['rugged'] === true)).toBe(true);
			}
		}

		expect(interleaved).toBeGreaterThan(0);
	});

	test('a stall flushed as a burst: 40 or more events within 250 ms', () => {
		let largest = 0;
		let start = 0;
		for (let end = 0; end < session.length; end++) {
			while (session[end]!.ts - session[start]!.ts > 250) {
				start++;
			}

			largest = Math.max(largest, end - start + 1);
		}

		expect(largest).toBeGreaterThanOrEqual(40);
	});

	test('arrival times never go backwards, even through stalls', () => {
		expect(session.every((envelope, index) => index === 0 || envelope.ts >= session[index - 1]!.ts)).toBe(true);
	});
});

describe('starting points', () => {
	test('startAt cooldown: the first event is the 15000 frame at startTs', () => {
		const first = generateSession({seed: 'start', startTs: 1_700_000_000_000}).next().value as Envelope;
		expect(first.ts).toBe(1_700_000_000_000);
		expect(first.data).toMatchObject({cooldownTimer: 15_000, gameHistory: expect.any(Array) as unknown[]});
	});

	test('startAt active: a snapshot with the whole path so far at startTs, then the following ticks', () => {
		const session = generateSession({seed: 'join', startTs: 1_700_000_000_000, startAt: 'active'});
		const first = session.next().value as Envelope;
		let second = session.next().value as Envelope;
		while (second.event !== 'gameStateUpdate') {
			second = session.next().value as Envelope;
		}

		const snapshot = first.data as Frame;
		expect(first.ts).toBe(1_700_000_000_000);
		expect(snapshot).toMatchObject({active: true, rugged: false, gameHistory: expect.any(Array) as unknown[]});
		expect(snapshot['prices']).toHaveLength((snapshot['tickCount'] as number) + 1);
		expect(snapshot['partialPrices']).toBeUndefined();
		expect(second.data).toMatchObject({gameId: snapshot['gameId'], tickCount: (snapshot['tickCount'] as number) + 1});
	});
});
