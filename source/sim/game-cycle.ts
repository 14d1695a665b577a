import {makeEnvelope, type Envelope, type SourceKind} from '../protocol/envelope.js';
import type {GameHistoryEntry} from '../protocol/events.js';
import {pricePath} from '../verify/price-path.js';
import {sha256Hex} from '../verify/verify-game.js';
import {chatLine, crowdTradePayload, freeBettor, placeSidebet, settleLosses, settleWins} from './crowd.js';
import {countdownFrame, fullFrame, historyFrame, openingPrices, partialPrices, startFrame, type FrameContext} from './frames.js';
import {gameOf, type Game} from './game.js';
import {historyEntry} from './history.js';
import {leaderboard} from './holdings.js';
import {buyPayload, sellPayload, shortPayload, type Payload} from './payloads.js';
import type {Player} from './players.js';
import {Random} from './random.js';
import {defaultStartTs, resolveOptions} from './session-options.js';
import {Timeline} from './timeline.js';
import {driftConnected, frameContext, openWorld, trace, type World} from './world.js';

/**
One game cycle from a chosen server seed and game id, scripted: the cooldown
and presale frames asked for, one frame per tick priced by the real
provably-fair path, the trades and sidebets written in the script (or the
simulator's crowd trading and betting at the ticks given), the rug, and the
gameHistory frame that reveals the seed — so it verifies exactly as a real
game does, unless asked to be tampered with. The frames, payloads, holdings
and sidebet settlement are the simulator's own (frames.ts, payloads.ts,
holdings.ts, crowd.ts, history.ts); only the timeline is fixed instead of
drawn: frames come at a steady cadence, with none of the feed's quirks, so a
test can cut the cycle at any phase (`marks`) and know what it holds. For
benchmarks and tests that need a game of a chosen length or with a chosen
flaw; generateSession plays whole sessions.
*/

export type ScriptedTradeType = 'buy' | 'sell' | 'short_open' | 'short_close';

/** A trade in the script: sent after the frame of its tick, at that tick's price; qty and amount as given (shorts carry no qty on the feed). */
export type ScriptedTrade = {tick: number; username: string; type: ScriptedTradeType; qty: number; amount: number};

/** A sidebet in the script, placed at `tick` (window 40 ticks, 5x); settled by the rule "wins iff rug tick ≤ end tick". */
export type ScriptedSidebet = {tick: number; username: string; betAmount: number};

export type GameCycleOptions = {
	gameId: string;
	serverSeed: string;
	/** Arrival time of the first frame, epoch ms (default 2025-12-12T22:00:00Z). */
	startTs?: number;
	/** First envelope sequence number (default 1). */
	seq?: number;
	/** Source label of the envelopes (default 'direct'). */
	source?: SourceKind;
	/** Cooldown frames, by their timer (default 15000, 14900, 14800); none: the cycle starts later. */
	cooldownTimers?: readonly number[];
	/** Presale frames, by their timer (default 10000); the first carries price 1 and tick 0, as on the feed. */
	presaleTimers?: readonly number[];
	/** The cooldown's 15000 frame is the big one, with the finished games of `history` (as the feed sends it). */
	historyAtCooldown?: boolean;
	/** A gameHistory frame follows tick 0 too (the feed does that now and then). */
	historyAtTickZero?: boolean;
	/** Stop after this tick (before the rug when it is earlier than the rug tick − 1). */
	maxTicks?: number;
	/** Trades written in the script. */
	trades?: readonly ScriptedTrade[];
	/** Also one trade by someone from the crowd every this many ticks (default 5; 0: none). */
	tradeEvery?: number;
	/** Sidebets written in the script. */
	sidebets?: readonly ScriptedSidebet[];
	/** Ticks at which someone from the crowd places a sidebet (their usual stake). */
	sidebetTicks?: readonly number[];
	/** Ticks after which a chat line comes. */
	chatTicks?: readonly number[];
	/** The rug price the server sets (default: drawn from 0.002–0.02, as on the feed). */
	rugPrice?: number;
	/** connectedPlayers in every frame (default: drifting, as the simulator has it). */
	connectedPlayers?: number;
	/** Earlier finished games, newest first: the gameHistory frames list them after this one. */
	history?: readonly GameHistoryEntry[];
	/** Record a wrong price (×1.5) at this tick in the gameHistory entry: its verification must fail. */
	tamperTick?: number;
	/** Rows of the leaderboard (default 10, as the feed). */
	leaderboardSize?: number;
};

