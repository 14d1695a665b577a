import type {BenchRow} from './types.js';

/** A figure in three significant digits, k and M past ten thousand and a million; '–' when there is none. */
export function formatFigure(value: number | undefined): string {
	if (value === undefined || !Number.isFinite(value)) {
		return '–';
	}

	const abs = Math.abs(value);
	if (abs >= 1e6) {
		return `${(value / 1e6).toFixed(2)}M`;
	}

	if (abs >= 1e4) {
		return `${(value / 1e3).toFixed(1)}k`;
	}

	return abs >= 100 ? value.toFixed(0) : value.toPrecision(3);
}

/** What bench/run.ts writes to bench/results.json. */
export type BenchResults = {
	date: string;
	node: string;
	cores?: number;
	quick: boolean;
	only: string[];
	seconds: number;
	rows: BenchRow[];
};

export const performanceStartMarker = '<!-- performance:start -->';
export const performanceEndMarker = '<!-- performance:end -->';

/** The README's Performance block (between the markers, markers excluded) for a full run's results. */
export function performanceBlock(results: BenchResults): string {
	const cores = results.cores === undefined ? '' : `, ${results.cores} cores`;
	const lines = [
		`Measured by \`npm run bench\` on ${results.date.slice(0, 10)} (${results.node}${cores}), ${results.seconds.toFixed(0)} s for the whole run.`,
		'Each figure is measured beside its baseline in the same run, interleaved where it can be; `bench/results.json`',
		'holds the same table with a note per row (sample counts, spreads, what exactly was timed). Reproduce with',
		'`npm run bench`; `npm run bench -- tui` runs the benchmarks whose name contains `tui`, and `BENCH_QUICK=1` makes a',
		'short pass (both write `bench/results.partial.json` and leave the full table alone). This block is written from',
		'`bench/results.json` by `npm run readme:performance`.',
		'',
		'| Figure | Value | Baseline (same run) | Ratio | Target | Met |',
		'|---|---|---|---|---|---|',
	];
	for (const row of results.rows) {
		const baseline = row.baseline === undefined ? '–' : `${row.baseline.name}: ${formatFigure(row.baseline.value)}`;
		const met = row.met === undefined ? '–' : (row.met ? 'yes' : '**no**');
		const cells = [row.name, `${formatFigure(row.value)} ${row.unit}`, baseline, row.ratio === undefined ? '–' : `${row.ratio.toFixed(2)}×`, row.target ?? '–', met];
		lines.push(`| ${cells.map(cell => cell.replaceAll('|', String.raw`\|`)).join(' | ')} |`);
	}

	return `${lines.join('\n')}\n`;
}

/** `readme` with its Performance block replaced, or undefined when it has no pair of markers. */
export function withPerformanceBlock(readme: string, results: BenchResults): string | undefined {
	const start = readme.indexOf(performanceStartMarker);
	const end = readme.indexOf(performanceEndMarker);
	if (start === -1 || end < start) {
		return undefined;
	}

	return `${readme.slice(0, start + performanceStartMarker.length)}\n${performanceBlock(results)}${readme.slice(end)}`;
}
