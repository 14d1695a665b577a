import chalk, {type ChalkInstance} from 'chalk';
import {fittedText} from '../ink-patches/index.js';
import {clipLine, type Segment, type SegmentLine} from '../segments.js';

/**
Lines of styled segments drawn as one Ink text node: each line cut to
`width`, at most `height` lines, so nothing can wrap into the next pane.
How the text reaches Ink (measured as blanks of the pane's size, because
Ink 6.8 never forgets a text it measured) is one of the Ink patches:
../ink-patches/index.ts. Colours come from chalk, as Ink's own do
(FORCE_COLOR, NO_COLOR through the bin shim, --no-color).
*/

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
function renderLine(line: SegmentLine): string {
	let text = '';
	for (const part of line) {
		text += paint(part);
	}

	return text;
}

export function Lines({lines, width, height}: {lines: readonly SegmentLine[]; width: number; height?: number}) {
	const shown = height === undefined ? lines : lines.slice(0, Math.max(0, height));
	const rendered = shown.map(line => renderLine(clipLine(line, width)));
	return fittedText(rendered, width);
}
