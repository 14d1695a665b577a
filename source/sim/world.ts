import type {DayStats, Fair, FrameContext, Rugpool} from './frames.js';
import {round9} from './holdings.js';
import {createPlayers, type Player} from './players.js';
import type {Random} from './random.js';
import type {SessionConfig} from './session-options.js';

/**
What every game of a generated session shares: the options, the one seeded
random stream, the cast, and the figures the server carries from game to game
(the finished games of gameHistory, the day's records, the rugpool, the player
count). The modules that play a session (phases, crowd, user-script, history)
all read and update this one object, in a fixed order, so a seed always gives
the same session.
*/
export type World = {
	readonly config: SessionConfig;
	readonly random: Random;
	readonly players: Player[];
	/** The logged-in user (authenticated sessions only). */
	readonly user: Player | undefined;
	/** The last finished games, newest first (gameHistory). */
	history: Array<Record<string, unknown>>;
	stats: DayStats;
	gamesToday: number;
	rugpool: Rugpool;
	connected: number;
	/** The last game's final leaderboard (cooldown frames keep showing it). */
	lastLeaderboard: unknown[];
	lastTradeCount: number;
};

/** What a day looks like before the session's first game: its figures drawn from the seed. */
function openDay(random: Random, startTs: number): Pick<World, 'gamesToday' | 'stats' | 'rugpool' | 'connected'> {
	const gamesToday = random.int(300, 700);
	const stats: DayStats = {
		averageMultiplier: random.between(3, 6),
		count2x: random.int(30, 60),
		count10x: random.int(3, 10),
		count50x: random.int(0, 2),
		count100x: random.int(0, 1),
		highestToday: 1,
		highestTodayTimestamp: startTs,
		highestTodayPrices: [1],
	};
	const rugpool: Rugpool = {instarugCount: random.int(0, 9), threshold: 10, rugpoolAmount: round9(random.between(0.5, 8))};
	return {gamesToday, stats, rugpool, connected: random.int(150, 230)};
}

export function openWorld(config: SessionConfig, random: Random): World {
	const players = createPlayers(random, config.players, config.hostileNames);
	const user = config.authenticated ? createPlayers(random, 1, false)[0] : undefined;
	if (user?.username === null) {
		user.username = 'you';
	}

	return {config, random, players, user, history: [], ...openDay(random, config.startTs), lastLeaderboard: [], lastTradeCount: 0};
}

export function frameContext(world: World, game: {id: string; fair: Fair}): FrameContext {
	return {gameId: game.id, fair: game.fair, connectedPlayers: world.connected};
}

/** The player count drifts a little now and then (called after every frame). */
export function driftConnected(world: World): void {
	if (world.random.chance(0.1)) {
		world.connected = Math.min(320, Math.max(120, world.connected + world.random.int(-3, 3)));
	}
}

/** The trace object two-argument events carry first. */
export function trace(random: Random): Record<string, unknown> {
	return {__trace: true, traceparent: `00-${random.hex(32)}-${random.hex(16)}-01`};
}
