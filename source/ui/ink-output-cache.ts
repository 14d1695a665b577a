/**
Ink rebuilds every frame from scratch: each line it writes is tokenized into
one object per character (`getStyledChars`) with a cache that lives for one
frame only, then every row of the screen is a grid of such objects turned
back into text character by character (style diffs between neighbours). A
monitor redraws mostly the same lines four times a second, so this

1. keeps the tokenizing across frames (what the last two frames drew: memory
   stays at two frames' worth however long it runs);
2. assembles each row from the lines written into it (a fast path for
   `Output.get`): when the writes of a frame are unclipped and no two overlap
   (always so for this UI, whose panes sit side by side), a row is its lines
   in column order with blanks between them, each line already
   self-contained text. Anything else (a clip, an overlap, an odd position)
   takes Ink's own path, so the result never differs in what it shows.

It reaches into Ink's internals (build/output.js, not part of its public
API), so it is defensive: if the shape is not the one it knows (another Ink
version), it changes nothing and reports false. Ink never mutates the cached
character objects (it only places them in the frame's grid), which is what
makes sharing them between frames safe.
*/

import {singleCellCharacters} from './format.js';

type Caches = {
	getStyledChars(line: string): unknown[];
	getStringWidth(text: string): number;
};

type Operation =
	| {type: 'write'; x: number; y: number; text: string; transformers: Array<(line: string, index: number) => string>}
	| {type: 'clip'; clip: unknown}
	| {type: 'unclip'};

type OutputInstance = {
	width: number;
	height: number;
	operations: Operation[];
	caches: Caches;
	get(): {output: string; height: number};
};

type OutputClass = (new (options: {width: number; height: number}) => OutputInstance) & {prototype: OutputInstance};

/** Frames assembled by the fast path and by Ink's own (tests, diagnostics). */
export const frameStats = {fast: 0, ink: 0};
let installed = false;

/**
A cache that keeps what the last two frames used: a line drawn again in the
next frame is found, anything older is let go at once. Memory stays at about
two frames' worth of lines, with no slow fill-and-clear cycle.
*/
function perFrame<V>(compute: (key: string) => V): {get(key: string): V; nextFrame(): void} {
	let current = new Map<string, V>();
	let previous = new Map<string, V>();
	return {
		get(key) {
			let value = current.get(key);
			if (value === undefined) {
				value = previous.get(key) ?? compute(key);
				current.set(key, value);
			}

			return value;
		},
		nextFrame() {
			previous = current;
			current = new Map();
		},
	};
}

type Span = {start: number; end: number; text: string};

/** A written line as a piece of a row: its columns (as Ink counts them, cell by cell) and its text, styles closed. */
type Piece = {width: number; text: string};

const reset = '\u001B[0m';
// eslint-disable-next-line no-control-regex
const styleCode = /\u001B\[[\d;]*m/g;

/**
Rows of the frame from its write operations, or undefined when the frame
needs Ink's own path (a clip, overlapping writes, a position Ink would treat
specially).
*/
export function assembleRows(output: OutputInstance, piece: (line: string) => Piece): string[] | undefined {
	const rows: Array<Span[] | undefined> = Array.from({length: output.height});
	for (const operation of output.operations) {
		if (operation.type !== 'write') {
			return undefined;
		}

		const {x, y, text, transformers} = operation;
		if (!Number.isInteger(x) || !Number.isInteger(y) || x < 0 || y < 0) {
			return undefined;
		}

		const lines = text.split('\n');
		for (const [index, line_] of lines.entries()) {
			if (y + index < 0 || y + index >= output.height) {
				// Ink drops lines outside the frame too.
				continue;
			}

			let line = line_;
			for (const transformer of transformers) {
				line = transformer(line, index);
			}

			const {width, text: shown} = piece(line);
			if (width === 0) {
				continue;
			}

			const spans = (rows[y + index] ??= []);
			const end = x + width;
			// Past the frame's width Ink's grid has holes, which it closes up: leave that to Ink.
			if (end > output.width || spans.some(span => x < span.end && span.start < end)) {
				return undefined;
			}

			spans.push({start: x, end, text: shown});
		}
	}

	return rows.map(spans => {
		if (spans === undefined) {
			return '';
		}

		spans.sort((a, b) => a.start - b.start);
		let row = '';
		let column = 0;
		for (const span of spans) {
			row += ' '.repeat(span.start - column) + span.text;
			column = span.end;
		}

		return row.trimEnd();
	});
}

export async function installOutputCache(): Promise<boolean> {
	if (installed) {
		return true;
	}

	try {
		const outputUrl = new URL('output.js', import.meta.resolve('ink'));
		const {default: Output} = await import(outputUrl.href) as {default: OutputClass};
		const probe = new Output({width: 1, height: 1});
		const prototype = probe.caches === undefined ? undefined : Object.getPrototypeOf(probe.caches) as Caches | undefined;
		const inkGet = Output.prototype.get;
		if (prototype === undefined || typeof prototype.getStyledChars !== 'function' || typeof prototype.getStringWidth !== 'function'
			|| typeof inkGet !== 'function' || !Array.isArray(probe.operations)) {
			return false;
		}

		const styledChars = prototype.getStyledChars;
		const stringWidth = prototype.getStringWidth;
		// Ink's own methods memoise into per-frame Maps on `this`: give them a scratch one, emptied after each call.
		const scratch = {styledChars: new Map<string, unknown>(), widths: new Map<string, number>()};
		const uncached = <T>(method: (this: unknown, key: string) => T) => (key: string): T => {
			try {
				return method.call(scratch, key);
			} finally {
				scratch.styledChars.clear();
				scratch.widths.clear();
			}
		};

		// Every cache keeps what the last two frames used (the Output of a frame is the only user).
		const sharedChars = perFrame(uncached(styledChars));
		const sharedWidths = perFrame(uncached(stringWidth));
		prototype.getStyledChars = sharedChars.get;
		prototype.getStringWidth = sharedWidths.get;
		const pieces = perFrame((line: string): Piece => {
			// Columns exactly as Ink places the characters: each at least one cell wide. Most
			// lines are styles around single-cell characters, counted without tokenizing.
			const visible = line.replaceAll(styleCode, '');
			let width = 0;
			if (!visible.includes('\u001B') && singleCellCharacters.test(visible)) {
				width = visible.length;
			} else {
				for (const character of sharedChars.get(line) as Array<{value: string}>) {
					width += Math.max(1, sharedWidths.get(character.value));
				}
			}

			// Ink reads every line on its own, from no style; close what a line leaves open.
			return {width, text: line.includes('\u001B') ? line + reset : line};
		});
		Output.prototype.get = function (this: OutputInstance) {
			sharedChars.nextFrame();
			sharedWidths.nextFrame();
			pieces.nextFrame();
			const rows = assembleRows(this, pieces.get);
			if (rows === undefined) {
				frameStats.ink++;
				return inkGet.call(this);
			}

			frameStats.fast++;
			return {output: rows.join('\n'), height: this.height};
		};

		installed = true;
		return true;
	} catch {
		return false;
	}
}
