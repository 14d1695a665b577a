import {setTimeout as sleep} from 'node:timers/promises';
import {render, Text} from 'ink';
import {describe, expect, it} from 'vitest';
import {correctedStdout, correctRepaint, inkSeesCi, probeIncrementalOffset, ProbeStdin, ProbeStdout} from '../source/ui/ink-patches/index.js';

/** The cursor-up count that opens each incremental repaint of a `lines`-line frame. */
async function repaintMoves(offset: number, lines: number): Promise<number[]> {
	const tty = new ProbeStdout(40, 20);
	const frame = (n: number) => <Text>{Array.from({length: lines}, (_, index) => `line ${index} ${index === 1 ? n : ''}`).join('\n')}</Text>;
	const instance = render(frame(0), {
		stdout: correctedStdout(tty as unknown as NodeJS.WriteStream, offset),
		stdin: new ProbeStdin() as unknown as NodeJS.ReadStream,
		incrementalRendering: true,
		patchConsole: false,
		exitOnCtrlC: false,
		maxFps: 1000,
	});
	// Wait for each frame to reach the terminal before the next one (a loaded machine can
	// otherwise fold several rerenders into one write, or none before unmount).
	const written = async (count: number) => {
		for (let waited = 0; tty.writes.length < count && waited < 5000; waited += 5) {
			await sleep(5);
		}
	};

	await written(1);
	for (let n = 1; n <= 3; n++) {
		const before = tty.writes.length;
		instance.rerender(frame(n));
		await written(before + 1);
	}

	instance.unmount();
	return tty.writes.flatMap(chunk => {
		// eslint-disable-next-line no-control-regex -- ESC opens the cursor-up it reads.
		const match = /^\u001B\[(\d+)A/.exec(chunk);
		return match === null ? [] : [Number(match[1])];
	});
}

describe('Ink\'s incremental repaint', () => {
	// Under CI (the variable), Ink writes only the last frame: there is no repaint to measure.
	it.skipIf(inkSeesCi())('is measured: how many rows Ink 6.8 falls short of the top of a frame that ends with a newline', async () => {
		const offset = await probeIncrementalOffset();
		expect([0, 1]).toContain(offset);
		// With the correction, every repaint of a 5-line frame goes back up exactly 5 rows
		// (the cursor rests on the row below the frame): the frame stays where it is.
		const moves = await repaintMoves(offset, 5);
		expect(moves.length).toBeGreaterThanOrEqual(1);
		expect(new Set(moves)).toEqual(new Set([5]));
		expect(new Set(await repaintMoves(offset, 2))).toEqual(new Set([2]));
	});

	it('rewrites only the cursor-up that opens a repaint', () => {
		expect(correctRepaint('\u001B[38A\u001B[E\u001B[1Gx', 1)).toBe('\u001B[39A\u001B[E\u001B[1Gx');
		expect(correctRepaint('\u001B[0A', 1)).toBe('\u001B[1A');
		expect(correctRepaint('text \u001B[3A', 1)).toBe('text \u001B[3A');
		expect(correctRepaint('\u001B[2K\u001B[1A', 1)).toBe('\u001B[2K\u001B[1A');
		expect(correctRepaint('\u001B[5A', 0)).toBe('\u001B[5A');
	});

	it('hands Ink the same stream when nothing needs correcting', () => {
		const tty = new ProbeStdout(40, 20) as unknown as NodeJS.WriteStream;
		expect(correctedStdout(tty, 0)).toBe(tty);
		const proxied = correctedStdout(tty, 1);
		expect(proxied.columns).toBe(40);
		proxied.write('\u001B[2Aabc');
		expect((tty as unknown as ProbeStdout).writes).toEqual(['\u001B[3Aabc']);
	});
});
