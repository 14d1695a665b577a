/**
CSV as RFC 4180 describes it, with LF line ends: a field is quoted when it
holds a comma, a quote, a line break or leading/trailing space, and quotes are
doubled. Numbers are written with JavaScript's shortest round-trip form, so
`Number(cell)` gives back the exact double (full precision); missing values
(null, undefined, NaN) are empty cells.

Safe to open in a spreadsheet (OWASP's CSV-injection advice): a text cell that
starts with `=`, `+`, `-`, `@`, TAB or CR would be taken for a formula, so it
gets a leading `'` (and is quoted). So does text that already starts with
apostrophes before such a character (`'@x`): a spreadsheet takes the first
`'` away, so one more keeps the text as it was, and dropping exactly one
leading `'` gives back the original in every case. Only text is neutralised: a number cell is
a number we wrote (`-0.5`, a falling price, stays `-0.5`; the game's own text
never reaches a cell as a number). Text comes from the feed (game ids are
untrusted), so every text cell is treated this way; the cells rugs-tui writes
itself (times, phases, names of files) never start with those characters. A
NUL character never reaches the file: it is written as U+FFFD, the Unicode
replacement character, as a text decoder would show an unreadable byte.
*/

export type Cell = string | number | boolean | null | undefined;

/** A formula's first character, after any apostrophes (which a spreadsheet would eat). */
const formulaStart = /^'*[=+\-@\t\r]/;

/** The text as it is written into a cell (before quoting): neutralised, NUL replaced. */
export function safeCellText(text: string): string {
	const clean = text.includes('\0') ? text.replaceAll('\0', '\uFFFD') : text;
	return formulaStart.test(clean) ? `'${clean}` : clean;
}

export function csvCell(value: Cell): string {
	if (value === null || value === undefined) {
		return '';
	}

	if (typeof value === 'number') {
		return Number.isFinite(value) ? String(value) : '';
	}

	if (typeof value === 'boolean') {
		return value ? 'true' : 'false';
	}

	const text = safeCellText(value);
	return /[",\r\n]|^\s|\s$|^'/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRow(cells: readonly Cell[]): string {
	return `${cells.map(cell => csvCell(cell)).join(',')}\n`;
}

/** Split one CSV text back into rows of strings (for tests and tools; handles quoted fields). */
export function parseCsv(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let field = '';
	let quoted = false;
	for (let index = 0; index < text.length; index++) {
		const char = text[index]!;
		if (quoted) {
			if (char === '"' && text[index + 1] === '"') {
				field += '"';
				index++;
			} else if (char === '"') {
				quoted = false;
			} else {
				field += char;
			}
		} else {
			switch (char) {
				case '"': {
					quoted = true;

					break;
				}

				case ',': {
					row.push(field);
					field = '';

					break;
				}

				case '\n':
				case '\r': {
					if (char === '\r' && text[index + 1] === '\n') {
						index++;
					}

					row.push(field);
					rows.push(row);
					row = [];
					field = '';

					break;
				}

				default: {
					field += char;
				}
			}
		}
	}

	if (field !== '' || row.length > 0) {
		row.push(field);
		rows.push(row);
	}

	return rows;
}
