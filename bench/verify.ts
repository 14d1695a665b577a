import path from 'node:path';
import type {GameHistoryEntry} from '../source/protocol/events.js';
import {readRecording} from '../source/sources/read-recording.js';
import {parseVersion, pricePath} from '../source/verify/price-path.js';
import {verifyGame, type VerifyInput} from '../source/verify/verify-game.js';
import {seedForLength, syntheticGame} from './synthetic-game.js';
import {median, withRatio, type BenchContext, type Benchmark, type BenchRow} from './types.js';

type Case = {entry: GameHistoryEntry; input: VerifyInput};

/** Milliseconds per game for `work` over all cases, repeated until about `budgetMs` has passed. */
function timePerGame(cases: readonly Case[], work: (item: Case) => unknown, budgetMs: number): number {
	let games = 0;
	const start = performance.now();
	do {
		for (const item of cases) {
			work(item);
			games++;
		}
	} while (performance.now() - start < budgetMs);

	return (performance.now() - start) / games;
}

function measure(label: string, cases: readonly Case[], context: BenchContext): BenchRow {
	const samples = context.quick ? 3 : 5;
	const budget = context.quick ? 100 : 250;
	const full = (item: Case) => verifyGame(item.entry, item.input);
	// The floor: recomputing the seeded path, which any verification must do.
	const bare = (item: Case) => pricePath(item.entry.provablyFair!.serverSeed!, item.entry.id!, parseVersion(item.entry.gameVersion));
	timePerGame(cases, full, 20);
	timePerGame(cases, bare, 20);
	const verifyMs: number[] = [];
	const pathMs: number[] = [];
	for (let sample = 0; sample < samples; sample++) {
		verifyMs.push(timePerGame(cases, full, budget));
		pathMs.push(timePerGame(cases, bare, budget));
	}

	const row = withRatio({
		name: `verify ${label}`,
		value: median(verifyMs),
		unit: 'ms/game',
		baseline: {name: 'price path recompute alone', value: median(pathMs)},
		better: 'lower',
		target: '≤ 2× path recompute',
	});
	return {...row, met: (row.ratio ?? Number.POSITIVE_INFINITY) <= 2};
}

/** A synthetic game of about 1,000 ticks, verified with everything a live run has: hash, prices, live ticks, sidebets. */
function thousandTickCase(): {item: Case; ticks: number} {
	const gameId = '20251212-bench000000000000';
	const game = syntheticGame({gameId, serverSeed: seedForLength(gameId, 950, 1050, 'bench'), sidebetTicks: Array.from({length: 100}, (_, index) => index * 9)});
	return {item: {entry: game.entry, input: {announcedHash: game.serverSeedHash, livePrices: game.prices}}, ticks: game.rugTick};
}

async function capturedCases(capturesDir: string): Promise<Case[]> {
	const entries = new Map<string, GameHistoryEntry>();
	for (const name of ['public-feed-socketio-client-2025-12-12.jsonl', 'auth-browser-cdp-2025-12-15.jsonl']) {
		for await (const item of readRecording(path.join(capturesDir, name))) {
			const history = item.ok ? (item.envelope.data as {gameHistory?: GameHistoryEntry[]} | null)?.gameHistory : undefined;
			for (const entry of history ?? []) {
				if (typeof entry.id === 'string' && Array.isArray(entry.prices)) {
					entries.set(entry.id, entry);
				}
			}
		}
	}

	return [...entries.values()].map(entry => ({entry, input: {livePrices: entry.prices}}));
}

export const verifyBenchmark: Benchmark = {
	name: 'provably-fair verification',
	async run(context) {
		const {item, ticks} = thousandTickCase();
		const rows = [measure(`a ${ticks}-tick game (hash, path, live ticks, 100 sidebets)`, [item], context)];
		if (context.capturesDir !== undefined) {
			const cases = await capturedCases(context.capturesDir);
			const mean = cases.reduce((sum, one) => sum + one.entry.prices!.length, 0) / Math.max(1, cases.length);
			context.log(`verify: ${cases.length} captured games with prices, ${mean.toFixed(0)} ticks on average`);
			rows.push(measure(`the ${cases.length} captured games (mean per game)`, cases, context));
		}

		return rows;
	},
};
