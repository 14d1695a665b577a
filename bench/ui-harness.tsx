import {PassThrough, Writable} from 'node:stream';
import {render, type Instance} from 'ink';
import type {ReactElement} from 'react';
import {defaultFps, maxFps} from '../source/ui/frame-rate.js';
import {App} from '../source/ui/app.js';
import type {Size} from '../source/ui/layout.js';
import type {MonitorStore} from '../source/ui/store.js';

/**
The real UI, mounted once in Ink exactly as the TUI mounts it (one long-lived
instance, incremental rendering, the App's own frame clock at --fps, Ink's cap
at the highest --fps), drawing into a terminal that discards what it receives.
Feed the store and the frame clock draws as it does in the TUI, whenever the
event loop lets it; `frame()` waits for the next frame drawn.
*/
export type UiHarness = {
	/** Let the frame clock take a snapshot and Ink draw it; false when nothing new was drawn. */
	frame(): Promise<boolean>;
	/** Re-lay out at another size (a resize). */
	resize(size: Size): void;
	/** Frames Ink drew, and the milliseconds Ink spent producing their output. */
	readonly drawn: number;
	readonly inkRenderMs: number;
	/** Bytes written to the terminal. */
	readonly written: number;
	close(): void;
};

class NullTerminal extends Writable {
	columns: number;
	rows: number;
	written = 0;

	constructor(size: Size) {
		super();
		this.columns = size.columns;
		this.rows = size.rows;
	}

	/** Ink draws for a terminal only. */
	get isTTY(): boolean {
		return true;
	}

	override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
		this.written += chunk.length;
		callback();
	}
}

export function mountUi(store: MonitorStore, size: Size, options: {fps?: number; element?: (size: Size) => ReactElement} = {}): UiHarness {
	const fps = options.fps ?? defaultFps;
	// Long enough for the frame clock's next tick.
	const frameWaitMs = Math.ceil(2000 / fps);
	const stdout = new NullTerminal(size);
	const stdin = new PassThrough() as unknown as NodeJS.ReadStream;
	let drawn = 0;
	let inkRenderMs = 0;
	let waiting: (() => void) | undefined;
	const app = (at: Size) => options.element?.(at) ?? (
		<App
			store={store}
			fps={fps}
			size={at}
			onQuit={() => {
				// No keys here.
			}}
		/>
	);
	const instance: Instance = render(app(size), {
		stdout: stdout as unknown as NodeJS.WriteStream,
		stdin,
		stderr: new NullTerminal(size) as unknown as NodeJS.WriteStream,
		maxFps,
		incrementalRendering: true,
		exitOnCtrlC: false,
		patchConsole: false,
		onRender({renderTime}) {
			drawn++;
			inkRenderMs += renderTime;
			waiting?.();
		},
	});
	return {
		async frame() {
			const before = drawn;
			await new Promise<void>(resolve => {
				const timer = setTimeout(resolve, frameWaitMs);
				waiting = () => {
					clearTimeout(timer);
					resolve();
				};
			});
			waiting = undefined;
			return drawn > before;
		},
		resize(next) {
			stdout.columns = next.columns;
			stdout.rows = next.rows;
			instance.rerender(app(next));
		},
		get drawn() {
			return drawn;
		},
		get inkRenderMs() {
			return inkRenderMs;
		},
		get written() {
			return stdout.written;
		},
		close() {
			instance.unmount();
			instance.cleanup();
		},
	};
}
