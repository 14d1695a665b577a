import type {DayStats} from './frames.js';
import {round9} from './holdings.js';
import type {World} from './world.js';

/**
A finished game joins gameHistory (its entry reveals the server seed) and the
day's figures the frames repeat (average multiplier, 2x/10x/50x/100x counts,
the highest game today).
*/

/** What an entry is made of. */
type FinishedGame = {
	id: string;
	serverSeed: string;
	fair: {serverSeedHash: string};
	path: readonly number[];
	rugPrice: number;
	sidebets: ReadonlyArray<Record<string, unknown>>;
	/** When its gameHistory entry is stamped. */
	historyTs: number;
};

/** A gameHistory entry, field by field as the feed sends it: `prices` is the path plus the rug price. */
export function historyEntry(game: FinishedGame): Record<string, unknown> {
	return {
		id: game.id,
		timestamp: game.historyTs,
		prices: [...game.path, game.rugPrice],
		peakMultiplier: Math.max(...game.path),
		rugged: true,
		globalTrades: [],
		globalSidebets: game.sidebets,
		provablyFair: {serverSeed: game.serverSeed, serverSeedHash: game.fair.serverSeedHash},
		gameVersion: 'v3',
	};
}

/** The day's figures once one more game, with this entry, has finished. */
function dayAfter(stats: DayStats, gamesBefore: number, entry: Record<string, unknown>): DayStats {
	const peak = entry['peakMultiplier'] as number;
	const ts = entry['timestamp'] as number;
	return {
		averageMultiplier: ((stats.averageMultiplier * gamesBefore) + peak) / (gamesBefore + 1),
		count2x: stats.count2x + (peak >= 2 ? 1 : 0),
		count10x: stats.count10x + (peak >= 10 ? 1 : 0),
		count50x: stats.count50x + (peak >= 50 ? 1 : 0),
		count100x: stats.count100x + (peak >= 100 ? 1 : 0),
		highestToday: Math.max(stats.highestToday, peak),
		highestTodayTimestamp: peak > stats.highestToday ? ts : stats.highestTodayTimestamp,
		highestTodayPrices: peak > stats.highestToday ? (entry['prices'] as number[]) : stats.highestTodayPrices,
	};
}

/** The game joins the history (revealing its seed) and the day's figures; the rugpool moves on. */
export function finishGame(world: World, game: FinishedGame & {finalLeaderboard: unknown[]; tradeCount: number}): void {
	const entry = historyEntry(game);
	// A new array each time: frames already built keep the history they were built with.
	world.history = [entry, ...world.history].slice(0, world.config.historySize);
	world.stats = dayAfter(world.stats, world.gamesToday, entry);
	world.gamesToday++;
	world.lastLeaderboard = game.finalLeaderboard;
	world.lastTradeCount = game.tradeCount;
	const {random} = world;
	world.rugpool = random.chance(0.1)
		? {instarugCount: random.int(0, 2), threshold: 10, rugpoolAmount: round9(random.between(0.1, 1))}
		: {...world.rugpool, rugpoolAmount: round9(world.rugpool.rugpoolAmount + random.between(0.01, 0.3))};
}
