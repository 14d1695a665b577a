import path from 'node:path';
import {afterAll, describe, expect, test} from 'vitest';
import {GameCollector} from '../source/analyze/game-collector.js';
import {samplesFromSummaries} from '../source/analyze/stats-samples.js';
import {aggregateOf, binCount, computeStats, type StatsReport} from '../source/analyze/stats.js';
import {summarizeAll} from '../source/analyze/summarize.js';
import {makeEnvelope} from '../source/protocol/envelope.js';
import {generateSession} from '../source/sim/generate-session.js';
import {makeTempDir, writeRecording} from './helpers/recordings.js';
import {runCli} from './helpers/cli.js';
import {chiSquareTailByIntegration, geometricTicks, referenceChiSquare, referenceStats, type ReferenceGame} from './helpers/stats-reference.js';

type Entry = {id: string; prices: number[]; peakMultiplier: number; globalSidebets: Array<{type: string; payout?: number}>};

/** What a test knows of a game from its gameHistory entry alone, computed without the code under test. */
function referenceGame(entry: Entry): ReferenceGame {
	const payouts = entry.globalSidebets.filter(record => record.type === 'payout');
	return {
		rugTick: entry.prices.length - 1,
		peak: entry.peakMultiplier,
		won: payouts.filter(record => record.payout! > 0).length,
		lost: payouts.filter(record => record.payout === 0).length,
	};
}

function expectFigures(report: StatsReport, games: readonly ReferenceGame[]): void {
	const reference = referenceStats(games);
	expect(report.games).toBe(reference.games);
	expect(report.rugTick.min).toBe(reference.rugTick.min);
	expect(report.rugTick.p10).toBe(reference.rugTick.p10);
	expect(report.rugTick.median).toBe(reference.rugTick.median);
	expect(report.rugTick.p90).toBe(reference.rugTick.p90);
	expect(report.rugTick.max).toBe(reference.rugTick.max);
	expect(report.rugTick.mean).toBeCloseTo(reference.rugTick.mean, 9);
	for (const [threshold, share] of Object.entries(reference.reached)) {
		expect(report.reached[threshold], `reached ${threshold}`).toBeCloseTo(share, 12);
	}

	expect(report.instarug).toBeCloseTo(reference.instarug, 12);
	for (const [tick, {empirical, model}] of Object.entries(reference.survival)) {
		expect(report.survival[tick]?.empirical, `survival ${tick}`).toBeCloseTo(empirical, 12);
		expect(report.survival[tick]?.model, `model survival ${tick}`).toBeCloseTo(model, 12);
	}

	expect(report.sidebets.settled).toBe(reference.sidebets.settled);
	expect(report.sidebets.won).toBe(reference.sidebets.won);
	if (reference.sidebets.hitRate === null) {
		expect(report.sidebets.hitRate).toBeNull();
	} else {
		expect(report.sidebets.hitRate).toBeCloseTo(reference.sidebets.hitRate, 12);
		expect(report.sidebets.evPerSol).toBeCloseTo(reference.sidebets.evPerSol!, 12);
	}

	expect(report.sidebets.modelHitRate).toBeCloseTo(reference.sidebets.modelHitRate, 12);
	expect(report.sidebets.modelEvPerSol).toBeCloseTo(reference.sidebets.modelEvPerSol, 12);
	const ticks = games.map(game => game.rugTick);
	const chi = referenceChiSquare(ticks, binCount(ticks.length));
	expect(report.modelTest.statistic).toBeCloseTo(chi.statistic, 8);
	expect(report.modelTest.df).toBe(chi.df);
	if (report.modelTest.pValue! > 1e-6) {
		expect(report.modelTest.pValue).toBeCloseTo(chiSquareTailByIntegration(chi.statistic, chi.df), 8);
	}
}

