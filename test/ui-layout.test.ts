import {describe, expect, it} from 'vitest';
import {chooseLayout, footerRows, gap, minimumSize, paneIds, type Layout} from '../source/ui/layout.js';

function check(layout: Layout, columns: number, rows: number): void {
	if (layout.kind === 'too-small') {
		throw new Error('expected panes');
	}

	// The live area is exactly rows - 1: never as tall as the terminal.
	expect(layout.height).toBe(rows - 1);
	expect(layout.rows.reduce((sum, row) => sum + row.height, 0) + footerRows).toBe(rows - 1);
	for (const row of layout.rows) {
		expect(row.height).toBeGreaterThanOrEqual(3);
		const width = row.cells.reduce((sum, cell) => sum + cell.width, 0) + (gap * (row.cells.length - 1));
		expect(width).toBe(columns);
	}
}

describe('chooseLayout', () => {
	it('uses the full layout from 120×40', () => {
		const layout = chooseLayout({columns: 120, rows: 40});
		expect(layout.kind).toBe('full');
		check(layout, 120, 40);
		expect(layout.kind !== 'too-small' && layout.rows.flatMap(row => row.cells.map(cell => cell.pane))).toEqual([...paneIds]);
	});

	it('uses the compact layout at 80×24 and just above the minimum', () => {
		for (const [columns, rows] of [[80, 24], [119, 40], [200, 39], [60, 16], [100, 30]] as const) {
			const layout = chooseLayout({columns, rows});
			expect(layout.kind).toBe('compact');
			check(layout, columns, rows);
		}
	});

	it('says the terminal is too small below the minimum', () => {
		expect(chooseLayout({columns: 59, rows: 30})).toMatchObject({kind: 'too-small', need: minimumSize, size: {columns: 59, rows: 30}});
		expect(chooseLayout({columns: 100, rows: 15}).kind).toBe('too-small');
	});

	it('holds for every size from the minimum to 300×100', () => {
		for (let {columns} = minimumSize; columns <= 300; columns += 7) {
			for (let {rows} = minimumSize; rows <= 100; rows += 3) {
				check(chooseLayout({columns, rows}), columns, rows);
			}
		}
	});

	it('gives a maximised pane the whole pane area', () => {
		const layout = chooseLayout({columns: 80, rows: 24}, 'trades');
		expect(layout).toMatchObject({kind: 'compact', rows: [{height: 21, cells: [{pane: 'trades', width: 80}]}]});
	});
});
