import {describe, expect, test} from 'vitest';
import {generateSession} from '../source/sim/generate-session.js';
import {sha256Hex, verifyGame} from '../source/verify/verify-game.js';
import {pricePath} from '../source/verify/price-path.js';
import {gamesOf, historyById, isFrame, livePrices, type Frame} from './helpers/sessions.js';

// Quirks on: verification must hold through late ticks, stalls and interleaving.
const session = [...generateSession({seed: 'verify', games: 40, edgeSidebets: true})];
const games = gamesOf(session).slice(0, 40);
const history = historyById(session);

function announcedHash(id: string): string | undefined {
	for (const envelope of session) {
		const data = envelope.data as Frame;
		if (isFrame(envelope) && data['gameId'] === id) {
			return (data['provablyFair'] as Frame)['serverSeedHash'] as string;
		}
	}

	return undefined;
}

describe('every generated game verifies', () => {
	test('all 40 games are revealed in a later gameHistory', () => {
		expect(games).toHaveLength(40);
		for (const game of games) {
			expect(history.has(game.id)).toBe(true);
		}
	});

	test('seed hash, price path, live ticks and sidebets all hold (verifyGame)', () => {
		for (const game of games) {
			const entry = history.get(game.id)!;
			const verification = verifyGame(entry, {announcedHash: announcedHash(game.id), livePrices: livePrices(game)});
			expect(verification, `${game.id}: ${verification.notes.join('; ')}`).toMatchObject({seedHash: true, pricePath: true, liveTicks: true, sidebets: true});
			expect(verification.rugTick).toBe(game.rug!.data['tickCount']);
		}
	});

	test('server seeds are 64 hex digits, hashed with SHA-256 into the announced hash', () => {
		for (const game of games) {
			const fair = history.get(game.id)!['provablyFair'] as Frame;
			expect(fair['serverSeed']).toMatch(/^[\da-f]{64}$/);
			expect(sha256Hex(fair['serverSeed'] as string)).toBe(fair['serverSeedHash']);
			expect(announcedHash(game.id)).toBe(fair['serverSeedHash']);
		}
	});

	test('prices = the path + the rug price; peakMultiplier = the path\'s highest price', () => {
		for (const game of games) {
			const entry = history.get(game.id)!;
			const path = pricePath((entry['provablyFair'] as Frame)['serverSeed'] as string, game.id);
			expect(entry['prices']).toEqual([...path, game.rug!.data['price']]);
			expect(entry['peakMultiplier']).toBe(Math.max(...path));
			expect(entry).toMatchObject({rugged: true, globalTrades: [], gameVersion: 'v3'});
		}
	});
});

describe('sidebets', () => {
	const records = games.flatMap(game => (history.get(game.id)!['globalSidebets'] as Frame[]).map(record => ({record, rugTick: game.rug!.data['tickCount'] as number, rugPrice: game.rug!.data['price'] as number})));
	const payouts = records.filter(({record}) => record['type'] === 'payout');

	test('a bet wins 5x iff the rug tick ≤ its end tick; otherwise it pays 0', () => {
		expect(payouts.length).toBeGreaterThan(200);
		let won = 0;
		let lost = 0;
		for (const {record, rugTick, rugPrice} of payouts) {
			expect(record['endTick']).toBe((record['startTick'] as number) + 40);
			if (rugTick <= (record['endTick'] as number)) {
				won++;
				expect(record).toMatchObject({payout: (record['betAmount'] as number) * 5, tickIndex: rugTick, price: rugPrice});
				expect(record['profit']).toBeCloseTo((record['betAmount'] as number) * 4, 12);
			} else {
				lost++;
				expect(record).toMatchObject({payout: 0, profit: -(record['betAmount'] as number), tickIndex: record['startTick']});
			}
		}

		expect(won).toBeGreaterThan(0);
		expect(lost).toBeGreaterThan(0);
	});

	test('edge bets: one ending exactly on the rug tick wins, one ending a tick before loses', () => {
		for (const game of games) {
			const rugTick = game.rug!.data['tickCount'] as number;
			if (rugTick < 41) {
				continue;
			}

			const own = payouts.filter(({record}) => record['gameId'] === game.id).map(({record}) => record);
			expect(own.some(record => record['endTick'] === rugTick && (record['payout'] as number) > 0)).toBe(true);
			expect(own.some(record => record['endTick'] === rugTick - 1 && record['payout'] === 0)).toBe(true);
		}
	});

	test('placed records: end = startedAtTick + 40, 5x, in the game', () => {
		const placed = records.filter(({record}) => record['type'] === 'placed').map(({record}) => record);
		expect(placed.length).toBeGreaterThan(100);
		for (const record of placed) {
			expect(record).toMatchObject({end: (record['startedAtTick'] as number) + 40, xPayout: 5});
		}
	});

	test('every game has at least one sidebet settled (so its sidebet check is never blank)', () => {
		for (const game of games) {
			expect(payouts.some(({record}) => record['gameId'] === game.id)).toBe(true);
		}
	});

	// These walk every leaderboard row of 40 games: mismatches are collected, then asserted once.
	test('leaderboard sidebets are open bets of this game: startedAtTick ≤ tick ≤ end', () => {
		let seen = 0;
		const wrong: string[] = [];
		for (const game of games) {
			for (const {data} of game.frames) {
				if (data['active'] !== true || data['rugged'] === true || data['gameHistory'] !== undefined) {
					continue;
				}

				const tick = data['tickCount'] as number;
				for (const entry of data['leaderboard'] as Frame[]) {
					const bet = entry['sideBet'] as Frame | null;
					if (bet === null) {
						if (entry['sidebetActive'] !== null) {
							wrong.push(`${game.id}@${tick}: sidebetActive without a sideBet`);
						}

						continue;
					}

					seen++;
					const start = bet['startedAtTick'] as number;
					if (entry['sidebetActive'] !== true || bet['gameId'] !== game.id || bet['end'] !== start + 40 || bet['xPayout'] !== 5 || start > tick || bet['end'] < tick) {
						wrong.push(`${game.id}@${tick}: ${JSON.stringify(bet)}`);
					}
				}
			}
		}

		expect(wrong).toEqual([]);
		expect(seen).toBeGreaterThan(100);
	});

	test('leaderboard rows add up: pnl = regular + sidebet + short pnl; ranked by pnl', () => {
		let rows = 0;
		const wrong: string[] = [];
		for (const game of games) {
			for (const {data} of game.frames) {
				const board = data['leaderboard'] as Frame[] | undefined;
				if (board === undefined || data['active'] !== true) {
					continue;
				}

				for (const [index, entry] of board.entries()) {
					rows++;
					const sum = (entry['regularPnl'] as number) + (entry['sidebetPnl'] as number) + (entry['shortPnl'] as number);
					const previous = index > 0 ? board[index - 1]!['pnl'] as number : Number.POSITIVE_INFINITY;
					if (entry['position'] !== index + 1 || Math.abs((entry['pnl'] as number) - sum) > 1e-8 || (entry['pnl'] as number) > previous) {
						wrong.push(`${game.id}@${String(data['tickCount'])}: ${JSON.stringify(entry)}`);
					}
				}
			}
		}

		expect(wrong).toEqual([]);
		expect(rows).toBeGreaterThan(10_000);
	});
});
