import {crowdTrade, freeBettor, maybeChat, placeSidebet, settleLosses, settleWins, type SettledBet} from './crowd.js';
import {
	countdownFrame,
	fullFrame,
	historyFrame,
	openingPrices,
	partialPrices,
	startFrame,
	type FrameContext,
} from './frames.js';
import type {Game} from './game.js';
import {leaderboard, sidebetTicks} from './holdings.js';
import type {Timeline} from './timeline.js';
import type {UserScript} from './user-script.js';
import {driftConnected, frameContext, type World} from './world.js';

/**
The timeline of one game, phase by phase as PROTOCOL.md describes it: the
cooldown (15000 → 10100 every 100 ms), the presale (10000 → 100, pre-round
buys and sidebets), the active ticks (one every ~250 ms, the crowd trading and
betting, the user's plan), the rug, and what follows it (the big gameHistory
frame, the next cooldown) — with the feed's quirks when asked for: late and
repeated ticks, a history frame at tick 0, stalls flushed in bursts, a late or
missing 15000 frame, the next game interleaving with the old one.
*/

/** Feed rates (PROTOCOL.md and the captures). */
const tradeChancePerTick = 0.13;
const presaleBuyChance = 0.03;
const sidebetChancePerTick = 0.2;
const lateTickChance = 0.004;
const doubleTickZeroChance = 0.1;
const historyAtTickZeroChance = 0.2;
const activeStallChance = 0.12;
const rugStallChance = 0.15;
const interleaveChance = 0.1;

/** How the cooldown opens: its big 15000 frame on time, late, or lost. */
export type CooldownVariant = 'normal' | 'late' | 'missing';

/** What follows the rug: when its gameHistory frame comes and when the next cooldown starts. */
type PostRug = {
	historyTs: number;
	historyTick: number;
	nextStart: number;
	variant: CooldownVariant;
	stall: {from: number; until: number; spacing: number} | undefined;
};

export class Phases {
	/** A client joining mid-game gets a snapshot frame at this tick of the first game instead of the usual one. */
	joinTick: number | undefined;
	/** When that snapshot came. */
	joinTs: number | undefined;
	readonly #world: World;
	readonly #user: UserScript | undefined;

	constructor(world: World, user: UserScript | undefined) {
		this.#world = world;
		this.#user = user;
	}

