import seedrandom from 'seedrandom';

/**
Independent reference computations for the statistics tests: written
separately from source/analyze/stats.ts and by other means (sorting a plain
list instead of walking counts, summing the probability mass function tick by
tick instead of the closed-form survival, integrating the chi-square density
numerically instead of the incomplete gamma function), so a test that
compares the two checks the figures, not the code against itself.
*/

export type ReferenceGame = {rugTick: number; peak: number | null; won: number | null; lost: number | null};

const p = 0.005;
const cap = 5000;

/** P(T = t) of the game's rug tick, t = 1…5001 (5001: all 5,000 draws survived). */
export function pmf(t: number, probability = p): number {
	if (t >= 1 && t <= cap) {
		return ((1 - probability) ** (t - 1)) * probability;
	}

	return t === cap + 1 ? (1 - probability) ** cap : 0;
}

/** P(T ≤ t) by summing the mass function. */
export function cdfBySum(t: number, probability = p): number {
	let sum = 0;
	for (let tick = 1; tick <= Math.min(t, cap + 1); tick++) {
		sum += pmf(tick, probability);
	}

	return sum;
}

function sortedTicks(games: readonly ReferenceGame[]): number[] {
	return games.map(game => game.rugTick).toSorted((a, b) => a - b);
}

/** Nearest rank: the ⌈q·n⌉-th smallest. */
function percentile(sorted: readonly number[], q: number): number {
	return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;
}

function median(sorted: readonly number[]): number {
	const n = sorted.length;
	return n % 2 === 1 ? sorted[(n - 1) / 2]! : (sorted[(n / 2) - 1]! + sorted[n / 2]!) / 2;
}

/** Γ(k/2) by the half-integer products, for the chi-square density. */
function gammaHalf(k: number): number {
	let value = k % 2 === 0 ? 1 : Math.sqrt(Math.PI);
	for (let z = k % 2 === 0 ? 1 : 0.5; z < k / 2; z++) {
		value *= z;
	}

	return value;
}

/**
P(χ²_df > x) by Simpson integration of the density over [0, x], in the
variable u = √y (the density times dy = 2u du is then smooth at 0 for every df).
*/
export function chiSquareTailByIntegration(x: number, df: number): number {
	const norm = (2 ** (df / 2)) * gammaHalf(df);
	const integrand = (u: number) => (2 * (u ** (df - 1)) * Math.exp(-(u * u) / 2)) / norm;
	const steps = 20_000;
	const end = Math.sqrt(x);
	const h = end / steps;
	let sum = integrand(0) + integrand(end);
	for (let i = 1; i < steps; i++) {
		sum += integrand(i * h) * (i % 2 === 1 ? 4 : 2);
	}

	return 1 - ((sum * h) / 3);
}

/**
Pearson's statistic of rug ticks against the model with k bins cut where the
cumulative mass (summed tick by tick) first reaches j/k; the last bin is open.
*/
export function referenceChiSquare(ticks: readonly number[], bins: number, probability = p): {statistic: number; df: number; edges: number[]} {
	const edges: number[] = [];
	let cumulative = 0;
	let tick = 0;
	for (let j = 1; j < bins; j++) {
		while (cumulative < j / bins) {
			tick++;
			cumulative += pmf(tick, probability);
		}

		if (edges.at(-1) !== tick) {
			edges.push(tick);
		}
	}

	const bounds = [0, ...edges, Number.POSITIVE_INFINITY];
	let statistic = 0;
	for (let bin = 0; bin < bounds.length - 1; bin++) {
		const lower = bounds[bin]!;
		const upper = bounds[bin + 1]!;
		const observed = ticks.filter(value => value > lower && value <= upper).length;
		const probabilityOfBin = (upper === Number.POSITIVE_INFINITY ? 1 : cdfBySum(upper, probability)) - cdfBySum(lower, probability);
		const expected = ticks.length * probabilityOfBin;
		statistic += ((observed - expected) ** 2) / expected;
	}

	return {statistic, df: edges.length, edges};
}

/** Rug ticks drawn from the geometric model with a seeded generator (inverse CDF), capped as the game caps them. */
export function geometricTicks(count: number, probability: number, seed: string): number[] {
	const random = seedrandom(seed);
	return Array.from({length: count}, () => Math.min(cap + 1, 1 + Math.floor(Math.log(1 - random()) / Math.log(1 - probability))));
}

/** Every figure of the stats report, computed from plain per-game values. */
export function referenceStats(games: readonly ReferenceGame[]) {
	const sorted = sortedTicks(games);
	const n = sorted.length;
	const withPeak = games.filter(game => game.peak !== null);
	const reached = Object.fromEntries([1.5, 2, 5, 10, 50].map(x => [String(x), withPeak.filter(game => game.peak! >= x).length / withPeak.length]));
	const survival = Object.fromEntries([50, 100, 200, 500].map(t => [String(t), {empirical: sorted.filter(tick => tick > t).length / n, model: 1 - cdfBySum(t)}]));
	const withBets = games.filter(game => game.won !== null && game.lost !== null);
	const won = withBets.reduce((sum, game) => sum + game.won!, 0);
	const settled = withBets.reduce((sum, game) => sum + game.won! + game.lost!, 0);
	let modelHit = 0;
	for (let t = 1; t <= 40; t++) {
		modelHit += pmf(t);
	}

	return {
		games: n,
		rugTick: {min: sorted[0], p10: percentile(sorted, 0.1), median: median(sorted), p90: percentile(sorted, 0.9), max: sorted.at(-1), mean: sorted.reduce((a, b) => a + b, 0) / n},
		reached,
		instarug: sorted.filter(tick => tick <= 10).length / n,
		survival,
		sidebets: {settled, won, hitRate: settled === 0 ? null : won / settled, modelHitRate: modelHit, evPerSol: settled === 0 ? null : (5 * won / settled) - 1, modelEvPerSol: (5 * modelHit) - 1},
	};
}
