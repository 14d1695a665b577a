import {maxOf} from '../verify/numbers.js';
import {maxTicks, rugProbability} from '../verify/price-path.js';
import {chiSquareSurvival} from './stats-math.js';

/**
Statistics of finished games measured against the game's own rules, which the
provably-fair price path spells out (verify/price-path.ts): at every tick the
game rugs with probability p = 0.005, for at most 5,000 ticks; a sidebet pays
5x and wins iff the rug comes within its 40-tick window. Pure: the figures are
kept as counts in a StatsAggregate (bounded by the number of distinct rug
ticks, not of games), so the offline command and the live monitor share one
code path and the monitor's memory stays flat.

The model. A game at tick t has survived t draws; it rugs at tick T = 1 + the
number of draws survived, so P(T = t) = (1 − p)^(t−1) p for 1 ≤ t ≤ 5000 and
the survival P(T > t) = (1 − p)^t. If all 5,000 draws survive, the path ends
at tick 5001 (probability 0.995^5000 ≈ 1e-11): the cap is part of the model,
not an approximation of it.

The test. Rug ticks are tested against that distribution with Pearson's
chi-square test on bins cut at the model's own quantiles, and not with a
Kolmogorov–Smirnov test, deliberately:
- the distribution is discrete; KS p-values from the Kolmogorov distribution
  assume a continuous one and are then too large (the test is conservative,
  by an amount that depends on the data), and an exact discrete KS p-value
  needs a simulation or Conover's recursion;
- the bins are whole tick ranges and their probabilities are computed exactly
  from the model, so discreteness costs nothing, and the cap's point mass at
  5001 falls into the open last bin with its exact probability;
- p is fixed by the game (not fitted), so the statistic has k − 1 degrees of
  freedom, and with at least 5 expected games per bin the chi-square p-value
  is accurate (tests check its calibration on thousands of simulated samples).
k follows the usual 2·n^0.4 rule, with every bin expecting ≥ 5 games, between
2 and 50 bins. Below 30 games no test is made ("too few games"). A rug tick
the model cannot produce (below 1, above 5001, not whole) rejects it outright.
The verdict uses α = 0.01, since the monitor recomputes it game after game.
*/

export const sidebetWindow = 40;
const sidebetPayout = 5;
/** A 5x bet breaks even when it wins one time in five. */
const breakEvenHitRate = 1 / sidebetPayout;
export const instarugMaxTick = 10;
const peakThresholds = [1.5, 2, 5, 10, 50] as const;
const survivalTicks = [50, 100, 200, 500] as const;
const minGamesForTest = 30;
const significance = 0.01;
const testName = 'chi-square goodness of fit to the geometric rug-tick distribution';

type RugModel = {
	/** Chance of a rug at each tick. */
	p: number;
	/** Draws at most (the path's length cap). */
	cap: number;
};

const gameModel: RugModel = {p: rugProbability, cap: maxTicks};

/** One finished game, as the statistics count it. */
export type GameSample = {
	id: string;
	rugTick: number;
	peak: number | undefined;
	/** When the game ended (or was last seen), epoch ms. */
	time: number | undefined;
	/** Settled sidebets of the game, when its gameHistory entry listed them. */
	sidebets: {won: number; lost: number} | undefined;
};

/** P(T > t): the chance a game is still running after tick t. */
export function modelSurvival(t: number, model: RugModel = gameModel): number {
	const tick = Math.floor(t);
	if (tick <= 0) {
		return 1;
	}

	return tick > model.cap ? 0 : (1 - model.p) ** tick;
}

/** P(T ≤ t). */
function modelCdf(t: number, model: RugModel = gameModel): number {
	return 1 - modelSurvival(t, model);
}

/** E[T] = Σ_{t ≥ 0} P(T > t) = (1 − (1 − p)^(cap+1)) / p. */
export function modelMeanRugTick(model: RugModel = gameModel): number {
	return (1 - ((1 - model.p) ** (model.cap + 1))) / model.p;
}

