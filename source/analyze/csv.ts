/**
CSV as RFC 4180 describes it, with LF line ends: a field is quoted when it
holds a comma, a quote, a line break or leading/trailing space, and quotes are
doubled. Numbers are written with JavaScript's shortest round-trip form, so
`Number(cell)` gives back the exact double (full precision); missing values
(null, undefined, NaN) are empty cells.
*/

export type Cell = string | number | boolean | null | undefined;

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

	return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
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
