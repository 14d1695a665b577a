import {memo} from 'react';
import type {LiveStatsReport} from '../../analyze/live-stats.js';
import {instarugMaxTick, modelVerdict, pValueText, sidebetWindow} from '../../analyze/stats.js';
import {fieldLine, hiddenMark, type Part} from '../fields.js';
import {count, share, signedSol, tick as tickText, utcMinute, widthOf} from '../format.js';
import {lineWidth, segment, type Segment, type SegmentLine} from '../segments.js';
import {pnlColour} from '../theme.js';
import {innerSize, Pane, type PaneFrame} from './Pane.js';

/**
The Stats pane: the finished games this run has seen (live games, every
game of the gameHistory frames, and --history), measured against the game's
model — a rug at every tick with probability p = 0.005, a sidebet that wins
when the rug comes within its 40 ticks. Every figure is the report's
(analyze/live-stats.ts, the same numbers `rugs-tui stats` prints); this
module only lays them out: a line per subject, the empirical figure beside
the model's, fields dropped from the least useful up when the pane is narrow
and lines from the least useful up when it is short, never a digit cut.
*/

type StatsData = {
	/** Undefined when the monitor keeps no statistics. */
	report: LiveStatsReport | undefined;
};

const labelWidth = 9;
/** The sidebet rows read alike (hit, EV): their labels stay longer than their other fields. */
const tableLabel = 8.5;
/** Decimals of an expected value per 1 SOL bet (−0.092). */
const evDecimals = 3;

type Row = {line: SegmentLine; /** Lower is kept longer on a short pane. */ rank: number};

function field(label: string, parts: readonly Part[], width: number, labelPriority?: number): SegmentLine {
	return fieldLine(label, parts, width, labelWidth, labelPriority);
}

/** The first variant of the parts whose whole line fits; else the last one, fitted (fields dropped). */
function bestField(label: string, variants: ReadonlyArray<readonly Part[]>, width: number): SegmentLine {
	for (const parts of variants) {
		const line = field(label, parts, width);
		if (!line.some(part => part.text === hiddenMark) && line.length === parts.length + 1) {
			return line;
		}
	}

	return field(label, variants.at(-1)!, width);
}

function gamesLine(report: LiveStatsReport, width: number): SegmentLine {
	if (report.games === 0) {
		return field('games', [{text: 'none finished yet', style: {dim: true}}, {text: ' (the model\'s figures below)', style: {dim: true}, priority: -1}], width);
	}

	const seeded: Part[] = report.seeded > 0 ? [{text: `  ${count(report.seeded)} from --history`, style: {dim: true}, priority: 1}] : [];
	const since = (short: boolean): Part[] => (report.since === null ? [] : [{text: ` since ${utcMinute(report.since, short)}`, priority: 2}]);
	const games: Part = {text: count(report.games)};
	const finished: Part = {text: ' finished', style: {dim: true}, priority: -1};
	return bestField('games', [[games, finished, ...since(false), ...seeded], [games, ...since(false), ...seeded], [games, ...since(true), ...seeded]], width);
}

function rugTickLine(report: LiveStatsReport, width: number): SegmentLine {
	const {min, p10, median, p90, max} = report.rugTick;
	if (min === null || median === null) {
		return field('rug tick', [{text: '–'}, {text: `  (model mean ${report.model.meanRugTick.toFixed(0)})`, style: {dim: true}, priority: -1}], width);
	}

	// The median of an even count can fall between two ticks (153.5): written as it is, not as a tick.
	const parts = (medianWord: string): Part[] => [
		{text: `min ${tickText(min)}`, priority: 2},
		{text: `  p10 ${tickText(p10 ?? undefined)}`, priority: 4},
		{text: `  ${medianWord} ${String(median)}`, priority: 9},
		{text: `  p90 ${tickText(p90 ?? undefined)}`, priority: 5},
		{text: `  max ${tickText(max ?? undefined)}`, priority: 3},
	];
	return bestField('rug tick', [parts('median'), parts('med')], width);
}

/** The histogram under the rug tick line (drawn as it is: an empty first cell is a space that must stay). */
function histogramLine(report: LiveStatsReport, width: number): SegmentLine | undefined {
	const {histogram} = report;
	if (histogram === null) {
		return undefined;
	}

	const range = `  ticks ${histogram.from}–${histogram.to}`;
	const indent = widthOf(histogram.line) + labelWidth <= width ? labelWidth : 0;
	if (indent + widthOf(histogram.line) > width) {
		return undefined;
	}

	const line: Segment[] = [segment(' '.repeat(indent)), segment(histogram.line)];
	if (indent + widthOf(histogram.line) + widthOf(range) <= width) {
		line.push(segment(range, {dim: true}));
	}

	return line;
}

