import {copyFileSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import {DuckDBInstance, type DuckDBConnection} from '@duckdb/node-api';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import type {GameSummary} from '../source/analyze/summarize.js';
import type {Envelope} from '../source/protocol/envelope.js';
import {gameCycle, seedForLength} from '../source/sim/game-cycle.js';
import {captureFiles} from './helpers/captures.js';
import {runCli} from './helpers/cli.js';
import {fixturesDir, projectRoot} from './helpers/project.js';
import {makeTempDir, writeRecording} from './helpers/recordings.js';

/**
Issue 11, item 4: interop proven with a real engine. DuckDB (its own native
build, from npm) reads the Parquet export back and it is checked game by game
against `summarize`: the same games, rug ticks, peaks, trade counts and sidebet
outcomes; the types are real; a partitioned export reads as the same table; a
.jsonl.gz recording is queried directly with read_json; and every SQL query in
README's Analysis section runs here, its answer checked against summarize.
*/

const folder = makeTempDir('rugs-duckdb-');
let db: DuckDBInstance;
let connection: DuckDBConnection;
let summaries: GameSummary[] = [];

type Row = Record<string, string | number | boolean | null>;

async function query(sql: string): Promise<Row[]> {
	const reader = await connection.runAndReadAll(sql);
	return reader.getRowObjectsJson() as Row[];
}

/** 30 generated games with trades and sidebets, one after the other over two UTC days. */
function generatedSession(): Envelope[] {
	const envelopes: Envelope[] = [];
	let seq = 1;
	let startTs = Date.UTC(2025, 11, 12, 23, 55);
	for (let index = 0; index < 30; index++) {
		const id = `20251212-${(0xD0_00 + index).toString(16).padStart(16, '0')}`;
		const game = gameCycle({gameId: id, serverSeed: seedForLength(id, 10, 160, `duck-${index}`), seq, startTs, sidebetTicks: [0, 3, 9], tradeEvery: 3});
		envelopes.push(...game.envelopes);
		seq = game.nextSeq;
		startTs = game.endTs + 500;
	}

	return envelopes;
}

beforeAll(async () => {
	const inputs = [
		path.join(fixturesDir, 'session.jsonl'),
		path.join(fixturesDir, 'session-auth.jsonl'),
		writeRecording(path.join(folder.dir, 'generated.jsonl'), generatedSession()),
		// The real captures too, when they are there (skipped cleanly otherwise).
		...captureFiles('.jsonl'),
		...captureFiles('.json'),
	];
	const summary = await runCli(['summarize', ...inputs]);
	expect(summary.code).toBe(0);
	summaries = summary.stdout.split('\n').filter(line => line !== '').map(line => JSON.parse(line) as GameSummary);
	for (const [out, extra] of [['rugs-data', []], ['rugs-data-by-day', ['--partition', 'date']]] as const) {
		const run = await runCli(['export', ...inputs, '--out', path.join(folder.dir, out), '--format', 'parquet', ...extra]);
		expect(run.code, run.stderr).toBe(0);
	}

	// A gzip recording made here with zlib, as README's read_json query reads it.
	writeFileSync(path.join(folder.dir, 'session.jsonl.gz'), zlib.gzipSync(readFileSync(path.join(fixturesDir, 'session.jsonl'))));
	copyFileSync(path.join(fixturesDir, 'session.jsonl'), path.join(folder.dir, 'session.jsonl'));
	db = await DuckDBInstance.create(':memory:');
	connection = await db.connect();
	// README's queries use paths relative to the folder the export was made in.
	await connection.run(`SET file_search_path = '${folder.dir}'`);
	await connection.run('SET TimeZone = \'UTC\'');
}, 180_000);

afterAll(() => {
	connection?.closeSync();
	db?.closeSync();
	folder.remove();
});

describe('the Parquet export read back by DuckDB', () => {
	test('the same games as summarize, in the same order, with the same rug ticks, peaks, trades and sidebets', async () => {
		expect(summaries.length).toBeGreaterThanOrEqual(32);
		const rows = await query('SELECT gameId, rugged, rugTick, peak, rugPrice, trades, ticksObserved, sidebetsPlaced, sidebetsWon, sidebetsLost, sidebetsUnsettled, verifiedPeak, verifiedPricePath FROM \'rugs-data/games.parquet\'');
		expect(rows).toStrictEqual(summaries.map(game => ({
			gameId: game.gameId,
			rugged: game.rugged,
			rugTick: game.rugTick,
			peak: game.peak,
			rugPrice: game.rugPrice,
			trades: game.trades,
			ticksObserved: game.ticksObserved,
			sidebetsPlaced: game.sidebets.placed,
			sidebetsWon: game.sidebets.won,
			sidebetsLost: game.sidebets.lost,
			sidebetsUnsettled: game.sidebets.unsettled,
			verifiedPeak: game.verified.peak,
			verifiedPricePath: game.verified.pricePath,
		})));
	});

	test('trades.parquet holds the trades summarize counts, game by game', async () => {
		const rows = await query('SELECT gameId, count(*) AS n, count(DISTINCT tradeId) AS ids FROM \'rugs-data/trades.parquet\' GROUP BY gameId');
		const counted = new Map(rows.map(row => [row['gameId'], Number(row['n'])]));
		for (const game of summaries) {
			expect(counted.get(game.gameId) ?? 0, game.gameId).toBe(game.trades);
		}

		expect(summaries.reduce((sum, game) => sum + game.trades, 0)).toBeGreaterThan(100);
	});

	test('sidebets.parquet: one row per bet, outcomes as summarize counts them', async () => {
		const rows = await query('SELECT gameId, outcome, count(*) AS n FROM \'rugs-data/sidebets.parquet\' GROUP BY ALL');
		const count = (id: string, outcome: string) => Number(rows.find(row => row['gameId'] === id && row['outcome'] === outcome)?.['n'] ?? 0);
		let bets = 0;
		for (const game of summaries.filter(summary => summary.sidebets.placed !== null)) {
			expect([count(game.gameId, 'won'), count(game.gameId, 'lost'), count(game.gameId, 'unsettled')], game.gameId).toStrictEqual([game.sidebets.won, game.sidebets.lost, game.sidebets.unsettled]);
			bets += game.sidebets.placed!;
		}

		expect(bets).toBeGreaterThan(50);
	});

	test('ticks.parquet: each series runs to the rug tick, and its peak before the rug is the game\'s peak', async () => {
		const rows = await query('SELECT t.gameId, count(*) AS n, max(t.price) FILTER (WHERE t.tick < g.rugTick) AS peak, max(t.tick) FILTER (WHERE t.phase = \'RUGGED\') AS rugged_at FROM \'rugs-data/ticks.parquet\' t JOIN \'rugs-data/games.parquet\' g USING (gameId) WHERE g.priceSource = \'history\' GROUP BY t.gameId');
		expect(rows.length).toBeGreaterThanOrEqual(30);
		for (const row of rows) {
			const game = summaries.find(summary => summary.gameId === row['gameId'])!;
			expect({n: Number(row['n']), peak: row['peak'], ruggedAt: row['rugged_at']}, game.gameId).toStrictEqual({n: game.rugTick! + 1, peak: game.peak, ruggedAt: game.rugTick});
		}
	});

	test('real types: int32 ticks and counts, double prices, UTC timestamps, strings, booleans; SNAPPY', async () => {
		const types = async (table: string): Promise<Record<string, unknown>> => {
			const columns = await query(`DESCRIBE SELECT * FROM 'rugs-data/${table}.parquet'`);
			return Object.fromEntries(columns.map(row => [String(row['column_name']), row['column_type']]));
		};

		expect(await types('games')).toMatchObject({gameId: 'VARCHAR', startTime: 'TIMESTAMP WITH TIME ZONE', endTime: 'TIMESTAMP WITH TIME ZONE', rugged: 'BOOLEAN', rugTick: 'INTEGER', peak: 'DOUBLE', trades: 'INTEGER', sidebetsWon: 'INTEGER', verified: 'BOOLEAN'});
		expect(await types('ticks')).toStrictEqual({gameId: 'VARCHAR', tick: 'INTEGER', price: 'DOUBLE', phase: 'VARCHAR', tradeCount: 'INTEGER', connectedPlayers: 'INTEGER'});
		expect(await types('trades')).toStrictEqual({gameId: 'VARCHAR', tick: 'INTEGER', playerId: 'VARCHAR', username: 'VARCHAR', type: 'VARCHAR', qty: 'DOUBLE', price: 'DOUBLE', amount: 'DOUBLE', ts: 'TIMESTAMP WITH TIME ZONE', tradeId: 'VARCHAR'});
		expect(await types('sidebets')).toMatchObject({outcome: 'VARCHAR', startTick: 'INTEGER', payout: 'DOUBLE', placedAt: 'TIMESTAMP WITH TIME ZONE'});
		const codecs = await query('SELECT DISTINCT compression FROM parquet_metadata(\'rugs-data/*.parquet\')');
		expect(codecs).toStrictEqual([{compression: 'SNAPPY'}]);
		const schema = await query('SELECT logical_type FROM parquet_schema(\'rugs-data/trades.parquet\') WHERE name = \'ts\'');
		expect(String(schema[0]!['logical_type'])).toMatch(/TimestampType\(isAdjustedToUTC=1, unit=TimeUnit\(MILLIS/);
		// Times survive to the millisecond: a trade's ts is its arrival time.
		const [first] = await query('SELECT epoch_ms(ts) AS ms FROM \'rugs-data/trades.parquet\' WHERE ts IS NOT NULL LIMIT 1');
		expect(Number(first!['ms'])).toBeGreaterThan(Date.UTC(2025, 0, 1));
		const [start] = await query(`SELECT epoch_ms(startTime) AS ms FROM 'rugs-data/games.parquet' WHERE gameId = '${summaries.find(game => game.startTime !== null)!.gameId}'`);
		expect(Number(start!['ms'])).toBe(Date.parse(summaries.find(game => game.startTime !== null)!.startTime!));
	});

	test('the partitioned export reads as the same tables, one date folder per UTC day', async () => {
		for (const table of ['games', 'ticks', 'trades', 'sidebets']) {
			const difference = await query(`(SELECT * FROM 'rugs-data/${table}.parquet' EXCEPT ALL SELECT * EXCLUDE (date) FROM read_parquet('rugs-data-by-day/${table}/*/*.parquet', hive_partitioning = true)) UNION ALL (SELECT * EXCLUDE (date) FROM read_parquet('rugs-data-by-day/${table}/*/*.parquet', hive_partitioning = true) EXCEPT ALL SELECT * FROM 'rugs-data/${table}.parquet')`);
			expect(difference, table).toStrictEqual([]);
		}

		const dates = await query('SELECT DISTINCT CAST(date AS VARCHAR) AS date FROM read_parquet(\'rugs-data-by-day/games/*/*.parquet\', hive_partitioning = true) ORDER BY date');
		// The generated session crosses midnight UTC: at least two days.
		expect(dates.map(row => row['date'])).toEqual(expect.arrayContaining(['2025-12-12', '2025-12-13']));
	});
});

/** The SQL blocks of README's Analysis section. */
function readmeQueries(): string[] {
	const readme = readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
	const section = readme.slice(readme.indexOf('<!-- analysis-sql:start -->'), readme.indexOf('<!-- analysis-sql:end -->'));
	return [...section.matchAll(/```sql\n([\s\S]*?)```/g)].map(match => match[1]!.trim());
}

/** The UTC day summarize's times give a game, as the partition rule says. */
function dayOf(game: GameSummary): string {
	return (game.startTime ?? game.endTime ?? game.firstSeen)!.slice(0, 10);
}

describe('README\'s Analysis queries, run on the export and checked against summarize', () => {
	const queries = readmeQueries();

	test('README has the five queries', () => {
		expect(queries).toHaveLength(5);
	});

	test('rug-tick distribution', async () => {
		const rows = await query(queries[0]!);
		const expected = new Map<number, number>();
		for (const game of summaries.filter(summary => summary.rugged && summary.rugTick !== null)) {
			const bucket = Math.floor(game.rugTick! / 50) * 50;
			expected.set(bucket, (expected.get(bucket) ?? 0) + 1);
		}

		expect(rows.map(row => [Number(row['from_tick']), Number(row['games'])])).toStrictEqual([...expected].toSorted((a, b) => a[0] - b[0]));
	});

	test('share of games reaching 2x', async () => {
		const [row] = await query(queries[1]!);
		const games = summaries.filter(summary => summary.rugged && summary.peak !== null);
		expect(Number(row!['games'])).toBe(games.length);
		expect(Number(row!['share_2x'])).toBeCloseTo(games.filter(game => game.peak! >= 2).length / games.length, 12);
	});

	test('sidebet hit rate', async () => {
		const [row] = await query(queries[2]!);
		const won = summaries.reduce((sum, game) => sum + (game.sidebets.won ?? 0), 0);
		const lost = summaries.reduce((sum, game) => sum + (game.sidebets.lost ?? 0), 0);
		expect(Number(row!['bets'])).toBe(won + lost);
		expect(Number(row!['hit_rate'])).toBeCloseTo(won / (won + lost), 12);
	});

	test('the partitioned export, by day', async () => {
		const rows = await query(queries[3]!);
		const expected = new Map<string, number>();
		for (const game of summaries) {
			expected.set(dayOf(game), (expected.get(dayOf(game)) ?? 0) + 1);
		}

		expect(rows.map(row => [String(row['date']), Number(row['games'])])).toStrictEqual([...expected].toSorted((a, b) => (a[0] < b[0] ? -1 : 1)));
	});

	test('a .jsonl.gz recording queried with read_json', async () => {
		const rows = await query(queries[4]!);
		const counts = new Map<string, number>();
		for (const line of readFileSync(path.join(fixturesDir, 'session.jsonl'), 'utf8').split('\n').filter(text => text !== '')) {
			const {event} = JSON.parse(line) as {event: string};
			counts.set(event, (counts.get(event) ?? 0) + 1);
		}

		expect(rows.map(row => [row['event'], Number(row['events'])])).toStrictEqual([...counts].toSorted((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)));
	});
});
