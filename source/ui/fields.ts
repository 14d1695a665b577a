import {widthOf} from './format.js';
import {segment, type Segment, type SegmentLine, type Style} from './segments.js';

/**
Lines of labelled values that never cut a number: when a line is too wide
for its pane, first its label goes, then its parts of least priority, and a
dim » at the end says something was left out. Text is never cut here (a cut
number would read as another number).
*/

export type Part = {text: string; style?: Style; /** Higher is kept longer; the first part defaults to the highest. */ priority?: number};

/** The mark at the end of a line whose fields did not all fit. */
export const hiddenMark = ' »';

function widthOfParts(parts: readonly Part[]): number {
	let width = 0;
	for (const part of parts) {
		width += widthOf(part.text);
	}

	return width;
}

function toSegments(parts: readonly Part[]): Segment[] {
	return parts.map(part => segment(part.text, part.style));
}

/**
`label` (padded to `labelWidth`, dim) then the parts, fitted to `width`.
What goes first when it does not fit: parts of negative priority (words
around a value), then the label (unless `labelPriority` keeps it longer: on
rows that only their label tells apart), then the other parts from the lowest
priority up, marked with » at the end. The first part, the value, goes last
(by default). A part that starts with spaces loses them when it comes first
(a label keeps its own).
*/
export function fieldLine(label: string | undefined, parts: readonly Part[], width: number, labelWidth = 0, labelPriority = -0.5): SegmentLine {
	type Item = {part: Part; priority: number; isLabel: boolean};
	const items: Item[] = [];
	if (label !== undefined) {
		items.push({part: {text: label.padEnd(labelWidth), style: {dim: true}}, priority: labelPriority, isLabel: true});
	}

	for (const [index, part] of parts.entries()) {
		items.push({part, priority: part.priority ?? (index === 0 ? Number.POSITIVE_INFINITY : 0), isLabel: false});
	}

	const kept = new Set(items);
	const order = items.toReversed().toSorted((a, b) => a.priority - b.priority);
	let dropped = false;
	for (;;) {
		const keptItems = items.filter(item => kept.has(item));
		const list = keptItems.map(item => item.part);
		// A label keeps its own spaces (an indented sub-row's "  model"); a value that comes first loses its separator.
		if (list.length > 0 && !keptItems[0]!.isLabel) {
			list[0] = {...list[0]!, text: list[0]!.text.trimStart()};
		}

		const mark = dropped ? widthOf(hiddenMark) : 0;
		if (widthOfParts(list) + mark <= width || list.length === 0) {
			const segments = toSegments(list);
			return dropped ? [...segments, segment(hiddenMark, {dim: true})] : segments;
		}

		const next = order.shift()!;
		kept.delete(next);
		// Words around a value (negative priority) and labels go unmarked; a field that goes is marked.
		dropped ||= !next.isLabel && next.priority >= 0;
	}
}

/** A dim rule across the pane with words in it: `── last game 6114‥4b71: 2 won ─────`. */
export function ruleLine(parts: readonly Part[], width: number): SegmentLine {
	const style: Style = {dim: true};
	const words = fieldLine(undefined, parts.map(part => ({...part, style: {...style, ...part.style}})), Math.max(0, width - 4));
	let used = 3;
	for (const part of words) {
		used += widthOf(part.text);
	}

	return [segment('── ', style), ...words, segment(` ${'─'.repeat(Math.max(0, width - used - 1))}`, style)];
}

/** The first of `variants` (longest first) that fits `width`; the last one, if none does (it is then clipped like any line). */
export function firstFit(variants: readonly SegmentLine[], width: number): SegmentLine {
	for (const variant of variants) {
		let used = 0;
		for (const part of variant) {
			used += widthOf(part.text);
		}

		if (used <= width) {
			return variant;
		}
	}

	return variants.at(-1) ?? [];
}
