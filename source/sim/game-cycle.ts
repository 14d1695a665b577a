import {makeEnvelope, type Envelope, type SourceKind} from '../protocol/envelope.js';
import type {GameHistoryEntry} from '../protocol/events.js';
import {pricePath} from '../verify/price-path.js';
import {sha256Hex} from '../verify/verify-game.js';
import {chatLine, crowdTradePayload, freeBettor, placeSidebet, settleLosses, settleWins} from './crowd.js';
import {countdownFrame, fullFrame, historyFrame, openingPrices, partialPrices, startFrame} from './frames.js';
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

	/** One envelope at `ts` (never before the last one). */
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

export function gameCycle(options: GameCycleOptions): GameCycle {
	const {gameId, serverSeed} = options;
	const path = pricePath(serverSeed, gameId);
	const rugTick = path.length;
	const config = resolveOptions({seed: `cycle-${gameId}-${serverSeed}`, startTs: options.startTs, leaderboardSize: options.leaderboardSize, players: 12, quirks: false});
	const world: World = openWorld(config, new Random(config.seed));
	const {random} = world;
	if (options.connectedPlayers !== undefined) {
		world.connected = options.connectedPlayers;
	}

	const drift = () => {
		if (options.connectedPlayers === undefined) {
			driftConnected(world);
		}
	};

	const game = gameOf({id: gameId, serverSeed, path}, options.rugPrice ?? random.between(0.002, 0.02), [...world.players], undefined);
	const older = (options.history ?? []) as Array<Record<string, unknown>>;
	const out = new CycleWriter(options.startTs ?? defaultStartTs, options.seq ?? 1, options.source ?? 'direct');
	const marks: CycleMarks = {cooldown: 0, presale: 0, ticks: [], rugged: 0, history: 0};
	const context = () => frameContext(world, game);
	const bigFrame = (at: {active: boolean; price: number; rugged: boolean; tickCount: number; cooldownTimer: number}, history: ReadonlyArray<Record<string, unknown>>) => historyFrame(context(), {
		history,
		stats: world.stats,
		...at,
		leaderboard: at.rugged ? game.finalLeaderboard : [],
		prices: {partialPrices: at.rugged ? game.rugPrices : openingPrices},
	});

	let {ts} = out;
	for (const [index, timer] of (options.cooldownTimers ?? [15_000, 14_900, 14_800]).entries()) {
		const frame = options.historyAtCooldown === true && timer === 15_000
			? bigFrame({active: false, price: 1, rugged: false, tickCount: 0, cooldownTimer: timer}, older)
			: countdownFrame(context(), timer, false, []);
		out.add(ts + (index * frameMs), 'gameStateUpdate', [frame]);
		drift();
	}

	marks.cooldown = out.envelopes.length;
	ts = out.envelopes.length > 0 ? out.ts + frameMs : out.ts;
	for (const [index, timer] of (options.presaleTimers ?? [10_000]).entries()) {
		const frame = index === 0
			? fullFrame(context(), {active: false, price: 1, partialPrices: openingPrices, tradeCount: 0, rugged: false, tickCount: 0, cooldownTimer: timer, allowPreRoundBuys: true, leaderboard: [], stats: world.stats, rugpool: world.rugpool})
			: countdownFrame(context(), timer, true, []);
		out.add(ts + (index * frameMs), 'gameStateUpdate', [frame]);
		drift();
	}

	marks.presale = out.envelopes.length;
	const lastTick = Math.min(rugTick - 1, options.maxTicks ?? rugTick);
	const tradeEvery = options.tradeEvery ?? 5;
	const noSettlement = () => undefined;
	let tradesSent = 0;
	ts = out.envelopes.length > 0 ? out.ts + tickMs : out.ts;
	for (let tick = 0; tick <= lastTick; tick++, ts += tickMs) {
		const price = path[tick]!;
		game.livePrice = price;
		settleLosses(world, game, tick, ts, noSettlement);
		// What happens at this tick shapes its frame (trade count, leaderboard); the events follow the frame.
		const after = new Timeline();
		// Each event of the tick 20 ms after the one before.
		let at = ts;
		const next = () => {
			at += 20;
			return at;
		};

		for (const trade of (options.trades ?? []).filter(item => item.tick === tick)) {
			const payload = scriptedTradePayload(random, game, scriptedPlayer(trade.username), trade, price);
			game.tradeCount++;
			tradesSent++;
			after.add(next(), 'standard/newTrade', [trace(random), payload]);
		}

		if (tradeEvery > 0 && tick % tradeEvery === tradeEvery - 1) {
			const payload = crowdTradePayload(random, game, random.pick(game.participants), tick);
			game.tradeCount++;
			tradesSent++;
			after.add(next(), 'standard/newTrade', [trace(random), payload]);
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

		const frame = tick === 0
			? startFrame(context())
			: fullFrame(context(), {active: true, price, partialPrices: partialPrices(path, tick, price), tradeCount: game.tradeCount, rugged: false, tickCount: tick, cooldownTimer: 0, allowPreRoundBuys: false, leaderboard: leaderboard(game.holdings, price, config.leaderboardSize), stats: world.stats, rugpool: world.rugpool});
		out.add(ts, 'gameStateUpdate', [frame]);
		if (tick === 0 && options.historyAtTickZero === true) {
			out.add(ts + 10, 'gameStateUpdate', [bigFrame({active: true, price: 1, rugged: false, tickCount: 0, cooldownTimer: 0}, older)]);
		}

		drift();
		out.addTimeline(after);
		marks.ticks.push(out.envelopes.length);
	}

	game.rugTs = ts;
	game.historyTs = ts + historyDelayMs;
	game.rugPrices = partialPrices(path, rugTick, game.rugPrice);
	const rugged = lastTick === rugTick - 1;
	if (rugged) {
		game.livePrice = game.rugPrice;
		settleLosses(world, game, rugTick, ts, noSettlement);
		settleWins(world, game, noSettlement);
		game.holdings.liquidate(game.rugPrice);
		game.finalLeaderboard = leaderboard(game.holdings, game.rugPrice, config.leaderboardSize);
		out.add(ts, 'gameStateUpdate', [fullFrame(context(), {active: true, price: game.rugPrice, partialPrices: game.rugPrices, tradeCount: game.tradeCount, rugged: true, tickCount: rugTick, cooldownTimer: 0, allowPreRoundBuys: false, leaderboard: game.finalLeaderboard, stats: world.stats, rugpool: world.rugpool})]);
		marks.rugged = out.envelopes.length;
	}

	const entry = historyEntry(game);
	if (options.tamperTick !== undefined) {
		const prices = entry['prices'] as number[];
		prices[options.tamperTick] = prices[options.tamperTick]! * 1.5;
	}

	if (rugged) {
		out.add(game.historyTs, 'gameStateUpdate', [bigFrame({active: true, price: game.rugPrice, rugged: true, tickCount: rugTick + 1, cooldownTimer: 0}, [entry, ...older])]);
		marks.history = out.envelopes.length;
	}

	return {
		gameId,
		serverSeed,
		serverSeedHash: game.fair.serverSeedHash,
		path,
		prices: [...path, game.rugPrice],
		rugTick,
		rugPrice: game.rugPrice,
		peak: Math.max(...path),
		rugged,
		trades: tradesSent,
		entry,
		envelopes: out.envelopes,
		marks,
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
