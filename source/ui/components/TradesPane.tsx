import {memo} from 'react';
import type {TradeRow} from '../../state/types.js';
import {amount, fit, multiplier, safe} from '../format.js';
import {segment, type SegmentLine} from '../segments.js';
import {tradeColour} from '../theme.js';
import {Pane, type PaneFrame} from './Pane.js';

export type TradesData = {
	trades: readonly TradeRow[];
	filter: string;
};

/** Trades whose username or type contains the filter (case-insensitive); all when the filter is empty. */
export function filterTrades(trades: readonly TradeRow[], filter: string): readonly TradeRow[] {
	const wanted = filter.trim().toLowerCase();
	if (wanted === '') {
		return trades;
	}

	return trades.filter(trade => trade.username.toLowerCase().includes(wanted) || trade.type.toLowerCase().includes(wanted));
}

const columns = {tick: 5, type: 11, qty: 10, price: 9, amount: 10};
const fixedWidth = columns.tick + columns.type + columns.qty + columns.price + columns.amount + 5;
/** Names are cleaned to 32 characters; a wider column would only be padding. */
const maxUserWidth = 24;

export function userColumnWidth(width: number): number {
	return Math.min(maxUserWidth, Math.max(6, width - fixedWidth));
}

function header(userWidth: number): string {
	return `${fit('tick', columns.tick, 'right')} ${fit('user', userWidth)} ${fit('type', columns.type)}${fit('qty', columns.qty, 'right')}${fit('price', columns.price, 'right')} ${fit('amount', columns.amount, 'right')}`;
}

function tradeLine(trade: TradeRow, userWidth: number): SegmentLine {
	const type = safe(trade.type, 16);
	return [
		segment(fit(trade.tick === undefined ? '–' : String(trade.tick), columns.tick, 'right'), {dim: true}),
		segment(` ${fit(safe(trade.username, 32), userWidth)} `),
		segment(fit(type, columns.type), {colour: tradeColour(type)}),
		segment(`${fit(amount(trade.qty), columns.qty, 'right')}${fit(multiplier(trade.price), columns.price, 'right')} ${fit(amount(trade.amount), columns.amount, 'right')}`),
	];
}

/** The tape, newest first: each trade's own tick (it lags the live tick by a few), user, type, qty, price, amount. */
export function tradeLines({trades, filter}: TradesData, width: number, rows: number): SegmentLine[] {
	const shown = filterTrades(trades, filter);
	if (shown.length === 0) {
		return [[segment(trades.length === 0 ? 'no trades yet' : `no trade matches "${safe(filter, 32)}" (Esc clears the filter)`, {dim: true})]];
	}

	const userWidth = userColumnWidth(width);
	return [[segment(header(userWidth), {dim: true})], ...shown.slice(0, Math.max(0, rows - 1)).map(trade => tradeLine(trade, userWidth))];
}

export const TradesPane = memo((props: TradesData & PaneFrame) => <Pane {...props} lines={tradeLines(props, props.width, props.height - 1)}/>);
