import {existsSync, readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {PassThrough} from 'node:stream';
import fc from 'fast-check';
import {afterAll, describe, expect, test} from 'vitest';
import {createProgress} from '../source/app/progress.js';
import {gameCycle as syntheticGame, seedForLength} from '../source/sim/game-cycle.js';
import type {Envelope} from '../source/protocol/envelope.js';
import type {GameHistoryEntry} from '../source/protocol/events.js';
import {csvCell, csvRow, parseCsv, safeCellText} from '../source/analyze/csv.js';
import {gameColumns, ticksFileName, tickSeries} from '../source/analyze/export.js';
import {GameCollector} from '../source/analyze/game-collector.js';
import {summarizeAll, type SummarizedGame} from '../source/analyze/summarize.js';
import {readRecording} from '../source/sources/read-recording.js';
import {pricePath} from '../source/verify/price-path.js';
import {captureFiles, hasCaptures} from './helpers/captures.js';
import {runCli} from './helpers/cli.js';
import {makeTempDir, writeRecording} from './helpers/recordings.js';

const folder = makeTempDir('rugs-export-');
afterAll(() => {
	folder.remove();
});

const id = '20250401-cccccccccccccccc';
const game = syntheticGame({gameId: id, serverSeed: seedForLength(id, 40, 70, 'export'), sidebetTicks: [1, 35]});

function summarized(envelopes: readonly Envelope[]): SummarizedGame[] {
	const collector = new GameCollector();
	for (const envelope of envelopes) {
		collector.add(envelope);
	}

	return summarizeAll(collector);
}

function readCsv(file: string): Array<Record<string, string>> {
	const [header, ...rows] = parseCsv(readFileSync(file, 'utf8'));
	return rows.map(row => Object.fromEntries(header!.map((name, index) => [name, row[index]!])));
}

describe('CSV cells', () => {
	test('quoting: commas, quotes, line breaks and edge spaces are quoted; quotes doubled', () => {
		expect(csvRow(['a', 'b,c', 'say "hi"', 'two\nlines', ' pad', 1.5, null, undefined, true, Number.NaN])).toBe('a,"b,c","say ""hi""","two\nlines"," pad",1.5,,,true,\n');
	});

	test('any text and any number survive a write and a read, numbers at full precision (text only neutralised and NUL-free)', () => {
		fc.assert(fc.property(fc.array(fc.oneof(fc.string(), fc.double({noNaN: true, noDefaultInfinity: true})), {minLength: 1, maxLength: 8}), cells => {
			const [row] = parseCsv(csvRow(cells));
			expect(row).toHaveLength(cells.length);
			for (const [index, cell] of cells.entries()) {
				if (typeof cell === 'number') {
					expect(Number(row![index])).toBe(cell === 0 ? 0 : cell);
				} else {
					expect(row![index]).toBe(safeCellText(cell));
					expect(row![index]!.replace(/^'(?='*[=+\-@\t\r])/, '')).toBe(cell.replaceAll('\0', '\uFFFD'));
				}
			}
		}), {numRuns: 300});
		expect(csvCell(0.1 + 0.2)).toBe('0.30000000000000004');
		// Found by the property above (seed -1138654769): text that already starts with an apostrophe before a
		// formula character gets one more, or `'@` and a neutralised `@` would be written alike.
		expect([safeCellText('\'@'), safeCellText('@'), safeCellText('\'\'=1'), safeCellText('\'x')]).toEqual(['\'\'@', '\'@', '\'\'\'=1', '\'x']);
	});
});

