import {pricePath} from '../verify/price-path.js';
import {sha256Hex} from '../verify/verify-game.js';
import {openingPrices, type Fair, type PartialPrices} from './frames.js';
import {Holdings, type LeaderboardSideBet} from './holdings.js';
import type {Player} from './players.js';
import {drawUserPlan, type UserPlan} from './user-script.js';
import type {World} from './world.js';

/** One game of a session as the simulator plays it: its seed and path, and everything that happened in it so far. */

export type Bet = {player: Player; bet: LeaderboardSideBet};

export type Game = {
	id: string;
	serverSeed: string;
	fair: Fair;
	path: number[];
	rugTick: number;
	rugPrice: number;
	holdings: Holdings;
	participants: Player[];
	sidebets: Array<Record<string, unknown>>;
	/** Sidebets still open. */
	bets: Bet[];
	tradeCount: number;
	/** The price frames show now: 1 before the start, the path while it runs, the rug price after. */
	livePrice: number;
	plan: UserPlan | undefined;
	/** The user has done something this game (gameStatePlayerUpdate carries their leaderboardEntry). */
	userActive: boolean;
	rugTs: number;
	finalLeaderboard: unknown[];
	/** partialPrices of the rug frame, repeated by the frame that follows it. */
	rugPrices: PartialPrices;
	/** When its gameHistory entry is stamped. */
	historyTs: number;
};

/** `YYYYMMDD` of a time, as game ids start. */
function utcDate(ts: number): string {
	const date = new Date(ts);
	return `${date.getUTCFullYear()}${String(date.getUTCMonth() + 1).padStart(2, '0')}${String(date.getUTCDate()).padStart(2, '0')}`;
}

/** A fresh game starting at `start`: server seeds are drawn until its rug tick is in the configured range. */
export function newGame(world: World, start: number): Game {
	const {config, random} = world;
	let serverSeed = '';
	let id = '';
	let path: number[] = [];
	for (let attempt = 0; ; attempt++) {
		serverSeed = random.hex(64);
		id = `${utcDate(start)}-${random.hex(16)}`;
		path = pricePath(serverSeed, id);
		if (path.length >= config.minRugTick && path.length <= config.maxRugTick) {
			break;
		}

		if (attempt > 100_000) {
			throw new RangeError(`no game with a rug tick from ${config.minRugTick} to ${config.maxRugTick} after 100,000 server seeds: widen rugTicks`);
		}
	}

	const participants: Player[] = [];
	const count = Math.min(world.players.length, random.int(10, 22));
	const pool = [...world.players];
	for (let index = 0; index < count; index++) {
		const at = random.int(index, pool.length - 1);
		[pool[index], pool[at]] = [pool[at]!, pool[index]!];
		participants.push(pool[index]!);
	}

	const rugPrice = random.between(0.002, 0.02);
	const plan = world.user !== undefined && random.chance(0.75) ? drawUserPlan(random) : undefined;
	return gameOf({id, serverSeed, path}, rugPrice, participants, plan);
}

/** A game of this seed and id (its `path` is theirs), before anything has happened in it. */
export function gameOf(seed: {id: string; serverSeed: string; path: number[]}, rugPrice: number, participants: Player[], plan: UserPlan | undefined): Game {
	return {
		id: seed.id,
		serverSeed: seed.serverSeed,
		fair: {serverSeedHash: sha256Hex(seed.serverSeed), version: 'v3'},
		path: seed.path,
		rugTick: seed.path.length,
		rugPrice,
		holdings: new Holdings(),
		participants,
		sidebets: [],
		bets: [],
		tradeCount: 0,
		livePrice: 1,
		plan,
		userActive: false,
		rugTs: 0,
		finalLeaderboard: [],
		rugPrices: openingPrices,
		historyTs: 0,
	};
}
