import {Box} from 'ink';
import {fit} from '../format.js';
import {helpLines} from '../keymap.js';
import {segment, type SegmentLine} from '../segments.js';
import {Lines} from './Lines.js';

/** The `?` overlay's lines, generated from the keymap table (the README's key list comes from the same table). */
export function helpOverlayLines(width: number): SegmentLine[] {
	const rows = helpLines();
	const keysWidth = Math.max(...rows.map(row => ('keys' in row ? row.keys.length : 0))) + 2;
	return [
		[segment(fit(' Help · ? or Esc closes ', width), {bold: true, inverse: true})],
		...rows.map(row => ('title' in row
			? [segment(row.title, {bold: true})]
			: [segment(`  ${fit(row.keys, keysWidth)}`, {colour: 'cyan'}), segment(row.description)])),
	];
}

export function HelpOverlay({width, height}: {width: number; height: number}) {
	return (
		<Box width={width} height={height}>
			<Lines lines={helpOverlayLines(width)} width={width} height={height}/>
		</Box>
	);
}
