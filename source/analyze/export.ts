import {createHash} from 'node:crypto';
import {maxOf} from '../verify/numbers.js';
import {parseVersion, pricePath} from '../verify/price-path.js';
import {csvRow, type Cell} from './csv.js';
import type {TradeRecord} from './game-collector.js';
import {combineVerdicts, sidebetBets, type SummarizedGame} from './summarize.js';

/**
The export (`rugs-tui export`) as pure tables, written by the command module as
CSV (games.csv and one tick series per game) or Parquet (games, ticks, trades
and sidebets tables; parquet.ts). Each table is a list of typed columns, so
both formats write the same values and Parquet knows each column's type.

Where a tick series' prices come from (`priceSource` in games):
- `history`: the gameHistory `prices` (every tick, the last one the rug price);
- `seed`: an entry without prices whose revealed seed checks out (hash true,
  peak not false): the path recomputed from the seed, plus the live rug price
  at the rug tick when it was seen;
- `live`: no usable entry: the first price seen live at each tick (empty cells
  for ticks the recording missed);
- `none`: nothing to export (no tick series).
`tradeCount` and `connectedPlayers` are what live frames at that tick carried
(empty when that tick's frame was not recorded); `phase` is ACTIVE before the
rug tick and RUGGED at it.

trades: every distinct trade seen live (standard/newTrade, deduplicated by id:
the trades summarize counts), with its own tick (tickIndex) and arrival time.
sidebets: one row per distinct bet of the game's gameHistory entry (the bets
summarize counts: placed and payout records joined by player and start tick),
with its outcome (`won`, `lost`, or `unsettled` when no payout was listed).
*/

export type PriceSource = 'history' | 'seed' | 'live' | 'none';

export type TickRow = {
	tick: number;
	price: number | undefined;
	phase: 'ACTIVE' | 'RUGGED';
	tradeCount: number | undefined;
	connectedPlayers: number | undefined;
};

export type ColumnType = 'string' | 'int32' | 'double' | 'boolean' | 'timestamp';
export type Value = string | number | boolean | null | undefined;

export type Column<Row> = {
	name: string;
	type: ColumnType;
	value: (row: Row) => Value;
};

const tickColumns = ['tick', 'price', 'phase', 'tradeCount', 'connectedPlayers'] as const;

/** Prices by tick, and where they came from. */
function pricesFor(game: SummarizedGame): {prices: ReadonlyArray<number | undefined>; source: PriceSource} {
	const {entry, summary, facts} = game;
	if (entry?.prices !== undefined) {
		return {prices: entry.prices, source: 'history'};
	}

	if (entry?.serverSeed !== undefined && summary.verified.seedHash === true && summary.verified.peak !== false) {
		const path: Array<number | undefined> = pricePath(entry.serverSeed, entry.id, parseVersion(entry.gameVersion));
		path.push(summary.rugTick === path.length ? summary.rugPrice ?? undefined : undefined);
		return {prices: path, source: 'seed'};
	}

	if (facts.livePrices.size === 0) {
		return {prices: [], source: 'none'};
	}

	const last = summary.rugTick ?? maxOf(facts.livePrices.keys()) ?? 0;
	const prices: Array<number | undefined> = [];
	for (let tick = 0; tick <= last; tick++) {
		prices.push(facts.livePrices.get(tick));
	}

	return {prices, source: 'live'};
}

export function tickSeries(game: SummarizedGame): {rows: TickRow[]; source: PriceSource} {
	const {prices, source} = pricesFor(game);
	const {rugTick, rugged} = game.summary;
	const rows: TickRow[] = [];
	for (const [tick, price] of prices.entries()) {
		const counters = game.facts.counters.get(tick);
		rows.push({
			tick,
			price,
			phase: rugged && tick === rugTick ? 'RUGGED' : 'ACTIVE',
			tradeCount: counters?.tradeCount,
			connectedPlayers: counters?.connectedPlayers,
		});
	}

	return {rows, source};
}

/** Windows' device names: a file called `nul.csv` is not a file there. */
const reservedNames = /^(?:con|prn|aux|nul|com\d|lpt\d)$/;

/**
The tick file of a game, relative to the export directory. Game ids come from
the feed (untrusted). A plain id — lower-case letters, digits and dashes,
starting with a letter or digit, as every real id is — is its own name; any
other id is named `_` + the SHA-256 of the id. A plain id cannot start with
`_`, and the hash is collision-resistant, so two games never share a file (not
even on a case-insensitive file system: plain names are lower case), and no
name can hold a separator or `..` to leave the `ticks/` folder.
*/
export function ticksFileName(gameId: string): string {
	const plain = /^[a-z\d][a-z\d-]{0,127}$/.test(gameId) && !reservedNames.test(gameId);
	const name = plain ? gameId : `_${createHash('sha256').update(gameId, 'utf8').digest('hex')}`;
	return `ticks/${name}.csv`;
}