describe('tick series', () => {
	test('from the gameHistory prices: every tick, the rug tick marked, counters from the live frames', () => {
		const [item] = summarized(game.envelopes);
		const {rows, source} = tickSeries(item!);
		expect(source).toBe('history');
		expect(rows.map(row => row.price)).toEqual(game.prices);
		expect(rows.map(row => row.tick)).toEqual(game.prices.map((_, tick) => tick));
		expect(rows.at(-1)!.phase).toBe('RUGGED');
		expect(rows.slice(0, -1).every(row => row.phase === 'ACTIVE')).toBe(true);
		const frameAtFive = game.envelopes.find(envelope => (envelope.data as {tickCount?: number}).tickCount === 5)!.data as {connectedPlayers: number};
		expect(rows[5]).toMatchObject({connectedPlayers: frameAtFive.connectedPlayers, tradeCount: expect.any(Number) as unknown});
	});

	test('from the seed when the entry has no prices and the seed checks out', () => {
		const envelopes = game.envelopes.map(envelope => {
			const history = (envelope.data as {gameHistory?: GameHistoryEntry[]}).gameHistory;
			if (history === undefined) {
				return envelope;
			}

			const {prices: _prices, ...rest} = history[0]!;
			return {...envelope, data: {...(envelope.data as object), gameHistory: [rest]}};
		});
		const [item] = summarized(envelopes);
		const {rows, source} = tickSeries(item!);
		expect(source).toBe('seed');
		expect(rows.map(row => row.price)).toEqual([...pricePath(game.serverSeed, id), game.prices.at(-1)]);
	});

	test('from live frames when no entry was seen: missed ticks are empty, not invented', () => {
		const live = game.envelopes.filter(envelope => {
			const data = envelope.data as {gameHistory?: unknown; tickCount?: number; active?: boolean};
			return data.gameHistory === undefined && !(data.active === true && data.tickCount! >= 10 && data.tickCount! <= 20);
		});
		const [item] = summarized(live);
		const {rows, source} = tickSeries(item!);
		expect(source).toBe('live');
		expect(rows).toHaveLength(game.rugTick + 1);
		// The frame at tick 21 carries partialPrices for 17–21 (the last five): 10–16 stay empty.
		for (let tick = 10; tick <= 16; tick++) {
			expect(rows[tick]!.price).toBeUndefined();
		}

		expect(rows[17]!.price).toBe(game.prices[17]);
		expect(rows[9]!.price).toBe(game.prices[9]);
	});

	test('a game seen only in cooldown has no series', () => {
		const [item] = summarized(game.envelopes.slice(0, 2));
		expect(tickSeries(item!)).toEqual({rows: [], source: 'none'});
	});

	test('file names: a plain id is used as is, anything else becomes a hash (no path escapes)', () => {
		expect(ticksFileName(id)).toBe(`ticks/${id}.csv`);
		for (const bad of ['../../etc/passwd', 'a/b', '', '.hidden', 'x'.repeat(200), String.raw`c:\win`, 'a b', 'ABC', 'nul', 'game_1']) {
			expect(ticksFileName(bad)).toMatch(/^ticks\/_[\da-f]{64}\.csv$/);
		}
	});
});