/** Where each phase ends in `envelopes` (counts, so `envelopes.slice(0, mark)` stops there); 0 for a phase not played. */
export type CycleMarks = {
	cooldown: number;
	presale: number;
	/** After tick t's frame and the events that follow it. */
	ticks: number[];
	rugged: number;
	history: number;
};

export type GameCycle = {
	gameId: string;
	serverSeed: string;
	serverSeedHash: string;
	/** The seeded price at every tick. */
	path: number[];
	/** The price at every tick plus the rug price (as an untampered gameHistory.prices). */
	prices: number[];
	rugTick: number;
	rugPrice: number;
	peak: number;
	/** Whether the cycle goes as far as the rug (and its gameHistory frame). */
	rugged: boolean;
	/** Trades sent (standard/newTrade events). */
	trades: number;
	/** The game's gameHistory entry, as sent (tampered when asked). */
	entry: GameHistoryEntry;
	envelopes: Envelope[];
	marks: CycleMarks;
	/** Arrival time just after the last envelope. */
	endTs: number;
	/** Next free sequence number. */
	nextSeq: number;
};

const tickMs = 250;
const frameMs = 100;
/** From the rug to its gameHistory frame (0.8–5.3 s on the feed). */
const historyDelayMs = 1000;

/** A player of the script: the same name always has the same id and level. */
export function scriptedPlayer(username: string): Player {
	const hash = sha256Hex(username);
	return {id: `did:privy:cm${hash.slice(0, 23)}`, username, level: 1 + (Number.parseInt(hash.slice(23, 25), 16) % 80), stake: 0.01};
}

/** The payload of a scripted trade, its effect applied to the holdings. */
export function scriptedTradePayload(random: Random, game: Pick<Game, 'id' | 'holdings'>, player: Player, trade: ScriptedTrade, price: number): Payload {
	const base = {id: random.uuid(), gameId: game.id, player, price, tickIndex: trade.tick};
	switch (trade.type) {
		case 'buy': {
			game.holdings.buy(player, trade.amount, price, trade.qty);
			return buyPayload(base, trade.qty, trade.amount, 1, false);
		}

		case 'sell': {
			game.holdings.sellExactly(player, trade.qty, trade.amount);
			return sellPayload(base, trade.qty, trade.amount, false);
		}

		case 'short_open': {
			game.holdings.openShort(player, trade.amount, price);
			return shortPayload(base, 'short_open', trade.amount);
		}

		case 'short_close': {
			game.holdings.closeShort(player, price);
			return shortPayload(base, 'short_close', trade.amount);
		}
	}
}

/** Envelopes in arrival order: numbered from `seq`, stamped never earlier than the one before. */
class CycleWriter {
	readonly envelopes: Envelope[] = [];
	ts: number;
	seq: number;
	readonly #source: SourceKind;

	constructor(ts: number, seq: number, source: SourceKind) {
		this.ts = ts;
		this.seq = seq;
		this.#source = source;
	}

	get length(): number {
		return this.envelopes.length;
	}

