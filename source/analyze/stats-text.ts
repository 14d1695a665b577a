import {instarugMaxTick, type StatsReport} from './stats.js';

/** The statistics as a plain-text table (`rugs-tui stats`), one line per row. */

function pct(value: number | null, digits = 1): string {
	return value === null ? '–' : `${(value * 100).toFixed(digits)}%`;
}

function sol(value: number | null): string {
	if (value === null) {
		return '–';
	}

	const text = Math.abs(value).toFixed(3);
	return value < 0 ? `−${text}` : `+${text}`;
}

function when(iso: string | null): string {
	return iso === null ? '?' : `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

function row(label: string, text: string): string {
	return `${label.padEnd(12)}${text}`;
}

export function statsLines(report: StatsReport): string[] {
	const lines: string[] = [];
	const {rugTick, histogram, sidebets} = report;
	lines.push(row('Games', report.games === 0 ? '0 finished games' : `${report.games} finished games, ${when(report.since)} → ${when(report.until)}`));
	if (rugTick.min !== null) {
		const ticks = `min ${rugTick.min}  p10 ${rugTick.p10}  median ${rugTick.median}  p90 ${rugTick.p90}  max ${rugTick.max}`;
		lines.push(row('Rug tick', `${ticks}  (mean ${rugTick.mean?.toFixed(0)}; model ${report.model.meanRugTick.toFixed(0)})`));
	}

	if (histogram !== null) {
		lines.push(row('', `${histogram.line}  ticks ${histogram.from}–${histogram.to}, ${histogram.ticksPerCell} per cell`));
	}

	lines.push(
		row('Peak ≥', Object.entries(report.reached).toSorted((a, b) => Number(a[0]) - Number(b[0])).map(([threshold, value]) => `${threshold}x ${pct(value, 0)}`).join('  ') + (report.peaksKnown < report.games ? `  (of ${report.peaksKnown} games with a known peak)` : '')),
		row('Instarugs', `${pct(report.instarug)} rugged at tick ≤ ${instarugMaxTick}  (model ${pct(report.modelInstarug)})`),
		row('Survival', Object.entries(report.survival).map(([tick, {empirical, model}]) => `>${tick} ${pct(empirical)} (model ${pct(model)})`).join('  ')),
		row('Sidebets', sidebets.settled === 0
			? `none settled  (model hit rate ${pct(sidebets.modelHitRate)}, break-even ${pct(sidebets.breakEven, 0)}; EV per 1 SOL ${sol(sidebets.modelEvPerSol)})`
			: `${sidebets.settled} settled, ${sidebets.won} won: hit rate ${pct(sidebets.hitRate)} (model ${pct(sidebets.modelHitRate)}, break-even ${pct(sidebets.breakEven, 0)}); EV per 1 SOL ${sol(sidebets.evPerSol)} (model ${sol(sidebets.modelEvPerSol)})`),
		row('Model', report.verdict),
	);
	return lines;
}
