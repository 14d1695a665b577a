/** One measured figure, always beside the baseline it is compared with (measured in the same run). */
export type BenchRow = {
	name: string;
	value: number;
	unit: string;
	/** What the figure is compared with, measured side by side in the same run. */
	baseline?: {name: string; value: number};
	/** value / baseline.value */
	ratio?: number;
	/** Whether a larger value is better (throughput) or worse (cost). */
	better: 'higher' | 'lower';
	/** The target from the issues, in words, e.g. "≥ 0.9× JSON.parse". */
	target?: string;
	/** Whether the target is met (undefined when there is no target). */
	met?: boolean;
	note?: string;
};

export type BenchContext = {
	/** Shorter runs (BENCH_QUICK=1): for checking the harness, not for numbers. */
	quick: boolean;
	/** ../shared/captures when present. */
	capturesDir: string | undefined;
	log(message: string): void;
};

export type Benchmark = {
	name: string;
	run(context: BenchContext): Promise<BenchRow[]>;
};

export function withRatio(row: Omit<BenchRow, 'ratio'>): BenchRow {
	return row.baseline === undefined || row.baseline.value === 0 ? row : {...row, ratio: row.value / row.baseline.value};
}

export function median(values: readonly number[]): number {
	const sorted = values.toSorted((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function percentile(values: readonly number[], p: number): number {
	if (values.length === 0) {
		return Number.NaN;
	}

	const sorted = values.toSorted((a, b) => a - b);
	const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
	return sorted[index]!;
}
