import {Box} from 'ink';
import {memo} from 'react';
import type {Problem} from '../../bus/messages.js';
import {clock, count, fit, problemMessage} from '../format.js';
import {segment, wrapWords, type SegmentLine} from '../segments.js';
import type {ProblemCounts} from '../store.js';
import {Lines} from './Lines.js';

const timeWidth = 8;
const sourceWidth = 7;
const kindWidth = 10;
const indent = timeWidth + 1 + sourceWidth + 1 + kindWidth + 1;

/** One problem: its time, source and kind, then its message wrapped under itself. */
function problemRows(problem: Problem, width: number): SegmentLine[] {
	const head = `${fit(clock(problem.ts), timeWidth)} ${fit(problem.source ?? '–', sourceWidth)} ${fit(problem.kind, kindWidth)} `;
	const wrapped = wrapWords(problemMessage(problem.message), Math.max(8, width - indent));
	const [first = '', ...rest] = wrapped;
	return [
		[segment(head, {dim: true}), segment(first, {colour: 'red'})],
		...rest.map(line => [segment(' '.repeat(indent)), segment(line, {colour: 'red'})]),
	];
}

/**
The problem log (key e): the last problems kept (up to 200), newest first,
each with its time, source, kind and message (cleaned as on stderr), from
`scroll` problems down; the title says which ones are in view.
*/
function problemLogLines(problems: ProblemCounts, scroll: number, width: number, height: number): SegmentLine[] {
	const {recent} = problems;
	const first = Math.max(0, Math.min(scroll, recent.length - 1));
	const body: SegmentLine[] = [];
	let last = first;
	for (let index = first; index < recent.length && body.length < height - 2; index++) {
		body.push(...problemRows(recent[index]!, width));
		last = index;
	}

	const range = recent.length === 0 ? 'none' : `${first + 1}–${last + 1} of ${count(recent.length)}${problems.total > recent.length ? ` kept (${count(problems.total)} in all)` : ''}`;
	const title: SegmentLine = [segment(fit(` Problems · ${range} · newest first · ↑↓ PgUp PgDn Home End scroll · e or Esc closes `, width), {bold: true, inverse: true})];
	const header: SegmentLine = [segment(`${fit('time', timeWidth)} ${fit('source', sourceWidth)} ${fit('kind', kindWidth)} message`, {dim: true})];
	if (recent.length === 0) {
		return [title, header, [segment('no problem so far: bad lines, decode errors, connection trouble and recording failures show here', {dim: true})]];
	}

	return [title, header, ...body.slice(0, Math.max(0, height - 2))];
}

function ProblemLogView({problems, scroll, width, height}: {problems: ProblemCounts; scroll: number; width: number; height: number}) {
	return (
		<Box width={width} height={height}>
			<Lines lines={problemLogLines(problems, scroll, width, height)} width={width} height={height}/>
		</Box>
	);
}

/** Memoised: it redraws when a problem comes or the view scrolls. */
export const ProblemLog = memo(ProblemLogView);