function instarugLine(report: LiveStatsReport, width: number): SegmentLine {
	return field('instarug', [
		{text: share(report.instarug)},
		{text: ` rugged by tick ${instarugMaxTick}`, style: {dim: true}, priority: -1},
		{text: `  model ${share(report.modelInstarug)}`, priority: 5},
	], width);
}

/**
Survival as a two-row table: the share of games still running after each
tick, and under each the model's (1 − p)^t. Columns go from the right as
one, in both rows, when the pane is narrow.
*/
function survivalLines(report: LiveStatsReport, width: number): [SegmentLine, SegmentLine] {
	const columns = Object.entries(report.survival).map(([tick, {empirical, model}]) => {
		const head = `>${tick}`;
		const seen = share(empirical);
		const expected = share(model);
		const valueWidth = Math.max(widthOf(seen), widthOf(expected));
		return {head, seen: `${head} ${seen.padStart(valueWidth)}`, model: `${' '.repeat(head.length)} ${expected.padStart(valueWidth)}`};
	});
	// Fewer columns before no label: the model's row means nothing without its label.
	for (const withLabel of [true, false]) {
		for (let shown = columns.length; shown >= 1; shown--) {
			const kept = columns.slice(0, shown);
			const text = (key: 'seen' | 'model') => kept.map(column => column[key]).join('  ');
			const mark = shown < columns.length ? hiddenMark : '';
			const label = withLabel ? labelWidth : 0;
			if (label + widthOf(text('seen')) + widthOf(mark) <= width) {
				const labelled = (name: string, key: 'seen' | 'model'): SegmentLine => [
					...(withLabel ? [segment(name.padEnd(labelWidth), {dim: true})] : []),
					segment(text(key)),
					...(mark === '' ? [] : [segment(mark, {dim: true})]),
				];
				return [labelled('survival', 'seen'), labelled('  model', 'model')];
			}
		}
	}

	return [[], []];
}

function verdictLine(report: LiveStatsReport, width: number): SegmentLine {
	const verdict = modelVerdict(report.modelTest, report.games, report.rugTick.mean, {p: report.model.rugProbability, cap: report.model.maxTicks});
	switch (verdict.kind) {
		case 'too-few': {
			return bestField('verdict', [
				[{text: 'too few games', style: {dim: true}}, {text: ` (${verdict.games} of ${verdict.needed})`, style: {dim: true}}, {text: ' to test the model', style: {dim: true}}],
				[{text: 'too few games', style: {dim: true}}, {text: ` (${verdict.games} of ${verdict.needed})`, style: {dim: true}}],
				[{text: 'too few games', style: {dim: true}}],
			], width);
		}

		case 'impossible': {
			const word: Part = {text: 'NOT consistent', style: {colour: 'red', bold: true}};
			return bestField('verdict', [
				[word, {text: ` · ${verdict.impossible} rug tick${verdict.impossible === 1 ? '' : 's'} outside 1–${verdict.maxTick}`}],
				[word, {text: ` · ${verdict.impossible} impossible`}],
				[word],
			], width);
		}

		case 'consistent':
		case 'inconsistent': {
			const consistent = verdict.kind === 'consistent';
			const word: Part = consistent ? {text: 'consistent', style: {colour: 'green'}} : {text: 'NOT consistent', style: {colour: 'red', bold: true}};
			const direction: Part[] = verdict.direction === undefined ? [] : [{text: ` · games rug ${verdict.direction}`}];
			return bestField('verdict', [
				[word, {text: ' with the model'}, {text: ` · ${verdict.figures}`}, ...direction],
				[word, {text: ` · ${verdict.figures}`}, ...direction],
				[word, {text: ` · p ${pValueText(verdict.pValue)}`}, ...direction],
				[word, ...direction],
				[word],
			], width);
		}
	}
}

