import {memo} from 'react';
import {Text} from 'ink';
import type {TradeRow} from '../../state/types.js';
import {amount, fit, multiplier, safe} from '../format.js';
import {tradeColour} from '../theme.js';
import {Line} from './Pane.js';

export type TradesPaneProps = {
	trades: readonly TradeRow[];
	filter: string;
	width: number;
	height: number;
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
const maxUserWidth = 24;

function header(userWidth: number): string {
	return `${fit('tick', columns.tick, 'right')} ${fit('user', userWidth)} ${fit('type', columns.type)}${fit('qty', columns.qty, 'right')}${fit('price', columns.price, 'right')} ${fit('amount', columns.amount, 'right')}`;
}

const TradeLine = memo(({trade, userWidth}: {trade: TradeRow; userWidth: number}) => {
	const type = safe(trade.type, 16);
	return (
		<Line>
			<Text dimColor>{fit(trade.tick === undefined ? '–' : String(trade.tick), columns.tick, 'right')}</Text>
			{' '}{fit(safe(trade.username, 32), userWidth)}{' '}
			<Text color={tradeColour(type)}>{fit(type, columns.type)}</Text>
			{fit(amount(trade.qty), columns.qty, 'right')}
			{fit(multiplier(trade.price), columns.price, 'right')}{' '}
			{fit(amount(trade.amount), columns.amount, 'right')}
		</Line>
	);
});

/** The tape, newest first: each trade's own tick (it lags the live tick by a few), user, type, qty, price, amount. */
function TradesPaneView({trades, filter, width, height}: TradesPaneProps) {
	const shown = filterTrades(trades, filter);
	// Names are cleaned to 32 characters; a wider column would only be padding.
	const userWidth = Math.min(maxUserWidth, Math.max(6, width - fixedWidth));
	if (shown.length === 0) {
		return (
			<Line dim>{trades.length === 0 ? 'no trades yet' : `no trade matches "${safe(filter, 32)}" (Esc clears the filter)`}</Line>
		);
	}

	return [
		<Line key='header' dim>{header(userWidth)}</Line>,
		...shown.slice(0, Math.max(0, height - 1)).map((trade, index) => (
			<TradeLine key={`${trade.gameId}:${trade.id ?? `${trade.ts}:${index}`}`} trade={trade} userWidth={userWidth}/>
		)),
	];
}

export const TradesPane = memo(TradesPaneView);