describe('a simulated session of 2,000 games (real provably-fair paths): the model holds', () => {
	// The session streams: each envelope goes to the collector (as `stats` reads a file) and, independently, its gameHistory entries to the reference.
	const collector = new GameCollector();
	const entries = new Map<string, Entry>();
	for (const envelope of generateSession({games: 2000, historySize: 1, seed: 'stats-model'})) {
		collector.add(envelope);
		const history = (envelope.data as {gameHistory?: Entry[]} | null)?.gameHistory;
		if (envelope.event === 'gameStateUpdate' && history !== undefined) {
			for (const entry of history) {
				entries.set(entry.id, entry);
			}
		}
	}

	const summaries = summarizeAll(collector).map(({summary}) => summary);
	const report = computeStats(aggregateOf(samplesFromSummaries(summaries)));
	const games = [...entries.values()].map(entry => referenceGame(entry));

	test('every game counted once: the 2,000 played and the one gameHistory showed from before', () => {
		expect(games).toHaveLength(2001);
		expect(report.games).toBe(2001);
	});

	test('every figure equals the one computed from the gameHistory entries alone', () => {
		expectFigures(report, games);
	});

	test('the chi-square test does not reject the model', () => {
		expect(report.modelTest.df).toBe(41);
		expect(report.modelTest.pValue).toBeGreaterThan(0.01);
		expect(report.modelTest.consistent).toBe(true);
		expect(report.verdict).toMatch(/^consistent with the model \(χ² = /);
	});

	test('survival, instarugs and sidebet hit rate lie near the model (within 4 standard errors)', () => {
		for (const {empirical, model} of Object.values(report.survival)) {
			expect(Math.abs(empirical! - model)).toBeLessThan(4 * Math.sqrt(model * (1 - model) / report.games));
		}

		expect(Math.abs(report.instarug! - report.modelInstarug)).toBeLessThan(4 * Math.sqrt(report.modelInstarug * (1 - report.modelInstarug) / report.games));
		// Bets of one game share its rug, so they are not independent: a wider margin than the binomial one.
		expect(report.sidebets.settled).toBeGreaterThan(20_000);
		expect(Math.abs(report.sidebets.hitRate! - report.sidebets.modelHitRate)).toBeLessThan(0.015);
		expect(report.sidebets.evPerSol).toBeLessThan(0);
	});
});

describe('a biased session: rug probability doubled', () => {
	const temporary = makeTempDir('rugs-stats-');
	afterAll(() => {
		temporary.remove();
	});

	/** A recording of finished games with these rug ticks: one gameHistory frame per game, as the feed sends them. */
	function recordingOf(name: string, ticks: readonly number[]): {file: string; games: ReferenceGame[]} {
		const envelopes = [];
		const games: ReferenceGame[] = [];
		for (const [index, rugTick] of ticks.entries()) {
			const prices = [1];
			while (prices.length < rugTick) {
				prices.push(prices.at(-1)! * (1 + (0.01 * Math.sin(index + prices.length))));
			}

			const entry = {
				id: `20260101-bias${String(index).padStart(12, '0')}`,
				timestamp: Date.UTC(2026, 0, 1) + (index * 60_000),
				prices: [...prices, 0.01],
				peakMultiplier: Math.max(...prices),
				rugged: true,
				globalSidebets: [{type: 'payout', endTick: 40, payout: rugTick <= 40 ? 0.5 : 0}],
				provablyFair: {serverSeedHash: 'ab'.repeat(32)},
				gameVersion: 'v3',
			};
			games.push(referenceGame(entry));
			envelopes.push(makeEnvelope({seq: index + 1, ts: entry.timestamp + 1000, source: 'replay', direction: 'received', event: 'gameStateUpdate', args: [{gameId: `20260101-next${index}`, active: false, rugged: false, cooldownTimer: 15_000, gameHistory: [entry]}]}));
		}

		return {file: writeRecording(path.join(temporary.dir, name), envelopes), games};
	}

	const ticks = geometricTicks(400, 0.01, 'doubled');
	const {file, games} = recordingOf('biased.jsonl', ticks);

	test('rugs-tui stats --json rejects the model, and every figure is right', async () => {
		const result = await runCli(['stats', '--json', file]);
		expect(result.code).toBe(0);
		const report = JSON.parse(result.stdout) as StatsReport;
		expectFigures(report, games);
		expect(report.modelTest.pValue).toBeLessThan(1e-6);
		expect(report.modelTest.consistent).toBe(false);
		expect(report.verdict).toMatch(/^NOT consistent with the model .*games rug earlier than p = 0\.005 predicts/);
	});

	test('the table says so too', async () => {
		const result = await runCli(['stats', file]);
		expect(result.code).toBe(0);
		expect(result.stdout).toMatch(/^Model {7}NOT consistent with the model/m);
		expect(result.stdout).toMatch(/^Games {7}400 finished games, 2026-01-01 00:00 UTC → 2026-01-01 06:39 UTC$/m);
	});

	test('a file from the model itself passes the same way', async () => {
		const fair = recordingOf('fair.jsonl', geometricTicks(400, 0.005, 'fair-file'));
		const result = await runCli(['stats', '--json', fair.file]);
		const report = JSON.parse(result.stdout) as StatsReport;
		expectFigures(report, fair.games);
		expect(report.modelTest.consistent).toBe(true);
	});
});
