import {EventEmitter} from 'node:events';
import {setTimeout as sleep} from 'node:timers/promises';
import {render, Text} from 'ink';

/**
Ink 6.8.0's incremental renderer repaints a frame by moving the cursor up
(visible lines - 1) rows, but a frame shorter than the terminal ends with a
newline that leaves the cursor one row lower than that: each repaint lands
one row further down and the screen scrolls a line per frame. The monitor's
frame is always shorter than the terminal (a frame as tall as the terminal
makes Ink clear the whole screen every frame), so it needs the missing row.

Rather than trust a version number, `probeIncrementalOffset()` renders two
tiny frames into a fake terminal and measures how far Ink moves up; the
stdout handed to Ink then adds exactly what is missing to the cursor-up that
opens each incremental repaint (0 once Ink is fixed: nothing is changed).
Ink 7.0.0 counts the trailing newline (it moves up all the lines of the
previous output but the last, empty one), and the probe measures 0 there.
See index.ts for when this can go.
*/

/** A terminal in memory for Ink to draw into: it keeps every chunk written. */
// eslint-disable-next-line unicorn/prefer-event-target -- Ink listens with on/off, as on a Node stream.
export class ProbeStdout extends EventEmitter {
	readonly writes: string[] = [];

	constructor(readonly columns = 20, readonly rows = 10) {
		super();
	}

	get isTTY(): boolean {
		return true;
	}

	write(chunk: string | Uint8Array): boolean {
		this.writes.push(String(chunk));
		return true;
	}
}

/** A keyboard that never types: enough for Ink to mount. */
// eslint-disable-next-line unicorn/prefer-event-target -- Ink listens with on/off, as on a Node stream.
export class ProbeStdin extends EventEmitter {
	get isTTY(): boolean {
		return false;
	}

	setEncoding(): void {
		// Nothing is ever read.
	}

	setRawMode(): void {
		// No terminal to switch.
	}

	resume(): void {
		// Nothing flows.
	}

	pause(): void {
		// Nothing flows.
	}

	ref(): void {
		// Holds no handle.
	}

	unref(): void {
		// Holds no handle.
	}

	read(): null {
		return null;
	}
}

/** Ink writes only the last frame when it believes it runs under CI (the CI or CONTINUOUS_INTEGRATION variable, not 0/false). */
export function inkSeesCi(): boolean {
	return ['CI', 'CONTINUOUS_INTEGRATION'].some(key => key in process.env && process.env[key] !== '0' && process.env[key] !== 'false');
}

// eslint-disable-next-line no-control-regex -- ESC opens the terminal sequence it finds.
const cursorUpAtStart = /^\u001B\[(\d+)A/;

/**
Rows Ink's incremental repaint falls short by, for frames that end with a
newline: 1 for Ink 6.8.0, 0 when it gets it right. Resolves 0 when it
cannot tell (for instance under CI, where Ink does not repaint at all).
*/
export async function probeIncrementalOffset(): Promise<number> {
	if (inkSeesCi()) {
		return 0;
	}

	const stdout = new ProbeStdout();
	const instance = render(<Text>{'a\nb\nc'}</Text>, {
		stdout: stdout as unknown as NodeJS.WriteStream,
		stdin: new ProbeStdin() as unknown as NodeJS.ReadStream,
		stderr: stdout as unknown as NodeJS.WriteStream,
		incrementalRendering: true,
		patchConsole: false,
		exitOnCtrlC: false,
		maxFps: 1000,
	});
	try {
		// Wait for the first frame to be written (a loaded machine may take a while), else
		// the rerender could be folded into it and there would be no repaint to measure.
		for (let wait = 0; wait < 200 && stdout.writes.length === 0; wait++) {
			await sleep(5);
		}

		stdout.writes.length = 0;
		instance.rerender(<Text>{'a\nb\nd'}</Text>);
		// A throttled repaint may come a tick later.
		for (let wait = 0; wait < 200 && !stdout.writes.some(chunk => cursorUpAtStart.test(chunk)); wait++) {
			await sleep(5);
		}

		const repaint = stdout.writes.find(chunk => cursorUpAtStart.test(chunk));
		if (repaint === undefined) {
			return 0;
		}

		// Three visible lines and a trailing newline: the cursor sits 3 rows below the top line.
		const moved = Number(cursorUpAtStart.exec(repaint)![1]);
		return Math.max(0, 3 - moved);
	} finally {
		instance.unmount();
	}
}

/** Add `offset` rows to the cursor-up that opens each incremental repaint. */
export function correctRepaint(chunk: string, offset: number): string {
	if (offset === 0) {
		return chunk;
	}

	// Ink means its count literally (0 for a one-line frame, which a terminal reads as 1: right by accident).
	return chunk.replace(cursorUpAtStart, (_match, rows: string) => `\u001B[${Number(rows) + offset}A`);
}

/** The terminal's stdout as Ink should see it: the same stream, with repaints corrected by `offset` rows. */
export function correctedStdout(stdout: NodeJS.WriteStream, offset: number): NodeJS.WriteStream {
	if (offset === 0) {
		return stdout;
	}

	const write = (chunk: unknown, ...rest: unknown[]): boolean => {
		const text = typeof chunk === 'string' ? correctRepaint(chunk, offset) : chunk;
		return (stdout.write as (...arguments_: unknown[]) => boolean)(text, ...rest);
	};

	return new Proxy(stdout, {
		get(target, property) {
			if (property === 'write') {
				return write;
			}

			const value: unknown = Reflect.get(target, property, target);
			return typeof value === 'function' ? (value as (...arguments_: unknown[]) => unknown).bind(target) : value;
		},
	});
}