/**
The chance that a game alive at `tick` rugs within the next 40 ticks: what a
sidebet placed now wins with. The same at every tick (the rug has no memory)
except within 40 ticks of the cap, where the game cannot outlast the window.
Before the game starts (presale, tick < 0) a bet's window opens at tick 0.
*/
export function modelSidebetWin(tick = 0, model: RugModel = gameModel): number {
	const start = Math.max(0, Math.floor(tick));
	if (start + sidebetWindow >= model.cap + 1) {
		return 1;
	}

	return 1 - ((1 - model.p) ** sidebetWindow);
}

/** Expected value of a 1 SOL sidebet that wins with this chance: 5·h − 1. */
function sidebetEv(hitRate: number): number {
	return (sidebetPayout * hitRate) - 1;
}

/** The counts every statistic is computed from; add and remove games one at a time. */
export class StatsAggregate {
	/** Games by rug tick. */
	readonly rugTicks = new Map<number, number>();
	games = 0;
	rugTickSum = 0;
	peaksKnown = 0;
	/** Games whose peak reached each of peakThresholds. */
	readonly reached: number[] = peakThresholds.map(() => 0);
	instarugs = 0;
	sidebetsWon = 0;
	sidebetsLost = 0;
	/** Earliest and latest game time seen (not narrowed by remove: only replacements remove). */
	since: number | undefined;
	until: number | undefined;
	/** Bumped by every change, so reports can be cached. */
	version = 0;

	add(sample: GameSample): void {
		this.#apply(sample, 1);
		if (sample.time !== undefined && Number.isFinite(sample.time)) {
			this.since = this.since === undefined ? sample.time : Math.min(this.since, sample.time);
			this.until = this.until === undefined ? sample.time : Math.max(this.until, sample.time);
		}
	}

	remove(sample: GameSample): void {
		this.#apply(sample, -1);
	}

	#apply(sample: GameSample, sign: 1 | -1): void {
		const tick = sample.rugTick;
		const count = (this.rugTicks.get(tick) ?? 0) + sign;
		if (count === 0) {
			this.rugTicks.delete(tick);
		} else {
			this.rugTicks.set(tick, count);
		}

		this.games += sign;
		this.rugTickSum += sign * tick;
		if (tick <= instarugMaxTick) {
			this.instarugs += sign;
		}

		const {peak} = sample;
		if (peak !== undefined && Number.isFinite(peak)) {
			this.peaksKnown += sign;
			for (const [index, threshold] of peakThresholds.entries()) {
				if (peak >= threshold) {
					this.reached[index]! += sign;
				}
			}
		}

		if (sample.sidebets !== undefined) {
			this.sidebetsWon += sign * sample.sidebets.won;
			this.sidebetsLost += sign * sample.sidebets.lost;
		}

		this.version++;
	}
}

export function aggregateOf(samples: Iterable<GameSample>): StatsAggregate {
	const aggregate = new StatsAggregate();
	for (const sample of samples) {
		aggregate.add(sample);
	}

	return aggregate;
}

export type Histogram = {
	/** One block character per cell, lowest ticks first; a space for an empty cell. */
	line: string;
	/** First tick of the first cell and last tick of the last. */
	from: number;
	to: number;
	ticksPerCell: number;
	counts: number[];
};

export type ModelTest = {
	name: string;
	/** Null below 30 games. Infinity when a rug tick is impossible under the model. */
	statistic: number | null;
	df: number | null;
	pValue: number | null;
	/** Upper tick of each bin but the last (which is open). */
	binEdges: number[] | null;
	/** Rug ticks the model cannot produce. */
	impossible: number;
	/** pValue ≥ 0.01; null when no test was made. */
	consistent: boolean | null;
};

