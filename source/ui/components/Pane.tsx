import {Box} from 'ink';
import {fit} from '../format.js';
import {paneIds, paneTitles, type PaneId} from '../layout.js';
import {segment, type SegmentLine} from '../segments.js';
import {Lines} from './Lines.js';

/** Where a pane sits and how its header reads; every pane component takes these. */
export type PaneFrame = {
	id: PaneId;
	width: number;
	height: number;
	isFocused: boolean;
	/** Shown after the title, e.g. the game id or the tape filter. Must already be safe text. */
	note?: string;
};

/**
The header bar: the pane's number and title, then its note. Focus shows as a
bright bar and, for terminals without colour, as brackets round the title.
Plain ASCII on purpose: Ink measures every line of every frame, and a line of
box-drawing characters costs many times more than one of spaces.
*/
export function paneHeader(id: PaneId, note: string | undefined, width: number, focused: boolean): string {
	const title = `${paneIds.indexOf(id) + 1} ${paneTitles[id]}`;
	const head = focused ? `[${title}]` : ` ${title} `;
	return fit(note === undefined || note === '' ? head : `${head} ${note}`, width);
}

/** A titled region of the screen, exactly `width` × `height` cells: the header bar, then up to height - 1 lines. */
export function Pane({id, width, height, isFocused, note, lines}: PaneFrame & {lines: readonly SegmentLine[]}) {
	const header: SegmentLine = [segment(paneHeader(id, note, width, isFocused), {inverse: true, bold: isFocused, colour: isFocused ? 'cyan' : 'gray'})];
	return (
		<Box width={width} height={height}>
			<Lines lines={[header, ...lines]} width={width} height={height}/>
		</Box>
	);
}
