import {cleanText} from '../protocol/untrusted-text.js';
import {asRecord, num, str, tickOf} from '../protocol/read.js';
import {maxTick} from './game.js';
import {playerIdLength} from './position.js';
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
		username: cleanText(trade['username'], 32) || cleanText(trade['playerId'], playerIdLength) || '?',
		type: cleanText(type, 16),
		qty: num(trade['qty']),
		price: num(trade['price']),
		amount: num(trade['amount']),
		ts,
	};
}

/**
Where a trade goes in the tape: newest first by the trade's own tick (which
lags the live tick by 0–8 and arrives out of order), arrival breaking ties
(a later trade of the same tick goes first), the trades of one game together,
and the game seen last at the top. A trade without a tick is taken as the
newest of its game.
*/
function insertAt(trades: readonly TradeRow[], trade: TradeRow): number {
	const first = trades.findIndex(row => row.gameId === trade.gameId);
	if (first === -1) {
		// A game the tape has not shown yet: the newest.
		return 0;
	}

	let index = first;
	while (index < trades.length && trades[index]!.gameId === trade.gameId) {
		const {tick} = trades[index]!;
		if (trade.tick === undefined || (tick !== undefined && tick <= trade.tick)) {
			break;
		}

		index++;
	}

	return index;
}

/** The tape with `trade` in its place (see insertAt), each trade id once, capped (the oldest go). */
export function addTrade(trades: readonly TradeRow[], trade: TradeRow, cap: number): readonly TradeRow[] {
	if (trade.id !== undefined && trades.some(row => row.id === trade.id && row.gameId === trade.gameId)) {
		return trades;
	}

	const index = insertAt(trades, trade);
	const next = [...trades.slice(0, index), trade, ...trades.slice(index)];
	return next.length > cap ? next.slice(0, cap) : next;
}