export type StatsReport = {
	games: number;
	since: string | null;
	until: string | null;
	rugTick: {min: number | null; p10: number | null; median: number | null; p90: number | null; max: number | null; mean: number | null};
	histogram: Histogram | null;
	/** Share of games (of those with a known peak) whose peak reached 1.5x, 2x, 5x, 10x, 50x. */
	reached: Record<string, number | null>;
	peaksKnown: number;
	/** Share of games that rugged at tick ≤ 10, and the model's. */
	instarug: number | null;
	modelInstarug: number;
	survival: Record<string, {empirical: number | null; model: number}>;
	sidebets: {
		settled: number;
		won: number;
		hitRate: number | null;
		modelHitRate: number;
		breakEven: number;
		evPerSol: number | null;
		modelEvPerSol: number;
	};
	modelTest: ModelTest;
	verdict: string;
	model: {rugProbability: number; maxTicks: number; meanRugTick: number};
};

/** Rug ticks in ascending order with their counts. */
function sortedTicks(counts: ReadonlyMap<number, number>): Array<[tick: number, count: number]> {
	return [...counts.entries()].filter(([, count]) => count > 0).toSorted((a, b) => a[0] - b[0]);
}

/** The value at 1-based rank `rank` of the sorted sample. */
function valueAtRank(sorted: ReadonlyArray<[number, number]>, rank: number): number {
	let seen = 0;
	for (const [tick, count] of sorted) {
		seen += count;
		if (seen >= rank) {
			return tick;
		}
	}

	return sorted.at(-1)![0];
}

/** Nearest-rank percentile: the value at rank ⌈q·n⌉ (at least 1). */
function nearestRank(sorted: ReadonlyArray<[number, number]>, n: number, percent: number): number {
	return valueAtRank(sorted, Math.max(1, Math.ceil((percent / 100) * n)));
}

/** The usual median: the middle value, or the mean of the two middle values for an even count. */
function medianOf(sorted: ReadonlyArray<[number, number]>, n: number): number {
	return n % 2 === 1 ? valueAtRank(sorted, (n + 1) / 2) : (valueAtRank(sorted, n / 2) + valueAtRank(sorted, (n / 2) + 1)) / 2;
}

const blocks = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** Rug ticks from 1 to the highest in `cells` equal cells, each drawn as a block as tall as its share of the fullest cell. */
export function histogram(sorted: ReadonlyArray<[number, number]>, cells = 24): Histogram | null {
	if (sorted.length === 0) {
		return null;
	}

	const to = Math.max(1, sorted.at(-1)![0]);
	const ticksPerCell = Math.max(1, Math.ceil(to / cells));
	const counts = Array.from({length: Math.ceil(to / ticksPerCell)}, () => 0);
	for (const [tick, count] of sorted) {
		const cell = Math.min(counts.length - 1, Math.max(0, Math.floor((tick - 1) / ticksPerCell)));
		counts[cell]! += count;
	}

	const fullest = maxOf(counts) ?? 0;
	const line = counts.map(count => (count === 0 ? ' ' : blocks[Math.min(blocks.length - 1, Math.ceil((count / fullest) * blocks.length) - 1)]!)).join('');
	return {line, from: 1, to: counts.length * ticksPerCell, ticksPerCell, counts};
}

/** How many bins for n games: 2·n^0.4, each expecting at least 5 games, 2 to 50. */
export function binCount(n: number): number {
	return Math.max(2, Math.min(50, Math.floor(n / 5), Math.round(2 * (n ** 0.4))));
}

/** Upper ticks of bins 1…k−1 at the model's j/k quantiles (the last bin is open), strictly increasing. */
export function modelBinEdges(bins: number, model: RugModel = gameModel): number[] {
	const edges: number[] = [];
	for (let j = 1; j < bins; j++) {
		// The smallest t with P(T ≤ t) ≥ j/k.
		const edge = Math.min(model.cap, Math.max(1, Math.ceil(Math.log(1 - (j / bins)) / Math.log(1 - model.p))));
		if (edges.length === 0 || edge > edges.at(-1)!) {
			edges.push(edge);
		}
	}

	return edges;
}

function noTest(impossible = 0): ModelTest {
	return {name: testName, statistic: null, df: null, pValue: null, binEdges: null, impossible, consistent: null};
}

