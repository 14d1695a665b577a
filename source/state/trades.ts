import {cleanText} from '../protocol/untrusted-text.js';
import {asRecord, num, str, tickOf} from '../protocol/read.js';
import {maxTick} from './game.js';
import type {TradeRow} from './types.js';

/** A trade row from a standard/newTrade payload, or undefined when it is not one. */
export function tradeFrom(data: unknown, ts: number): TradeRow | undefined {
	const trade = asRecord(data);
	const gameId = str(trade?.['gameId']);
	const type = str(trade?.['type']);
	if (trade === undefined || gameId === undefined || type === undefined) {
		return undefined;
	}

	return {
		id: str(trade['id']),
		gameId,
		tick: tickOf(trade['tickIndex'], maxTick),
		username: cleanText(trade['username'], 32) || cleanText(trade['playerId'], 32) || '?',
		type: cleanText(type, 16),
		qty: num(trade['qty']),
		price: num(trade['price']),
		amount: num(trade['amount']),
		ts,
	};
}

/** Newest first, capped, each trade id once. */
export function addTrade(trades: readonly TradeRow[], trade: TradeRow, cap: number): readonly TradeRow[] {
	if (trade.id !== undefined && trades.some(row => row.id === trade.id && row.gameId === trade.gameId)) {
		return trades;
	}

	const next = [trade, ...trades];
	return next.length > cap ? next.slice(0, cap) : next;
}
