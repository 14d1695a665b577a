import fc from 'fast-check';
import stringWidth from 'string-width';
import {afterAll, describe, expect, test} from 'vitest';
import {minimumSize, type Size} from '../source/ui/layout.js';
import {step} from './helpers/feed-arbitraries.js';
import {checkAsync, nastyString, testTimeout} from './helpers/fuzz.js';
import {ScreenWorker} from './helpers/screen-worker.js';

/**
Fuzzing what reaches the screen: states built by the reducer from feed-shaped
sequences with any field wrong or hostile (escape sequences and control
characters in names, ids and hashes, huge and negative numbers, ticks going
backwards, gameIds changing mid-game), plus problems and statuses of any text,
drawn by the whole App at any size and by the provably-fair overlay. Nothing
may throw; every line must fit the width; the frame must stay under the
terminal's last row; and nothing from the feed may put an escape sequence or
a control character on the terminal — only Ink's own colour codes.
*/

// SGR colour codes (Ink's own) are allowed; anything else from ESC, C0/C1 controls or bidi overrides is not.
// eslint-disable-next-line no-control-regex -- Ink's colour codes start with ESC
const sgr = /\u001B\[[\d;]*m/g;
// eslint-disable-next-line no-control-regex -- what must never reach the terminal: control characters are the point
const unsafe = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

const size: fc.Arbitrary<Size> = fc.oneof(
	{weight: 3, arbitrary: fc.constantFrom({columns: 120, rows: 40}, {columns: 80, rows: 24}, {columns: 60, rows: 16}, {columns: 200, rows: 60})},
	{weight: 2, arbitrary: fc.record({columns: fc.integer({min: 1, max: 240}), rows: fc.integer({min: 1, max: 80})})},
);

const problem = fc.record({
	kind: fc.constantFrom('decode' as const, 'field' as const, 'line' as const, 'source' as const, 'record' as const, 'output' as const, 'subscriber' as const),
	message: fc.oneof(nastyString, fc.string({unit: 'grapheme', maxLength: 300})),
});
const status = fc.record({
	state: fc.constantFrom('idle' as const, 'connecting' as const, 'connected' as const, 'reconnecting' as const, 'disconnected' as const, 'ended' as const),
	detail: fc.option(fc.oneof(nastyString, fc.string({unit: 'grapheme', maxLength: 200})), {nil: undefined}),
	attempt: fc.option(fc.nat({max: 1000}), {nil: undefined}),
	latencyMs: fc.option(fc.oneof(fc.double({min: 0, max: 1e6, noNaN: true}), fc.constantFrom(0, 1e308)), {nil: undefined}),
});

function expectSafeFrame(output: string, frame: Size): void {
	const clean = output.replaceAll(sgr, '');
	expect(clean).not.toMatch(unsafe);
	expect(clean).not.toContain('\u001B');
	const lines = clean.split('\n');
	if (frame.columns >= minimumSize.columns && frame.rows >= minimumSize.rows) {
		// The live area is rows − 1 at most (a frame as tall as the terminal makes Ink clear the screen every frame).
		expect(lines.length).toBeLessThanOrEqual(frame.rows - 1);
	}

	for (const line of lines) {
		expect(stringWidth(line)).toBeLessThanOrEqual(Math.max(frame.columns, 1));
	}
}

const screens = new ScreenWorker();
afterAll(async () => {
	await screens.stop();
});

describe('rendering fuzzing', () => {
	test('the whole App at any size, on any state the reducer can reach, with any problems and status: no throw, no hang, nothing unsafe on screen, everything within the frame', async () => {
		await checkAsync(fc.asyncProperty(fc.array(step, {minLength: 1, maxLength: 40}), fc.array(problem, {maxLength: 3}), fc.option(status, {nil: undefined}), size, async (steps, problems, sourceStatus, frame) => {
			const {output, internalErrors} = await screens.draw({steps, problems, status: sourceStatus, size: frame});
			expect(internalErrors).toBe(0);
			expectSafeFrame(output, frame);
		}), 150, 120_000);
	}, testTimeout(120_000));

	test('the provably-fair overlay on any history the reducer can reach', async () => {
		await checkAsync(fc.asyncProperty(fc.array(step, {minLength: 1, maxLength: 40}), size, async (steps, frame) => {
			const width = Math.max(1, frame.columns);
			const {output} = await screens.draw({steps, size: {columns: width, rows: frame.rows}, view: 'fair'});
			expectSafeFrame(output, {columns: width, rows: Math.max(1, frame.rows - 3) + 1});
		}), 150, 120_000);
	}, testTimeout(120_000));

	test('trade types named like Object.prototype members ("constructor", "toString", "__proto__") draw as text (once a colour lookup returned a function and crashed the UI)', async () => {
		const trace = {__trace: true, traceparent: '00-1-2-01'};
		const steps = ['constructor', 'toString', '__proto__', 'hasOwnProperty'].map((type, index) => ({event: 'standard/newTrade', direction: 'received' as const, args: [trace, {id: `t${index}`, gameId: '20251212-aaaaaaaaaaaaaaaa', username: `p${index}`, type, qty: 1, price: 1, amount: 1, tickIndex: 1}]}));
		const {output} = await screens.draw({steps, size: {columns: 120, rows: 40}});
		expect(output).toContain('constructor');
		expect(output).toContain('toString');
		expectSafeFrame(output, {columns: 120, rows: 40});
	});

	test('a price past any chart\'s range (one frame at 8e167, once an endless loop in asciichart) draws, with no plot', async () => {
		const steps = [{event: 'gameStateUpdate', direction: 'received' as const, args: [{gameId: '20251212-aaaaaaaaaaaaaaaa', active: true, rugged: false, tickCount: 16, price: 8.351_317_724_415_943e167}]}];
		const {output} = await screens.draw({steps, size: {columns: 120, rows: 40}});
		expect(output).toContain('Price');
		expectSafeFrame(output, {columns: 120, rows: 40});
	});
});
