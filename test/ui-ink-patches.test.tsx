import {execFileSync} from 'node:child_process';
import {setTimeout as sleep} from 'node:timers/promises';
import {Box, Text} from 'ink';
import {cleanup, render} from 'ink-testing-library';
import stringWidth from 'string-width';
import stripAnsi from 'strip-ansi';
import {afterAll, afterEach, describe, expect, it} from 'vitest';
import {createAppBus} from '../source/bus/app-bus.js';
import type {Envelope} from '../source/protocol/envelope.js';
import {generateSession} from '../source/sim/generate-session.js';
import {App} from '../source/ui/app.js';
import {Lines} from '../source/ui/components/Lines.js';
import {inkSeesCi, installInkPatches, patchesWanted, patchesWantedBy, ProbeStdout} from '../source/ui/ink-patches/index.js';
import type {Size} from '../source/ui/layout.js';
import {segment, type SegmentLine} from '../source/ui/segments.js';
import {MonitorStore} from '../source/ui/store.js';
import {projectRoot} from './helpers/project.js';

/*
The one door to rugs-tui's Ink patches: the switch, what `installInkPatches`
reports in each position, and the whole App drawing the same screen with the
patches on and off (ink-testing-library; the real terminal is
tui-ink-patches-tmux.test.ts).
*/

afterEach(() => {
	cleanup();
});

afterAll(async () => {
	// Leave Ink as the environment asks for the next file in this worker.
	await installInkPatches();
});

describe('RUGS_TUI_INK_PATCHES', () => {
	it('is on unless it says 0 (or false / off)', () => {
		expect(patchesWantedBy({})).toBe(true);
		expect(patchesWantedBy({RUGS_TUI_INK_PATCHES: '1'})).toBe(true);
		expect(patchesWantedBy({RUGS_TUI_INK_PATCHES: ''})).toBe(true);
		for (const off of ['0', ' 0 ', 'false', 'OFF']) {
			expect(patchesWantedBy({RUGS_TUI_INK_PATCHES: off})).toBe(false);
		}
	});

	it.each([
		['0', /patches off \(RUGS_TUI_INK_PATCHES=0\)/, false],
		['1', /output cache on, repaint correction .*, blank measure on/, true],
	])('=%s is read when the process starts and decides what installInkPatches() puts in place', (value, summary, enabled) => {
		const script = `import {installInkPatches, patchesWanted} from './dist/ui/ink-patches/index.js';
			const patches = await installInkPatches();
			process.stdout.write(JSON.stringify({wanted: patchesWanted, ...patches}));`;
		const {CI: _ci, CONTINUOUS_INTEGRATION: _ciToo, ...env} = process.env;
		const report = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], {
			cwd: projectRoot,
			encoding: 'utf8',
			env: {...env, RUGS_TUI_INK_PATCHES: value},
		})) as Record<string, unknown>;
		expect(report['summary']).toMatch(summary);
		expect(report).toMatchObject({wanted: enabled, enabled, outputCache: enabled, blankMeasure: enabled});
		expect(report['repaintOffset']).toBe(enabled ? 1 : 0);
		expect(report['inkVersion']).toMatch(/^6\.8\./);
	});
});

describe('installInkPatches', () => {
	it('defaults to what the environment said at startup', async () => {
		const patches = await installInkPatches();
		expect(patches.enabled).toBe(patchesWanted);
	});

	it('puts every patch in place on Ink 6.8, and hands Ink a corrected stdout only while repaints need it', async () => {
		const tty = new ProbeStdout(40, 20) as unknown as NodeJS.WriteStream;
		const on = await installInkPatches({enabled: true});
		expect(on).toMatchObject({enabled: true, outputCache: true, blankMeasure: true});
		expect(on.inkVersion).toMatch(/^6\.8\./);
		// Under CI Ink does not repaint, so there is nothing to measure (and nothing to correct).
		expect(on.repaintOffset).toBe(inkSeesCi() ? 0 : 1);
		expect(on.stdout(tty) === tty).toBe(on.repaintOffset === 0);
		on.stdout(tty).write('\u001B[2Aabc');
		expect((tty as unknown as ProbeStdout).writes.at(-1)).toBe(`\u001B[${2 + on.repaintOffset}Aabc`);

		const off = await installInkPatches({enabled: false});
		expect(off).toMatchObject({enabled: false, outputCache: false, blankMeasure: false, repaintOffset: 0});
		expect(off.summary).toContain('patches off');
		expect(off.stdout(tty)).toBe(tty);
	});
});

const envelopes: Envelope[] = [...generateSession({seed: 'ink-patches', games: 4})];

/** The App on a store fed `count` envelopes, at a frozen wall clock: the rows of its screen, colour codes removed. */
async function screen(count: number, size: Size): Promise<string[]> {
	const bus = createAppBus();
	const at = envelopes[Math.max(0, count - 1)]!.ts;
	const store = new MonitorStore(bus, {now: () => at});
	for (const envelope of envelopes.slice(0, count)) {
		bus.publish('envelope', envelope);
	}

	const app = render(<App store={store} fps={30} size={size} onQuit={() => undefined}/>);
	try {
		// The frame clock draws its first snapshot on mount; wait for Ink to write it.
		for (let waited = 0; (app.lastFrame() ?? '') === '' && waited < 2000; waited += 5) {
			await sleep(5);
		}

		return stripAnsi(app.lastFrame() ?? '').split('\n').map(row => row.trimEnd());
	} finally {
		app.unmount();
		store.close();
	}
}

describe('Lines with the patches on and off', () => {
	it('takes a row for an empty line in both, so what follows stays where it is', async () => {
		const drawn = (lines: SegmentLine[]) => {
			const app = render(<Box flexDirection='column'><Lines lines={lines} width={10}/><Text>below</Text></Box>);
			const frame = stripAnsi(app.lastFrame() ?? '');
			app.unmount();
			return frame.split('\n').map(row => row.trimEnd());
		};

		for (const enabled of [false, true]) {
			await installInkPatches({enabled});
			expect(drawn([]), `patches ${enabled ? 'on' : 'off'}`).toEqual(['', 'below']);
			expect(drawn([[], [segment('x')], []])).toEqual(['', 'x', '', 'below']);
			expect(drawn([[segment('a long line cut to ten', {colour: 'green'})]])).toEqual(['a long li…', 'below']);
		}
	});
});

describe('the whole App with the patches on and off', () => {
	it('draws the same screen, character for character, before the first game, mid-game and with history', async () => {
		// ink-testing-library's terminal is 100 columns wide.
		const sizes: Size[] = [{columns: 100, rows: 36}, {columns: 80, rows: 24}, {columns: 60, rows: 16}];
		const cuts = [0, 3, Math.floor(envelopes.length / 3), Math.floor(envelopes.length * 0.8)];
		for (const size of sizes) {
			for (const cut of cuts) {
				await installInkPatches({enabled: false});
				const off = await screen(cut, size);
				await installInkPatches({enabled: true});
				const on = await screen(cut, size);
				expect(on, `${size.columns}×${size.rows} after ${cut} events`).toEqual(off);
				// A real screen: the live area (rows - 1) with the Tick pane's header on top.
				expect(off).toHaveLength(size.rows - 1);
				expect(off[0]).toMatch(/^╭─(?:\[1 Tick]| 1 Tick )/);
				expect(off.every(row => stringWidth(row) <= size.columns)).toBe(true);
			}
		}
	});
});
