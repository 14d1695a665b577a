/**
Everything rugs-tui does to Ink beyond its public API, behind one door.
Callers (app/run-tui.tsx, components/Lines.tsx, bench/, tests) import this
file only. Each patch is written for Ink 6.8.x (package.json pins ~6.8.0),
checks Ink before it acts, and turns itself off when Ink is not the shape it
knows. `RUGS_TUI_INK_PATCHES=0` turns all of them off (read once, when the
process starts): Ink then runs exactly as it comes.

1. Output cache (output-cache.ts): CPU. Ink 6.8 tokenizes every line of
   every frame into one object per character (`Output.caches`, a cache that
   lives for one frame) and rebuilds every row of the screen cell by cell
   (`Output.get`). The patch keeps the tokenizing across two frames and
   assembles each row from the lines written into it when no two writes
   overlap and nothing is clipped (Ink's own path otherwise).
   Detects: build/output.js must export a class with an `operations` array,
   a `get` method and `caches` whose prototype has `getStyledChars` and
   `getStringWidth`; once installed, a probe frame drawn both ways must show
   the same characters, else Ink's methods are put back.
   Retires when Ink keeps the tokenizing across frames (caches owned by the
   renderer, not by each frame's Output) and builds rows without a per-cell
   grid when writes do not overlap (or rewrites only rows that changed).
   Ink 8.0.0 still does both per frame.

2. Repaint cursor fix (cursor-fix.tsx): the screen. Ink 6.8's incremental
   renderer moves up (visible lines - 1) rows to repaint, but a frame
   shorter than the terminal ends with a newline, one row lower: every
   repaint lands a row further down. The patch measures the shortfall by
   drawing two frames into a terminal in memory and adds it to the cursor-up
   that opens each repaint, through the stdout handed to Ink.
   Detects: the measurement itself; 0 (Ink right, or a repaint it cannot
   recognise, or CI where Ink does not repaint) means stdout is not wrapped.
   Retires with Ink 7: 7.0.0 counts the trailing newline (measured 0 here),
   but Ink 7 requires Node >= 22 and rugs-tui supports Node 20.

3. Blank measure (blank-measure.tsx, for components/Lines.tsx): memory and
   CPU. Ink 6.8 measures each changed text node with a module-level cache
   keyed by the text that never forgets (measure-text.js): new text four
   times a second grows the heap by megabytes an hour, gigabytes a day.
   Lines gives Ink blanks of the pane's size to measure (one entry per size)
   and a Transform writes the real lines in their place.
   Detects: public API only; a two-line probe checks that a Transform gets
   each line with its index, else Lines hands Ink its text directly.
   Retires when Ink bounds that cache and measuring the real text costs
   little: Ink 8.0.0 makes it an LRU of 4096 entries (the memory reason
   goes; the grapheme walk per changed line per frame stays, to measure
   with the bench), again on Node >= 22; or when Ink lets a Text take a
   given size instead of measuring it.
*/

import type {ReactElement} from 'react';
import {blankMeasured, inkMeasured, transformWritesLines} from './blank-measure.js';
import {correctedStdout, probeIncrementalOffset} from './cursor-fix.js';
import {inkVersion} from './ink-output.js';
import {setOutputCache} from './output-cache.js';
import {lineDrawing, patchesWanted} from './switch.js';

export {inkPatchesVariable, patchesWanted, patchesWantedBy} from './switch.js';
// For the tests: the pieces each patch is made of, checked against Ink on their own.
export {frameStats} from './output-cache.js';
export {correctedStdout, correctRepaint, inkSeesCi, probeIncrementalOffset, ProbeStdin, ProbeStdout} from './cursor-fix.js';

/** What is active, and the stdout to hand Ink. */
type InkPatches = {
	/** False when RUGS_TUI_INK_PATCHES=0 (or the caller) switched every patch off. */
	enabled: boolean;
	/** The Ink found in node_modules. */
	inkVersion: string;
	outputCache: boolean;
	/** Rows added to the cursor-up that opens each incremental repaint (0: nothing corrected). */
	repaintOffset: number;
	blankMeasure: boolean;
	/** `stream` as Ink should get it: itself unless repaints need correcting. */
	stdout(stream: NodeJS.WriteStream): NodeJS.WriteStream;
	/** One line saying the above, for logs and the bench. */
	summary: string;
};

let offset: Promise<number> | undefined;

/**
Put the patches in place (or take them out, with `enabled: false`) and say
which are active. `enabled` defaults to what RUGS_TUI_INK_PATCHES said at
startup. Safe to call again: the repaint is measured once per process.
*/
export async function installInkPatches(options: {enabled?: boolean} = {}): Promise<InkPatches> {
	const enabled = options.enabled ?? patchesWanted;
	const outputCache = await setOutputCache(enabled);
	lineDrawing.blankMeasure = enabled && transformWritesLines();
	let repaintOffset = 0;
	if (enabled) {
		offset ??= probeIncrementalOffset();
		repaintOffset = await offset;
	}

	const version = inkVersion();
	const state = (on: boolean) => (on ? 'on' : 'off');
	const summary = enabled
		? `ink ${version}: output cache ${state(outputCache)}, repaint correction ${repaintOffset === 0 ? 'off (not needed)' : `+${repaintOffset} row`}, blank measure ${state(lineDrawing.blankMeasure)}`
		: `ink ${version}: patches off (${patchesWanted ? 'by the caller' : 'RUGS_TUI_INK_PATCHES=0'})`;
	return {
		enabled,
		inkVersion: version,
		outputCache,
		repaintOffset,
		blankMeasure: lineDrawing.blankMeasure,
		stdout: stream => correctedStdout(stream, repaintOffset),
		summary,
	};
}

/**
Lines already fitted to `width` cells (styled text, one string a line), as
the element Lines draws: measured as blanks of the pane's size while the
patch is on, as themselves by Ink when it is off.
*/
export function fittedText(lines: readonly string[], width: number): ReactElement {
	return lineDrawing.blankMeasure ? blankMeasured(lines, width) : inkMeasured(lines);
}
