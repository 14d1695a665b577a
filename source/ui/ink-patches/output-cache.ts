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
version), it changes nothing and reports false; once installed, it draws a
small probe frame both ways and takes itself out again if the two differ.
Ink never mutates the cached character objects (it only places them in the
frame's grid), which is what makes sharing them between frames safe.
`setOutputCache(false)` puts Ink's own methods back. See index.ts for when
this can go.
*/

import {singleCellCharacters} from '../format.js';
import {inkOutputModule} from './ink-output.js';

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
// eslint-disable-next-line no-control-regex -- ESC opens the style codes it finds.
const styleCode = /\u001B\[[\d;]*m/g;

/**
Rows of the frame from its write operations, or undefined when the frame
needs Ink's own path (a clip, overlapping writes, a position Ink would treat
specially).
*/
function assembleRows(output: OutputInstance, piece: (line: string) => Piece): string[] | undefined {
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

			const spans = rows[y + index] ?? [];
			rows[y + index] = spans;
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

type Ink = {
	Output: OutputClass;
	caches: Caches;
	inkGet: OutputInstance['get'];
	getStyledChars: Caches['getStyledChars'];
	getStringWidth: Caches['getStringWidth'];
};

let ink: Promise<Ink | undefined> | undefined;
/** Ink's own Output.get while the cache is installed. */
let installedOver: Ink | undefined;

/** Ink's Output class and the methods this replaces, or undefined when Ink is not shaped as 6.8 is. */
async function loadInk(): Promise<Ink | undefined> {
	try {
		const {default: Output} = await inkOutputModule() as {default: OutputClass};
		const probe = new Output({width: 1, height: 1});
		const caches = probe.caches === undefined ? undefined : Object.getPrototypeOf(probe.caches) as Caches | undefined;
		const inkGet = Output.prototype.get;
		if (caches === undefined || typeof caches.getStyledChars !== 'function' || typeof caches.getStringWidth !== 'function'
			|| typeof inkGet !== 'function' || !Array.isArray(probe.operations)) {
			return undefined;
		}

		return {Output, caches, inkGet, getStyledChars: caches.getStyledChars, getStringWidth: caches.getStringWidth};
	} catch {
		return undefined;
	}
}

const visible = (text: string) => text.replaceAll(styleCode, '').split('\n').map(row => row.trimEnd());

/**
A frame with the writes this UI makes (styled text, a wide character, a
Transform, two writes side by side): the fast path must take it and show the
same characters on the same rows as Ink's own path.
*/
function agreesWithInk(target: Ink, fastRows: (output: OutputInstance) => string[] | undefined): boolean {
	const probe = new target.Output({width: 16, height: 3});
	probe.operations.push(
		{type: 'write', x: 0, y: 0, text: '\u001B[32mab\u001B[39m c\n日本', transformers: []},
		{type: 'write', x: 8, y: 0, text: '  \n  ', transformers: [(line, index) => `${index}${line.trim()}|`]},
	);
	const rows = fastRows(probe);
	const own = target.inkGet.call(probe);
	return rows !== undefined && own.height === probe.height && JSON.stringify(visible(rows.join('\n'))) === JSON.stringify(visible(own.output));
}

function install(target: Ink): boolean {
	const {Output, caches, inkGet, getStyledChars, getStringWidth} = target;
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
	const sharedChars = perFrame(uncached(getStyledChars));
	const sharedWidths = perFrame(uncached(getStringWidth));
	const pieces = perFrame((line: string): Piece => {
		// Columns exactly as Ink places the characters: each at least one cell wide. Most
		// lines are styles around single-cell characters, counted without tokenizing.
		const shown = line.replaceAll(styleCode, '');
		let width = 0;
		if (!shown.includes('\u001B') && singleCellCharacters.test(shown)) {
			width = shown.length;
		} else {
			for (const character of sharedChars.get(line) as Array<{value: string}>) {
				width += Math.max(1, sharedWidths.get(character.value));
			}
		}

		// Ink reads every line on its own, from no style; close what a line leaves open.
		return {width, text: line.includes('\u001B') ? line + reset : line};
	});
	const fastRows = (output: OutputInstance) => {
		sharedChars.nextFrame();
		sharedWidths.nextFrame();
		pieces.nextFrame();
		return assembleRows(output, pieces.get);
	};

	caches.getStyledChars = sharedChars.get;
	caches.getStringWidth = sharedWidths.get;
	Output.prototype.get = function (this: OutputInstance) {
		const rows = fastRows(this);
		if (rows === undefined) {
			frameStats.ink++;
			return inkGet.call(this);
		}

		frameStats.fast++;
		return {output: rows.join('\n'), height: this.height};
	};

	installedOver = target;
	if (!agreesWithInk(target, fastRows)) {
		remove();
		return false;
	}

	return true;
}

function remove(): void {
	if (installedOver === undefined) {
		return;
	}

	const {Output, caches, inkGet, getStyledChars, getStringWidth} = installedOver;
	Output.prototype.get = inkGet;
	caches.getStyledChars = getStyledChars;
	caches.getStringWidth = getStringWidth;
	installedOver = undefined;
}

/**
Install (true) or remove (false) the cache in Ink's Output. Resolves whether
it is installed now: false when asked to remove it, and when Ink is not the
shape it knows or draws differently with it.
*/
export async function setOutputCache(on: boolean): Promise<boolean> {
	if (!on) {
		remove();
		return false;
	}

	if (installedOver !== undefined) {
		return true;
	}

	ink ??= loadInk();
	const target = await ink;
	return target !== undefined && install(target);
}