	add(ts: number, event: string, args: unknown[]): void {
		this.ts = Math.max(this.ts, ts);
		this.envelopes.push(makeEnvelope({seq: this.seq++, ts: this.ts, source: this.#source, direction: 'received', event, args}));
	}

	/** What the simulator's helpers put on a timeline, in time order. */
	addTimeline(timeline: Timeline): void {
		for (const item of timeline.take(this.ts)) {
			this.add(item.ts, item.event, item.args);
		}
	}
}

type BigFrameAt = {active: boolean; price: number; rugged: boolean; tickCount: number; cooldownTimer: number};

/** One cycle being played, phase by phase. */
class Cycle {
	readonly marks: CycleMarks = {cooldown: 0, presale: 0, ticks: [], rugged: 0, history: 0};
	readonly out: CycleWriter;
	readonly game: Game;
	/** Whether the cycle goes as far as the rug. */
	readonly rugged: boolean;
	trades = 0;
	/** The game's gameHistory entry, tampered when asked (made at the rug). */
	entry: Record<string, unknown> = {};
	readonly #options: GameCycleOptions;
	readonly #world: World;
	readonly #lastTick: number;
	readonly #older: Array<Record<string, unknown>>;

	constructor(options: GameCycleOptions) {
		const {gameId, serverSeed} = options;
		this.#options = options;
		const config = resolveOptions({seed: `cycle-${gameId}-${serverSeed}`, startTs: options.startTs, leaderboardSize: options.leaderboardSize, players: 12, quirks: false});
		this.#world = openWorld(config, new Random(config.seed));
		if (options.connectedPlayers !== undefined) {
			this.#world.connected = options.connectedPlayers;
		}

		const path = pricePath(serverSeed, gameId);
		this.game = gameOf({id: gameId, serverSeed, path}, options.rugPrice ?? this.#world.random.between(0.002, 0.02), [...this.#world.players], undefined);
		this.#lastTick = Math.min(path.length - 1, options.maxTicks ?? path.length);
		this.rugged = this.#lastTick === path.length - 1;
		this.#older = (options.history ?? []) as Array<Record<string, unknown>>;
		this.out = new CycleWriter(options.startTs ?? defaultStartTs, options.seq ?? 1, options.source ?? 'direct');
	}

	play(): void {
		this.#cooldown();
		this.marks.cooldown = this.out.length;
		this.#presale();
		this.marks.presale = this.out.length;
		this.#active();
		this.#rug();
	}

	#cooldown(): void {
		const {out} = this;
		const start = out.ts;
		for (const [index, timer] of (this.#options.cooldownTimers ?? [15_000, 14_900, 14_800]).entries()) {
			const frame = this.#options.historyAtCooldown === true && timer === 15_000
				? this.#bigFrame({active: false, price: 1, rugged: false, tickCount: 0, cooldownTimer: timer}, this.#older)
				: countdownFrame(this.#context(), timer, false, []);
			out.add(start + (index * frameMs), 'gameStateUpdate', [frame]);
			this.#drift();
		}
	}

	#presale(): void {
		const {out} = this;
		const world = this.#world;
		const start = out.length > 0 ? out.ts + frameMs : out.ts;
		for (const [index, timer] of (this.#options.presaleTimers ?? [10_000]).entries()) {
			const frame = index === 0
				? fullFrame(this.#context(), {active: false, price: 1, partialPrices: openingPrices, tradeCount: 0, rugged: false, tickCount: 0, cooldownTimer: timer, allowPreRoundBuys: true, leaderboard: [], stats: world.stats, rugpool: world.rugpool})
				: countdownFrame(this.#context(), timer, true, []);
			out.add(start + (index * frameMs), 'gameStateUpdate', [frame]);
			this.#drift();
		}
	}

	#active(): void {
		const {out, game} = this;
		const world = this.#world;
		let ts = out.length > 0 ? out.ts + tickMs : out.ts;
		for (let tick = 0; tick <= this.#lastTick; tick++, ts += tickMs) {
			const price = game.path[tick]!;
			game.livePrice = price;
			settleLosses(world, game, tick, ts, noOneWaits);
			// What happens at this tick shapes its frame (trade count, leaderboard); its events follow the frame.
			const after = this.#tickEvents(tick, ts);
			const frame = tick === 0
				? startFrame(this.#context())
				: fullFrame(this.#context(), {active: true, price, partialPrices: partialPrices(game.path, tick, price), tradeCount: game.tradeCount, rugged: false, tickCount: tick, cooldownTimer: 0, allowPreRoundBuys: false, leaderboard: leaderboard(game.holdings, price, world.config.leaderboardSize), stats: world.stats, rugpool: world.rugpool});
			out.add(ts, 'gameStateUpdate', [frame]);
			if (tick === 0 && this.#options.historyAtTickZero === true) {
				out.add(ts + 10, 'gameStateUpdate', [this.#bigFrame({active: true, price: 1, rugged: false, tickCount: 0, cooldownTimer: 0}, this.#older)]);
			}

			this.#drift();
			out.addTimeline(after);
			this.marks.ticks.push(out.length);
		}

		this.game.rugTs = ts;
	}

	/** The trades, sidebets and chat of one tick, 20 ms apart after its frame. */
	#tickEvents(tick: number, ts: number): Timeline {
		const options = this.#options;
		const world = this.#world;
		const {game} = this;
		const {random} = world;
		const after = new Timeline();
		let at = ts;
		const next = () => {
			at += 20;
			return at;
		};

		for (const trade of (options.trades ?? []).filter(item => item.tick === tick)) {
			this.#trade(after, next(), scriptedTradePayload(random, game, scriptedPlayer(trade.username), trade, game.path[tick]!));
		}

		const every = options.tradeEvery ?? 5;
		if (every > 0 && tick % every === every - 1) {
			this.#trade(after, next(), crowdTradePayload(random, game, random.pick(game.participants), tick));
		}

		for (const bet of (options.sidebets ?? []).filter(item => item.tick === tick)) {
			placeSidebet(world, game, scriptedPlayer(bet.username), tick, next(), false, bet.betAmount);
		}

		for (const _tick of (options.sidebetTicks ?? []).filter(item => item === tick)) {
			// Someone from the crowd without an open bet (one each at a time; the crowd has enough of them).
			const player = freeBettor(world, game, true);
			if (player !== undefined) {
				placeSidebet(world, game, player, tick, next(), false);
			}
		}

		if (options.chatTicks?.includes(tick)) {
			chatLine(world, after, ts);
		}

		return after;
	}

	#trade(timeline: Timeline, ts: number, payload: Payload): void {
		this.game.tradeCount++;
		this.trades++;
		timeline.add(ts, 'standard/newTrade', [trace(this.#world.random), payload]);
	}

	/** The rug settles every bet (so the entry is whole even when the cycle stops before it); shown only when reached. */
	#rug(): void {
		const {out, game} = this;
		const world = this.#world;
		const ts = game.rugTs;
		game.historyTs = ts + historyDelayMs;
		game.rugPrices = partialPrices(game.path, game.rugTick, game.rugPrice);
		game.livePrice = game.rugPrice;
		settleLosses(world, game, game.rugTick, ts, noOneWaits);
		settleWins(world, game, noOneWaits);
		game.holdings.liquidate(game.rugPrice);
		game.finalLeaderboard = leaderboard(game.holdings, game.rugPrice, world.config.leaderboardSize);
		const entry = historyEntry(game);
		if (this.#options.tamperTick !== undefined) {
			const prices = entry['prices'] as number[];
			prices[this.#options.tamperTick] = prices[this.#options.tamperTick]! * 1.5;
		}

		this.entry = entry;
		if (!this.rugged) {
			return;
		}

		out.add(ts, 'gameStateUpdate', [fullFrame(this.#context(), {active: true, price: game.rugPrice, partialPrices: game.rugPrices, tradeCount: game.tradeCount, rugged: true, tickCount: game.rugTick, cooldownTimer: 0, allowPreRoundBuys: false, leaderboard: game.finalLeaderboard, stats: world.stats, rugpool: world.rugpool})]);
		this.marks.rugged = out.length;
		out.add(game.historyTs, 'gameStateUpdate', [this.#bigFrame({active: true, price: game.rugPrice, rugged: true, tickCount: game.rugTick + 1, cooldownTimer: 0}, [entry, ...this.#older])]);
		this.marks.history = out.length;
	}

	#bigFrame(at: BigFrameAt, history: ReadonlyArray<Record<string, unknown>>): Record<string, unknown> {
		return historyFrame(this.#context(), {
			history,
			stats: this.#world.stats,
			...at,
			leaderboard: at.rugged ? this.game.finalLeaderboard : [],
			prices: {partialPrices: at.rugged ? this.game.rugPrices : openingPrices},
		});
	}

	#context(): FrameContext {
		return frameContext(this.#world, this.game);
	}

	#drift(): void {
		if (this.#options.connectedPlayers === undefined) {
			driftConnected(this.#world);
		}
	}
}

/** Nobody in a scripted cycle waits for their sidebet results (there is no logged-in user). */
function noOneWaits(): void {
	// Nothing to send.
}

export function gameCycle(options: GameCycleOptions): GameCycle {
	const cycle = new Cycle(options);
	cycle.play();
	const {game, out} = cycle;
	return {
		gameId: game.id,
		serverSeed: game.serverSeed,
		serverSeedHash: game.fair.serverSeedHash,
		path: game.path,
		prices: [...game.path, game.rugPrice],
		rugTick: game.rugTick,
		rugPrice: game.rugPrice,
		peak: Math.max(...game.path),
		rugged: cycle.rugged,
		trades: cycle.trades,
		entry: cycle.entry,
		envelopes: out.envelopes,
		marks: cycle.marks,
		endTs: out.ts + frameMs,
		nextSeq: out.seq,
	};
}

/**
The first server seed sha256(`${prefix}-N`) (64 hex digits, like a real one)
whose game `gameId` rugs at a tick in [min, max]. Deterministic.
*/
export function seedForLength(gameId: string, min: number, max: number, prefix = 'seed'): string {
	for (let n = 0; n < 1_000_000; n++) {
		const seed = sha256Hex(`${prefix}-${n}`);
		const {length} = pricePath(seed, gameId);
		if (length >= min && length <= max) {
			return seed;
		}
	}

	throw new Error(`no seed found for a game of ${min}–${max} ticks`);
}
