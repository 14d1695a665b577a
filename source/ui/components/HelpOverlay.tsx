import {Box} from 'ink';
import {memo} from 'react';
import {fit} from '../format.js';
import {helpLines} from '../keymap.js';
import {segment, wrapWords, type SegmentLine} from '../segments.js';
import {Lines} from './Lines.js';

/**
The `?` overlay's lines, generated from the keymap table (the README's key list
comes from the same table). Descriptions wrap under themselves to fit `width`;
when the terminal is too short for all of them, the last row says so.
*/
export function helpOverlayLines(width: number, height = Number.POSITIVE_INFINITY): SegmentLine[] {
	const rows = helpLines();
	const keysWidth = Math.max(...rows.map(row => ('keys' in row ? row.keys.length : 0))) + 2;
	const indent = 2 + keysWidth;
	const lines: SegmentLine[] = [[segment(fit(' Help · ? or Esc closes ', width), {bold: true, inverse: true})]];
	for (const row of rows) {
		if ('title' in row) {
			lines.push([segment(row.title, {bold: true})]);
			continue;
		}

		const [first = '', ...rest] = wrapWords(row.description, Math.max(8, width - indent));
		lines.push([segment(`  ${fit(row.keys, keysWidth)}`, {colour: 'cyan'}), segment(first)]);
		for (const more of rest) {
			lines.push([segment(' '.repeat(indent)), segment(more)]);
		}
	}

	if (lines.length > height && height >= 2) {
		const hidden = lines.length - (height - 1);
		return [...lines.slice(0, height - 1), [segment(`… ${hidden} more lines: make the terminal taller`, {dim: true})]];
	}

	return lines;
}

function HelpOverlayView({width, height}: {width: number; height: number}) {
	return (
		<Box width={width} height={height}>
			<Lines lines={helpOverlayLines(width, height)} width={width} height={height}/>
		</Box>
	);
}

export const HelpOverlay = memo(HelpOverlayView);
