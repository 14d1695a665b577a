/**
Which layout fits the terminal, as a pure function of its size: the full
layout from 120×40, a compact one down to the minimum, and below that a
"terminal too small" screen. The live area is never taller than rows - 1:
a frame as tall as the terminal makes Ink clear the whole screen every frame.
*/

export const paneIds = ['tick', 'price', 'position', 'sidebets', 'trades'] as const;
export type PaneId = (typeof paneIds)[number];

export const paneTitles: Record<PaneId, string> = {
	tick: 'Tick',
	price: 'Price',
	position: 'Position',
	sidebets: 'Sidebets',
	trades: 'Trades',
};

export type Size = {columns: number; rows: number};

export const minimumSize: Size = {columns: 60, rows: 16};
export const fullSize: Size = {columns: 120, rows: 40};

/** Lines under the panes: the history strip and the status bar. */
export const footerRows = 2;
/** Columns between two panes side by side. */
export const gap = 1;

export type Cell = {pane: PaneId; width: number};
export type PaneRow = {height: number; cells: Cell[]};

export type Layout =
	| {kind: 'too-small'; need: Size; size: Size; height: number; width: number}
	| {kind: 'full' | 'compact'; width: number; height: number; rows: PaneRow[]};

function clamp(value: number, low: number, high: number): number {
	return Math.min(high, Math.max(low, value));
}

function pair(left: PaneId, right: PaneId, leftWidth: number, width: number, height: number): PaneRow {
	return {height, cells: [{pane: left, width: leftWidth}, {pane: right, width: width - leftWidth - gap}]};
}

/**
The panes for a terminal of `size`. `maximised` gives one pane the whole
pane area. Heights of the rows plus the footer add up to exactly rows - 1.
*/
export function chooseLayout(size: Size, maximised?: PaneId): Layout {
	const columns = Math.max(0, Math.floor(size.columns));
	const rows = Math.max(0, Math.floor(size.rows));
	const height = Math.max(0, rows - 1);
	if (columns < minimumSize.columns || rows < minimumSize.rows) {
		return {kind: 'too-small', need: minimumSize, size: {columns, rows}, height: Math.max(1, height), width: columns};
	}

	const kind = columns >= fullSize.columns && rows >= fullSize.rows ? 'full' : 'compact';
	const available = height - footerRows;
	if (maximised !== undefined) {
		return {kind, width: columns, height, rows: [{height: available, cells: [{pane: maximised, width: columns}]}]};
	}

	let top: number;
	let middle: number;
	let leftWidth: number;
	if (kind === 'full') {
		// 37 rows of panes at 120×40; a taller terminal gives a third of the extra to the chart.
		top = 14 + Math.floor((available - 37) / 3);
		middle = 9;
		leftWidth = clamp(Math.floor(columns * 0.3), 34, 48);
	} else {
		top = clamp(Math.round(available * 0.42), 6, 12);
		middle = clamp(Math.round(available * 0.24), 3, 8);
		leftWidth = clamp(Math.floor(columns * 0.34), 22, 34);
	}

	const trades = available - top - middle;
	return {
		kind,
		width: columns,
		height,
		rows: [
			pair('tick', 'price', leftWidth, columns, top),
			pair('position', 'sidebets', leftWidth, columns, middle),
			{height: trades, cells: [{pane: 'trades', width: columns}]},
		],
	};
}