/** ticks/<id>.csv as text, in pieces of about 64 KB (a series can be long: one piece per call would be one huge string). */
export function * ticksCsvPieces(rows: readonly TickRow[]): Generator<string> {
	let text = csvRow(tickColumns);
	for (const row of rows) {
		text += csvRow([row.tick, row.price, row.phase, row.tradeCount, row.connectedPlayers]);
		if (text.length >= 65_536) {
			yield text;
			text = '';
		}
	}

	yield text;
}

/** A game as a row of games.csv / games.parquet: the summary, where its prices came from, its tick file (CSV). */
export type GameRow = {game: SummarizedGame; source: PriceSource; ticksFile: string | undefined};

function epochMs(iso: string | null): number | undefined {
	if (iso === null) {
		return undefined;
	}

	const ms = Date.parse(iso);
	return Number.isFinite(ms) ? ms : undefined;
}

export const gameTable: ReadonlyArray<Column<GameRow>> = [
	{name: 'gameId', type: 'string', value: ({game}) => game.summary.gameId},
	{name: 'startTime', type: 'timestamp', value: ({game}) => game.summary.startTime},
	{name: 'endTime', type: 'timestamp', value: ({game}) => game.summary.endTime},
	{name: 'rugged', type: 'boolean', value: ({game}) => game.summary.rugged},
	{name: 'rugTick', type: 'int32', value: ({game}) => game.summary.rugTick},
	{name: 'peak', type: 'double', value: ({game}) => game.summary.peak},
	{name: 'rugPrice', type: 'double', value: ({game}) => game.summary.rugPrice},
	{name: 'trades', type: 'int32', value: ({game}) => game.summary.trades},
	{name: 'ticksObserved', type: 'int32', value: ({game}) => game.summary.ticksObserved},
	{name: 'sidebetsPlaced', type: 'int32', value: ({game}) => game.summary.sidebets.placed},
	{name: 'sidebetsWon', type: 'int32', value: ({game}) => game.summary.sidebets.won},
	{name: 'sidebetsLost', type: 'int32', value: ({game}) => game.summary.sidebets.lost},
	{name: 'sidebetsUnsettled', type: 'int32', value: ({game}) => game.summary.sidebets.unsettled},
	{name: 'sidebetPlacedRecords', type: 'int32', value: ({game}) => game.summary.sidebets.placedRecords},
	{name: 'sidebetPayoutRecords', type: 'int32', value: ({game}) => game.summary.sidebets.payoutRecords},
	{name: 'verifiedSeedHash', type: 'boolean', value: ({game}) => game.summary.verified.seedHash},
	{name: 'verifiedPricePath', type: 'boolean', value: ({game}) => game.summary.verified.pricePath},
	{name: 'verifiedPeak', type: 'boolean', value: ({game}) => game.summary.verified.peak},
	{name: 'verifiedLiveTicks', type: 'boolean', value: ({game}) => game.summary.verified.liveTicks},
	{name: 'verifiedSidebets', type: 'boolean', value: ({game}) => game.summary.verified.sidebets},
	{name: 'verified', type: 'boolean', value({game}) {
		const {verified} = game.summary;
		return combineVerdicts([verified.seedHash, verified.pricePath, verified.peak, verified.liveTicks, verified.sidebets]);
	}},
	{name: 'fromHistory', type: 'boolean', value: ({game}) => game.summary.fromHistory},
	{name: 'priceSource', type: 'string', value: ({source}) => source},
	{name: 'ticksFile', type: 'string', value: ({ticksFile}) => ticksFile},
];

export const gameColumns = gameTable.map(column => column.name);

/** A row of ticks.parquet: a tick of one game's series. */
export type GameTickRow = TickRow & {gameId: string};

export const tickTable: ReadonlyArray<Column<GameTickRow>> = [
	{name: 'gameId', type: 'string', value: row => row.gameId},
	{name: 'tick', type: 'int32', value: row => row.tick},
	{name: 'price', type: 'double', value: row => row.price},
	{name: 'phase', type: 'string', value: row => row.phase},
	{name: 'tradeCount', type: 'int32', value: row => row.tradeCount},
	{name: 'connectedPlayers', type: 'int32', value: row => row.connectedPlayers},
];

