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

	it('uses the compact layout at 80×24 and the small one on the shortest terminals', () => {
		for (const [columns, rows] of [[80, 24], [119, 40], [200, 39], [100, 30], [60, 22]] as const) {
			const layout = chooseLayout({columns, rows});
			expect(layout.kind).toBe('compact');
			check(layout, columns, rows);
		}

		for (const [columns, rows] of [[60, 16], [200, 21], [80, 18]] as const) {
			const layout = chooseLayout({columns, rows});
			expect(layout.kind).toBe('small');
			check(layout, columns, rows);
		}
	});

	it('every pane has a place in every layout: a shared cell shows the focused pane and names the other', () => {
		for (const size of [{columns: 120, rows: 40}, {columns: 80, rows: 24}, {columns: 60, rows: 16}]) {
			const layout = chooseLayout(size);
			if (layout.kind === 'too-small') {
				throw new Error('expected panes');
			}

			const cells = layout.rows.flatMap(row => row.cells);
			expect(cells.flatMap(cell => [cell.pane, ...cell.hidden]).toSorted()).toStrictEqual([...paneIds].toSorted());
		}

		const small = chooseLayout({columns: 60, rows: 16});
		const sidebets = chooseLayout({columns: 60, rows: 16}, undefined, 'sidebets');
		expect(small.kind !== 'too-small' && small.rows[1]!.cells[0]).toMatchObject({pane: 'position', hidden: ['sidebets']});
		expect(sidebets.kind !== 'too-small' && sidebets.rows[1]!.cells[0]).toMatchObject({pane: 'sidebets', hidden: ['position']});
	});

	it('gives each framed pane room for its content at 120×40: 13 rows for tick and chart, 7 for position and sidebets, 11 for the tape and the statistics beside it', () => {
		const layout = chooseLayout({columns: 120, rows: 40});
		expect(layout.kind !== 'too-small' && layout.rows.map(row => [row.height, row.cells.map(cell => cell.width)])).toStrictEqual([[15, [36, 84]], [9, [36, 84]], [13, [62, 58]]]);
		expect(layout.kind !== 'too-small' && layout.rows[2]!.cells.map(cell => cell.pane)).toStrictEqual(['trades', 'stats']);
	});

	it('puts the statistics beside the tape in the full layout, and in the tape\'s cell elsewhere: key 6 brings them there', () => {
		for (const size of [{columns: 120, rows: 40}, {columns: 200, rows: 60}, {columns: 300, rows: 100}]) {
			const layout = chooseLayout(size);
			const bottom = layout.kind === 'full' ? layout.rows.at(-1)! : undefined;
			expect(bottom?.cells.map(cell => [cell.pane, cell.hidden])).toStrictEqual([['trades', []], ['stats', []]]);
			// The Stats pane keeps the 54 columns its lines need; the tape takes the rest.
			expect(bottom!.cells[1]!.width).toBeGreaterThanOrEqual(58);
			expect(bottom!.cells[0]!.width).toBeGreaterThanOrEqual(62);
		}

		for (const size of [{columns: 80, rows: 24}, {columns: 119, rows: 40}, {columns: 60, rows: 16}]) {
			const tape = (layout: Layout) => (layout.kind === 'too-small' ? undefined : layout.rows.at(-1)!.cells.at(-1));
			expect(tape(chooseLayout(size))).toMatchObject({pane: 'trades', hidden: ['stats']});
			expect(tape(chooseLayout(size, undefined, 'stats'))).toMatchObject({pane: 'stats', hidden: ['trades']});
			expect(chooseLayout(size, 'stats')).toMatchObject({rows: [{cells: [{pane: 'stats', width: size.columns, hidden: []}]}]});
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
		expect(layout).toMatchObject({kind: 'compact', rows: [{height: 21, cells: [{pane: 'trades', width: 80, hidden: []}]}]});
	});
});
