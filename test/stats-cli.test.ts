import path from 'node:path';
import {PassThrough} from 'node:stream';
import {createHash} from 'node:crypto';
import {afterAll, describe, expect, test} from 'vitest';
import {readRecording} from '../source/sources/read-recording.js';
import type {GameSummary} from '../source/analyze/summarize.js';
import type {StatsReport} from '../source/analyze/stats.js';
import {statsOfFiles} from '../source/app/run-stats.js';
import {generateSession} from '../source/sim/generate-session.js';
import {pricePath} from '../source/verify/price-path.js';
import {captureFiles, hasCaptures} from './helpers/captures.js';
import {makeTempDir, writeRecording} from './helpers/recordings.js';
import {linesOf, runCli} from './helpers/cli.js';
import {referenceStats, type ReferenceGame} from './helpers/stats-reference.js';

/** The games of `summarize` output as the statistics count them: rugged, with a rug tick. */
function countedGames(summaries: readonly GameSummary[]): ReferenceGame[] {
	return summaries
		.filter(game => game.rugged && game.rugTick !== null)
		.map(game => ({rugTick: game.rugTick!, peak: game.peak, won: game.sidebets.won, lost: game.sidebets.lost}));
}

function expectAgreement(report: StatsReport, summaries: readonly GameSummary[]): void {
	const reference = referenceStats(countedGames(summaries));
	expect(report.games).toBe(reference.games);
	expect(report.rugTick.min).toBe(reference.rugTick.min);
	expect(report.rugTick.p10).toBe(reference.rugTick.p10);
	expect(report.rugTick.median).toBe(reference.rugTick.median);
	expect(report.rugTick.p90).toBe(reference.rugTick.p90);
	expect(report.rugTick.max).toBe(reference.rugTick.max);
	for (const [threshold, share] of Object.entries(reference.reached)) {
		expect(report.reached[threshold], threshold).toBeCloseTo(share, 12);
	}

	expect(report.instarug).toBeCloseTo(reference.instarug, 12);
	for (const [tick, {empirical}] of Object.entries(reference.survival)) {
		expect(report.survival[tick]?.empirical, tick).toBeCloseTo(empirical, 12);
	}

	expect(report.sidebets.settled).toBe(reference.sidebets.settled);
	expect(report.sidebets.won).toBe(reference.sidebets.won);
}

async function summarizeAndStats(files: readonly string[]): Promise<{summaries: GameSummary[]; report: StatsReport; stderr: string}> {
	const [summarized, stats] = await Promise.all([runCli(['summarize', ...files]), runCli(['stats', '--json', ...files])]);
	expect(summarized.code).toBe(stats.code);
	const summaries = linesOf(summarized.stdout).map(line => JSON.parse(line) as GameSummary);
	expect(linesOf(stats.stdout)).toHaveLength(1);
	return {summaries, report: JSON.parse(stats.stdout) as StatsReport, stderr: stats.stderr};
}