describe('rugs-tui export', () => {
	test('games.csv and one tick file per game, deduplicated across files, odd ids handled safely', async () => {
		const odd = structuredClone(game.envelopes).map(envelope => {
			const data = envelope.data as Record<string, unknown>;
			if (typeof data['gameId'] === 'string') {
				data['gameId'] = '../evil,"id"';
			}

			const history = data['gameHistory'] as Array<Record<string, unknown>> | undefined;
			if (history !== undefined) {
				history[0]!['id'] = '../evil,"id"';
			}

			return envelope;
		});
		const first = writeRecording(path.join(folder.dir, 'a.jsonl'), game.envelopes);
		const second = writeRecording(path.join(folder.dir, 'b.jsonl'), [...game.envelopes, ...odd]);
		const out = path.join(folder.dir, 'out');
		const run = await runCli(['export', first, second, '--out', out]);
		expect(run.code).toBe(0);
		expect(run.stderr).toMatch(/2 games, 2 tick series/);
		const rows = readCsv(path.join(out, 'games.csv'));
		expect(Object.keys(rows[0]!)).toEqual([...gameColumns]);
		expect(rows.map(row => row['gameId'])).toEqual([id, '../evil,"id"']);
		expect(rows[0]).toMatchObject({rugged: 'true', rugTick: String(game.rugTick), peak: String(game.peak), trades: String(game.trades), verified: 'true', priceSource: 'history', ticksFile: `ticks/${id}.csv`});
		expect(rows[1]!['ticksFile']).toMatch(/^ticks\/_[\da-f]{64}\.csv$/);
		expect(readdirSync(path.join(out, 'ticks')).toSorted()).toEqual([rows[0]!['ticksFile']!, rows[1]!['ticksFile']!].map(file => path.basename(file)).toSorted());
		expect(existsSync(path.join(folder.dir, 'evil,"id".csv'))).toBe(false);
		const ticks = readCsv(path.join(out, rows[0]!['ticksFile']!));
		expect(ticks.map(row => Number(row['price']))).toEqual(game.prices);
	});

	test('an --out that cannot be created is a clear error', async () => {
		const run = await runCli(['export', path.join(folder.dir, 'a.jsonl'), '--out', '/dev/null/out']);
		expect(run.code).toBe(1);
		expect(run.stderr).toMatch(/^rugs-tui: export cannot use --out \/dev\/null\/out: .*choose another --out directory\n$/);
	});

	test.skipIf(!hasCaptures)('on every capture: one row per game, prices at full precision, deterministic', async () => {
		const files = [...captureFiles('.jsonl'), ...captureFiles('.json')];
		const out = path.join(folder.dir, 'captures');
		const run = await runCli(['export', ...files, '--out', out]);
		expect(run.code).toBe(0);
		const rows = readCsv(path.join(out, 'games.csv'));
		expect(new Set(rows.map(row => row['gameId'])).size).toBe(rows.length);
		const summary = await runCli(['summarize', ...files]);
		expect(rows.map(row => row['gameId'])).toEqual(summary.stdout.trim().split('\n').map(line => (JSON.parse(line) as {gameId: string}).gameId));

		const entries = new Map<string, GameHistoryEntry>();
		for (const file of files) {
			for await (const item of readRecording(file)) {
				for (const entry of (item.ok ? (item.envelope.data as {gameHistory?: GameHistoryEntry[]} | null)?.gameHistory : undefined) ?? []) {
					entries.set(entry.id!, entry);
				}
			}
		}

		const withPrices = rows.filter(row => row['priceSource'] === 'history');
		expect(withPrices).toHaveLength(23);
		for (const row of withPrices) {
			const ticks = readCsv(path.join(out, row['ticksFile']!));
			expect(ticks.map(tick => Number(tick['price']))).toEqual(entries.get(row['gameId']!)!.prices);
		}

		// The 2026-02 entries carry no prices: their series come from the verified seed.
		expect(rows.filter(row => row['priceSource'] === 'seed')).toHaveLength(10);

		const again = path.join(folder.dir, 'captures-again');
		await runCli(['export', ...files, ...files, '--out', again]);
		expect(readFileSync(path.join(again, 'games.csv'), 'utf8')).toBe(readFileSync(path.join(out, 'games.csv'), 'utf8'));
	});
});

describe('progress on stderr', () => {
	function stream(isTTY: boolean): {output: () => string; target: PassThrough & {isTTY?: boolean}} {
		const target = new PassThrough() as PassThrough & {isTTY?: boolean};
		target.isTTY = isTTY;
		let text = '';
		target.setEncoding('utf8').on('data', (chunk: string) => {
			text += chunk;
		});
		return {output: () => text, target};
	}

	test('quiet for the first second; on a terminal one line redrawn at most 10 times a second', () => {
		let now = 0;
		const {output, target} = stream(true);
		const progress = createProgress({stream: target, now: () => now});
		progress.update('early');
		now = 1000;
		progress.update('a');
		now = 1050;
		progress.update('b');
		now = 1100;
		progress.update('c');
		progress.done();
		expect(output()).toBe('\ra\u001B[K\rc\u001B[K\r\u001B[K');
	});

	test('in a log, whole lines at most every 5 seconds', () => {
		let now = 0;
		const {output, target} = stream(false);
		const progress = createProgress({stream: target, now: () => now});
		for (now = 0; now <= 12_000; now += 500) {
			progress.update(`at ${now}`);
		}

		progress.done();
		expect(output()).toBe('at 1000\nat 6000\nat 11000\n');
	});
});
