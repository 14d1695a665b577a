import {createHash} from 'node:crypto';
import {maxOf} from '../verify/numbers.js';
import {parseVersion, pricePath} from '../verify/price-path.js';
import {csvRow, type Cell} from './csv.js';
import {combineVerdicts, type SummarizedGame} from './summarize.js';

/**
The training export (`rugs-tui export`), as pure text: `games.csv`, one row per
game, and one tick series per game. The command module writes them to disk.

Where a tick series' prices come from (`priceSource` in games.csv):
- `history`: the gameHistory `prices` (every tick, the last one the rug price);
- `seed`: an entry without prices whose revealed seed checks out (hash true,
  peak not false): the path recomputed from the seed, plus the live rug price
  at the rug tick when it was seen;
- `live`: no usable entry: the first price seen live at each tick (empty cells
  for ticks the recording missed);
- `none`: nothing to export (no tick file).
`tradeCount` and `connectedPlayers` are what live frames at that tick carried
(empty when that tick's frame was not recorded); `phase` is ACTIVE before the
rug tick and RUGGED at it.
*/

export type PriceSource = 'history' | 'seed' | 'live' | 'none';

export type TickRow = {
	tick: number;
	price: number | undefined;
	phase: 'ACTIVE' | 'RUGGED';
	tradeCount: number | undefined;
	connectedPlayers: number | undefined;
};

export const tickColumns = ['tick', 'price', 'phase', 'tradeCount', 'connectedPlayers'] as const;

export const gameColumns = [
	'gameId',
	'startTime',
	'endTime',
	'rugged',
	'rugTick',
	'peak',
	'rugPrice',
	'trades',
	'ticksObserved',
	'sidebetsPlaced',
	'sidebetsWon',
	'sidebetsLost',
	'verifiedSeedHash',
	'verifiedPricePath',
	'verifiedPeak',
	'verifiedLiveTicks',
	'verifiedSidebets',
	'verified',
	'fromHistory',
	'priceSource',
	'ticksFile',
] as const;

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

/**
The tick file of a game, relative to the export directory. Game ids come from
the feed (untrusted): an id that is not a plain name cannot become a path (no
`../`, separators or odd characters); such a game gets a name from its hash.
*/
export function ticksFileName(gameId: string): string {
	const safe = /^[A-Za-z\d][\w-]{0,127}$/.test(gameId) ? gameId : `game-${createHash('sha256').update(gameId, 'utf8').digest('hex').slice(0, 16)}`;
	return `ticks/${safe}.csv`;
}

export function ticksCsv(rows: readonly TickRow[]): string {
	let text = csvRow(tickColumns);
	for (const row of rows) {
		text += csvRow([row.tick, row.price, row.phase, row.tradeCount, row.connectedPlayers]);
	}

	return text;
}

export function gamesCsvHeader(): string {
	return csvRow(gameColumns);
}

export function gameCsvRow(game: SummarizedGame, source: PriceSource, ticksFile: string | undefined): string {
	const {summary} = game;
	const {verified, sidebets} = summary;
	const cells: Cell[] = [
		summary.gameId,
		summary.startTime,
		summary.endTime,
		summary.rugged,
		summary.rugTick,
		summary.peak,
		summary.rugPrice,
		summary.trades,
		summary.ticksObserved,
		sidebets.placed,
		sidebets.won,
		sidebets.lost,
		verified.seedHash,
		verified.pricePath,
		verified.peak,
		verified.liveTicks,
		verified.sidebets,
		combineVerdicts([verified.seedHash, verified.pricePath, verified.peak, verified.liveTicks, verified.sidebets]),
		summary.fromHistory,
		source,
		ticksFile,
	];
	return csvRow(cells);
}
