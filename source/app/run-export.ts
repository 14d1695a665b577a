import path from 'node:path';
import {
	gameCsvRow,
	gameDate,
	gamesCsvHeader,
	gameTable,
	sidebetRows,
	sidebetTable,
	ticksCsvPieces,
	ticksFileName,
	tickSeries,
	tickTable,
	tradeTable,
	type Column,
	type GameRow,
	type GameTickRow,
	type SidebetRow,
} from '../analyze/export.js';
import {GameCollector, type TradeRecord} from '../analyze/game-collector.js';
import {parquetTable} from '../analyze/parquet.js';
import {summarizeAll, type SummarizedGame} from '../analyze/summarize.js';
import {ExportDirectory} from './export-files.js';
import {createProgress, type Progress} from './progress.js';
import {readInputs} from './read-inputs.js';
import type {CommandIo} from './run-summarize.js';
import {outputErrorText} from './write-lines.js';

type ExportFormat = 'csv' | 'parquet';
type ExportPartition = 'date';

type ExportOptions = {
	/** csv (default): games.csv and ticks/<id>.csv; parquet: games, ticks, trades and sidebets tables. */
	format?: ExportFormat;
	/** Parquet only: one hive-style folder per UTC day of play (DIR/games/date=2025-12-12/part-0.parquet). */
	partition?: ExportPartition;
};

/** Hive's name for a partition whose value is unknown (read back as null). */
const nullPartition = '__HIVE_DEFAULT_PARTITION__';

function megabytes(bytes: number): string {
	return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** Write the CSV export of summarized games (the command's writing step; the export benchmark times it alone). */
export async function writeCsv(games: readonly SummarizedGame[], directory: ExportDirectory, progress: Progress, label: string): Promise<{what: string; main: string}> {
	await directory.folder('ticks');
	const gameRows: string[] = [gamesCsvHeader()];
	let files = 0;
	for (const [index, game] of games.entries()) {
		const {rows, source} = tickSeries(game);
		let ticksFile: string | undefined;
		if (rows.length > 0) {
			ticksFile = ticksFileName(game.summary.gameId);
			await directory.write(ticksFile, ticksCsvPieces(rows));
			files++;
		}

		gameRows.push(gameCsvRow({game, source, ticksFile}));
		progress.update(`${label}: writing tick series ${index + 1}/${games.length}`);
	}

	await directory.write('games.csv', gameRows);
	return {what: `${files} tick series`, main: 'games.csv'};
}

type Tables = {
	games: GameRow[];
	ticks: GameTickRow[];
	trades: TradeRecord[];
	sidebets: SidebetRow[];
};

function emptyTables(): Tables {
	return {games: [], ticks: [], trades: [], sidebets: []};
}

/** Write the Parquet export of summarized games (as writeCsv). */
export async function writeParquet(games: readonly SummarizedGame[], directory: ExportDirectory, partition: ExportPartition | undefined, progress: Progress, label: string): Promise<{what: string; main: string}> {
	// One set of tables, or one per UTC day of play; a game's rows all go to its day.
	const byPart = new Map<string, Tables>();
	for (const game of games) {
		const part = partition === 'date' ? `date=${gameDate(game) ?? nullPartition}` : '';
		let tables = byPart.get(part);
		if (tables === undefined) {
			tables = emptyTables();
			byPart.set(part, tables);
		}

		const {rows, source} = tickSeries(game);
		tables.games.push({game, source, ticksFile: undefined});
		const {gameId} = game.summary;
		for (const row of rows) {
			tables.ticks.push({...row, gameId});
		}

		for (const trade of game.facts.trades) {
			tables.trades.push(trade);
		}

		for (const bet of sidebetRows(game)) {
			tables.sidebets.push(bet);
		}
	}

	if (byPart.size === 0) {
		// No game at all: still four (empty) tables with their columns, so a reader finds the schema.
		byPart.set(partition === 'date' ? `date=${nullPartition}` : '', emptyTables());
	}

	const write = async <Row>(table: string, part: string, columns: ReadonlyArray<Column<Row>>, rows: readonly Row[]) => {
		const name = part === '' ? `${table}.parquet` : `${table}/${part}/part-0.parquet`;
		progress.update(`${label}: writing ${name} (${rows.length} rows)`);
		await directory.write(name, [parquetTable(columns, rows)]);
	};

	let files = 0;
	for (const [part, tables] of [...byPart].toSorted(([a], [b]) => (a < b ? -1 : (a > b ? 1 : 0)))) {
		await write('games', part, gameTable, tables.games);
		await write('ticks', part, tickTable, tables.ticks);
		await write('trades', part, tradeTable, tables.trades);
		await write('sidebets', part, sidebetTable, tables.sidebets);
		files += 4;
	}

	return {what: `${files} Parquet files${partition === undefined ? '' : ` in ${byPart.size} ${partition} partitions`}`, main: partition === 'date' ? 'games/' : 'games.parquet'};
}

/**
`rugs-tui export FILE... --out DIR [--format csv|parquet] [--partition date]`.

CSV (the default): DIR/games.csv (one row per distinct game) and
DIR/ticks/<gameId>.csv (one tick series per game). Parquet: DIR/games.parquet,
ticks.parquet, trades.parquet and sidebets.parquet (analyze/export.ts says what
each holds), or with `--partition date` one hive-style folder per UTC day of
play: DIR/games/date=2025-12-12/part-0.parquet, and so on for each table.

Files of the same name are replaced, each whole or not at all (never written
through a link: export-files.ts); other files in DIR are left alone. The rows
are in the order summarize prints the games. Exit code 0; 1 when an input
could not be read (the others are still exported) or the output could not be
written (one `rugs-tui:` line says what and why; no temporary is left).
*/
export async function runExport(files: readonly string[], outDir: string, io: CommandIo, options: ExportOptions = {}): Promise<number> {
	const label = 'rugs-tui export';
	const format = options.format ?? 'csv';
	const progress = createProgress({stream: io.stderr});
	const directory = new ExportDirectory(outDir);
	try {
		// Checked before any input is read: a wrong --out should not cost a long read first.
		await (format === 'csv' ? directory.folder('ticks') : directory.prepare());
	} catch (error) {
		io.stderr.write(`rugs-tui: export cannot use --out ${outDir}: ${error instanceof Error ? outputErrorText(error) : String(error)}; choose another --out directory\n`);
		return 1;
	}

	const collector = new GameCollector();
	const report = await readInputs({
		files,
		stderr: io.stderr,
		label,
		onEnvelope(envelope) {
			collector.add(envelope);
		},
		onProgress(state) {
			progress.update(`${label}: reading file ${state.fileIndex + 1}/${state.files} (${megabytes(state.bytesTotal)} in all), ${state.envelopes} events, ${collector.games.size} games`);
		},
	});

	const games = summarizeAll(collector);
	let written: {what: string; main: string};
	try {
		written = format === 'csv'
			? await writeCsv(games, directory, progress, label)
			: await writeParquet(games, directory, options.partition, progress, label);
	} catch (error) {
		progress.done();
		io.stderr.write(`rugs-tui: export could not write to ${outDir}: ${error instanceof Error ? outputErrorText(error) : String(error)}; the files written before it are whole, the one being written was not kept\n`);
		return 1;
	}

	progress.done();
	io.stderr.write(`${label}: ${games.length} games, ${written.what} from ${report.files - report.unreadable} of ${report.files} files (${report.envelopes} events, ${report.badLines} bad lines) → ${path.join(outDir, written.main)}\n`);
	return report.unreadable > 0 ? 1 : 0;
}
