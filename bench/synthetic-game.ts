import {makeEnvelope, type Envelope, type SourceKind} from '../source/protocol/envelope.js';
import type {GameHistoryEntry, GlobalSidebet} from '../source/protocol/events.js';
import {pricePath} from '../source/verify/price-path.js';
import {sha256Hex} from '../source/verify/verify-game.js';

/**
A whole game cycle as the feed would carry it (cooldown, presale, one frame per
tick with partialPrices, the rug, the post-rug frame with gameHistory, trades),
built from a seed with the real provably-fair path, so it verifies exactly as a
real game does. Used by the benchmark and by tests that need games of a chosen
length or with a chosen flaw; real captures stay the reference.
*/

export type SyntheticGameOptions = {
	gameId: string;
	serverSeed: string;
	/** Arrival time of the first frame, epoch ms. */
	startTs?: number;
	/** First envelope sequence number. */
	seq?: number;
	source?: SourceKind;
	/** Sidebets placed at these ticks (window 40, 5x); each gets its payout record by the real rule. */
	sidebetTicks?: readonly number[];
	/** One trade every this many ticks (0: none). */
	tradeEvery?: number;
	/** The rug price the server appends (not seeded). */
	rugPrice?: number;
	/** Cooldown frames before the presale. */
	cooldownFrames?: number;
};

export type SyntheticGame = {
	gameId: string;
	serverSeed: string;
	serverSeedHash: string;
	/** The price at every tick plus the rug price (as gameHistory.prices). */
	prices: number[];
	rugTick: number;
	peak: number;
	trades: number;
	entry: GameHistoryEntry;
	envelopes: Envelope[];
	/** Arrival time just after the last envelope. */
	endTs: number;
	/** Next free sequence number. */
	nextSeq: number;
};

const tickMs = 250;
const trace = {__trace: true, traceparent: '00-00000000000000000000000000000000-0000000000000000-01'};

function sidebetRecords(gameId: string, ticks: readonly number[], rugTick: number, ts: number): GlobalSidebet[] {
	const records: GlobalSidebet[] = [];
	for (const [index, startedAtTick] of ticks.entries()) {
		if (startedAtTick >= rugTick) {
			continue;
		}

		const end = startedAtTick + 40;
		const betAmount = 0.001 * (index + 1);
		records.push({type: 'placed', id: `${gameId}-sb${index}`, playerId: `player-${index}`, username: `bettor${index}`, gameId, betAmount, xPayout: 5, startedAtTick, end, timestamp: ts});
		const won = rugTick <= end;
		records.push({type: 'payout', id: `${gameId}-sb${index}-payout`, playerId: `player-${index}`, username: `bettor${index}`, gameId, betAmount, xPayout: 5, startTick: startedAtTick, endTick: end, payout: won ? betAmount * 5 : 0, profit: won ? betAmount * 4 : -betAmount, tickIndex: Math.min(end, rugTick), timestamp: ts});
	}

	return records;
}

export function syntheticGame(options: SyntheticGameOptions): SyntheticGame {
	const {gameId, serverSeed} = options;
	const source = options.source ?? 'direct';
	const path = pricePath(serverSeed, gameId);
	const rugTick = path.length;
	const rugPrice = options.rugPrice ?? 0.02;
	const prices = [...path, rugPrice];
	const serverSeedHash = sha256Hex(serverSeed);
	const provablyFair = {serverSeedHash, version: 'v3'};
	let seq = options.seq ?? 1;
	let ts = options.startTs ?? Date.UTC(2025, 11, 12, 22, 0, 0);
	const envelopes: Envelope[] = [];
	const push = (event: string, args: unknown[], advance: number) => {
		envelopes.push(makeEnvelope({seq: seq++, ts, source, direction: 'received', event, args}));
		ts += advance;
	};

	const partial = (tick: number) => {
		const values: Record<string, number> = {};
		const start = Math.max(0, tick - 4);
		for (let t = start; t <= tick; t++) {
			values[String(t)] = prices[t]!;
		}

		return {startTick: start, endTick: tick, values};
	};

	for (let frame = 0; frame < (options.cooldownFrames ?? 3); frame++) {
		push('gameStateUpdate', [{gameId, cooldownTimer: 15_000 - (frame * 100), cooldownPaused: false, allowPreRoundBuys: false, leaderboard: [], connectedPlayers: 150, provablyFair}], 100);
	}

	push('gameStateUpdate', [{gameId, cooldownTimer: 10_000, allowPreRoundBuys: true, price: 1, tickCount: 0, leaderboard: [], connectedPlayers: 151, provablyFair}], 10_000);

	let trades = 0;
	const tradeEvery = options.tradeEvery ?? 5;
	for (let tick = 0; tick <= rugTick; tick++) {
		const rugged = tick === rugTick;
		push('gameStateUpdate', [{
			gameId,
			active: true,
			rugged,
			price: prices[tick],
			tickCount: tick,
			partialPrices: partial(tick),
			tradeCount: trades,
			connectedPlayers: 150 + (tick % 7),
			leaderboard: [],
			cooldownTimer: 0,
			provablyFair,
			gameVersion: 'v3',
		}], tickMs);
		if (!rugged && tradeEvery > 0 && tick % tradeEvery === tradeEvery - 1) {
			trades++;
			push('standard/newTrade', [trace, {id: `${gameId}-trade${trades}`, gameId, playerId: `player-${trades % 9}`, username: `trader${trades % 9}`, type: trades % 2 === 0 ? 'sell' : 'buy', price: prices[tick], qty: 1, amount: prices[tick], tickIndex: tick, coin: 'solana'}], 0);
		}
	}

	const entry: GameHistoryEntry = {
		id: gameId,
		timestamp: ts + 1000,
		prices,
		peakMultiplier: Math.max(...path),
		rugged: true,
		globalTrades: [],
		globalSidebets: sidebetRecords(gameId, options.sidebetTicks ?? [], rugTick, ts),
		provablyFair: {serverSeed, serverSeedHash},
		gameVersion: 'v3',
	};
	ts += 1000;
	push('gameStateUpdate', [{gameId, active: true, rugged: true, price: rugPrice, tickCount: rugTick + 1, partialPrices: partial(rugTick), leaderboard: [], provablyFair, gameHistory: [entry]}], 100);
	return {gameId, serverSeed, serverSeedHash, prices, rugTick, peak: Math.max(...path), trades, entry, envelopes, endTs: ts, nextSeq: seq};
}

/**
The first seed sha256(`${prefix}-N`) (64 hex digits, like a real serverSeed)
whose game rugs at a tick in [min, max]. Deterministic.
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
