import {pricePath} from '../../source/verify/price-path.js';
import {sha256Hex} from '../../source/verify/verify-game.js';
import {FeedBuilder, type PlayedGame} from './game-feed.js';

/**
Two games for the alert tests, played by the simulator's scripted game cycle
with real provably-fair seeds: the first fair, peaking above 1.6x, with two
trades by Alice and one by bob; the second also above 1.6x, with its recorded
price at tick 20 tampered with, so its provably-fair check fails.
*/

/** A seed whose game runs `min`–`max` ticks and peaks above `peak` (searched, deterministic). */
export function seedPeakingAbove(gameId: string, peak: number, min = 60, max = 200): {seed: string; path: number[]} {
	for (let n = 0; ; n++) {
		const seed = sha256Hex(`peak-${n}`);
		const path = pricePath(seed, gameId);
		if (path.length >= min && path.length <= max && Math.max(...path) > peak) {
			return {seed, path};
		}
	}
}

type AlertFeed = {feed: FeedBuilder; games: Array<PlayedGame & {id: string}>};

export const fairId = '20251212-aaaaaaaaaaaaaaa1';
export const tamperedId = '20251212-aaaaaaaaaaaaaaa2';

export function alertFeed(options: {min?: number; max?: number} = {}): AlertFeed {
	const feed = new FeedBuilder();
	const first = seedPeakingAbove(fairId, 1.6, options.min, options.max);
	const second = seedPeakingAbove(tamperedId, 1.6, options.min, options.max);
	const one = feed.game({
		gameId: fairId,
		seed: first.seed,
		trades: [
			{tick: 3, username: 'Alice', type: 'buy', qty: 10, amount: 0.1},
			{tick: 5, username: 'bob', type: 'buy', qty: 5, amount: 0.05},
			{tick: 9, username: 'alice', type: 'sell', qty: 10, amount: 0.12},
		],
	});
	const two = feed.game({gameId: tamperedId, seed: second.seed, tamperTick: 20});
	return {feed, games: [{...one, id: fairId}, {...two, id: tamperedId}]};
}
