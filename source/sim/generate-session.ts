import {makeEnvelope, type Envelope} from '../protocol/envelope.js';
import {pricePath} from '../verify/price-path.js';
import {sha256Hex} from '../verify/verify-game.js';
import {
	countdownFrame,
	fullFrame,
	historyFrame,
	openingPrices,
	partialPrices,
	startFrame,
	type DayStats,
	type Fair,
	type FrameContext,
	type Rugpool,
} from './frames.js';
import {
	Holdings,
	leaderboard,
	leaderboardEntry,
	ranked,
	regularPnl,
	round9,
	sidebetTicks,
	type LeaderboardSideBet,
} from './holdings.js';
import {
	buyPayload,
	chatPayload,
	currentSidebetPayload,
	lostRecord,
	openSidebet,
	placedRecord,
	playerUpdatePayload,
	sellPayload,
	shortPayload,
	sidebetResultPayload,
	wonRecord,
	type Payload,
} from './payloads.js';
import {chatMessage, createPlayers, type Player} from './players.js';
import {Random} from './random.js';
import {resolveOptions, type SessionConfig, type SessionOptions} from './session-options.js';
import {Timeline} from './timeline.js';

export {wireFrame} from './wire-frame.js';
export {defaultStartTs, type SessionOptions} from './session-options.js';

/**
A seeded, deterministic generator of rugs.fun sessions that follows the facts
in PROTOCOL.md: the phases and their cadence, the rug sequence with its big
gameHistory frames, two-argument trades and chat, sidebets settled by "wins iff
rug tick ≤ end tick", the logged-in user's own events, and the feed's quirks
(late and repeated ticks, interleaved games, stalls flushed in bursts). Every
price path comes from the provably-fair algorithm with a seeded server seed,
so every generated game verifies. It streams: memory stays flat however many
games it plays.
*/

/** Feed rates (PROTOCOL.md and the captures). */
const tradeChancePerTick = 0.13;
const presaleBuyChance = 0.03;
const sidebetChancePerTick = 0.2;
const chatChancePerTick = 0.025;
const chatChancePerCountdown = 0.008;
const lateTickChance = 0.004;
const doubleTickZeroChance = 0.1;
const historyAtTickZeroChance = 0.2;
const activeStallChance = 0.12;
const rugStallChance = 0.15;
const interleaveChance = 0.1;

type CooldownVariant = 'normal' | 'late' | 'missing';

type Bet = {player: Player; bet: LeaderboardSideBet};

type UserPlan = {
	/** 0 = during presale. */
	buyTick: number;
	buyAmount: number;
	/** Ticks after the buy; undefined = hold to the rug. */
	sellAfter: number | undefined;
	betTick: number | undefined;
	betAmount: number;
};

type Game = {
	id: string;
	serverSeed: string;
	fair: Fair;
	path: number[];
	rugTick: number;
	rugPrice: number;
	holdings: Holdings;
	participants: Player[];
	sidebets: Array<Record<string, unknown>>;
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
	rugPrices: ReturnType<typeof partialPrices>;
	/** When its gameHistory entry is stamped. */
	historyTs: number;
};

type PostRug = {
	historyTs: number;
	historyTick: number;
	nextStart: number;
	variant: CooldownVariant;
	stall: {from: number; until: number; spacing: number} | undefined;
};

function utcDate(ts: number): string {
	const date = new Date(ts);
	return `${date.getUTCFullYear()}${String(date.getUTCMonth() + 1).padStart(2, '0')}${String(date.getUTCDate()).padStart(2, '0')}`;
}

class Simulator {
	readonly #config: SessionConfig;
	readonly #random: Random;
	readonly #players: Player[];
	readonly #user: Player | undefined;
	#history: Array<Record<string, unknown>> = [];
	#stats: DayStats;
	#gamesToday: number;
	#rugpool: Rugpool;
	#connected: number;
	#lastLeaderboard: unknown[] = [];
	#lastTradeCount = 0;
	#userCash = 1.5;
	#ackId = 140;
	#seq = 0;
	#lastTs = 0;
	/** Events before this time are not delivered (a client joining mid-game). */
	#dropBefore = Number.NEGATIVE_INFINITY;
	/** Added to delivery times so a joining session's snapshot lands exactly on startTs. */
	#offset = 0;
	#joinTick: number | undefined;
	#joinTs: number | undefined;

