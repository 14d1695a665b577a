import {spawn} from 'node:child_process';
import {closeSync, createWriteStream, openSync} from 'node:fs';
import {mkdtemp, rm, stat} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {PassThrough} from 'node:stream';
import zlib from 'node:zlib';
import {tickSeries, sidebetRows} from '../source/analyze/export.js';
import {GameCollector} from '../source/analyze/game-collector.js';
import {summarizeAll} from '../source/analyze/summarize.js';
import {ExportDirectory} from '../source/app/export-files.js';
import {createProgress} from '../source/app/progress.js';
import {writeCsv, writeParquet} from '../source/app/run-export.js';
import {makeEnvelope} from '../source/protocol/envelope.js';
import {generateSession} from '../source/sim/generate-session.js';
import {maxOf} from '../source/verify/numbers.js';
import {pricePath} from '../source/verify/price-path.js';
import {sha256Hex} from '../source/verify/verify-game.js';
import {median, withRatio, type BenchContext, type Benchmark, type BenchRow} from './types.js';

/**
The readers (issue 11, item 5), each beside its baseline in the same run:
- `--replay FILE.gz --speed 0 --json > /dev/null` against the same recording
  plain (target ≥ 0.8×), and brotli beside them; the runs are interleaved.
  The recording is a generated session written as the recorder writes it
  (gzip and brotli with a flush point every 64 lines).
- The Parquet export of a day of play against the CSV export of the same
  games: the writing step alone (the same summarized games in memory, the
  reading is the same for both), rows/s and seconds (target ≤ 1× CSV's time).
*/

type Sample = {seconds: number};

async function writeCompressed(lines: readonly string[], file: string, kind: 'gzip' | 'brotli'): Promise<void> {
	const compressor = kind === 'gzip' ? zlib.createGzip() : zlib.createBrotliCompress({params: {[zlib.constants.BROTLI_PARAM_LGWIN]: 24, [zlib.constants.BROTLI_PARAM_QUALITY]: 5}});
	const out = createWriteStream(file);
	compressor.pipe(out);
	const flush = kind === 'gzip' ? zlib.constants.Z_SYNC_FLUSH : zlib.constants.BROTLI_OPERATION_FLUSH;
	for (let index = 0; index < lines.length; index += 64) {
		if (!compressor.write(lines.slice(index, index + 64).join(''))) {
			await new Promise(resolve => {
				compressor.once('drain', resolve);
			});
		}

		await new Promise<void>(resolve => {
			compressor.flush(flush, () => {
				resolve();
			});
		});
	}

	await new Promise<void>(resolve => {
		out.on('close', resolve);
		compressor.end();
	});
}

/** Wall time of `rugs-tui --replay FILE --speed 0 --json > /dev/null`. */
async function timeReplay(file: string): Promise<Sample> {
	const devNull = openSync('/dev/null', 'w');
	const start = performance.now();
	try {
		await new Promise<void>((resolve, reject) => {
			const child = spawn(process.execPath, [path.resolve('bin/rugs-tui.js'), '--replay', file, '--speed', '0', '--json'], {stdio: ['ignore', devNull, 'ignore']});
			child.on('error', reject);
			child.on('close', code => {
				if (code === 0) {
					resolve();
				} else {
					reject(new Error(`rugs-tui exited with ${code}`));
				}
			});
		});
	} finally {
		closeSync(devNull);
	}

	return {seconds: (performance.now() - start) / 1000};
}