/** Pearson's chi-square test of the rug-tick counts against the model (see the module comment for why this test). */
export function chiSquareTest(counts: ReadonlyMap<number, number>, model: RugModel = gameModel): ModelTest {
	let n = 0;
	let impossible = 0;
	for (const [tick, count] of counts) {
		n += count;
		if (!Number.isInteger(tick) || tick < 1 || tick > model.cap + 1) {
			impossible += count;
		}
	}

	if (n < minGamesForTest) {
		return noTest(impossible);
	}

	const edges = modelBinEdges(binCount(n), model);
	if (impossible > 0) {
		return {name: testName, statistic: Number.POSITIVE_INFINITY, df: edges.length, pValue: 0, binEdges: edges, impossible, consistent: false};
	}

	const observed = Array.from({length: edges.length + 1}, () => 0);
	for (const [tick, count] of counts) {
		let bin = 0;
		while (bin < edges.length && tick > edges[bin]!) {
			bin++;
		}

		observed[bin]! += count;
	}

	let statistic = 0;
	let lower = 0;
	for (const [bin, seen] of observed.entries()) {
		const upper = bin < edges.length ? edges[bin]! : Number.POSITIVE_INFINITY;
		const probability = modelSurvival(lower, model) - (upper === Number.POSITIVE_INFINITY ? 0 : modelSurvival(upper, model));
		const expected = n * probability;
		statistic += ((seen - expected) ** 2) / expected;
		lower = upper;
	}

	const df = edges.length;
	const pValue = chiSquareSurvival(statistic, df);
	return {name: testName, statistic, df, pValue, binEdges: edges, impossible, consistent: pValue >= significance};
}

/** A p-value as the verdicts write it: "= 0.989", "= 1.2e-8", "< 1e-300". */
export function pValueText(p: number): string {
	if (p === 0) {
		return '< 1e-300';
	}

	return p >= 0.001 ? `= ${p.toFixed(3)}` : `= ${p.toExponential(1)}`;
}

/**
What the test says of the sample, in parts (the text table writes them as
one sentence, the monitor's Stats pane as a short line): too few games to
test, a rug tick the model cannot produce, or the chi-square figures and
whether they are consistent, with the way the games differ when they are not.
*/
type ModelVerdict =
	| {kind: 'too-few'; games: number; needed: number}
	| {kind: 'impossible'; impossible: number; maxTick: number}
	| {kind: 'consistent' | 'inconsistent'; statistic: number; df: number; pValue: number; /** `χ² = 0.6, 5 df, p = 0.989` */ figures: string; /** Inconsistent only: which way the mean rug tick moved, undefined when it did not. */ direction: 'earlier' | 'later' | undefined};

export function modelVerdict(test: ModelTest, games: number, meanRugTick: number | null, model: RugModel = gameModel): ModelVerdict {
	if (test.impossible > 0) {
		return {kind: 'impossible', impossible: test.impossible, maxTick: model.cap + 1};
	}

	if (test.pValue === null || test.statistic === null || test.df === null) {
		return {kind: 'too-few', games, needed: minGamesForTest};
	}

	const figures = `χ² = ${test.statistic.toFixed(1)}, ${test.df} df, p ${pValueText(test.pValue)}`;
	const common = {statistic: test.statistic, df: test.df, pValue: test.pValue, figures};
	if (test.consistent === true) {
		return {kind: 'consistent', ...common, direction: undefined};
	}

	const expected = modelMeanRugTick(model);
	const direction = meanRugTick === null || Math.abs(meanRugTick - expected) < 1e-9 ? undefined : (meanRugTick < expected ? 'earlier' : 'later');
	return {kind: 'inconsistent', ...common, direction};
}

