import {widthOf} from './format.js';

/**
A three-row font for the current multiplier (and the countdown): digits of
box-drawing characters, three cells wide, with a one-cell gap. Every
character is one terminal cell wide, drawn by the fast width path.
*/

const glyphs: Record<string, readonly [string, string, string]> = {
	0: ['┌─┐', '│ │', '└─┘'],
	1: ['╶┐ ', ' │ ', '╶┴╴'],
	2: ['╶─┐', '┌─┘', '└─╴'],
	3: ['╶─┐', ' ─┤', '╶─┘'],
	4: ['╷ ╷', '└─┤', '  ╵'],
	5: ['┌─╴', '└─┐', '╶─┘'],
	6: ['┌─╴', '├─┐', '└─┘'],
	7: ['╶─┐', '  │', '  ╵'],
	8: ['┌─┐', '├─┤', '└─┘'],
	9: ['┌─┐', '└─┤', '╶─┘'],
	'.': [' ', ' ', '▄'],
	',': [' ', ' ', '▖'],
	x: ['  ', '╲╱', '╱╲'],
	'<': ['  ', '╱ ', '╲ '],
	'-': ['   ', '╶─╴', '   '],
	'+': ['   ', '╶┼╴', '   '],
	s: ['   ', '┌─╴', '╶─┘'],
};

/** The three rows of `text` in the big font (characters without a glyph are left out). */
export function bigText(text: string): [string, string, string] {
	const rows: [string, string, string] = ['', '', ''];
	let first = true;
	for (const character of text) {
		const glyph = Object.hasOwn(glyphs, character) ? glyphs[character] : undefined;
		if (glyph === undefined) {
			continue;
		}

		const gap = first ? '' : ' ';
		for (let row = 0; row < 3; row++) {
			rows[row] += gap + glyph[row]!;
		}

		first = false;
	}

	return rows;
}

/** Cells `text` takes in the big font. */
export function bigWidth(text: string): number {
	return widthOf(bigText(text)[0]);
}
