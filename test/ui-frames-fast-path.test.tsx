import {setTimeout as sleep} from 'node:timers/promises';
import {render} from 'ink-testing-library';
import stripAnsi from 'strip-ansi';
import {afterAll, describe, expect, it} from 'vitest';
import {createAppBus} from '../source/bus/app-bus.js';
import type {Envelope} from '../source/protocol/envelope.js';
import {generateSession} from '../source/sim/generate-session.js';
import {App} from '../source/ui/app.js';
import {frameStats, installInkPatches} from '../source/ui/ink-patches/index.js';
import type {Size} from '../source/ui/layout.js';
import {MonitorStore} from '../source/ui/store.js';
import {checkFrames} from './helpers/screen-check.js';
import {keys} from './helpers/ui.js';

/*
Pane frames (Ink's round borders, the title row drawn as a line) must not
cost the Ink output patch its fast path: every write of a frame sits beside
the others, never over them. Each screen here (panes, a maximised pane, the
overlays) is drawn with the patches on, and Ink's own cell-by-cell path
must not be taken once.
*/

afterAll(async () => {
	await installInkPatches();
});

const envelopes: Envelope[] = [...generateSession({seed: 'fast-path-frames', games: 3, authenticated: true})];

describe('the framed screen and the Ink output patch', () => {
	it.each([{columns: 100, rows: 36}, {columns: 80, rows: 24}, {columns: 60, rows: 16}] satisfies Size[])('takes the fast path for every frame at $columns×$rows', async size => {
		const patches = await installInkPatches({enabled: true});
		expect(patches.outputCache).toBe(true);
		const bus = createAppBus();
		const store = new MonitorStore(bus, {now: () => envelopes.at(-1)!.ts});
		const before = {...frameStats};
		const app = render(<App store={store} fps={60} size={size} onQuit={() => undefined}/>);
		try {
			const frames: string[] = [];
			const settle = async () => {
				await sleep(60);
				frames.push(stripAnsi(app.lastFrame() ?? ''));
			};

			for (const [index, envelope] of envelopes.entries()) {
				bus.publish('envelope', envelope);
				if (index % 40 === 0) {
					await settle();
				}
			}

			for (const press of ['2', '2', '5', '5', 'e', 'e', 'v', keys.escape, '?', keys.escape]) {
				app.stdin.write(press);
				await settle();
			}

			expect(frameStats.fast - before.fast).toBeGreaterThan(10);
			expect(frameStats.ink - before.ink, 'frames Ink assembled cell by cell').toBe(0);
			// And the frames drawn that way are whole.
			const panes = frames.filter(frame => frame.startsWith('╭─'));
			expect(panes.length).toBeGreaterThan(5);
			for (const frame of panes) {
				expect(checkFrames(frame).problems).toStrictEqual([]);
			}
		} finally {
			app.unmount();
			store.close();
		}
	});
});
