import {describe, expect, test} from 'vitest';
import {chiSquareSurvival, logGammaHalfInteger, upperRegularizedGamma} from '../source/analyze/stats-math.js';
import {
	aggregateOf,
	binCount,
	chiSquareTest,
	computeStats,
	histogram,
	liveSidebetOdds,
	modelBinEdges,
	modelMeanRugTick,
	modelSidebetWin,
	modelSurvival,
	modelVerdict,
	pValueText,
	StatsAggregate,
	type GameSample,
	verdictText,
} from '../source/analyze/stats.js';
import {
	cdfBySum,
	chiSquareTailByIntegration,
	geometricTicks,
	pmf,
	referenceChiSquare,
	referenceStats,
	type ReferenceGame,
} from './helpers/stats-reference.js';

function samplesOf(ticks: readonly number[]): GameSample[] {
	return ticks.map((rugTick, index) => ({id: `g${index}`, rugTick, peak: undefined, time: undefined, sidebets: undefined}));
}

describe('the numerical parts', () => {
	test('ln Γ at whole and half-integer points', () => {
		expect(logGammaHalfInteger(1)).toBe(0);
		expect(logGammaHalfInteger(5)).toBeCloseTo(Math.log(24), 13);
		expect(logGammaHalfInteger(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 14);
		// Γ(7/2) = 15/8 √π
		expect(logGammaHalfInteger(3.5)).toBeCloseTo(Math.log((15 / 8) * Math.sqrt(Math.PI)), 13);
		expect(() => logGammaHalfInteger(1.3)).toThrow(RangeError);
	});

	test('even degrees of freedom: the closed form e^(−x/2) Σ (x/2)^i / i!', () => {
		for (const df of [2, 4, 10, 40, 98]) {
			for (const x of [0.5, 3, df, df * 2, df * 5]) {
				const half = x / 2;
				let sum = 0;
				let term = 1;
				for (let i = 0; i < df / 2; i++) {
					sum += term;
					term *= half / (i + 1);
				}

				const expected = Math.exp(-half) * sum;
				expect(chiSquareSurvival(x, df) / expected, `df ${df}, x ${x}`).toBeCloseTo(1, 10);
			}
		}
	});

	test('odd degrees of freedom: numerical integration of the density', () => {
		for (const df of [1, 3, 5, 9, 21, 49]) {
			for (const x of [1, df / 2, df, df * 1.5, df * 2.5]) {
				expect(chiSquareSurvival(x, df), `df ${df}, x ${x}`).toBeCloseTo(chiSquareTailByIntegration(x, df), 10);
			}
		}
	});

	test('known table values and the tails', () => {
		// The 5% and 1% critical values of χ² tables.
		expect(chiSquareSurvival(11.0705, 5)).toBeCloseTo(0.05, 5);
		expect(chiSquareSurvival(15.0863, 5)).toBeCloseTo(0.01, 5);
		expect(chiSquareSurvival(67.5048, 50)).toBeCloseTo(0.05, 5);
		expect(chiSquareSurvival(0, 7)).toBe(1);
		expect(chiSquareSurvival(Number.POSITIVE_INFINITY, 7)).toBe(0);
		// Far in the tail the continued fraction keeps relative accuracy (closed form for df 2: e^(−x/2)).
		expect(chiSquareSurvival(1400, 2) / Math.exp(-700)).toBeCloseTo(1, 10);
		expect(upperRegularizedGamma(3, 2)).toBeCloseTo(Math.exp(-2) * (1 + 2 + 2), 14);
	});
});

describe('the model', () => {
	test('survival, CDF and mean agree with the mass function summed tick by tick', () => {
		for (const t of [0, 1, 10, 50, 100, 200, 500, 4999, 5000]) {
			expect(modelSurvival(t), `t ${t}`).toBeCloseTo(1 - cdfBySum(t), 12);
		}

		expect(modelSurvival(5001)).toBe(0);
		expect(modelSurvival(50)).toBeCloseTo(0.995 ** 50, 15);
		let mean = 0;
		for (let t = 1; t <= 5001; t++) {
			mean += t * pmf(t);
		}

		expect(modelMeanRugTick()).toBeCloseTo(mean, 8);
		expect(modelMeanRugTick()).toBeCloseTo(200, 6);
	});

	test('a sidebet wins 18.2% of the time at any tick, and for sure within 40 ticks of the cap', () => {
		expect(modelSidebetWin(0)).toBeCloseTo(1 - (0.995 ** 40), 15);
		expect(modelSidebetWin(0)).toBeCloseTo(0.182, 3);
		expect(modelSidebetWin(1234)).toBe(modelSidebetWin(0));
		expect(modelSidebetWin(4960)).toBe(1 - (0.995 ** 40));
		expect(modelSidebetWin(4961)).toBe(1);
		// P(T ≤ t+40 | T > t) from the mass function, at t = 300.
		let within = 0;
		for (let t = 301; t <= 340; t++) {
			within += pmf(t);
		}

		expect(modelSidebetWin(300)).toBeCloseTo(within / (1 - cdfBySum(300)), 12);
	});

	test('live odds: active at tick t, presale as tick 0, nothing once rugged', () => {
		const odds = liveSidebetOdds({phase: 'ACTIVE', tick: 120, rugTick: undefined});
		expect(odds?.tick).toBe(120);
		expect(odds?.winChance).toBeCloseTo(0.1817, 4);
		expect(odds?.evPerSol).toBeCloseTo((5 * (1 - (0.995 ** 40))) - 1, 14);
		expect(liveSidebetOdds({phase: 'PRESALE', tick: -1, rugTick: undefined})?.tick).toBe(0);
		expect(liveSidebetOdds({phase: 'ACTIVE', tick: 4990, rugTick: undefined})?.winChance).toBe(1);
		expect(liveSidebetOdds({phase: 'RUGGED', tick: 80, rugTick: 80})).toBeUndefined();
		expect(liveSidebetOdds(undefined)).toBeUndefined();
	});
});

describe('the figures of a sample', () => {
	const games: ReferenceGame[] = [
		{rugTick: 7, peak: 1.02, won: 2, lost: 0},
		{rugTick: 300, peak: 12.5, won: 0, lost: 9},
		{rugTick: 55, peak: 2, won: 1, lost: 3},
		{rugTick: 120, peak: 1.49, won: null, lost: null},
		{rugTick: 55, peak: 5.01, won: 0, lost: 2},
		{rugTick: 1, peak: 1, won: 1, lost: 0},
		{rugTick: 950, peak: 64, won: 0, lost: 25},
		{rugTick: 201, peak: null, won: 3, lost: 4},
	];
	const samples: GameSample[] = games.map((game, index) => ({
		id: `g${index}`,
		rugTick: game.rugTick,
		peak: game.peak ?? undefined,
		time: Date.UTC(2025, 0, 1 + index),
		sidebets: game.won === null || game.lost === null ? undefined : {won: game.won, lost: game.lost},
	}));
	const report = computeStats(aggregateOf(samples));
	const reference = referenceStats(games);

	test('rug ticks: min, nearest-rank p10 and p90, the usual median (even count: mean of the middle two)', () => {
		expect(report.games).toBe(8);
		expect(report.rugTick).toEqual(reference.rugTick);
		expect(report.rugTick.median).toBe((55 + 120) / 2);
		expect(report.rugTick.p10).toBe(1);
		expect(report.rugTick.p90).toBe(950);
	});

	test('peaks, instarugs, survival, sidebets', () => {
		for (const [threshold, value] of Object.entries(reference.reached)) {
			expect(report.reached[threshold], threshold).toBeCloseTo(value, 14);
		}

		expect(report.peaksKnown).toBe(7);
		expect(report.instarug).toBe(2 / 8);
		expect(report.modelInstarug).toBeCloseTo(cdfBySum(10), 14);
		for (const [t, value] of Object.entries(reference.survival)) {
			expect(report.survival[t]?.empirical, t).toBe(value.empirical);
			expect(report.survival[t]?.model, t).toBeCloseTo(value.model, 12);
		}

		expect(report.sidebets.settled).toBe(reference.sidebets.settled);
		expect(report.sidebets.won).toBe(7);
		expect(report.sidebets.hitRate).toBeCloseTo(reference.sidebets.hitRate!, 14);
		expect(report.sidebets.evPerSol).toBeCloseTo(reference.sidebets.evPerSol!, 14);
		expect(report.sidebets.modelHitRate).toBeCloseTo(reference.sidebets.modelHitRate, 14);
		expect(report.sidebets.modelEvPerSol).toBeCloseTo(reference.sidebets.modelEvPerSol, 14);
		expect(report.sidebets.breakEven).toBe(0.2);
	});

	test('since when, and too few games for a test', () => {
		expect(report.since).toBe('2025-01-01T00:00:00.000Z');
		expect(report.until).toBe('2025-01-08T00:00:00.000Z');
		expect(report.modelTest.pValue).toBeNull();
		expect(report.verdict).toBe('too few games to test the model (8 of the 30 needed)');
	});

	test('an odd count takes the middle value', () => {
		const odd = computeStats(aggregateOf(samplesOf([5, 1, 9])));
		expect(odd.rugTick.median).toBe(5);
	});

	test('no games: every share is null, nothing is made up', () => {
		const empty = computeStats(new StatsAggregate());
		expect(empty.games).toBe(0);
		expect(empty.rugTick.median).toBeNull();
		expect(empty.instarug).toBeNull();
		expect(empty.reached['2']).toBeNull();
		expect(empty.survival['50']?.empirical).toBeNull();
		expect(empty.sidebets.hitRate).toBeNull();
		expect(empty.histogram).toBeNull();
	});

	test('remove undoes add (a live game replaced by its gameHistory entry)', () => {
		const aggregate = aggregateOf(samples);
		const extra: GameSample = {id: 'x', rugTick: 77, peak: 3, time: undefined, sidebets: {won: 1, lost: 1}};
		aggregate.add(extra);
		aggregate.remove(extra);
		const again = computeStats(aggregate);
		expect({...again, modelTest: undefined}).toEqual({...report, modelTest: undefined});
	});
});

describe('the histogram', () => {
	test('one block per cell, as tall as the cell’s share of the fullest', () => {
		const result = histogram([[1, 8], [5, 4], [12, 1], [40, 2]], 4);
		expect(result?.ticksPerCell).toBe(10);
		expect(result?.counts).toEqual([12, 1, 0, 2]);
		expect(result?.line).toBe('█▁ ▂');
		expect(result?.line).toHaveLength(4);
	});

	test('a small maximum gets one tick per cell', () => {
		const result = histogram([[1, 1], [3, 2]], 24);
		expect(result?.counts).toEqual([1, 0, 2]);
		expect(result?.line).toBe('▄ █');
	});
});

describe('the chi-square test against the geometric model', () => {
	test('the statistic and bins equal an independent computation', () => {
		const ticks = geometricTicks(500, 0.005, 'reference');
		const result = chiSquareTest(aggregateOf(samplesOf(ticks)).rugTicks);
		const reference = referenceChiSquare(ticks, binCount(500));
		expect(result.binEdges).toEqual(reference.edges);
		expect(result.df).toBe(reference.df);
		expect(result.statistic).toBeCloseTo(reference.statistic, 8);
		expect(result.pValue).toBeCloseTo(chiSquareTailByIntegration(reference.statistic, reference.df), 7);
	});

	test('bins: about 2·n^0.4, each expecting at least 5 games, at most 50', () => {
		expect(binCount(30)).toBe(6);
		expect(binCount(34)).toBe(6);
		expect(binCount(200)).toBe(17);
		expect(binCount(2000)).toBe(42);
		expect(binCount(1_000_000)).toBe(50);
		const edges = modelBinEdges(binCount(2000));
		for (const [index, edge] of edges.entries()) {
			const lower = index === 0 ? 0 : edges[index - 1]!;
			expect(2000 * (modelSurvival(lower) - modelSurvival(edge))).toBeGreaterThanOrEqual(5);
		}
	});

	test('calibrated: on 400 samples drawn from the model, it rejects about 5% at α = 0.05', () => {
		const pValues: number[] = [];
		for (let run = 0; run < 400; run++) {
			const result = chiSquareTest(aggregateOf(samplesOf(geometricTicks(200, 0.005, `null-${run}`))).rugTicks);
			pValues.push(result.pValue!);
		}

		const rejected05 = pValues.filter(value => value < 0.05).length / pValues.length;
		const rejected01 = pValues.filter(value => value < 0.01).length / pValues.length;
		const mean = pValues.reduce((a, b) => a + b, 0) / pValues.length;
		// Binomial spread of 400 runs at 5%: ±1.1 points; the bounds are about 3 of those.
		expect(rejected05).toBeGreaterThan(0.02);
		expect(rejected05).toBeLessThan(0.085);
		expect(rejected01).toBeLessThan(0.03);
		// Uniform p-values average ½ (spread of the mean of 400: ±0.014).
		expect(mean).toBeGreaterThan(0.45);
		expect(mean).toBeLessThan(0.55);
	});

	test('powerful: a doubled rug probability is rejected, and the verdict says games rug earlier', () => {
		let rejected = 0;
		for (let run = 0; run < 50; run++) {
			const result = chiSquareTest(aggregateOf(samplesOf(geometricTicks(100, 0.01, `biased-${run}`))).rugTicks);
			rejected += result.pValue! < 0.01 ? 1 : 0;
		}

		expect(rejected).toBeGreaterThanOrEqual(45);
		const big = computeStats(aggregateOf(samplesOf(geometricTicks(2000, 0.01, 'biased-big'))));
		expect(big.modelTest.pValue).toBeLessThan(1e-30);
		expect(big.modelTest.consistent).toBe(false);
		expect(big.verdict).toMatch(/^NOT consistent with the model \(χ² = [\d.]+, 41 df, p = [\d.e-]+\): games rug earlier than p = 0\.005 predicts \(mean rug tick 1\d\d, model 200\)$/);
	});

	test('a halved rug probability: games rug later', () => {
		const late = computeStats(aggregateOf(samplesOf(geometricTicks(1000, 0.0025, 'late'))));
		expect(late.modelTest.consistent).toBe(false);
		expect(late.verdict).toContain('games rug later');
	});

	test('a rug tick the model cannot produce rejects it outright', () => {
		const ticks = [...geometricTicks(40, 0.005, 'impossible'), 0];
		const result = computeStats(aggregateOf(samplesOf(ticks)));
		expect(result.modelTest.impossible).toBe(1);
		expect(result.modelTest.pValue).toBe(0);
		expect(result.verdict).toBe('inconsistent with the model: 1 rug tick outside 1–5001, which the model cannot produce');
	});

	test('a sample from the model: consistent, with the figures in the verdict', () => {
		const report = computeStats(aggregateOf(samplesOf(geometricTicks(300, 0.005, 'fair-300'))));
		expect(report.modelTest.consistent).toBe(true);
		expect(report.verdict).toBe(`consistent with the model (χ² = ${report.modelTest.statistic!.toFixed(1)}, ${report.modelTest.df} df, p = ${report.modelTest.pValue!.toFixed(3)})`);
	});

	test('the verdict in parts (what the Stats pane writes): each kind, its figures and the direction', () => {
		expect(modelVerdict(computeStats(aggregateOf(samplesOf([5, 9, 300]))).modelTest, 3, 105)).toStrictEqual({kind: 'too-few', games: 3, needed: 30});
		const impossible = computeStats(aggregateOf(samplesOf([...geometricTicks(40, 0.005, 'impossible'), 0, 6000])));
		expect(modelVerdict(impossible.modelTest, impossible.games, impossible.rugTick.mean)).toStrictEqual({kind: 'impossible', impossible: 2, maxTick: 5001});
		const fair = computeStats(aggregateOf(samplesOf(geometricTicks(300, 0.005, 'fair-300'))));
		const consistent = modelVerdict(fair.modelTest, fair.games, fair.rugTick.mean);
		expect(consistent).toStrictEqual({
			kind: 'consistent',
			statistic: fair.modelTest.statistic,
			df: fair.modelTest.df,
			pValue: fair.modelTest.pValue,
			figures: `χ² = ${fair.modelTest.statistic!.toFixed(1)}, ${fair.modelTest.df} df, p = ${fair.modelTest.pValue!.toFixed(3)}`,
			direction: undefined,
		});
		const early = computeStats(aggregateOf(samplesOf(geometricTicks(1000, 0.01, 'early'))));
		const late = computeStats(aggregateOf(samplesOf(geometricTicks(1000, 0.0025, 'late'))));
		expect(modelVerdict(early.modelTest, early.games, early.rugTick.mean)).toMatchObject({kind: 'inconsistent', direction: 'earlier'});
		expect(modelVerdict(late.modelTest, late.games, late.rugTick.mean)).toMatchObject({kind: 'inconsistent', direction: 'later'});
		// The same test with the model's own mean: not distributed as the model says, no direction.
		expect(modelVerdict(late.modelTest, late.games, modelMeanRugTick())).toMatchObject({kind: 'inconsistent', direction: undefined});
		expect(verdictText(late.modelTest, late.games, modelMeanRugTick())).toMatch(/^NOT consistent with the model \(χ² = .*\): rug ticks are not distributed as the model says$/);
	});

	test('p-values: three decimals from 0.001, two significant digits below, and what underflows', () => {
		expect(pValueText(0.989_12)).toBe('= 0.989');
		expect(pValueText(0.001)).toBe('= 0.001');
		expect(pValueText(0.000_123_4)).toBe('= 1.2e-4');
		expect(pValueText(0)).toBe('< 1e-300');
	});
});