	constructor(config: SessionConfig) {
		this.#config = config;
		this.#random = new Random(config.seed);
		const random = this.#random;
		this.#players = createPlayers(random, config.players, config.hostileNames);
		this.#user = config.authenticated ? createPlayers(random, 1, false)[0] : undefined;
		if (this.#user !== undefined && this.#user.username === null) {
			this.#user.username = 'you';
		}

		this.#gamesToday = random.int(300, 700);
		this.#stats = {
			averageMultiplier: random.between(3, 6),
			count2x: random.int(30, 60),
			count10x: random.int(3, 10),
			count50x: random.int(0, 2),
			count100x: random.int(0, 1),
			highestToday: 1,
			highestTodayTimestamp: config.startTs,
			highestTodayPrices: [1],
		};
		this.#rugpool = {instarugCount: random.int(0, 9), threshold: 10, rugpoolAmount: round9(random.between(0.5, 8))};
		this.#connected = random.int(150, 230);
	}

	* run(): Generator<Envelope> {
		const config = this.#config;
		const random = this.#random;
		this.#warmUp();

		if (config.startAt === 'active') {
			const game = this.#newGame(config.startTs);
			this.#joinTick = Math.min(random.int(2, 12), game.rugTick - 1);
			// Roughly when the game must have started for the join to fall on startTs; the exact
			// difference is taken up by #offset once the snapshot's time is known.
			const start = config.startTs - 15_000 - 17 - Math.round(this.#joinTick * 252.5);
			yield * this.#session(game, start, 'missing');
			return;
		}

		yield * this.#session(this.#newGame(config.startTs), config.startTs, 'normal');
	}

	* #session(firstGame: Game, firstStart: number, firstVariant: CooldownVariant): Generator<Envelope> {
		const config = this.#config;
		let timeline = new Timeline();
		let game = firstGame;
		let start = firstStart;
		let variant = firstVariant;
		// The user's greeting shows their state before the first game: built now, placed once the start is known.
		const greeting = this.#user === undefined ? [] : this.#greeting();
		for (let index = 0; ; index++) {
			this.#playGame(timeline, game, start, variant);
			if (index === 0) {
				if (this.#joinTs !== undefined) {
					// Joined mid-game: nothing before the snapshot, which lands exactly on startTs.
					this.#dropBefore = this.#joinTs;
					this.#offset = config.startTs - this.#joinTs;
					this.#joinTick = undefined;
				}

				for (const [offset, event, args] of greeting) {
					timeline.add((this.#joinTs ?? config.startTs) + offset, event, args);
				}
			}

			const last = config.games !== undefined && index + 1 >= config.games;
			const after = this.#postRug(game, last);
			yield * this.#flush(timeline);

			timeline = new Timeline();
			this.#scheduleRugHistory(timeline, game, after);
			this.#finishGame(game);
			if (after.stall !== undefined) {
				timeline.stall(after.stall);
			}

			const next = this.#newGame(after.nextStart);
			if (last) {
				// Close with the next cooldown's opening frame: it reveals the last game played.
				timeline.add(after.nextStart, 'gameStateUpdate', [this.#cooldownOpening(next)]);
				yield * this.#flush(timeline);
				return;
			}

			game = next;
			start = after.nextStart;
			variant = after.variant;
		}
	}

	* #flush(timeline: Timeline): Generator<Envelope> {
		const {source} = this.#config;
		for (const item of timeline.take(this.#lastTs)) {
			this.#lastTs = item.ts;
			if (item.ts < this.#dropBefore) {
				continue;
			}

			yield makeEnvelope({
				seq: ++this.#seq,
				ts: item.ts + this.#offset,
				source,
				direction: item.direction,
				event: item.event,
				args: item.args,
				ackId: item.ackId,
			});
		}
	}

	/** The last `historySize` finished games before the session, played silently, then moved to just before it. */
	#warmUp(): void {
		const config = this.#config;
		let start = config.startTs - (config.historySize * 90_000);
		let lastRug = start;
		for (let index = 0; index < config.historySize; index++) {
			const game = this.#newGame(start);
			this.#playGame(new Timeline(), game, start, 'normal');
			const after = this.#postRug(game, true);
			this.#finishGame(game);
			lastRug = game.rugTs;
			start = after.nextStart;
		}

		// The session opens about two seconds after the last of them rugged.
		const firstStart = config.startAt === 'active' ? config.startTs - 18_000 : config.startTs;
		const shift = firstStart - this.#random.int(1300, 2500) - lastRug;
		for (const entry of this.#history) {
			entry['timestamp'] = (entry['timestamp'] as number) + shift;
			for (const record of entry['globalSidebets'] as Array<Record<string, unknown>>) {
				record['timestamp'] = (record['timestamp'] as number) + shift;
			}
		}

		this.#stats.highestTodayTimestamp += shift;
	}

	#newGame(start: number): Game {
		const config = this.#config;
		const random = this.#random;
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
		const count = Math.min(this.#players.length, random.int(10, 22));
		const pool = [...this.#players];
		for (let index = 0; index < count; index++) {
			const at = random.int(index, pool.length - 1);
			[pool[index], pool[at]] = [pool[at]!, pool[index]!];
			participants.push(pool[index]!);
		}

		return {
			id,
			serverSeed,
			fair: {serverSeedHash: sha256Hex(serverSeed), version: 'v3'},
			path,
			rugTick: path.length,
			rugPrice: random.between(0.002, 0.02),
			holdings: new Holdings(),
			participants,
			sidebets: [],
			bets: [],
			tradeCount: 0,
			livePrice: 1,
			plan: this.#user !== undefined && random.chance(0.75) ? this.#userPlan() : undefined,
			userActive: false,
			rugTs: 0,
			finalLeaderboard: [],
			rugPrices: openingPrices,
			historyTs: 0,
		};
	}

	#userPlan(): UserPlan {
		const random = this.#random;
		return {
			buyTick: random.chance(0.3) ? 0 : random.int(1, 40),
			buyAmount: random.pick([0.001, 0.002, 0.005, 0.01, 0.02]),
			sellAfter: random.chance(0.7) ? random.int(4, 60) : undefined,
			betTick: random.chance(0.5) ? random.int(0, 60) : undefined,
			betAmount: random.pick([0.001, 0.002, 0.005, 0.01]),
		};
	}

	#context(game: Game): FrameContext {
		return {gameId: game.id, fair: game.fair, connectedPlayers: this.#connected};
	}

	#cooldownOpening(game: Game): Record<string, unknown> {
		return historyFrame(this.#context(game), {
			history: this.#history,
			stats: this.#stats,
			active: false,
			price: 1,
			rugged: false,
			tickCount: 0,
			cooldownTimer: 15_000,
			leaderboard: this.#lastLeaderboard,
			prices: {partialPrices: openingPrices},
		});
	}

	/** One game from its cooldown (starting at `start`) to its rug frame. */
	#playGame(timeline: Timeline, game: Game, start: number, variant: CooldownVariant): void {
		const random = this.#random;
		// Cooldown: 15000 → 10100 every 100 ms; the big opening frame may come late or not at all.
		if (variant !== 'missing') {
			timeline.add(variant === 'late' ? start + 100 + random.int(3, 25) : start, 'gameStateUpdate', [this.#cooldownOpening(game)]);
		}

		for (let timer = 14_900; timer >= 10_100; timer -= 100) {
			const ts = start + (15_000 - timer) + random.int(-3, 3);
			timeline.add(ts, 'gameStateUpdate', [countdownFrame(this.#context(game), timer, false, this.#lastLeaderboard)]);
			this.#afterFrame(timeline, game, ts, false);
		}

		this.#playPresale(timeline, game, start);
		this.#playActive(timeline, game, start + 15_000 + random.int(5, 30));
	}

	#playPresale(timeline: Timeline, game: Game, start: number): void {
		const random = this.#random;
		const context = this.#context(game);
		let ts = start + 5000 + random.int(0, 3);
		timeline.add(ts, 'gameStateUpdate', [fullFrame(context, {
			active: false,
			price: 1,
			partialPrices: openingPrices,
			tradeCount: this.#lastTradeCount,
			rugged: false,
			tickCount: 0,
			cooldownTimer: 10_000,
			allowPreRoundBuys: true,
			leaderboard: [],
			stats: this.#stats,
			rugpool: this.#rugpool,
		})]);
		ts += random.int(1, 3);
		timeline.add(ts, 'gameStateUpdate', [countdownFrame(context, 10_000, true, [])]);
		this.#afterFrame(timeline, game, ts, false);

		// Every game has at least one sidebet placed before it starts (the feed always shows some).
		const firstBetAt = random.int(2, 99) * 100;
		const userBuyAt = game.plan?.buyTick === 0 ? random.int(2, 98) * 100 : undefined;
		const userBetAt = game.plan?.betTick === 0 ? random.int(2, 98) * 100 : undefined;
		let board: unknown[] | undefined;
		let boardVersion = -1;
		for (let timer = 9900; timer >= 100; timer -= 100) {
			ts = start + (15_000 - timer) + random.int(-3, 3);
			if (random.chance(presaleBuyChance)) {
				this.#trade(timeline, game, random.pick(game.participants), 0, ts - random.int(20, 80), 'buy');
			}

			if (timer === firstBetAt || random.chance(0.01)) {
				const player = this.#freeBettor(game, timer === firstBetAt);
				if (player !== undefined) {
					this.#placeSidebet(game, player, 0, ts - random.int(10, 60), true);
				}
			}

			if (timer === userBuyAt) {
				this.#userBuy(timeline, game, 0, ts - random.int(10, 60));
			}

			if (timer === userBetAt) {
				this.#userSidebet(timeline, game, 0, ts - random.int(10, 60));
			}

			if (board === undefined || boardVersion !== game.holdings.version) {
				board = game.holdings.size === 0 ? [] : leaderboard(game.holdings, 1, this.#config.leaderboardSize);
				boardVersion = game.holdings.version;
			}

			timeline.add(ts, 'gameStateUpdate', [countdownFrame(this.#context(game), timer, true, board)]);
			this.#afterFrame(timeline, game, ts, false);
		}

		game.tradeCount += game.holdings.size + random.int(0, 20);
	}

	#playActive(timeline: Timeline, game: Game, tickZeroTs: number): void {
		const config = this.#config;
		const random = this.#random;
		const {path, rugTick} = game;
		let ts = tickZeroTs;
		let previous = startFrame(this.#context(game));
		if (this.#joinTick === 0) {
			this.#snapshot(timeline, game, 0, ts);
		} else {
			timeline.add(ts, 'gameStateUpdate', [previous]);
		}

		this.#afterFrame(timeline, game, ts, true);
		if (config.quirks && random.chance(doubleTickZeroChance)) {
			timeline.add(ts + random.int(2, 30), 'gameStateUpdate', [previous]);
		}

		if (config.quirks && random.chance(historyAtTickZeroChance)) {
			timeline.add(ts + random.int(5, 60), 'gameStateUpdate', [historyFrame(this.#context(game), {
				history: this.#history,
				stats: this.#stats,
				active: true,
				price: 1,
				rugged: false,
				tickCount: 0,
				cooldownTimer: 0,
				leaderboard: [],
				prices: {partialPrices: openingPrices},
			})]);
		}

		const stallTick = config.quirks && rugTick > 30 && random.chance(activeStallChance) ? random.int(5, rugTick - 10) : undefined;
		for (let tick = 1; tick < rugTick; tick++) {
			ts += random.int(247, 258);
			this.#settleLosses(timeline, game, tick, ts);
			if (random.chance(tradeChancePerTick)) {
				const lag = random.int(0, Math.min(8, tick));
				this.#trade(timeline, game, random.pick(game.participants), tick - lag, ts + random.int(2, 45));
			}

			// Trades the public feed does not broadcast (practice tokens) still count.
			game.tradeCount += random.int(0, 2);
			if (random.chance(sidebetChancePerTick)) {
				const player = this.#freeBettor(game);
				if (player !== undefined) {
					this.#placeSidebet(game, player, tick, ts + random.int(5, 200), false);
				}
			}

			if (config.edgeSidebets && (tick === rugTick - sidebetTicks || tick === rugTick - sidebetTicks - 1)) {
				const player = this.#freeBettor(game, true);
				if (player !== undefined) {
					this.#placeSidebet(game, player, tick, ts + random.int(5, 200), false);
				}
			}

			const price = path[tick]!;
			game.livePrice = price;
			this.#userActions(timeline, game, tick, ts);
			if (tick === this.#joinTick) {
				this.#snapshot(timeline, game, tick, ts);
				previous = {};
			} else {
				const frame = fullFrame(this.#context(game), {
					active: true,
					price,
					partialPrices: partialPrices(path, tick, price),
					tradeCount: game.tradeCount,
					rugged: false,
					tickCount: tick,
					cooldownTimer: 0,
					allowPreRoundBuys: false,
					leaderboard: tick === 1 ? [] : leaderboard(game.holdings, price, config.leaderboardSize),
					stats: this.#stats,
					rugpool: this.#rugpool,
				});
				timeline.add(ts, 'gameStateUpdate', [frame]);
				if (config.quirks && tick >= 2 && previous['tickCount'] === tick - 1 && random.chance(lateTickChance)) {
					// A snapshot of the previous tick arrives after this one (tick 128 after 129).
					timeline.add(ts + random.int(2, 30), 'gameStateUpdate', [previous]);
				}

				previous = frame;
			}

			this.#afterFrame(timeline, game, ts, true);
			if (tick === stallTick) {
				timeline.stall({from: ts + 1, until: ts + 1 + random.int(700, 1500), spacing: random.int(2, 5)});
			}
		}

		// The rug: tick N = path length, price set by the server, active stays true.
		ts += random.int(247, 258);
		game.rugTs = ts;
		game.historyTs = ts + random.int(900, 1400);
		this.#settleLosses(timeline, game, rugTick, ts);
		this.#settleWins(timeline, game, ts);
		game.livePrice = game.rugPrice;
		game.holdings.liquidate(game.rugPrice);
		if (game.plan !== undefined && game.userActive) {
			timeline.add(ts + random.int(10, 40), 'playerUpdate', [this.#userUpdate(game)]);
		}

		game.rugPrices = partialPrices(path, rugTick, game.rugPrice);
		game.finalLeaderboard = leaderboard(game.holdings, game.rugPrice, config.leaderboardSize);
		timeline.add(ts, 'gameStateUpdate', [fullFrame(this.#context(game), {
			active: true,
			price: game.rugPrice,
			partialPrices: game.rugPrices,
			tradeCount: game.tradeCount,
			rugged: true,
			tickCount: rugTick,
			cooldownTimer: 0,
			allowPreRoundBuys: false,
			leaderboard: game.finalLeaderboard,
			stats: this.#stats,
			rugpool: this.#rugpool,
		})]);
		this.#afterFrame(timeline, game, ts, true);
	}

	/** What a client joining mid-game gets first: a big frame with the whole path so far. */
	#snapshot(timeline: Timeline, game: Game, tick: number, ts: number): void {
		const price = game.path[tick]!;
		timeline.add(ts, 'gameStateUpdate', [historyFrame(this.#context(game), {
			history: this.#history,
			stats: this.#stats,
			active: true,
			price,
			rugged: false,
			tickCount: tick,
			cooldownTimer: 0,
			leaderboard: leaderboard(game.holdings, price, this.#config.leaderboardSize),
			prices: {prices: game.path.slice(0, tick + 1)},
		})]);
		this.#joinTs = ts;
	}

	/** Plan what follows the rug: when its gameHistory frame comes and when the next cooldown starts. */
	#postRug(game: Game, last: boolean): PostRug {
		const random = this.#random;
		const quirks = this.#config.quirks && !last;
		const historyTick = game.rugTick + random.int(1, 2);
		if (quirks && random.chance(rugStallChance)) {
			// The feed stalls for 4–5 s; the next cooldown has begun meanwhile (its 15000 frame lost),
			// its first frame lands before the old game's gameHistory frame, and the backlog bursts out.
			const until = game.rugTs + random.int(4000, 5200);
			const nextStart = game.rugTs + random.int(300, 700);
			return {
				historyTs: nextStart + 100 + random.int(4, 20),
				historyTick,
				nextStart,
				variant: 'missing',
				stall: {from: game.rugTs + 1, until, spacing: random.int(3, 5)},
			};
		}

		const historyTs = game.rugTs + random.int(800, 5300);
		const interleave = quirks && random.chance(interleaveChance);
		const nextStart = interleave ? historyTs - random.int(105, 260) : historyTs + random.int(300, 700);
		const variant: CooldownVariant = quirks ? random.weighted(['normal', 'late', 'missing'], [0.75, 0.15, 0.1]) : 'normal';
		return {historyTs, historyTick, nextStart, variant, stall: undefined};
	}

	/** The big frame after the rug: same game, tick N+1 or N+2, the previous finished games (not yet this one). */
	#scheduleRugHistory(timeline: Timeline, game: Game, after: PostRug): void {
		timeline.add(after.historyTs, 'gameStateUpdate', [historyFrame(this.#context(game), {
			history: this.#history,
			stats: this.#stats,
			active: true,
			price: game.rugPrice,
			rugged: true,
			tickCount: after.historyTick,
			cooldownTimer: 0,
			leaderboard: game.finalLeaderboard,
			prices: {partialPrices: game.rugPrices},
		})]);
	}

	/** The game joins the history (revealing its seed) and the day's figures. */
	#finishGame(game: Game): void {
		const peak = Math.max(...game.path);
		const entry: Record<string, unknown> = {
			id: game.id,
			timestamp: game.historyTs,
			prices: [...game.path, game.rugPrice],
			peakMultiplier: peak,
			rugged: true,
			globalTrades: [],
			globalSidebets: game.sidebets,
			provablyFair: {serverSeed: game.serverSeed, serverSeedHash: game.fair.serverSeedHash},
			gameVersion: 'v3',
		};
		// A new array each time: frames already built keep the history they were built with.
		this.#history = [entry, ...this.#history].slice(0, this.#config.historySize);

		const stats = this.#stats;
		const games = this.#gamesToday + 1;
		this.#stats = {
			averageMultiplier: ((stats.averageMultiplier * this.#gamesToday) + peak) / games,
			count2x: stats.count2x + (peak >= 2 ? 1 : 0),
			count10x: stats.count10x + (peak >= 10 ? 1 : 0),
			count50x: stats.count50x + (peak >= 50 ? 1 : 0),
			count100x: stats.count100x + (peak >= 100 ? 1 : 0),
			highestToday: Math.max(stats.highestToday, peak),
			highestTodayTimestamp: peak > stats.highestToday ? game.historyTs : stats.highestTodayTimestamp,
			highestTodayPrices: peak > stats.highestToday ? (entry['prices'] as number[]) : stats.highestTodayPrices,
		};
		this.#gamesToday = games;
		this.#lastLeaderboard = game.finalLeaderboard;
		this.#lastTradeCount = game.tradeCount;
		const random = this.#random;
		this.#rugpool = random.chance(0.1)
			? {instarugCount: random.int(0, 2), threshold: 10, rugpoolAmount: round9(random.between(0.1, 1))}
			: {...this.#rugpool, rugpoolAmount: round9(this.#rugpool.rugpoolAmount + random.between(0.01, 0.3))};
	}

	/** What accompanies every gameStateUpdate: the user's own update, now and then chat, the player count drifting. */
	#afterFrame(timeline: Timeline, game: Game, ts: number, active: boolean): void {
		const random = this.#random;
		if (this.#user !== undefined) {
			const payload: Record<string, unknown> = {gameId: game.id};
			const holding = game.holdings.get(this.#user);
			if (game.userActive && holding !== undefined) {
				const price = game.livePrice;
				const rows = ranked(game.holdings, price);
				const rank = rows.findIndex(row => row.holding === holding);
				payload['leaderboardEntry'] = leaderboardEntry(rows[rank]!, rank + 1);
			}

			payload['rugpool'] = this.#rugpool;
			timeline.add(ts + random.int(1, 3), 'gameStatePlayerUpdate', [payload]);
		}

		if (random.chance(active ? chatChancePerTick : chatChancePerCountdown)) {
			const player = random.pick(this.#players);
			const chatTs = ts + random.int(10, 90);
			const trace = this.#trace();
			const message = chatMessage(random, this.#config.hostileNames);
			const timestamp = chatTs - random.int(5, 40);
			timeline.add(chatTs, 'newChatMessage', [trace, chatPayload(player, message, timestamp, random.chance(0.8))]);
		}

		if (random.chance(0.1)) {
			this.#connected = Math.min(320, Math.max(120, this.#connected + random.int(-3, 3)));
		}
	}

	#trace(): Record<string, unknown> {
		return {__trace: true, traceparent: `00-${this.#random.hex(32)}-${this.#random.hex(16)}-01`};
	}

	/**
	A participant without an open sidebet (one at a time each). A few tries at
	random, as players come and go; when `insist`, anyone free, bringing in a
	new participant if need be.
	*/
	#freeBettor(game: Game, insist = false): Player | undefined {
		const random = this.#random;
		const isFree = (player: Player) => player !== this.#user && game.holdings.get(player)?.sideBet === undefined;
		for (let attempt = 0; attempt < 4; attempt++) {
			const player = random.pick(game.participants);
			if (isFree(player)) {
				return player;
			}
		}

		if (!insist) {
			return undefined;
		}

		const free = game.participants.find(player => isFree(player)) ?? this.#players.find(player => isFree(player));
		if (free !== undefined && !game.participants.includes(free)) {
			game.participants.push(free);
		}

		return free;
	}

	#stake(player: Player): number {
		return Math.max(0.001, Math.round(player.stake * this.#random.pick([0.5, 1, 1, 2]) * 1000) / 1000);
	}

	/** A trade on the public tape, at the price of its own tick (0–8 ticks behind the live one). */
	#trade(timeline: Timeline, game: Game, player: Player, tickIndex: number, ts: number, forced?: 'buy'): void {
		const random = this.#random;
		const price = game.path[tickIndex]!;
		const holding = game.holdings.get(player);
		const base = {id: random.uuid(), gameId: game.id, player, price, tickIndex};
		let payload: Payload;
		if (forced === undefined && holding?.short !== undefined && random.chance(0.5)) {
			payload = shortPayload(base, 'short_close', game.holdings.closeShort(player, price));
		} else if (forced === undefined && holding !== undefined && holding.qty > 0 && random.chance(0.55)) {
			const {qty, amount} = game.holdings.sell(player, random.pick([0.25, 0.5, 1, 1]), price);
			payload = sellPayload(base, qty, amount, random.chance(0.15));
		} else if (forced === undefined && holding?.short === undefined && random.chance(0.05)) {
			const amount = this.#stake(player);
			game.holdings.openShort(player, amount, price);
			payload = shortPayload(base, 'short_open', amount);
		} else {
			const amount = this.#stake(player);
			const qty = game.holdings.buy(player, amount, price);
			const bonus = random.chance(0.15);
			payload = buyPayload(base, qty, amount, random.chance(0.1) ? random.int(2, 5) : 1, bonus);
		}

		game.tradeCount++;
		timeline.add(ts, 'standard/newTrade', [this.#trace(), payload]);
	}

	#placeSidebet(game: Game, player: Player, tick: number, ts: number, presale: boolean): LeaderboardSideBet {
		const random = this.#random;
		const betAmount = player === this.#user ? game.plan!.betAmount : this.#stake(player);
		const bet = openSidebet(game.id, tick, betAmount);
		game.holdings.placeSidebet(player, bet);
		game.bets.push({player, bet});
		// Bets placed before the game starts have no 'placed' record in gameHistory (as on the real feed).
		if (!presale) {
			game.sidebets.push(placedRecord(player, bet, ts, random.uuid()));
		}

		return bet;
	}

	/** Bets whose window closed before the rug (end tick < this tick): lost. */
	#settleLosses(timeline: Timeline, game: Game, tick: number, ts: number): void {
		const random = this.#random;
		const open: Bet[] = [];
		for (const item of game.bets) {
			if (item.bet.end >= tick) {
				open.push(item);
				continue;
			}

			const stamp = ts + random.int(0, 20);
			const record = lostRecord(item.player, item.bet, stamp, random.uuid());
			game.sidebets.push(record);
			game.holdings.settleSidebet(item.player, false);
			if (item.player === this.#user) {
				this.#userSidebetResult(timeline, game, record);
			}
		}

		game.bets = open;
	}

	/** At the rug every bet still open covers the rug tick (end ≥ N): it pays 5x. */
	#settleWins(timeline: Timeline, game: Game, ts: number): void {
		const random = this.#random;
		let stamp = game.historyTs - random.int(450, 550);
		for (const item of game.bets) {
			stamp += random.int(8, 14);
			const record = wonRecord(item.player, item.bet, {tick: game.rugTick, price: game.rugPrice}, stamp, random.uuid());
			game.sidebets.push(record);
			game.holdings.settleSidebet(item.player, true);
			if (item.player === this.#user) {
				this.#userCash = round9(this.#userCash + (record['payout'] as number));
				this.#userSidebetResult(timeline, game, record, ts + random.int(20, 120));
			}
		}

		game.bets = [];
	}

	// The logged-in user (authenticated sessions only).

	/** What the server sends a logged-in client first: its name, then its whole player state. */
	#greeting(): Array<[offset: number, event: string, args: unknown[]]> {
		const user = this.#user!;
		return [
			[5, 'usernameStatus', [this.#trace(), {id: user.id, username: user.username, hasUsername: true}]],
			[8, 'playerUpdate', [this.#userUpdate(undefined)]],
		];
	}

	#userActions(timeline: Timeline, game: Game, tick: number, ts: number): void {
		const {plan} = game;
		if (plan === undefined) {
			return;
		}

		if (plan.buyTick === tick) {
			this.#userBuy(timeline, game, tick, ts + this.#random.int(20, 120));
		}

		if (plan.sellAfter !== undefined && plan.buyTick + plan.sellAfter === tick && (game.holdings.get(this.#user!)?.qty ?? 0) > 0) {
			this.#userSell(timeline, game, tick, ts + this.#random.int(20, 120));
		}

		if (plan.betTick === tick && tick > 0) {
			this.#userSidebet(timeline, game, tick, ts + this.#random.int(20, 120));
		}
	}

	#request(timeline: Timeline, ts: number, event: string, payload: unknown, reply: unknown): void {
		if (!this.#config.clientRequests) {
			return;
		}

		const ackId = this.#ackId++;
		timeline.add(ts - this.#random.int(30, 80), event, [payload], 'sent', ackId);
		timeline.add(ts + this.#random.int(1, 10), 'ack', [reply], 'received', ackId);
	}

	#userBuy(timeline: Timeline, game: Game, tick: number, ts: number): void {
		const user = this.#user!;
		const plan = game.plan!;
		const price = game.path[tick]!;
		this.#request(timeline, ts, 'buyOrder', {amount: plan.buyAmount}, {success: true});
		const qty = game.holdings.buy(user, plan.buyAmount, price);
		this.#userCash = round9(this.#userCash - plan.buyAmount);
		game.userActive = true;
		game.tradeCount++;
		const trace = this.#trace();
		timeline.add(ts, 'standard/newTrade', [trace, buyPayload({id: this.#random.uuid(), gameId: game.id, player: user, price, tickIndex: tick}, qty, plan.buyAmount, 1, false)]);
		timeline.add(ts + this.#random.int(5, 25), 'playerUpdate', [this.#userUpdate(game)]);
	}

	#userSell(timeline: Timeline, game: Game, tick: number, ts: number): void {
		const user = this.#user!;
		const price = game.path[tick]!;
		const {qty, amount} = game.holdings.sell(user, 1, price);
		this.#userCash = round9(this.#userCash + amount);
		game.tradeCount++;
		const trace = this.#trace();
		timeline.add(ts, 'standard/newTrade', [trace, sellPayload({id: this.#random.uuid(), gameId: game.id, player: user, price, tickIndex: tick}, qty, amount, false)]);
		timeline.add(ts + this.#random.int(5, 25), 'playerUpdate', [this.#userUpdate(game)]);
	}

	#userSidebet(timeline: Timeline, game: Game, tick: number, ts: number): void {
		const user = this.#user!;
		if (game.holdings.get(user)?.sideBet !== undefined) {
			return;
		}

		const bet = this.#placeSidebet(game, user, tick, ts, tick === 0);
		this.#userCash = round9(this.#userCash - bet.betAmount);
		game.userActive = true;
		const placed = currentSidebetPayload(user, bet, ts);
		this.#request(timeline, ts, 'requestSidebet', {amount: bet.betAmount, coinAddress: bet.coinAddress, xPayout: bet.xPayout}, {success: true, message: 'Side bet placed', sidebet: placed});
		timeline.add(ts, 'currentSidebet', [this.#trace(), placed]);
		timeline.add(ts + this.#random.int(5, 25), 'playerUpdate', [this.#userUpdate(game)]);
	}

	#userSidebetResult(timeline: Timeline, game: Game, record: Record<string, unknown>, at?: number): void {
		const ts = at ?? (record['timestamp'] as number);
		timeline.add(ts, 'currentSidebetResult', [this.#trace(), sidebetResultPayload(record)]);
		timeline.add(ts + this.#random.int(5, 25), 'playerUpdate', [this.#userUpdate(game)]);
	}

	#userUpdate(game: Game | undefined): Record<string, unknown> {
		const user = this.#user!;
		const holding = game?.holdings.get(user);
		const price = game?.livePrice ?? 1;
		return playerUpdatePayload(user, holding, holding === undefined ? 0 : regularPnl(holding, price), this.#userCash);
	}
}

/**
The session as envelopes `{source, direction, …}` in arrival order, each with
exactly the Socket.IO arguments the live feed sends (two-argument events keep
their trace object in `extra`). Lazy: nothing is generated until asked for.
*/
export function * generateSession(options: SessionOptions = {}): Generator<Envelope> {
	yield * new Simulator(resolveOptions(options)).run();
}
