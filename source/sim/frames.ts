/**
The shapes of gameStateUpdate, field by field and in the key order the live
feed uses (captures of 2025-12 and 2026-02, see PROTOCOL.md). Which fields a
frame carries tells its phase, so each phase has its own builder.
*/

export type Fair = {serverSeedHash: string; version: 'v3'};

/** Session-wide figures the server repeats in most frames ("today" so far). */
export type DayStats = {
	averageMultiplier: number;
	count2x: number;
	count10x: number;
	count50x: number;
	count100x: number;
	highestToday: number;
	highestTodayTimestamp: number;
	highestTodayPrices: readonly number[];
};

export type Rugpool = {instarugCount: number; threshold: number; rugpoolAmount: number};

/** What every frame of a game shares. */
export type FrameContext = {
	gameId: string;
	fair: Fair;
	connectedPlayers: number;
};

const rugRoyaleInactive = {status: 'INACTIVE', activeEventId: null, currentEvent: null, upcomingEvents: [], events: []} as const;
const availableShitcoins = [{address: '0xPractice', ticker: 'FREE', name: 'Practice SOL', max_bet: 10_000, max_win: 100_000}] as const;

export type PartialPrices = {startTick: number; endTick: number; values: Record<string, number>};

/** The last ≤ 5 ticks up to `tick`, with `lastPrice` at `tick` (the rug price at the rug). */
export function partialPrices(path: readonly number[], tick: number, lastPrice: number): PartialPrices {
	const startTick = Math.max(0, tick - 4);
	const values: Record<string, number> = {};
	for (let at = startTick; at < tick; at++) {
		values[at] = path[at]!;
	}

	values[tick] = lastPrice;
	return {startTick, endTick: tick, values};
}

export const openingPrices: PartialPrices = {startTick: 0, endTick: 0, values: {0: 1}};

/** Cooldown and presale countdown frames: only these seven fields. */
export function countdownFrame(context: FrameContext, timer: number, preRound: boolean, leaderboard: readonly unknown[]): Record<string, unknown> {
	return {
		gameId: context.gameId,
		cooldownTimer: timer,
		cooldownPaused: false,
		allowPreRoundBuys: preRound,
		leaderboard,
		connectedPlayers: context.connectedPlayers,
		provablyFair: context.fair,
	};
}

type FullFrame = {
	active: boolean;
	price: number;
	partialPrices: PartialPrices;
	tradeCount: number;
	rugged: boolean;
	tickCount: number;
	cooldownTimer: number;
	allowPreRoundBuys: boolean;
	leaderboard: readonly unknown[];
	stats: DayStats;
	rugpool: Rugpool;
};

/** The full frame of the active phase (also the first presale frame and the rug frame). */
export function fullFrame(context: FrameContext, frame: FullFrame): Record<string, unknown> {
	return {
		active: frame.active,
		price: frame.price,
		partialPrices: frame.partialPrices,
		tradeCount: frame.tradeCount,
		rugged: frame.rugged,
		tickCount: frame.tickCount,
		cooldownTimer: frame.cooldownTimer,
		cooldownPaused: false,
		pauseMessage: '',
		allowPreRoundBuys: frame.allowPreRoundBuys,
		averageMultiplier: frame.stats.averageMultiplier,
		count2x: frame.stats.count2x,
		count10x: frame.stats.count10x,
		count50x: frame.stats.count50x,
		count100x: frame.stats.count100x,
		leaderboard: frame.leaderboard,
		gameId: context.gameId,
		connectedPlayers: context.connectedPlayers,
		rugpool: frame.rugpool,
		rugRoyale: rugRoyaleInactive,
		provablyFair: context.fair,
	};
}

/** The game-start frame at tick 0: leaner than the others, with gameVersion. */
export function startFrame(context: FrameContext): Record<string, unknown> {
	return {
		active: true,
		price: 1,
		rugged: false,
		tickCount: 0,
		cooldownTimer: 0,
		cooldownPaused: false,
		pauseMessage: '',
		allowPreRoundBuys: false,
		leaderboard: [],
		gameId: context.gameId,
		connectedPlayers: context.connectedPlayers,
		gameVersion: 'v3',
		partialPrices: openingPrices,
		provablyFair: context.fair,
	};
}

type HistoryFrame = {
	history: readonly unknown[];
	stats: DayStats;
	active: boolean;
	price: number;
	rugged: boolean;
	tickCount: number;
	cooldownTimer: number;
	leaderboard: readonly unknown[];
	/** partialPrices, or the whole path so far (the snapshot a client gets when it connects mid-game). */
	prices: {partialPrices: PartialPrices} | {prices: readonly number[]};
};

/**
The big frame (300–500 KB on the real feed): the last finished games with
their revealed seeds, the day's records, and the usual fields. It follows the
rug (same gameId, tick N+1 or N+2), opens the next cooldown (timer 15000) and
sometimes repeats at tick 0.
*/
export function historyFrame(context: FrameContext, frame: HistoryFrame): Record<string, unknown> {
	const {stats} = frame;
	return {
		gameHistory: frame.history,
		averageMultiplier: stats.averageMultiplier,
		count2x: stats.count2x,
		count10x: stats.count10x,
		count50x: stats.count50x,
		count100x: stats.count100x,
		highestToday: stats.highestToday,
		highestTodayTimestamp: stats.highestTodayTimestamp,
		highestTodayPrices: stats.highestTodayPrices,
		godCandle2x: null,
		godCandle2xTimestamp: null,
		godCandle2xPrices: [],
		godCandle2xMassiveJump: null,
		godCandle10x: null,
		godCandle10xTimestamp: null,
		godCandle10xPrices: [],
		godCandle10xMassiveJump: null,
		godCandle50x: null,
		godCandle50xTimestamp: null,
		godCandle50xPrices: [],
		godCandle50xMassiveJump: null,
		availableShitcoins,
		active: frame.active,
		price: frame.price,
		rugged: frame.rugged,
		tickCount: frame.tickCount,
		cooldownTimer: frame.cooldownTimer,
		cooldownPaused: false,
		pauseMessage: '',
		allowPreRoundBuys: false,
		leaderboard: frame.leaderboard,
		gameId: context.gameId,
		connectedPlayers: context.connectedPlayers,
		gameVersion: 'v3',
		...frame.prices,
		provablyFair: context.fair,
	};
}
