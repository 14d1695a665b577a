import {asRecord, bool, list, num, str, tickOf, type Rec} from '../protocol/read.js';
import {laterPhase, phaseOf} from './phase.js';
import type {CurrentGame} from './types.js';

/** No real game gets near this (the seeded path stops at 5,000); it bounds memory against bad input. */
export const maxTick = 20_000;
/** A feed that keeps contradicting itself is already caught by a few of its contradictions. */
const maxReplacedPrices = 16;

export function newGame(id: string, ts: number): CurrentGame {
	return {
		id,
		phase: undefined,
		tick: -1,
		price: undefined,
		prices: [],
		replacedPrices: [],
		peak: 1,
		rugTick: undefined,
		rugPrice: undefined,
		cooldownTimer: undefined,
		cooldownPaused: false,
		tradeCount: undefined,
		connectedPlayers: undefined,
		serverSeedHash: undefined,
		gameVersion: undefined,
		leaderboardSidebets: 0,
		firstTs: ts,
		lastTs: ts,
	};
}

/** Copy-on-write writer for the price series of one frame. */
class PriceWriter {
	prices: number[] | undefined;
	peak: number;
	/** Earlier prices that a later frame replaced with a different one: kept for the live-tick check. */
	replaced: Array<readonly [number, number]> = [];

	constructor(private readonly base: readonly number[], peak: number, private readonly limit: number) {
		this.peak = peak;
	}

	get current(): readonly number[] {
		return this.prices ?? this.base;
	}

	set(tick: number, price: number): void {
		if (tick > this.limit) {
			return;
		}

		const {current} = this;
		if (current[tick] === price) {
			return;
		}

		const earlier = current[tick];
		if (earlier !== undefined && Number.isFinite(earlier)) {
			this.replaced.push([tick, earlier]);
		}

		this.prices ??= [...this.base];
		for (let hole = this.prices.length; hole < tick; hole++) {
			this.prices.push(Number.NaN);
		}

		this.prices[tick] = price;
		if (price > this.peak) {
			this.peak = price;
		}
	}
}

function countLeaderboardSidebets(leaderboard: unknown[], gameId: string): number {
	let count = 0;
	for (const item of leaderboard) {
		const bet = asRecord(asRecord(item)?.['sideBet']);
		if (bet !== undefined && (bet['gameId'] === undefined || bet['gameId'] === gameId)) {
			count++;
		}
	}

	return count;
}

/**
Fold one gameStateUpdate of this game into it. Prices are filled from
partialPrices so a missed frame leaves no hole; the tick never moves back;
after the rug, the later frames (tick N+1, N+2 with gameHistory) do not extend
the path.
*/
export function applyFrame(game: CurrentGame, frame: Rec, ts: number): CurrentGame {
	const phase = laterPhase(game.phase, phaseOf(frame));
	const rugged = game.rugTick !== undefined;
	// Once rugged, nothing may extend the path past the rug tick.
	const limit = rugged ? game.rugTick! : maxTick;
	const writer = new PriceWriter(game.prices, game.peak, limit);

	const oldPrices = list(frame['prices']);
	if (oldPrices !== undefined) {
		for (const [tick, value] of oldPrices.entries()) {
			const price = num(value);
			if (price !== undefined) {
				writer.set(tick, price);
			}
		}
	}

	const values = asRecord(asRecord(frame['partialPrices'])?.['values']);
	if (values !== undefined) {
		for (const key of Object.keys(values)) {
			const tick = tickOf(Number(key), maxTick);
			const price = num(values[key]);
			if (tick !== undefined && price !== undefined && key !== '') {
				writer.set(tick, price);
			}
		}
	}

	const frameTick = tickOf(frame['tickCount'], maxTick);
	const framePrice = num(frame['price']);
	if (frameTick !== undefined && framePrice !== undefined) {
		writer.set(frameTick, framePrice);
	}

	let {tick, rugTick, rugPrice} = game;
	if (frameTick !== undefined && frameTick > tick && frameTick <= limit) {
		tick = frameTick;
	}

	const rugAt = frameTick !== undefined && frameTick >= tick ? frameTick : tick;
	// A rug frame before any tick says nothing about when: no rug tick (-1 would settle every bet as won).
	if (!rugged && frame['rugged'] === true && rugAt >= 0) {
		rugTick = rugAt;
		tick = Math.max(tick, rugTick);
		rugPrice = framePrice ?? writer.current[rugTick];
	}

	const prices = writer.current;
	const known = prices[tick];
	const gameId = game.id;
	const leaderboard = list(frame['leaderboard']);
	const fair = asRecord(frame['provablyFair']);

	return {
		...game,
		replacedPrices: writer.replaced.length === 0 ? game.replacedPrices : [...game.replacedPrices, ...writer.replaced].slice(-maxReplacedPrices),
		phase,
		tick,
		price: known !== undefined && Number.isFinite(known) ? known : (framePrice ?? game.price),
		prices,
		peak: writer.peak,
		rugTick,
		rugPrice,
		cooldownTimer: num(frame['cooldownTimer']) ?? game.cooldownTimer,
		cooldownPaused: bool(frame['cooldownPaused']) ?? game.cooldownPaused,
		tradeCount: num(frame['tradeCount']) ?? game.tradeCount,
		connectedPlayers: num(frame['connectedPlayers']) ?? game.connectedPlayers,
		serverSeedHash: str(fair?.['serverSeedHash']) ?? game.serverSeedHash,
		gameVersion: str(frame['gameVersion']) ?? str(fair?.['version']) ?? game.gameVersion,
		leaderboardSidebets: leaderboard === undefined ? game.leaderboardSidebets : countLeaderboardSidebets(leaderboard, gameId),
		lastTs: Math.max(game.lastTs, ts),
	};
}
