import type {ReactElement} from 'react';
import {renderToString, Text, Transform} from 'ink';

/**
How a pane's lines reach Ink. Ink measures every text node whose content
changed with a module-level cache keyed by the text that never forgets
(6.8's measure-text.js), so a monitor redrawing new text four times a second
would grow by gigabytes a day, and measuring costs a grapheme walk per line
per frame. `blankMeasured` hands Ink blanks of the pane's size to measure —
the same string every frame, one cache entry per size, measured by the ASCII
fast path — and a Transform puts the real lines, already fitted to `width`,
in their place line by line when Ink writes the frame. `inkMeasured` is the
plain way: the real text in a Text, measured by Ink (the patch switched off).
*/

const blanks = new Map<string, string>();

function blankText(width: number, rows: number): string {
	const key = `${width}x${rows}`;
	let text = blanks.get(key);
	if (text === undefined) {
		text = Array.from({length: rows}, () => ' '.repeat(Math.max(1, width))).join('\n');
		blanks.set(key, text);
	}

	return text;
}

/** Blanks of `width` × the number of lines for Ink to measure; the lines themselves written in their place. */
export function blankMeasured(lines: readonly string[], width: number): ReactElement {
	return (
		<Transform transform={(_blank, index) => lines[index] ?? ''}>
			<Text>{blankText(width, Math.max(1, lines.length))}</Text>
		</Transform>
	);
}

/**
The lines as one text for Ink to measure and write. Never empty: an empty
text would take no row where the blanks take one, and the layout below it
would move up.
*/
export function inkMeasured(lines: readonly string[]): ReactElement {
	const text = lines.join('\n');
	return <Text>{text === '' ? ' ' : text}</Text>;
}

/**
Whether Ink hands a Transform each line of its text with the line's index,
as the blank measure needs: a two-line probe drawn once.
*/
export function transformWritesLines(): boolean {
	try {
		return renderToString(blankMeasured(['a', 'b'], 3), {columns: 10}) === 'a\nb';
	} catch {
		return false;
	}
}