async function replayRows(context: BenchContext, dir: string): Promise<BenchRow[]> {
	const lines: string[] = [];
	let bytes = 0;
	const target = context.quick ? 3e6 : 1e7;
	for (const envelope of generateSession({seed: 'bench-readers', authenticated: false})) {
		const line = `${JSON.stringify(envelope)}\n`;
		lines.push(line);
		bytes += line.length;
		if (bytes >= target) {
			break;
		}
	}

	const plain = path.join(dir, 'day.jsonl');
	const stream = createWriteStream(plain);
	for (const line of lines) {
		if (!stream.write(line)) {
			await new Promise<void>(resolve => {
				stream.once('drain', () => {
					resolve();
				});
			});
		}
	}

	await new Promise<void>(resolve => {
		stream.end(() => {
			resolve();
		});
	});
	const gz = path.join(dir, 'day.jsonl.gz');
	const br = path.join(dir, 'day.jsonl.br');
	await writeCompressed(lines, gz, 'gzip');
	await writeCompressed(lines, br, 'brotli');
	const sizes = await Promise.all([plain, gz, br].map(async file => {
		const info = await stat(file);
		return info.size;
	}));
	context.log(`readers: replay of ${lines.length} events, ${(sizes[0]! / 1e6).toFixed(1)} MB plain, ${(sizes[1]! / 1e6).toFixed(1)} MB gzip, ${(sizes[2]! / 1e6).toFixed(1)} MB brotli`);
	const samples: Record<'plain' | 'gz' | 'br', Sample[]> = {plain: [], gz: [], br: []};
	for (let round = 0; round < (context.quick ? 1 : 3); round++) {
		// Interleaved, so a busy moment of the machine falls on all three.
		samples.plain.push(await timeReplay(plain));
		samples.gz.push(await timeReplay(gz));
		samples.br.push(await timeReplay(br));
	}

	const rate = (list: Sample[]) => lines.length / median(list.map(sample => sample.seconds));
	const gzRow = withRatio({name: '--replay FILE.jsonl.gz --speed 0 --json > /dev/null', value: rate(samples.gz), unit: 'events/s', baseline: {name: 'the same recording plain', value: rate(samples.plain)}, better: 'higher', target: '≥ 0.8× plain', note: `${lines.length} events, ${(sizes[0]! / 1e6).toFixed(1)} MB plain (gzip ${(sizes[1]! / sizes[0]!).toFixed(3)}×, flushed every 64 lines), median of ${samples.gz.length} interleaved runs each, process start included`});
	const brRow = withRatio({name: '--replay FILE.jsonl.br --speed 0 --json > /dev/null', value: rate(samples.br), unit: 'events/s', baseline: {name: 'the same recording plain', value: rate(samples.plain)}, better: 'higher', note: `brotli quality 5, window 24 (${(sizes[2]! / sizes[0]!).toFixed(3)}× the plain size), flushed every 64 lines`});
	return [{...gzRow, met: (gzRow.ratio ?? 0) >= 0.8}, brRow];
}

/**
A day of play for the export: 1,700 seeded games (~345,600 ticks at the real
rug-tick distribution, the provably-fair path of each seed), built straight
into the collector as the live frames, trades and gameHistory entry the feed
sends for each (generating a whole session of them would take most of the
benchmark's time).
*/
function dayOfPlay(games: number): GameCollector {
	const collector = new GameCollector();
	let ts = Date.UTC(2025, 11, 12);
	let seq = 0;
	const add = (event: string, data: unknown, extra?: unknown[]) => {
		collector.add(makeEnvelope({seq: ++seq, ts, source: 'replay', direction: 'received', event, args: extra === undefined ? [data] : [...extra, data]}));
	};

	for (let game = 0; game < games; game++) {
		const gameId = `20251212-${game.toString(16).padStart(16, '0')}`;
		const serverSeed = sha256Hex(`bench-day-${game}`);
		const path = pricePath(serverSeed, gameId);
		const rugPrice = 0.002 + ((game % 10) / 1000);
		const sidebets: unknown[] = [];
		for (let tick = 0; tick <= path.length; tick++) {
			ts += 250;
			const rugged = tick === path.length;
			add('gameStateUpdate', {gameId, active: true, rugged, tickCount: tick, price: rugged ? rugPrice : path[tick], tradeCount: Math.floor(tick / 4), connectedPlayers: 180 + (tick % 40)});
			if (tick % 4 === 0 && !rugged) {
				const buy = tick % 8 === 0;
				add('standard/newTrade', {id: `${gameId}-t${tick}`, gameId, playerId: `did:privy:p${tick % 50}`, username: `player${tick % 50}`, type: buy ? 'buy' : 'sell', qty: 0.1 + (tick % 7), price: path[tick], amount: (0.1 + (tick % 7)) * path[tick]!, tickIndex: tick}, [{__trace: true}]);
			}

			if (tick % 10 === 0 && !rugged) {
				const player = `did:privy:s${tick % 30}`;
				sidebets.push(
					{type: 'placed', playerId: player, username: `bettor${tick % 30}`, betAmount: 0.01, xPayout: 5, startedAtTick: tick, end: tick + 40, timestamp: ts},
					{type: 'payout', playerId: player, username: `bettor${tick % 30}`, betAmount: 0.01, xPayout: 5, startTick: tick, endTick: tick + 40, payout: path.length <= tick + 40 ? 0.05 : 0, profit: path.length <= tick + 40 ? 0.04 : -0.01, timestamp: ts + 1000},
				);
			}
		}

		ts += 1000;
		// The next game's cooldown frame reveals this one (as on the feed).
		add('gameStateUpdate', {gameId: `20251212-${(game + 1).toString(16).padStart(16, '0')}`, cooldownTimer: 15_000, gameHistory: [{id: gameId, timestamp: ts, prices: [...path, rugPrice], peakMultiplier: maxOf(path), rugged: true, globalSidebets: sidebets, provablyFair: {serverSeed, serverSeedHash: sha256Hex(serverSeed)}, gameVersion: 'v3'}]});
		ts += 15_000;
	}

	return collector;
}

