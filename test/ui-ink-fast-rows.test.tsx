import {Chalk} from 'chalk';
import fc from 'fast-check';
import {beforeAll, describe, expect, it} from 'vitest';
import {frameStats, installInkPatches} from '../source/ui/ink-patches/index.js';
import {check} from './helpers/fuzz.js';

/*
The fast row assembly must show exactly what Ink's own Output.get shows, for
any frame: the writes of a frame are generated (styled text with wide
characters and emoji, side by side or overlapping, partly outside the frame,
with and without transformers and clips), drawn both ways, and compared cell
by cell as a terminal would show them (character and style of every column).
*/

type Transformer = (line: string, index: number) => string;
type Operation = {type: 'write'; x: number; y: number; text: string; transformers: Transformer[]} | {type: 'clip'; clip: {x1?: number; x2?: number; y1?: number; y2?: number}} | {type: 'unclip'};
type OutputInstance = {operations: Operation[]; get(): {output: string; height: number}};
type OutputClass = {new (options: {width: number; height: number}): OutputInstance; prototype: OutputInstance};

let Output: OutputClass;
let inkGet: OutputInstance['get'];

beforeAll(async () => {
	const outputUrl = new URL('output.js', import.meta.resolve('ink'));
	({default: Output} = await import(outputUrl.href) as {default: OutputClass});
	inkGet = Output.prototype.get;
	const patches = await installInkPatches({enabled: true});
	expect(patches.outputCache).toBe(true);
	expect(Output.prototype.get).not.toBe(inkGet);
});

type Cell = {char: string; style: string};

/** What a terminal shows for one row of SGR-styled text: one cell per column (wide characters take one entry). */
function cells(row: string): Cell[] {
	const style = {fg: '', bg: '', bold: false, dim: false, italic: false, underline: false, inverse: false, strike: false};
	const out: Cell[] = [];
	// eslint-disable-next-line no-control-regex -- ESC opens the style codes it reads.
	const pattern = /\u001B\[([\d;]*)m|([^\u001B])/gu;
	for (const match of row.matchAll(pattern)) {
		if (match[2] !== undefined) {
			out.push({char: match[2], style: JSON.stringify(style)});
			continue;
		}

		for (const code of (match[1] === '' ? '0' : match[1]!).split(';').map(Number)) {
			switch (code) {
				case 0: {
					Object.assign(style, {fg: '', bg: '', bold: false, dim: false, italic: false, underline: false, inverse: false, strike: false});

					break;
				}

				case 1: {
					style.bold = true;

					break;
				}

				case 2: {
					style.dim = true;

					break;
				}

				case 22: {
					style.bold = false;
					style.dim = false;

					break;
				}

				case 3:
				case 23: {
					style.italic = code === 3;

					break;
				}

				case 4:
				case 24: {
					style.underline = code === 4;

					break;
				}

				case 7:
				case 27: {
					style.inverse = code === 7;

					break;
				}

				case 9:
				case 29: {
					style.strike = code === 9;

					break;
				}

				default: {if ((code >= 30 && code <= 37) || (code >= 90 && code <= 97)) {
					style.fg = String(code);
				} else if (code === 39) {
					style.fg = '';
				} else if ((code >= 40 && code <= 47) || (code >= 100 && code <= 107)) {
					style.bg = String(code);
				} else if (code === 49) {
					style.bg = '';
				} else {
					throw new Error(`unexpected SGR code ${code} in ${JSON.stringify(row)}`);
				}
				}
			}
		}
	}

	// Trailing unstyled blanks are not visible.
	const plain = JSON.stringify({fg: '', bg: '', bold: false, dim: false, italic: false, underline: false, inverse: false, strike: false});
	while (out.length > 0 && out.at(-1)!.char === ' ' && out.at(-1)!.style === plain) {
		out.pop();
	}

	return out;
}

const chalk = new Chalk({level: 1});
const painters = [(text: string) => text, chalk.green, chalk.red.bold, chalk.dim, chalk.inverse, chalk.bgBlue.yellow, chalk.underline.italic];

const styledText = fc.array(
	fc.record({
		text: fc.stringMatching(/^[ a-z│日本🚀é]{0,8}$/u),
		paint: fc.nat({max: painters.length - 1}),
	}),
	{maxLength: 3},
).map(parts => parts.map(part => painters[part.paint]!(part.text)).join(''));

const write = fc.record({
	type: fc.constant('write' as const),
	x: fc.nat({max: 30}),
	y: fc.integer({min: -1, max: 8}),
	text: fc.array(styledText, {minLength: 1, maxLength: 4}).map(lines => lines.join('\n')),
	transformers: fc.constantFrom<Transformer[]>([], [(line, index) => `${index}${chalk.cyan(line)}`], [(line: string) => line.toUpperCase()]),
});

/** Side by side: each write in a column of its own, so no two overlap (the fast path). */
const sideBySide = fc.array(write, {maxLength: 6}).map(writes => writes.map((item, index) => ({...item, x: index * 50})));

const anyFrame = fc.oneof(
	sideBySide,
	fc.array(write, {maxLength: 6}),
	fc.tuple(fc.array(write, {maxLength: 3}), fc.record({x1: fc.nat({max: 10}), x2: fc.nat({max: 40}), y1: fc.nat({max: 3}), y2: fc.nat({max: 8})})).map(([writes, clip]): Operation[] => [{type: 'clip', clip}, ...writes, {type: 'unclip'}]),
);

function drawBothWays(operations: Operation[]): {fast: Cell[][]; ink: Cell[][]; fastHeight: number; inkHeight: number} {
	const output = new Output({width: 300, height: 7});
	output.operations.push(...operations);
	const fast = output.get();
	const ink = inkGet.call(output);
	return {fast: fast.output.split('\n').map(row => cells(row)), ink: ink.output.split('\n').map(row => cells(row)), fastHeight: fast.height, inkHeight: ink.height};
}

describe('fast row assembly for Ink frames', () => {
	it('shows what Ink shows, cell by cell, for any frame (property)', () => {
		const before = {...frameStats};
		check(fc.property(anyFrame, operations => {
			const drawn = drawBothWays(operations);
			expect(drawn.fastHeight).toBe(drawn.inkHeight);
			expect(drawn.fast).toEqual(drawn.ink);
		}), 400);
		// Both paths were checked, each on a good share of the 400 frames.
		expect(frameStats.fast - before.fast).toBeGreaterThan(100);
		expect(frameStats.ink - before.ink).toBeGreaterThan(100);
	});

	it('takes the fast path for panes side by side, and gets colours and wide characters right', () => {
		const output = new Output({width: 60, height: 3});
		output.operations.push(
			{type: 'write', x: 0, y: 0, text: `${chalk.green('日本')} a\nb`, transformers: []},
			{type: 'write', x: 20, y: 0, text: chalk.red('🚀 x'), transformers: []},
		);
		const before = frameStats.fast;
		const fast = output.get().output;
		expect(frameStats.fast).toBe(before + 1);
		// Each line arrives as written, closed with a reset: Ink itself would have rebuilt it cell by cell.
		expect(fast).toBe(`${chalk.green('日本')} a\u001B[0m${' '.repeat(14)}${chalk.red('🚀 x')}\u001B[0m\nb\n`);
		expect(fast.split('\n').map(row => cells(row))).toEqual(inkGet.call(output).output.split('\n').map(row => cells(row)));
	});
});
