import {Box} from 'ink';
import {truncate, widthOf} from '../format.js';
import {paneKey, paneTitles, type PaneId} from '../layout.js';
import {segment, type Segment, type SegmentLine} from '../segments.js';
import type {Colour} from '../theme.js';
import {Lines} from './Lines.js';

export type Note = string | ((room: number) => string);

/** Where a pane sits and how its frame reads; every pane component takes these. */
export type PaneFrame = {
	id: PaneId;
	/** The whole pane, frame included. */
	width: number;
	height: number;
	isFocused: boolean;
	/**
	Shown in the frame after the title, e.g. the game id or the tape filter.
	Must already be safe text. A function gets the cells there is room for
	(to shorten an id from the middle rather than have it cut).
	*/
	note?: Note;
	/** Panes that share this cell of the layout and are not shown (their keys bring them here). */
	hidden?: readonly PaneId[];
};

/** Columns and rows of a pane that its frame takes: a border each side, a column of padding inside it. */
const frameColumns = 4;
const frameRows = 2;

/** The room inside a pane's frame. */
export function innerSize(width: number, height: number): {width: number; height: number} {
	return {width: Math.max(1, width - frameColumns), height: Math.max(0, height - frameRows)};
}

/** The frame's colour: the focused pane's stands out, the others' stay quiet. */
function frameStyle(focused: boolean): {colour: Colour; dim: boolean} {
	return focused ? {colour: 'cyan', dim: false} : {colour: 'gray', dim: true};
}

/**
The frame's top row with the pane's number and title in it, then its note,
then (at the right) the panes hidden in the same cell: `╭─ 3 Position ─ … ─ 4 Sidebets ─╮`.
Focus shows in colour and, for terminals without it, as brackets round the title.
*/
function titleLine(id: PaneId, note: Note | undefined, width: number, focused: boolean, hidden: readonly PaneId[] = []): SegmentLine {
	const border = frameStyle(focused);
	const line = (text: string): Segment => segment(text, border);
	const name = `${paneKey(id)} ${paneTitles[id]}`;
	const title = focused ? `[${name}]` : ` ${name} `;
	// ╭─ title ─ … ─╮: what is left between them, beyond the one ─ always drawn after the title.
	let left = width - 5 - widthOf(title);
	const tabs: Segment[] = [];
	for (const other of hidden) {
		for (const label of [` ${paneKey(other)} ${paneTitles[other]} `, ` ${paneKey(other)} `]) {
			if (widthOf(label) + 1 <= left) {
				tabs.push(line('─'), segment(label, {dim: true}));
				left -= widthOf(label) + 1;
				break;
			}
		}
	}

	const text = typeof note === 'function' ? note(left - 3) : note;
	const noteText = text === undefined || text === '' || left < 4 ? '' : ` ${truncate(text, left - 3)} `;
	left -= noteText === '' ? 0 : widthOf(noteText) + 1;
	const parts: Segment[] = [line('╭─'), segment(title, {bold: focused, colour: focused ? 'cyan' : undefined})];
	if (noteText !== '') {
		parts.push(line('─'), segment(noteText, {dim: true}));
	}

	parts.push(line('─'.repeat(Math.max(0, left) + 1)), ...tabs, line('─╮'));
	return parts;
}

/**
A titled, framed region of the screen, exactly `width` × `height` cells: the
top row of the frame with the title in it, then Ink's own round border on
the other three sides around up to height - 2 lines of `width` - 4 cells.
The top row is drawn as a line rather than by Ink because Ink's borders have
no title; the writes of a frame never overlap the lines inside it, which
keeps the Ink output patch's fast path (ink-patches/output-cache.ts).
*/
export function Pane({id, width, height, isFocused, note, hidden, lines}: PaneFrame & {lines: readonly SegmentLine[]}) {
	const border = frameStyle(isFocused);
	const inner = innerSize(width, height);
	return (
		<Box flexDirection='column' width={width} height={height}>
			<Lines lines={[titleLine(id, note, width, isFocused, hidden)]} width={width} height={1}/>
			<Box borderStyle='round' borderTop={false} borderColor={border.colour} borderDimColor={border.dim} paddingX={1} width={width} height={height - 1}>
				<Lines lines={lines} width={inner.width} height={inner.height}/>
			</Box>
		</Box>
	);
}
