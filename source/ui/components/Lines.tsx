import chalk, {type ChalkInstance} from 'chalk';
import {Text, Transform} from 'ink';
import {clipLine, type Segment, type SegmentLine} from '../segments.js';

/**
Lines of styled segments drawn as one Ink text node: each line cut to
`width`, at most `height` lines, so nothing can wrap into the next pane.

Why a Transform over blank text: Ink measures every text node whose content
changed with a module-level cache keyed by the text that never forgets
(measure-text.js), so a monitor redrawing new text four times a second would
grow by gigabytes a day, and measuring costs a grapheme walk per line per
frame. Here the measured text is blanks of the pane's size — the same string
every frame, one cache entry per size, measured by the ASCII fast path — and
the real lines, already fitted to `width`, replace them line by line when Ink
writes the frame. Colours come from chalk, as Ink's own do (FORCE_COLOR,
NO_COLOR through the bin shim, --no-color).
*/

const blanks = new Map<string, string>();

function blankText(width: number, rows: number): string {
	const key = `${width}x${rows}`;
	let text = blanks.get(key);
	if (text === undefined) {
		text = Array.from({length: rows}, () => ' '.repeat(Math.max(1, width))).join('\n');
		blanks.set(key, text);
	}

	return text;
}

function paint(part: Segment): string {
	let painter: ChalkInstance = chalk;
	if (part.colour !== undefined) {
		painter = painter[part.colour];
	}

	if (part.dim === true) {
		painter = painter.dim;
	}

	if (part.bold === true) {
		painter = painter.bold;
	}

	if (part.inverse === true) {
		painter = painter.inverse;
	}

	return painter === chalk ? part.text : painter(part.text);
}

/** One line of segments as terminal text (with escape sequences for its styles). */
export function renderLine(line: SegmentLine): string {
	let text = '';
	for (const part of line) {
		text += paint(part);
	}

	return text;
}

export function Lines({lines, width, height}: {lines: readonly SegmentLine[]; width: number; height?: number}) {
	const shown = height === undefined ? lines : lines.slice(0, Math.max(0, height));
	const rendered = shown.map(line => renderLine(clipLine(line, width)));
	return (
		<Transform transform={(_blank, index) => rendered[index] ?? ''}>
			<Text>{blankText(width, Math.max(1, rendered.length))}</Text>
		</Transform>
	);
}