function peakLine(report: LiveStatsReport, width: number): SegmentLine {
	const entries = Object.entries(report.reached).toSorted((a, b) => Number(a[0]) - Number(b[0]));
	const parts: Part[] = entries.map(([threshold, value], index) => ({text: `${index === 0 ? '' : '  '}${threshold}x ${share(value, 0)}`, priority: 9 - index}));
	if (report.peaksKnown < report.games) {
		parts.push({text: `  (of ${count(report.peaksKnown)})`, style: {dim: true}, priority: 1});
	}

	return field('peak ≥', parts, width);
}

/**
The sidebet rows as one table: the settled bets' hit rate and EV per 1 SOL,
the model's under them (with the 20% a 5x bet breaks even at), and what a
bet placed now in the live game would win with.
*/
function sidebetLines(report: LiveStatsReport, width: number): [SegmentLine, SegmentLine, SegmentLine] {
	const {sidebets, live} = report;
	const hits = [share(sidebets.hitRate), share(sidebets.modelHitRate), share(live?.winChance)];
	const evs = [signedSol(sidebets.evPerSol ?? undefined, evDecimals), signedSol(sidebets.modelEvPerSol, evDecimals), signedSol(live?.evPerSol, evDecimals)];
	const hitWidth = Math.max(...hits.map(text => widthOf(text)));
	const evWidth = Math.max(...evs.map(text => widthOf(text)));
	const columns = (index: number, ev: number | undefined): Part[] => [
		{text: `hit ${hits[index]!.padStart(hitWidth)}`, priority: 9},
		{text: `  EV ${evs[index]!.padStart(evWidth)}`, style: {colour: pnlColour(ev)}, priority: 8},
	];
	const seen = sidebets.settled === 0
		? field('sidebets', [{text: 'none settled yet', style: {dim: true}}], width, tableLabel)
		: field('sidebets', [...columns(0, sidebets.evPerSol ?? undefined), {text: `  ${count(sidebets.settled)} settled, ${count(sidebets.won)} won`, priority: 6}], width, tableLabel);
	const model = field('  model', [...columns(1, sidebets.modelEvPerSol), {text: `  break-even ${share(sidebets.breakEven, 0)}`, style: {dim: true}, priority: 5}], width, tableLabel);
	const now = live === undefined
		? field('bet now', [{text: 'no game running', style: {dim: true}}], width, tableLabel)
		: field('bet now', [...columns(2, live.evPerSol), {text: `  if it rugs by tick ${tickText(live.tick + sidebetWindow)}`, style: {dim: true}, priority: 1}], width, tableLabel);
	return [seen, model, now];
}

/**
The pane's lines, in reading order: games, rug tick and its histogram,
instarugs, survival (seen, then the model), the verdict of the test, peaks,
sidebets (seen, the model, a bet now). On a short pane the most useful lines
stay (by rank): games, the verdict, the rug tick, a bet now, the sidebets.
*/
export function statsPaneLines({report}: StatsData, width: number, height = Number.POSITIVE_INFINITY): SegmentLine[] {
	if (report === undefined) {
		return [[segment('no statistics kept by this monitor', {dim: true})]];
	}

	const [survival, survivalModel] = survivalLines(report, width);
	const [sidebets, sidebetsModel, betNow] = sidebetLines(report, width);
	const histogram = histogramLine(report, width);
	const rows: Row[] = [
		{line: gamesLine(report, width), rank: 0},
		{line: rugTickLine(report, width), rank: 2},
		...(histogram === undefined ? [] : [{line: histogram, rank: 10}]),
		{line: instarugLine(report, width), rank: 7},
		{line: survival, rank: 5},
		{line: survivalModel, rank: 6},
		{line: verdictLine(report, width), rank: 1},
		{line: peakLine(report, width), rank: 8},
		{line: sidebets, rank: 4},
		{line: sidebetsModel, rank: 9},
		{line: betNow, rank: 3},
	];
	const shown = rows.filter(row => rows.filter(other => other.rank < row.rank).length < height);
	return shown.map(row => row.line).filter(line => lineWidth(line) > 0);
}

/** The frame's note: the model the figures are measured against. */
export function statsNote(report: LiveStatsReport | undefined): ((room: number) => string) | undefined {
	if (report === undefined) {
		return undefined;
	}

	const p = report.model.rugProbability;
	return room => [`model: rug p = ${p} per tick`, `p = ${p}`].find(text => text.length <= room) ?? '';
}

export const StatsPane = memo((props: StatsData & PaneFrame) => {
	const inner = innerSize(props.width, props.height);
	return <Pane {...props} lines={statsPaneLines(props, inner.width, inner.height)}/>;
});