async function exportRows(context: BenchContext, dir: string): Promise<BenchRow[]> {
	const collector = dayOfPlay(context.quick ? 200 : 1700);
	const summarized = summarizeAll(collector);
	let tickRows = 0;
	let tradeRows = 0;
	let sidebetCount = 0;
	for (const game of summarized) {
		tickRows += tickSeries(game).rows.length;
		tradeRows += game.facts.trades.length;
		sidebetCount += sidebetRows(game).length;
	}

	const progress = createProgress({stream: new PassThrough()});
	const csv: number[] = [];
	const parquet: number[] = [];
	for (let round = 0; round < (context.quick ? 1 : 3); round++) {
		const csvDir = path.join(dir, `csv-${round}`);
		let start = performance.now();
		await writeCsv(summarized, new ExportDirectory(csvDir), progress, 'bench');
		csv.push((performance.now() - start) / 1000);
		const parquetDir = path.join(dir, `parquet-${round}`);
		start = performance.now();
		await writeParquet(summarized, new ExportDirectory(parquetDir), undefined, progress, 'bench');
		parquet.push((performance.now() - start) / 1000);
		await rm(csvDir, {recursive: true, force: true});
		await rm(parquetDir, {recursive: true, force: true});
	}

	const csvRows = summarized.length + tickRows;
	const parquetRows = summarized.length + tickRows + tradeRows + sidebetCount;
	context.log(`readers: export of ${summarized.length} games, ${tickRows} ticks, ${tradeRows} trades, ${sidebetCount} sidebets`);
	const note = `${summarized.length} games, ${tickRows} ticks, ${tradeRows} trades, ${sidebetCount} sidebets (a day of play: seeded provably-fair games); the writing step of the command on the same summarized games, median of ${csv.length} interleaved runs`;
	const seconds = withRatio({name: 'export --format parquet of a day of play (write step)', value: median(parquet), unit: 's', baseline: {name: 'CSV export of the same games', value: median(csv)}, better: 'lower', target: '≤ 1× CSV', note: `${note}; Parquet writes 4 tables (${parquetRows} rows), CSV games.csv and one file per game (${csvRows} rows)`});
	const rate = withRatio({name: 'export --format parquet of a day of play: rows/s', value: parquetRows / median(parquet), unit: 'rows/s', baseline: {name: 'CSV export of the same games', value: csvRows / median(csv)}, better: 'higher', note});
	return [{...seconds, met: (seconds.ratio ?? Number.POSITIVE_INFINITY) <= 1}, rate];
}

export const readersBenchmark: Benchmark = {
	name: 'readers',
	async run(context) {
		const dir = await mkdtemp(path.join(tmpdir(), 'rugs-bench-readers-'));
		try {
			return [...await replayRows(context, dir), ...await exportRows(context, dir)];
		} finally {
			await rm(dir, {recursive: true, force: true});
		}
	},
};
