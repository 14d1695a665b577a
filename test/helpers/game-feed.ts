import {writeFileSync} from 'node:fs';
import {makeEnvelope, type Envelope} from '../../source/protocol/envelope.js';
import {pricePath} from '../../source/verify/price-path.js';
import {sha256Hex} from '../../source/verify/verify-game.js';

/**
Recordings built in the test itself: a small, deterministic game cycle with
the shape PROTOCOL.md describes (cooldown → presale → active ticks → rug →
gameHistory), priced by the real provably-fair path of a seed, so the
verification marks come out ✓ (or ✗ when a game is tampered with).
*/

const trace = {__trace: true, traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'};

export type Bet = {username: string; startTick: number; betAmount: number};
export type Trade = {tick: number; username: string; type: 'buy' | 'sell' | 'short_open' | 'short_close'; qty: number; amount: number};

export type GameScript = {
	gameId: string;
	seed: string;
	/** Stop the active phase after this many ticks (the path may rug earlier). */
	maxTicks?: number;
	trades?: Trade[];
	bets?: Bet[];
	/** Alter the recorded price at this tick in gameHistory: the verification must fail. */
	tamperTick?: number;
	players?: number;
};

/** Where each phase of a game ends in `envelopes` (counts, so `envelopes.slice(0, mark)` stops there). */
export type PhaseMarks = {cooldown: number; presale: number; ticks: number[]; rugged: number; history: number};
export type PlayedGame = {path: number[]; rugTick: number; rugPrice: number; marks: PhaseMarks};

export class FeedBuilder {
	readonly envelopes: Envelope[] = [];
	ts: number;
	#seq = 0;
	#tradeId = 0;

	constructor(startTs = Date.UTC(2025, 11, 12, 22, 0, 0)) {
		this.ts = startTs;
	}

	push(event: string, ...args: unknown[]): this {
		this.envelopes.push(makeEnvelope({seq: ++this.#seq, ts: this.ts, source: 'replay', direction: 'received', event, args}));
		return this;
	}

	advance(ms: number): this {
		this.ts += ms;
		return this;
	}

	trade(gameId: string, trade: Trade, price: number): this {
		return this.push('standard/newTrade', trace, {
			id: `t${++this.#tradeId}`,
			gameId,
			playerId: `did:privy:${trade.username}`,
			username: trade.username,
			level: 3,
			type: trade.type,
			price,
			qty: trade.qty,
			amount: trade.amount,
			tickIndex: trade.tick,
			coin: 'solana',
		});
	}

	/** Cooldown, presale, the active ticks and the rug of one game, then its gameHistory frame. */
	game(script: GameScript): PlayedGame {
		const {gameId, seed} = script;
		const hash = sha256Hex(seed);
		const path = pricePath(seed, gameId, 'v3');
		const fair = {serverSeedHash: hash, version: 'v3'};
		const players = script.players ?? 200;
		for (const timer of [15_000, 14_900, 12_000]) {
			this.advance(100).push('gameStateUpdate', {gameId, cooldownTimer: timer, cooldownPaused: false, allowPreRoundBuys: false, connectedPlayers: players, leaderboard: [], provablyFair: fair});
		}

		const marks: PhaseMarks = {cooldown: this.envelopes.length, presale: 0, ticks: [], rugged: 0, history: 0};
		this.advance(100).push('gameStateUpdate', {gameId, cooldownTimer: 10_000, cooldownPaused: false, allowPreRoundBuys: true, price: 1, tickCount: 0, connectedPlayers: players, leaderboard: [], provablyFair: fair});
		this.advance(100).push('gameStateUpdate', {gameId, cooldownTimer: 4200, cooldownPaused: false, allowPreRoundBuys: true, connectedPlayers: players, leaderboard: [], provablyFair: fair});

		marks.presale = this.envelopes.length;
		const lastTick = Math.min(path.length - 1, script.maxTicks ?? path.length);
		const trades = script.trades ?? [];
		let tradeCount = 0;
		for (let tick = 0; tick <= lastTick; tick++) {
			const leaderboard = (script.bets ?? []).filter(bet => bet.startTick <= tick).map((bet, index) => ({
				id: `did:privy:${bet.username}`,
				username: bet.username,
				pnl: 0,
				positionQty: 0.5 + index,
				avgCost: 1.1,
				totalInvested: 0.1,
				pnlPercent: -3.5,
				sideBet: {startedAtTick: bet.startTick, end: bet.startTick + 40, gameId, betAmount: bet.betAmount, xPayout: 5},
			}));
			for (const trade of trades.filter(item => item.tick === tick)) {
				tradeCount++;
				this.advance(20).trade(gameId, trade, path[tick]!);
			}

			const values: Record<string, number> = {};
			for (let back = Math.max(0, tick - 4); back <= tick; back++) {
				values[String(back)] = path[back]!;
			}

			this.advance(250).push('gameStateUpdate', {
				gameId,
				active: true,
				rugged: false,
				price: path[tick],
				tickCount: tick,
				partialPrices: {startTick: Math.max(0, tick - 4), endTick: tick, values},
				tradeCount,
				connectedPlayers: players,
				leaderboard,
				provablyFair: fair,
			});
			marks.ticks.push(this.envelopes.length);
		}

		const rugTick = path.length;
		const rugPrice = 0.0042;
		if (lastTick === path.length - 1) {
			this.advance(250).push('gameStateUpdate', {gameId, active: true, rugged: true, price: rugPrice, tickCount: rugTick, tradeCount, connectedPlayers: players, leaderboard: [], provablyFair: fair});
			marks.rugged = this.envelopes.length;
			const prices = [...path, rugPrice];
			if (script.tamperTick !== undefined) {
				prices[script.tamperTick] = prices[script.tamperTick]! * 1.5;
			}

			const globalSidebets = (script.bets ?? []).flatMap(bet => [
				{type: 'placed', username: bet.username, gameId, startedAtTick: bet.startTick, end: bet.startTick + 40, betAmount: bet.betAmount, xPayout: 5},
				{type: 'payout', username: bet.username, gameId, startTick: bet.startTick, endTick: bet.startTick + 40, payout: rugTick <= bet.startTick + 40 ? bet.betAmount * 5 : 0, tickIndex: rugTick},
			]);
			this.advance(1500).push('gameStateUpdate', {
				gameId,
				active: true,
				rugged: true,
				price: rugPrice,
				tickCount: rugTick + 1,
				connectedPlayers: players,
				gameHistory: [{
					id: gameId,
					timestamp: this.ts,
					prices,
					peakMultiplier: Math.max(...path),
					rugged: true,
					globalTrades: [],
					globalSidebets,
					provablyFair: {serverSeed: seed, serverSeedHash: hash},
					gameVersion: 'v3',
				}],
			});
			marks.history = this.envelopes.length;
		}

		return {path, rugTick, rugPrice, marks};
	}

	/** The envelopes as a JSON-lines recording (the project's own format). */
	write(file: string): string {
		writeFileSync(file, this.envelopes.map(envelope => JSON.stringify(envelope)).join('\n') + '\n');
		return file;
	}
}

/** Find a seed (seed-0, seed-1, …) whose game rugs between `min` and `max` ticks: short games keep tests quick. */
export function seedWithLength(gameId: string, min: number, max: number): string {
	for (let index = 0; index < 10_000; index++) {
		const seed = `seed-${index}-${'a'.repeat(8)}`;
		const {length} = pricePath(seed, gameId, 'v3');
		if (length >= min && length <= max) {
			return seed;
		}
	}

	throw new Error(`no seed gives ${gameId} a length in ${min}–${max}`);
}

export const gameIds = ['20251212-aaaaaaaaaaaa0001', '20251212-bbbbbbbbbbbb0002', '20251212-cccccccccccc0003', '20251212-dddddddddddd0004'] as const;

/** Two finished games (one verifiable, one tampered), then the cooldown of a third. */
export function twoGamesAndCooldown(): {feed: FeedBuilder; first: PlayedGame; second: PlayedGame} {
	const feed = new FeedBuilder();
	const first = feed.game({
		gameId: gameIds[0],
		seed: seedWithLength(gameIds[0], 40, 80),
		trades: [
			{tick: 2, username: 'alice', type: 'buy', qty: 0.5, amount: 0.5},
			{tick: 5, username: 'bob', type: 'short_open', qty: 1.2, amount: 0.2},
			{tick: 9, username: 'alice', type: 'sell', qty: 0.5, amount: 0.61},
		],
		bets: [{username: 'carol', startTick: 10, betAmount: 0.01}],
	});
	const second = feed.game({
		gameId: gameIds[1],
		seed: seedWithLength(gameIds[1], 30, 60),
		trades: [{tick: 3, username: 'dave', type: 'short_close', qty: 2, amount: 0.3}],
		tamperTick: 7,
	});
	feed.advance(100).push('gameStateUpdate', {gameId: gameIds[2], cooldownTimer: 14_000, cooldownPaused: false, allowPreRoundBuys: false, connectedPlayers: 190, leaderboard: [], provablyFair: {serverSeedHash: sha256Hex('next'), version: 'v3'}});
	return {feed, first, second};
}