	/** One game from its cooldown (starting at `start`) to its rug frame. */
	playGame(timeline: Timeline, game: Game, start: number, variant: CooldownVariant): void {
		const {random} = this.#world;
		// Cooldown: 15000 → 10100 every 100 ms; the big opening frame may come late or not at all.
		if (variant !== 'missing') {
			timeline.add(variant === 'late' ? start + 100 + random.int(3, 25) : start, 'gameStateUpdate', [this.cooldownOpening(game)]);
		}

		for (let timer = 14_900; timer >= 10_100; timer -= 100) {
			const ts = start + (15_000 - timer) + random.int(-3, 3);
			timeline.add(ts, 'gameStateUpdate', [countdownFrame(this.#context(game), timer, false, this.#world.lastLeaderboard)]);
			this.#afterFrame(timeline, game, ts, false);
		}

		this.#playPresale(timeline, game, start);
		this.#playActive(timeline, game, start + 15_000 + random.int(5, 30));
	}

	/** The cooldown's first frame: the big one, with the finished games (the last one's seed revealed). */
	cooldownOpening(game: Game): Record<string, unknown> {
		const world = this.#world;
		return historyFrame(this.#context(game), {
			history: world.history,
			stats: world.stats,
			active: false,
			price: 1,
			rugged: false,
			tickCount: 0,
			cooldownTimer: 15_000,
			leaderboard: world.lastLeaderboard,
			prices: {partialPrices: openingPrices},
		});
	}

	/** Plan what follows the rug: when its gameHistory frame comes and when the next cooldown starts. */
	postRug(game: Game, last: boolean): PostRug {
		const {random} = this.#world;
		const quirks = this.#world.config.quirks && !last;
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
	scheduleRugHistory(timeline: Timeline, game: Game, after: PostRug): void {
		const world = this.#world;
		timeline.add(after.historyTs, 'gameStateUpdate', [historyFrame(this.#context(game), {
			history: world.history,
			stats: world.stats,
			active: true,
			price: game.rugPrice,
			rugged: true,
			tickCount: after.historyTick,
			cooldownTimer: 0,
			leaderboard: game.finalLeaderboard,
			prices: {partialPrices: game.rugPrices},
		})]);
	}

	#context(game: Game): FrameContext {
		return frameContext(this.#world, game);
	}

	#playPresale(timeline: Timeline, game: Game, start: number): void {
		const world = this.#world;
		const {random} = world;
		const context = this.#context(game);
		let ts = start + 5000 + random.int(0, 3);
		timeline.add(ts, 'gameStateUpdate', [fullFrame(context, {
			active: false,
			price: 1,
			partialPrices: openingPrices,
			tradeCount: world.lastTradeCount,
			rugged: false,
			tickCount: 0,
			cooldownTimer: 10_000,
			allowPreRoundBuys: true,
			leaderboard: [],
			stats: world.stats,
			rugpool: world.rugpool,
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
				crowdTrade(world, timeline, game, random.pick(game.participants), 0, ts - random.int(20, 80), 'buy');
			}

			if (timer === firstBetAt || random.chance(0.01)) {
				const player = freeBettor(world, game, timer === firstBetAt);
				if (player !== undefined) {
					placeSidebet(world, game, player, 0, ts - random.int(10, 60), true);
				}
			}

			if (timer === userBuyAt) {
				this.#user!.buy(timeline, game, 0, ts - random.int(10, 60));
			}

			if (timer === userBetAt) {
				this.#user!.sidebet(timeline, game, 0, ts - random.int(10, 60));
			}

			if (board === undefined || boardVersion !== game.holdings.version) {
				board = game.holdings.size === 0 ? [] : leaderboard(game.holdings, 1, world.config.leaderboardSize);
				boardVersion = game.holdings.version;
			}

			timeline.add(ts, 'gameStateUpdate', [countdownFrame(this.#context(game), timer, true, board)]);
			this.#afterFrame(timeline, game, ts, false);
		}

		game.tradeCount += game.holdings.size + random.int(0, 20);
	}

	#playActive(timeline: Timeline, game: Game, tickZeroTs: number): void {
		const world = this.#world;
		const {config, random} = world;
		const {path, rugTick} = game;
		let ts = tickZeroTs;
		let previous = startFrame(this.#context(game));
		if (this.joinTick === 0) {
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
				history: world.history,
				stats: world.stats,
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
			settleLosses(world, game, tick, ts, this.#settled(timeline, game));
			if (random.chance(tradeChancePerTick)) {
				const lag = random.int(0, Math.min(8, tick));
				crowdTrade(world, timeline, game, random.pick(game.participants), tick - lag, ts + random.int(2, 45));
			}

			// Trades the public feed does not broadcast (practice tokens) still count.
			game.tradeCount += random.int(0, 2);
			if (random.chance(sidebetChancePerTick)) {
				const player = freeBettor(world, game);
				if (player !== undefined) {
					placeSidebet(world, game, player, tick, ts + random.int(5, 200), false);
				}
			}

			if (config.edgeSidebets && (tick === rugTick - sidebetTicks || tick === rugTick - sidebetTicks - 1)) {
				const player = freeBettor(world, game, true);
				if (player !== undefined) {
					placeSidebet(world, game, player, tick, ts + random.int(5, 200), false);
				}
			}

			const price = path[tick]!;
			game.livePrice = price;
			this.#user?.actions(timeline, game, tick, ts);
			if (tick === this.joinTick) {
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
					stats: world.stats,
					rugpool: world.rugpool,
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

		this.#playRug(timeline, game, ts + random.int(247, 258));
	}

	/** The rug: tick N = path length, price set by the server, active stays true. */
	#playRug(timeline: Timeline, game: Game, ts: number): void {
		const world = this.#world;
		const {config, random} = world;
		const {path, rugTick} = game;
		game.rugTs = ts;
		game.historyTs = ts + random.int(900, 1400);
		settleLosses(world, game, rugTick, ts, this.#settled(timeline, game));
		settleWins(world, game, this.#settled(timeline, game, () => ts + random.int(20, 120)));
		game.livePrice = game.rugPrice;
		game.holdings.liquidate(game.rugPrice);
		this.#user?.rugUpdate(timeline, game, ts);
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
			stats: world.stats,
			rugpool: world.rugpool,
		})]);
		this.#afterFrame(timeline, game, ts, true);
	}

	/** The user's own bets get their result events (at `at()`, else the record's time); others' need nothing. */
	#settled(timeline: Timeline, game: Game, at?: () => number): SettledBet {
		return (player, record) => {
			if (this.#user !== undefined && player === this.#user.player) {
				this.#user.sidebetSettled(timeline, game, record, at?.());
			}
		};
	}

	/** What a client joining mid-game gets first: a big frame with the whole path so far. */
	#snapshot(timeline: Timeline, game: Game, tick: number, ts: number): void {
		const world = this.#world;
		const price = game.path[tick]!;
		timeline.add(ts, 'gameStateUpdate', [historyFrame(this.#context(game), {
			history: world.history,
			stats: world.stats,
			active: true,
			price,
			rugged: false,
			tickCount: tick,
			cooldownTimer: 0,
			leaderboard: leaderboard(game.holdings, price, world.config.leaderboardSize),
			prices: {prices: game.path.slice(0, tick + 1)},
		})]);
		this.joinTs = ts;
	}

	/** What accompanies every gameStateUpdate: the user's own update, now and then chat, the player count drifting. */
	#afterFrame(timeline: Timeline, game: Game, ts: number, active: boolean): void {
		const world = this.#world;
		this.#user?.frameUpdate(timeline, game, ts);
		maybeChat(world, timeline, ts, active);
		driftConnected(world);
	}
}
