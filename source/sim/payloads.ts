import {sidebetMultiplier, sidebetTicks, solanaCoinAddress, type Holding, type LeaderboardSideBet} from './holdings.js';
import type {Player} from './players.js';

/**
Payloads of the feed's other events, field by field and in the key order the
captures show. Pure: the simulator decides, these only shape. Plain object
literals on purpose (spreads build slow objects, and these are made by the
million in long runs).
*/

export type Payload = Record<string, unknown>;

type TradeBase = {id: string; gameId: string; player: Player; price: number; tickIndex: number};

export function buyPayload(base: TradeBase, qty: number, amount: number, leverage: number, bonus: boolean): Payload {
	const {id, gameId, player, price, tickIndex} = base;
	return {id, gameId, playerId: player.id, price, type: 'buy', qty, tickIndex, coin: 'solana', amount, leverage, bonusPortion: bonus ? amount : 0, realPortion: bonus ? 0 : amount, username: player.username, level: player.level};
}

export function sellPayload(base: TradeBase, qty: number, amount: number, bonus: boolean): Payload {
	const {id, gameId, player, price, tickIndex} = base;
	return {id, gameId, playerId: player.id, type: 'sell', price, tickIndex, coin: 'solana', amount, qty, bonusPortion: bonus ? amount : 0, realPortion: bonus ? 0 : amount, username: player.username, level: player.level};
}

/** short_open and short_close carry no quantity and no bonus/real split. */
export function shortPayload(base: TradeBase, type: 'short_open' | 'short_close', amount: number): Payload {
	const {id, gameId, player, price, tickIndex} = base;
	return {id, gameId, playerId: player.id, price, type, qty: 0, tickIndex, coin: 'solana', amount, username: player.username, level: player.level};
}

export function chatPayload(player: Player, message: string, timestamp: number, verified: boolean): Payload {
	return {
		playerId: player.id,
		username: player.username,
		level: player.level,
		message,
		timestamp,
		filtered: false,
		role: null,
		tag: null,
		verified,
		discordUsername: null,
		replyTo: null,
	};
}

/** A sidebet being open, as the leaderboard's `sideBet` shows it. */
export function openSidebet(gameId: string, tick: number, betAmount: number): LeaderboardSideBet {
	return {
		startedAtTick: tick,
		gameId,
		end: tick + sidebetTicks,
		betAmount,
		xPayout: sidebetMultiplier,
		coinAddress: solanaCoinAddress,
		bonusPortion: 0,
		realPortion: betAmount,
	};
}

// gameHistory's globalSidebets records.

export function placedRecord(player: Player, bet: LeaderboardSideBet, timestamp: number, id: string): Payload {
	return {
		playerId: player.id,
		username: player.username,
		gameId: bet.gameId,
		betAmount: bet.betAmount,
		xPayout: bet.xPayout,
		coinAddress: bet.coinAddress,
		bonusPortion: bet.bonusPortion,
		realPortion: bet.realPortion,
		timestamp,
		type: 'placed',
		startedAtTick: bet.startedAtTick,
		end: bet.end,
		id,
	};
}

/** A lost bet, recorded when its window closes: tickIndex is the tick it started at (as on the feed). */
export function lostRecord(player: Player, bet: LeaderboardSideBet, timestamp: number, id: string): Payload {
	return {
		playerId: player.id,
		gameId: bet.gameId,
		username: player.username,
		betAmount: bet.betAmount,
		payout: 0,
		profit: -bet.betAmount,
		xPayout: bet.xPayout,
		coinAddress: bet.coinAddress,
		endTick: bet.end,
		startTick: bet.startedAtTick,
		tickIndex: bet.startedAtTick,
		timestamp,
		type: 'payout',
		id,
	};
}

/** A won bet, recorded at the rug: tickIndex the rug tick, with the rug price and the player's level. */
export function wonRecord(player: Player, bet: LeaderboardSideBet, rug: {tick: number; price: number}, timestamp: number, id: string): Payload {
	const payout = bet.betAmount * bet.xPayout;
	return {
		playerId: player.id,
		gameId: bet.gameId,
		username: player.username,
		level: player.level,
		betAmount: bet.betAmount,
		payout,
		profit: payout - bet.betAmount,
		xPayout: bet.xPayout,
		coinAddress: bet.coinAddress,
		endTick: bet.end,
		startTick: bet.startedAtTick,
		tickIndex: rug.tick,
		price: rug.price,
		timestamp,
		type: 'payout',
		id,
	};
}

// The logged-in user's own events.

/** currentSidebet (and the sidebet in the ack of requestSidebet). */
export function currentSidebetPayload(user: Player, bet: LeaderboardSideBet, timestamp: number): Payload {
	return {
		playerId: user.id,
		gameId: bet.gameId,
		username: user.username,
		betAmount: bet.betAmount,
		xPayout: bet.xPayout,
		coinAddress: bet.coinAddress,
		startTick: bet.startedAtTick,
		endTick: bet.end,
		tickIndex: bet.startedAtTick,
		timestamp,
		type: 'placed',
	};
}

/** currentSidebetResult: the payout record without its id, level and price. */
export function sidebetResultPayload(record: Payload): Payload {
	const {id: _id, level: _level, price: _price, ...result} = record;
	return result;
}

/** playerUpdate: the user's whole state, position fields from their holding in the current game. */
export function playerUpdatePayload(user: Player, holding: Holding | undefined, regularPnl: number, cash: number): Payload {
	return {
		id: user.id,
		role: null,
		cash,
		bonusBalance: 0,
		bonusWagerReq: 0,
		bonusWagered: 0,
		positionQty: holding?.qty ?? 0,
		avgCost: holding?.avgCost ?? 0,
		cumulativePnL: regularPnl,
		sidebetPnl: holding?.sidebetPnl ?? 0,
		pnlPercent: holding !== undefined && holding.invested > 0 ? (regularPnl / holding.invested) * 100 : 0,
		totalInvested: holding?.invested ?? 0,
		hasInteracted: holding !== undefined,
		selectedCoin: null,
		levelInfo: {level: user.level, xp: 549, xpForNextLevel: 1500, totalXP: 4049},
		crateKeys: {gold: 0, diamond: 0, coal: 0, iron: 0, tier0: 1},
		recentCrateRewards: [],
		shitcoinBalances: {'0xPractice': 100},
		authenticated: true,
		hitMaxWin: false,
		xpBoost: {active: false, activeUntil: 0, available: 0},
		sideBet: holding?.sideBet ?? null,
		sidebets: [],
		shortPosition: null,
		leveragedPositions: [],
		autobuysEnabled: false,
		autosellPrice: null,
	};
}
