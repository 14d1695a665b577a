/**
Which layout fits the terminal, as a pure function of its size: the full
layout from 120×40, a compact one below it, a small one of two pane rows on
the shortest terminals, and below the minimum a "terminal too small" screen.
The live area is never taller than rows - 1: a frame as tall as the terminal
makes Ink clear the whole screen every frame.

Each pane is framed (frame.ts: two rows and four columns of its cells go to
the frame and its padding). A cell of a layout can hold several panes and
shows the focused one among them, so a pane the layout has no room for is
one key away: its key brings it into that cell, and the frame says which
other pane lives there. The Stats pane (key 6) sits beside the trade tape
in the full layout and shares the tape's cell in the others.
*/

export const paneIds = ['tick', 'price', 'position', 'sidebets', 'trades', 'stats'] as const;
export type PaneId = (typeof paneIds)[number];

export const paneTitles: Record<PaneId, string> = {
	tick: 'Tick',
	price: 'Price',
	position: 'Position',
	sidebets: 'Sidebets',
	trades: 'Trades',
	stats: 'Stats',
};

/** The key that focuses a pane: its place in paneIds, from 1. */
export function paneKey(pane: PaneId): string {
	return String(paneIds.indexOf(pane) + 1);
}

export type Size = {columns: number; rows: number};

export const minimumSize: Size = {columns: 60, rows: 16};
const fullSize: Size = {columns: 120, rows: 40};

/** Lines under the panes: the history strip and the status bar. */
export const footerRows = 2;
/** Columns between two panes side by side: none, the frames stand side by side. */
export const gap = 0;

export type Cell = {
	/** The pane drawn in this cell. */
	pane: PaneId;
	width: number;
	/** Panes that share the cell and are not shown now (each one's key shows it here). */
	hidden: PaneId[];
};
export type PaneRow = {height: number; cells: Cell[]};

export type LayoutKind = 'full' | 'compact' | 'small';

export type Layout =
	| {kind: 'too-small'; need: Size; size: Size; height: number; width: number}
	| {kind: LayoutKind; width: number; height: number; rows: PaneRow[]};

function clamp(value: number, low: number, high: number): number {
	return Math.min(high, Math.max(low, value));
}

/** A cell as planned: the panes it can show, first the one shown unless another is focused. */
type Slot = {panes: readonly PaneId[]; width: number};
type RowPlan = {height: number; slots: Slot[]};

function place(plan: RowPlan[], focus: PaneId | undefined): PaneRow[] {
	return plan.map(row => ({
		height: row.height,
		cells: row.slots.map(slot => {
			const pane = focus !== undefined && slot.panes.includes(focus) ? focus : slot.panes[0]!;
			return {pane, width: slot.width, hidden: slot.panes.filter(other => other !== pane)};
		}),
	}));
}

function pair(left: readonly PaneId[], right: readonly PaneId[], leftWidth: number, width: number, height: number): RowPlan {
	return {height, slots: [{panes: left, width: leftWidth}, {panes: right, width: width - leftWidth - gap}]};
}

/** The Stats pane's width beside the tape: its lines need about 54 columns inside the frame; the tape keeps the rest (its columns need about 56). */
function statsWidth(columns: number): number {
	return clamp(Math.round(columns * 0.48), 58, 76);
}

/**
At 120×40: 37 rows of panes, 15 for tick and chart (a taller terminal gives a
third of its extra rows to them), 9 for position and sidebets, the rest (13)
for the tape and, beside it, the statistics (11 lines inside the frame). The
left column is 30% of the width; the Stats pane takes 48% of the bottom row.
*/
function fullRows(columns: number, available: number): RowPlan[] {
	const top = 15 + Math.floor((available - 37) / 3);
	const middle = 9;
	const leftWidth = clamp(Math.floor(columns * 0.3), 36, 48);
	return [
		pair(['tick'], ['price'], leftWidth, columns, top),
		pair(['position'], ['sidebets'], leftWidth, columns, middle),
		pair(['trades'], ['stats'], columns - statsWidth(columns), columns, available - top - middle),
	];
}

/** Three rows like the full layout, each as tall as the rows allow (80×24: 9, 5 and 7); the tape's cell shows the statistics by key 6. */
function compactRows(columns: number, available: number): RowPlan[] {
	const top = clamp(Math.round(available * 0.43), 7, 14);
	const middle = clamp(Math.round(available * 0.24), 5, 10);
	const leftWidth = clamp(Math.floor(columns * 0.34), 24, 40);
	return [
		pair(['tick'], ['price'], leftWidth, columns, top),
		pair(['position'], ['sidebets'], leftWidth, columns, middle),
		{height: available - top - middle, slots: [{panes: ['trades', 'stats'], width: columns}]},
	];
}

/** Two rows (60×16: 7 and 6): tick and chart, then position (or sidebets, by key 3 / 4) and the tape (or the statistics, by key 6). */
function smallRows(columns: number, available: number): RowPlan[] {
	const top = Math.ceil(available / 2);
	const leftWidth = clamp(Math.floor(columns * 0.38), 23, 40);
	return [
		pair(['tick'], ['price'], leftWidth, columns, top),
		pair(['position', 'sidebets'], ['trades', 'stats'], leftWidth, columns, available - top),
	];
}

/** Pane rows below this many rows of pane area do not fit three framed rows: the small layout. */
const threeRowsFrom = 19;

/**
The panes for a terminal of `size`. `maximised` gives one pane the whole
pane area; `focus` picks which pane a shared cell shows. Heights of the rows
plus the footer add up to exactly rows - 1.
*/
export function chooseLayout(size: Size, maximised?: PaneId, focus?: PaneId): Layout {
	const columns = Math.max(0, Math.floor(size.columns));
	const rows = Math.max(0, Math.floor(size.rows));
	const height = Math.max(0, rows - 1);
	if (columns < minimumSize.columns || rows < minimumSize.rows) {
		return {kind: 'too-small', need: minimumSize, size: {columns, rows}, height: Math.max(1, height), width: columns};
	}

	const available = height - footerRows;
	let kind: LayoutKind = 'small';
	if (columns >= fullSize.columns && rows >= fullSize.rows) {
		kind = 'full';
	} else if (available >= threeRowsFrom) {
		kind = 'compact';
	}

	if (maximised !== undefined) {
		return {kind, width: columns, height, rows: [{height: available, cells: [{pane: maximised, width: columns, hidden: []}]}]};
	}

	const plan = kind === 'full' ? fullRows(columns, available) : (kind === 'compact' ? compactRows(columns, available) : smallRows(columns, available));
	return {kind, width: columns, height, rows: place(plan, focus ?? maximised)};
}
