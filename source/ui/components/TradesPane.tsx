import {memo} from 'react';
import type {TradeRow} from '../../state/types.js';
import {hiddenMark, ruleLine} from '../fields.js';
import {clock, fit, multiplier, quantity, safe, shortId, sol, tick as tickText, widthOf} from '../format.js';
import {segment, type SegmentLine} from '../segments.js';
import {tradeColour} from '../theme.js';
import {innerSize, Pane, type PaneFrame} from './Pane.js';

type TradesData = {
	trades: readonly TradeRow[];
	filter: string;
};

/** Trades whose username or type contains the filter (case-insensitive); all when the filter is empty. */
function filterTrades(trades: readonly TradeRow[], filter: string): readonly TradeRow[] {
	const wanted = filter.trim().toLowerCase();
	if (wanted === '') {
		return trades;
	}

	return trades.filter(trade => trade.username.toLowerCase().includes(wanted) || trade.type.toLowerCase().includes(wanted));
}

/** Short trades carry no quantity (the feed sends 0): their amount is the SOL staked (open) or paid back (close). */
function isShort(type: string): boolean {
	return type === 'short_open' || type === 'short_close';
}

export const shortNote = 'shorts: amount = SOL staked / paid back, no qty';

/** A whole did:privy id is 35 cells; names are cleaned to 32. */
const maxUserWidth = 36;
/** Tapes at least this wide show amounts to the millionth (a 0.001 SOL trade's qty keeps its digits). */
const wideTape = 90;

type TapeColumns = {
	tick: number;
	/** 0 for a column left out for want of room. */
	time: number;
	user: number;
	type: number;
	qty: number;
	price: number;
	amount: number;
	/** Decimals of the qty and SOL columns. */
	decimals: number;
	/** True when a column was left out (the header ends with »). */
	hidden: boolean;
};

function tapeWidth(columns: TapeColumns): number {
	const optional = (width: number, blank = 0) => (width > 0 ? width + blank : 0);
	return columns.tick + 1 + optional(columns.time, 1) + columns.user + 1 + columns.type + optional(columns.qty) + optional(columns.price) + 1 + columns.amount;
}

/**
Columns for a tape `width` cells wide. Always the tick, user, type and SOL;
then, while they fit, the price, the qty and the time (a left-out column is
marked in the header); the user column as wide as the longest name shown
(a whole player id when it fits); then what is left spread over the columns
so that the table spans the pane.
*/
function tapeColumns(trades: readonly TradeRow[], width: number): TapeColumns {
	const decimals = width >= wideTape ? 6 : 4;
	const number = decimals + 6;
	const longest = Math.max(6, ...trades.map(trade => widthOf(safe(trade.username, 64))));
	const columns: TapeColumns = {tick: 5, time: 0, user: 6, type: 11, qty: 0, price: 0, amount: number - 1, decimals, hidden: false};
	for (const [key, cells] of [['price', 8], ['qty', number], ['time', 8]] as const) {
		if (width - tapeWidth(columns) >= cells + (key === 'time' ? 1 : 0)) {
			columns[key] = cells;
		} else {
			columns.hidden = true;
		}
	}

	// What is left: the user column first (up to its longest name), then a little to every column;
	// the header's » (a column left out) keeps its two cells.
	let spare = Math.max(0, width - tapeWidth(columns) - (columns.hidden ? widthOf(hiddenMark) : 0));
	const toUser = Math.max(0, Math.min(spare, Math.min(maxUserWidth, longest + 2) - columns.user));
	columns.user += toUser;
	spare -= toUser;
	const widened = (['tick', 'user', 'type', 'qty', 'price', 'amount'] as const).filter(key => columns[key] > 0);
	const each = Math.min(6, Math.floor(spare / widened.length));
	for (const key of widened) {
		columns[key] += each;
	}

	return columns;
}

/** The header; its » (a column left out) only where it fits, so the SOL column's name is never cut. */
function header(columns: TapeColumns, width: number): string {
	return [
		fit('tick', columns.tick, 'right'),
		' ',
		columns.time > 0 ? `${fit('time', columns.time)} ` : '',
		fit('user', columns.user),
		' ',
		fit('type', columns.type),
		columns.qty > 0 ? fit('qty', columns.qty, 'right') : '',
		columns.price > 0 ? fit('price', columns.price, 'right') : '',
		' ',
		fit('SOL', columns.amount, 'right'),
		columns.hidden && tapeWidth(columns) + widthOf(hiddenMark) <= width ? hiddenMark : '',
	].join('');
}

function tradeLine(trade: TradeRow, columns: TapeColumns): SegmentLine {
	const type = safe(trade.type, 16);
	const short = isShort(type);
	return [
		segment(fit(tickText(trade.tick), columns.tick, 'right'), {dim: true}),
		segment(columns.time > 0 ? ` ${fit(clock(trade.ts), columns.time)}` : '', {dim: true}),
		segment(` ${fit(shortId(safe(trade.username, 64), columns.user), columns.user)} `),
		segment(fit(type, columns.type), {colour: tradeColour(type)}),
		segment(columns.qty > 0 ? fit(short ? '–' : quantity(trade.qty, columns.decimals), columns.qty, 'right') : '', {dim: short}),
		segment(`${columns.price > 0 ? fit(multiplier(trade.price, 2), columns.price, 'right') : ''} ${fit(sol(trade.amount, columns.decimals), columns.amount, 'right')}`),
	];
}

/**
The tape, newest first by the trade's own tick (which lags the live tick by
a few), arrival breaking ties; a rule where the game changes, also when
filtered. Columns: tick, time (when wide), user, type, qty, price, SOL.
*/
export function tradeLines({trades, filter}: TradesData, width: number, rows: number): SegmentLine[] {
	const shown = filterTrades(trades, filter);
	if (shown.length === 0) {
		return [[segment(trades.length === 0 ? 'no trades yet' : `no trade matches "${safe(filter, 32)}" (Esc clears the filter)`, {dim: true})]];
	}

	const visible = shown.slice(0, Math.max(0, rows));
	const columns = tapeColumns(visible, width);
	const lines: SegmentLine[] = [[segment(header(columns, width), {dim: true})]];
	let gameId = visible[0]?.gameId;
	for (const trade of visible) {
		if (lines.length >= rows) {
			break;
		}

		if (trade.gameId !== gameId) {
			gameId = trade.gameId;
			lines.push(ruleLine([{text: `game ${shortId(gameId, 16)}`}, {text: ' (older)', priority: -1}], width));
			if (lines.length >= rows) {
				break;
			}
		}

		lines.push(tradeLine(trade, columns));
	}

	return lines;
}

export const TradesPane = memo((props: TradesData & PaneFrame) => {
	const inner = innerSize(props.width, props.height);
	return <Pane {...props} lines={tradeLines(props, inner.width, inner.height)}/>;
});
