// Renders the Lines component with thousands of different contents (as a
// monitor does over hours) and prints the heap growth in bytes from the end
// of the warm-up to the last frame. Arguments: frames in all (4000), frames
// of warm-up (500). Run with --expose-gc, after `npm run build`;
// RUGS_TUI_INK_PATCHES=0 makes Lines hand Ink its real text to measure.
import {PassThrough} from 'node:stream';
import React from 'react';
import {render} from 'ink';
import {Lines} from '../../dist/ui/components/Lines.js';

const stdout = new PassThrough();
Object.assign(stdout, {columns: 120, rows: 40, isTTY: true});
stdout.on('data', () => {});
const frame = n => Array.from({length: 30}, (_, row) => [{text: `row ${row} value ${(n * 31) + row} `}, {text: '─'.repeat(40), colour: 'green'}]);
const app = n => React.createElement(Lines, {lines: frame(n), width: 100, height: 30});
const instance = render(app(0), {stdout, patchConsole: false, exitOnCtrlC: false, maxFps: 1000});
const settle = () => new Promise(resolve => {
	setImmediate(resolve);
});
const heap = () => {
	globalThis.gc();
	return process.memoryUsage().heapUsed;
};

const frames = Number(process.argv[2] ?? 4000);
const warmUp = Number(process.argv[3] ?? 500);
for (let n = 1; n <= warmUp; n++) {
	instance.rerender(app(n));
	await settle();
}

const before = heap();
for (let n = warmUp + 1; n <= frames; n++) {
	instance.rerender(app(n));
	await settle();
}

const after = heap();
instance.unmount();
process.stdout.write(`${after - before}\n`);