describe('rugs-tui stats and summarize agree on every game', () => {
	const temporary = makeTempDir('rugs-stats-cli-');
	afterAll(() => {
		temporary.remove();
	});

	test('a generated session split over two files, a game cut between them, and a duplicate file', async () => {
		const envelopes = [...generateSession({games: 40, seed: 'stats-cli', quirks: true})];
		const cut = Math.floor(envelopes.length / 2);
		const first = writeRecording(path.join(temporary.dir, 'a.jsonl'), envelopes.slice(0, cut));
		const second = writeRecording(path.join(temporary.dir, 'b.jsonl'), envelopes.slice(cut));
		const {summaries, report, stderr} = await summarizeAndStats([first, second, first]);
		// 40 played and the 10 gameHistory lists from before; the duplicate file adds nothing.
		expect(report.games).toBe(50);
		expectAgreement(report, summaries);
		expect(stderr).toMatch(/rugs-tui stats: 50 finished games of 51 seen, from 3 of 3 files/);
		// Game by game: the games stats counts are summarize's finished games, with their rug tick and peak.
		const {samples} = await statsOfFiles([first, second, first], {stderr: new PassThrough()}, 'test');
		const finished = summaries.filter(game => game.rugged && game.rugTick !== null);
		expect(samples.map(sample => [sample.id, sample.rugTick, sample.peak ?? null])).toEqual(finished.map(game => [game.gameId, game.rugTick, game.peak]));
	});

	test.skipIf(!hasCaptures)('every capture: the same games, and figures computed from the raw files', async () => {
		const files = [...captureFiles('.jsonl'), ...captureFiles('.json')];
		const {summaries, report} = await summarizeAndStats(files);
		expectAgreement(report, summaries);

		// Independently of summarize: rug ticks from the raw gameHistory entries (prices, or the seeded path
		// when the 2026 feed sent none), and for a game seen only live, its rug frame.
		const ticks = new Map<string, number>();
		const live = new Map<string, number>();
		for (const file of files) {
			for await (const item of readRecording(file)) {
				const data = item.ok ? item.envelope.data as Record<string, unknown> | null : null;
				if (!item.ok || item.envelope.event !== 'gameStateUpdate' || data === null) {
					continue;
				}

				for (const entry of (data['gameHistory'] ?? []) as Array<{id: string; prices?: number[]; provablyFair: {serverSeed: string; serverSeedHash: string}}>) {
					const seed = entry.provablyFair.serverSeed;
					expect(createHash('sha256').update(seed).digest('hex')).toBe(entry.provablyFair.serverSeedHash);
					ticks.set(entry.id, entry.prices === undefined ? pricePath(seed, entry.id).length : entry.prices.length - 1);
				}

				if (data['rugged'] === true && typeof data['tickCount'] === 'number') {
					live.set(data['gameId'] as string, Math.min(live.get(data['gameId'] as string) ?? Number.POSITIVE_INFINITY, data['tickCount']));
				}
			}
		}

		for (const [id, tick] of live) {
			if (!ticks.has(id)) {
				ticks.set(id, tick);
			}
		}

		const sorted = [...ticks.values()].toSorted((a, b) => a - b);
		expect(report.games).toBe(sorted.length);
		// 34 games of socket captures and the long game of REPLAYER's derived ticks (read as gameStateUpdates).
		expect(report.games).toBe(35);
		expect(report.rugTick).toMatchObject({min: sorted[0], max: sorted.at(-1), p10: sorted[Math.ceil(0.1 * 35) - 1], p90: sorted[Math.ceil(0.9 * 35) - 1], median: sorted[17]});
		expect(report.instarug).toBe(sorted.filter(tick => tick <= 10).length / 35);
		expect(report.survival['200']?.empirical).toBe(sorted.filter(tick => tick > 200).length / 35);
		// 35 games: enough for the test (30), in 7 bins of at least 5 expected games.
		expect(report.modelTest.df).toBe(6);
		expect(report.modelTest.pValue).not.toBeNull();
	});
});

describe('rugs-tui stats on the command line', () => {
	const temporary = makeTempDir('rugs-stats-args-');
	afterAll(() => {
		temporary.remove();
	});

	test('the table: one row per figure', async () => {
		const file = writeRecording(path.join(temporary.dir, 's.jsonl'), [...generateSession({games: 12, seed: 'table'})]);
		const result = await runCli(['stats', file]);
		expect(result.code).toBe(0);
		const rows = linesOf(result.stdout).map(line => line.slice(0, 12).trim());
		expect(rows).toEqual(['Games', 'Rug tick', '', 'Peak ≥', 'Instarugs', 'Survival', 'Sidebets', 'Model']);
		expect(result.stdout).toMatch(/^Games {7}22 finished games, 2025-12-12 \d\d:\d\d UTC → 2025-12-12 \d\d:\d\d UTC$/m);
		expect(result.stdout).toMatch(/^Model {7}too few games to test the model \(22 of the 30 needed\)$/m);
		expect(result.stdout).toMatch(/model 18\.2%, break-even 20%/);
	});

	test('no files, --out, a flag of the monitor: exit 2 with what to do', async () => {
		const none = await runCli(['stats']);
		expect(none.code).toBe(2);
		expect(none.stderr).toContain('stats needs recordings to read: rugs-tui stats FILE... [--json]');
		const out = await runCli(['stats', 'x.jsonl', '--out', temporary.dir]);
		expect(out.code).toBe(2);
		expect(out.stderr).toContain('stats writes to stdout and takes no --out');
		const monitorFlag = await runCli(['stats', 'x.jsonl', '--fps', '5']);
		expect(monitorFlag.code).toBe(2);
		expect(monitorFlag.stderr).toContain('--fps is not used by stats');
	});

	test('a missing file: reported, the rest counted, exit 1', async () => {
		const file = writeRecording(path.join(temporary.dir, 'ok.jsonl'), [...generateSession({games: 3, seed: 'missing'})]);
		const result = await runCli(['stats', '--json', file, path.join(temporary.dir, 'nope.jsonl')]);
		expect(result.code).toBe(1);
		expect(result.stderr).toContain('nope.jsonl: cannot read (no such file)');
		expect((JSON.parse(result.stdout) as StatsReport).games).toBe(13);
	});

	test('no finished game at all: zeros and nulls, not made-up figures', async () => {
		const file = writeRecording(path.join(temporary.dir, 'empty.jsonl'), []);
		const result = await runCli(['stats', '--json', file]);
		expect(result.code).toBe(0);
		const report = JSON.parse(result.stdout) as StatsReport;
		expect(report).toMatchObject({games: 0, instarug: null, rugTick: {median: null}, sidebets: {settled: 0, hitRate: null}, modelTest: {pValue: null}});
	});
});
