import {render} from 'ink-testing-library';
import stripAnsi from 'strip-ansi';
import {LiveStats} from '../../source/analyze/live-stats.js';
import {createAppBus, type AppBus} from '../../source/bus/app-bus.js';
import type {Envelope} from '../../source/protocol/envelope.js';
import type {StateConfig} from '../../source/state/types.js';
import {App, type QuitReason} from '../../source/ui/app.js';
import type {Size} from '../../source/ui/layout.js';
import {MonitorStore} from '../../source/ui/store.js';

export type Mounted = ReturnType<typeof render> & {
	bus: AppBus;
	store: MonitorStore;
	quits: QuitReason[];
	/** The last frame without colour codes. */
	text(): string;
	/** Wait until the last frame satisfies `predicate` (polling; fails with the frame after `timeoutMs`). */
	waitFor(predicate: (frame: string) => boolean, timeoutMs?: number): Promise<string>;
	press(...keys: string[]): Promise<void>;
};

export const keys = {
	tab: '\t',
	shiftTab: '\u001B[Z',
	escape: '\u001B',
	enter: '\r',
	backspace: '\u007F',
	ctrlC: '\u0003',
} as const;

export function publishAll(bus: AppBus, envelopes: readonly Envelope[]): void {
	for (const envelope of envelopes) {
		bus.publish('envelope', envelope);
	}
}

/** Mount the whole app at a fixed size on a store fed with `envelopes` (with live statistics, as the monitor keeps them, unless `liveStats` is false). */
export function mountApp(envelopes: readonly Envelope[], options: {size?: Size; fps?: number; config?: Partial<StateConfig>; player?: string; liveStats?: LiveStats | false} = {}): Mounted {
	const bus = createAppBus();
	const liveStats = options.liveStats === false ? undefined : options.liveStats ?? new LiveStats();
	const store = new MonitorStore(bus, {config: {player: options.player, ...options.config}, liveStats});
	publishAll(bus, envelopes);
	const quits: QuitReason[] = [];
	const result = render(<App
		store={store}
		fps={options.fps ?? 30}
		player={options.player}
		size={options.size ?? {columns: 120, rows: 40}}
		onQuit={reason => {
			quits.push(reason);
		}}
	/>);
	const text = () => stripAnsi(result.lastFrame() ?? '');
	const waitFor = async (predicate: (frame: string) => boolean, timeoutMs = 5000) => {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const frame = text();
			if (predicate(frame)) {
				return frame;
			}

			if (Date.now() > deadline) {
				throw new Error(`frame never matched within ${timeoutMs} ms; last frame:\n${frame}`);
			}

			await new Promise(resolve => {
				setTimeout(resolve, 10);
			});
		}
	};

	const press = async (...sequence: string[]) => {
		for (const key of sequence) {
			result.stdin.write(key);
			// Ink reads input on 'readable' and flushes a lone Esc on the next turn of the loop.
			await new Promise(resolve => {
				setImmediate(resolve);
			});
		}
	};

	return Object.assign(result, {bus, store, quits, text, waitFor, press});
}

/** Lines of a frame that contain `text`. */
export function linesWith(frame: string, text: string): string[] {
	return frame.split('\n').filter(line => line.includes(text));
}