export const tradeTable: ReadonlyArray<Column<TradeRecord>> = [
	{name: 'gameId', type: 'string', value: row => row.gameId},
	{name: 'tick', type: 'int32', value: row => row.tick},
	{name: 'playerId', type: 'string', value: row => row.playerId},
	{name: 'username', type: 'string', value: row => row.username},
	{name: 'type', type: 'string', value: row => row.type},
	{name: 'qty', type: 'double', value: row => row.qty},
	{name: 'price', type: 'double', value: row => row.price},
	{name: 'amount', type: 'double', value: row => row.amount},
	{name: 'ts', type: 'timestamp', value: row => row.ts},
	{name: 'tradeId', type: 'string', value: row => row.id},
];

/** A row of sidebets.parquet: one distinct bet. */
export type SidebetRow = {
	gameId: string;
	playerId: string | undefined;
	username: string | undefined;
	startTick: number | undefined;
	endTick: number | undefined;
	betAmount: number | undefined;
	xPayout: number | undefined;
	payout: number | undefined;
	profit: number | undefined;
	outcome: 'won' | 'lost' | 'unsettled';
	placedAt: number | undefined;
	settledAt: number | undefined;
	placedRecord: boolean;
	payoutRecord: boolean;
};

export const sidebetTable: ReadonlyArray<Column<SidebetRow>> = [
	{name: 'gameId', type: 'string', value: row => row.gameId},
	{name: 'playerId', type: 'string', value: row => row.playerId},
	{name: 'username', type: 'string', value: row => row.username},
	{name: 'startTick', type: 'int32', value: row => row.startTick},
	{name: 'endTick', type: 'int32', value: row => row.endTick},
	{name: 'betAmount', type: 'double', value: row => row.betAmount},
	{name: 'xPayout', type: 'double', value: row => row.xPayout},
	{name: 'payout', type: 'double', value: row => row.payout},
	{name: 'profit', type: 'double', value: row => row.profit},
	{name: 'outcome', type: 'string', value: row => row.outcome},
	{name: 'placedAt', type: 'timestamp', value: row => row.placedAt},
	{name: 'settledAt', type: 'timestamp', value: row => row.settledAt},
	{name: 'placedRecord', type: 'boolean', value: row => row.placedRecord},
	{name: 'payoutRecord', type: 'boolean', value: row => row.payoutRecord},
];

function finite(value: unknown): number | undefined {
	return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** The distinct bets of a game (none without an entry). */
export function sidebetRows(game: SummarizedGame): SidebetRow[] {
	const records = game.entry?.sidebets;
	if (records === undefined) {
		return [];
	}

	return sidebetBets(records).map(({placed, payout, outcome}) => {
		const either = placed ?? payout;
		const startTick = finite(placed?.startedAtTick) ?? finite(payout?.startTick);
		return {
			gameId: game.summary.gameId,
			playerId: either?.playerId,
			username: typeof either?.username === 'string' ? either.username : undefined,
			startTick,
			endTick: finite(payout?.endTick) ?? finite(placed?.end),
			betAmount: finite(placed?.betAmount) ?? finite(payout?.betAmount),
			xPayout: finite(placed?.xPayout) ?? finite(payout?.xPayout),
			payout: finite(payout?.payout),
			profit: finite(payout?.profit),
			outcome,
			placedAt: finite(placed?.timestamp),
			settledAt: finite(payout?.timestamp),
			placedRecord: placed !== undefined,
			payoutRecord: payout !== undefined,
		};
	});
}

/**
The UTC day a game belongs to, for `--partition date`: of its start, else of
its gameHistory time, else of when it was first seen; undefined when none is
known (written as hive's null partition).
*/
export function gameDate(game: SummarizedGame): string | undefined {
	const {startTime, endTime, firstSeen} = game.summary;
	const ms = epochMs(startTime) ?? epochMs(endTime) ?? epochMs(firstSeen);
	return ms === undefined ? undefined : new Date(ms).toISOString().slice(0, 10);
}

/** A value of a timestamp column as epoch milliseconds (ISO text from summaries, numbers from records). */
export function timestampValue(value: Value): number | undefined {
	if (typeof value === 'string') {
		return epochMs(value);
	}

	return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function gamesCsvHeader(): string {
	return csvRow(gameColumns);
}

export function gameCsvRow(row: GameRow): string {
	// Times as their ISO text, as summarize prints them.
	const cells: Cell[] = gameTable.map(column => column.value(row));
	return csvRow(cells);
}
