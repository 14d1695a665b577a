import type {ReactNode} from 'react';
import {Box, Text} from 'ink';
import {truncate, widthOf} from '../format.js';
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

/** The header rule: heavy when focused, so focus shows without colour too. */
export function paneHeader(id: PaneId, note: string | undefined, width: number, focused: boolean): string {
	const rule = focused ? '━' : '─';
	const title = ` ${paneIds.indexOf(id) + 1} ${paneTitles[id]}${note === undefined || note === '' ? '' : ` · ${note}`} `;
	const text = truncate(title, Math.max(0, width - 3));
	return `${rule}${rule}${text}${rule.repeat(Math.max(0, width - 2 - widthOf(text)))}`;
}

/** A titled region of the screen, exactly `width` × `height` cells; content below the header line. */
export function Pane({id, width, height, focused, note, children}: PaneProps) {
	return (
		<Box flexDirection='column' width={width} height={height} overflow='hidden'>
			<Text bold={focused} color={focused ? 'cyan' : 'gray'} wrap='truncate-end'>{paneHeader(id, note, width, focused)}</Text>
			<Box flexDirection='column' width={width} height={Math.max(0, height - 1)} overflow='hidden'>
				{children}
			</Box>
		</Box>
	);
}

/** One line of pane content, cut at the pane's edge. */
export function Line({children, dim}: {children?: ReactNode; dim?: boolean}) {
	return <Text wrap='truncate-end' dimColor={dim}>{children ?? ' '}</Text>;
}