/** One line on whether the sample is consistent with the model. */
export function verdictText(test: ModelTest, games: number, meanRugTick: number | null, model: RugModel = gameModel): string {
	const verdict = modelVerdict(test, games, meanRugTick, model);
	switch (verdict.kind) {
		case 'impossible': {
			return `inconsistent with the model: ${verdict.impossible} rug tick${verdict.impossible === 1 ? '' : 's'} outside 1–${verdict.maxTick}, which the model cannot produce`;
		}

		case 'too-few': {
			return `too few games to test the model (${verdict.games} of the ${verdict.needed} needed)`;
		}

		case 'consistent': {
			return `consistent with the model (${verdict.figures})`;
		}

		case 'inconsistent': {
			const direction = verdict.direction === undefined || meanRugTick === null
				? 'rug ticks are not distributed as the model says'
				: `games rug ${verdict.direction} than p = ${model.p} predicts (mean rug tick ${meanRugTick.toFixed(0)}, model ${modelMeanRugTick(model).toFixed(0)})`;
			return `NOT consistent with the model (${verdict.figures}): ${direction}`;
		}
	}
}

function isoOf(ms: number | undefined): string | null {
	return ms === undefined || !Number.isFinite(ms) ? null : new Date(ms).toISOString();
}

function share(part: number, whole: number): number | null {
	return whole > 0 ? part / whole : null;
}

/** Every statistic of the aggregate. */
export function computeStats(aggregate: StatsAggregate, options: {model?: RugModel; histogramCells?: number} = {}): StatsReport {
	const model = options.model ?? gameModel;
	const n = aggregate.games;
	const sorted = sortedTicks(aggregate.rugTicks);
	const mean = n > 0 ? aggregate.rugTickSum / n : null;
	const rugTick = n > 0
		? {min: sorted[0]![0], p10: nearestRank(sorted, n, 10), median: medianOf(sorted, n), p90: nearestRank(sorted, n, 90), max: sorted.at(-1)![0], mean}
		: {min: null, p10: null, median: null, p90: null, max: null, mean: null};
	const reached: Record<string, number | null> = {};
	for (const [index, threshold] of peakThresholds.entries()) {
		reached[String(threshold)] = share(aggregate.reached[index]!, aggregate.peaksKnown);
	}

	const survival: Record<string, {empirical: number | null; model: number}> = {};
	for (const t of survivalTicks) {
		let alive = 0;
		for (const [tick, count] of sorted) {
			if (tick > t) {
				alive += count;
			}
		}

		survival[String(t)] = {empirical: share(alive, n), model: modelSurvival(t, model)};
	}

	const settled = aggregate.sidebetsWon + aggregate.sidebetsLost;
	const hitRate = share(aggregate.sidebetsWon, settled);
	const modelHitRate = modelSidebetWin(0, model);
	const modelTest = chiSquareTest(aggregate.rugTicks, model);
	return {
		games: n,
		since: isoOf(aggregate.since),
		until: isoOf(aggregate.until),
		rugTick,
		histogram: histogram(sorted, options.histogramCells),
		reached,
		peaksKnown: aggregate.peaksKnown,
		instarug: share(aggregate.instarugs, n),
		modelInstarug: modelCdf(instarugMaxTick, model),
		survival,
		sidebets: {
			settled,
			won: aggregate.sidebetsWon,
			hitRate,
			modelHitRate,
			breakEven: breakEvenHitRate,
			evPerSol: hitRate === null ? null : sidebetEv(hitRate),
			modelEvPerSol: sidebetEv(modelHitRate),
		},
		modelTest,
		verdict: verdictText(modelTest, n, mean, model),
		model: {rugProbability: model.p, maxTicks: model.cap, meanRugTick: modelMeanRugTick(model)},
	};
}

/** What a sidebet placed now in the live game would win with, and its EV per 1 SOL; undefined once the game has rugged. */
export function liveSidebetOdds(game: {phase: string | undefined; tick: number; rugTick: number | undefined} | undefined, model: RugModel = gameModel): {tick: number; winChance: number; evPerSol: number} | undefined {
	if (game === undefined || game.rugTick !== undefined || game.phase === 'RUGGED') {
		return undefined;
	}

	const tick = game.phase === 'ACTIVE' ? Math.max(0, game.tick) : 0;
	const winChance = modelSidebetWin(tick, model);
	return {tick, winChance, evPerSol: sidebetEv(winChance)};
}
