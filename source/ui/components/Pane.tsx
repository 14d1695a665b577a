import type {ReactNode} from 'react';
import {Box, Text} from 'ink';
import {fit} from '../format.js';
import {paneIds, paneTitles, type PaneId} from '../layout.js';

export type PaneProps = {
	id: PaneId;
	width: number;
	height: number;
	focused: boolean;
	/** Shown after the title, e.g. the game id or the tape filter. Must already be safe text. */
	note?: string;
	children?: ReactNode;
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

/** A titled region of the screen, exactly `width` × `height` cells; content below the header line. */
export function Pane({id, width, height, focused, note, children}: PaneProps) {
	return (
		<Box flexDirection='column' width={width} height={height}>
			<Text inverse bold={focused} color={focused ? 'cyan' : 'gray'}>{paneHeader(id, note, width, focused)}</Text>
			<Box flexDirection='column' width={width} height={Math.max(0, height - 1)}>
				{children}
			</Box>
		</Box>
	);
}

/** One line of pane content, cut at the pane's edge. */
export function Line({children, dim}: {children?: ReactNode; dim?: boolean}) {
	return <Text wrap='truncate-end' dimColor={dim}>{children ?? ' '}</Text>;
}
