import {truncate, widthOf} from './format.js';
import type {Colour} from './theme.js';

/**
What a pane draws, as data: lines of styled text segments. Panes compute
their lines with pure functions (easy to test) and one component draws a
whole pane as ONE Ink text node: Ink lays out, measures and writes every
text node of every frame, so a pane of one node costs far less than a pane
of one node per line.
*/

export type Style = {colour?: Colour; dim?: boolean; bold?: boolean; inverse?: boolean};
export type Segment = Style & {text: string};
export type SegmentLine = readonly Segment[];

export function segment(text: string, style: Style = {}): Segment {
	return {...style, text};
}

/** Display width of a line. */
export function lineWidth(line: SegmentLine): number {
	let width = 0;
	for (const part of line) {
		width += widthOf(part.text);
	}

	return width;
}

/** The line cut to `width` cells; the cut segment ends with '…'. Lines that fit are returned as they are. */
export function clipLine(line: SegmentLine, width: number): SegmentLine {
	if (lineWidth(line) <= width) {
		return line;
	}

	const clipped: Segment[] = [];
	let left = width;
	for (const part of line) {
		const cells = widthOf(part.text);
		if (cells < left) {
			clipped.push(part);
			left -= cells;
			continue;
		}

		// The line goes on past this segment, so even an exact fit must show the cut.
		clipped.push({...part, text: truncate(cells === left ? `${part.text}…` : part.text, left)});
		break;
	}

	return clipped;
}

/** The plain text of lines (tests, and the width checks). */
export function plainText(lines: readonly SegmentLine[]): string {
	return lines.map(line => line.map(part => part.text).join('')).join('\n');
}

/** Words of `text` wrapped into lines of at most `width` cells (long words are cut). */
export function wrapWords(text: string, width: number): string[] {
	const lines: string[] = [];
	let current = '';
	for (const word of text.split(/\s+/).filter(Boolean)) {
		const candidate = current === '' ? word : `${current} ${word}`;
		if (widthOf(candidate) <= width) {
			current = candidate;
			continue;
		}

		if (current !== '') {
			lines.push(current);
		}

		current = widthOf(word) <= width ? word : truncate(word, width);
	}

	if (current !== '') {
		lines.push(current);
	}

	return lines;
}
