import {Text} from 'ink';
import {createAppBus} from '../source/bus/app-bus.js';
import type {Envelope} from '../source/protocol/envelope.js';
import {generateSession} from '../source/sim/generate-session.js';
import type {Size} from '../source/ui/layout.js';
import {displayKey, sameKey} from '../source/ui/display-key.js';
import {useFrameClock} from '../source/ui/hooks/use-frame-clock.js';
import {installInkPatches} from '../source/ui/ink-patches/index.js';
import {MonitorStore} from '../source/ui/store.js';
import {median, withRatio, type Benchmark, type BenchRow} from './types.js';
import {mountUi} from './ui-harness.js';

/**
What one frame of the UI costs: the App mounted in Ink as the TUI mounts it
(one instance, incremental rendering, its frame clock), fed a generated
session a few events per frame; the CPU time of the process per frame drawn.
Beside it, measured alternately in the same run: Ink drawing one plain text
of the same size per frame (the floor any Ink UI of that size stands on).
*/

const size: Size = {columns: 120, rows: 40};
/** The frame clock's rate here: fast, so a sample takes a couple of seconds. */
const fps = 60;

const filler = `${'x'.repeat(size.columns - 12)}\n`.repeat(size.rows - 2);

/** The baseline: one plain text of the UI's size, redrawn by the same frame clock whenever the App would be. */
function PlainFrame({store}: {store: MonitorStore}) {
	const {snapshot} = useFrameClock(store, fps);
	return <Text>{`${snapshot.takenAt.toFixed(3)} `.padEnd(12)}{filler}</Text>;
}

type Sample = {cpuMsPerFrame: number; inkMsPerFrame: number; frames: number};

async function sample(envelopes: readonly Envelope[], start: number, frames: number, plain: boolean): Promise<Sample> {
	const bus = createAppBus();
	const store = new MonitorStore(bus);
	// The state as it stands when the sample starts: history, trades and a game under way.
	for (const envelope of envelopes.slice(0, start)) {
		bus.publish('envelope', envelope);
	}

	const ui = mountUi(store, size, {
		fps,
		element: plain ? () => <PlainFrame store={store}/> : undefined,
	});
	try {
		await ui.frame();
		const drawnBefore = ui.drawn;
		const inkBefore = ui.inkRenderMs;
		const cpu = process.cpuUsage();
		let next = start;
		let key = displayKey(store.snapshot(), 0);
		while (ui.drawn - drawnBefore < frames && next < envelopes.length) {
			// About a frame's worth of the feed (its busiest phases run at ~10 events a second), and on
			// until something on screen changes: the frame clock skips a frame that would look the same.
			for (let count = 0; next < envelopes.length && (count < 2 || sameKey(key, displayKey(store.snapshot(), 0))); count++) {
				bus.publish('envelope', envelopes[next++]!);
			}

			key = displayKey(store.snapshot(), 0);
			await ui.frame();
		}

		const used = process.cpuUsage(cpu);
		const drawn = ui.drawn - drawnBefore;
		return {cpuMsPerFrame: (used.user + used.system) / 1000 / drawn, inkMsPerFrame: (ui.inkRenderMs - inkBefore) / drawn, frames: drawn};
	} finally {
		ui.close();
		store.close();
	}
}

export const renderBenchmark: Benchmark = {
	name: 'render',
	async run(context) {
		// Ink as the TUI runs it (run-tui.tsx installs the same), for the App and the baseline alike.
		const patches = await installInkPatches();
		context.log(`render: ${patches.summary}`);
		if (process.env['NODE_ENV'] !== 'production') {
			context.log('render: NODE_ENV is not production: React runs its development build and these figures are not the TUI\'s (npm run bench sets it)');
		}

		const envelopes = [...generateSession({seed: 'render-bench', games: 12})];
		const frames = context.quick ? 40 : 100;
		const samples = context.quick ? 1 : 2;
		// Start in the seventh game: history, the tape and sidebets are full.
		const start = Math.floor(envelopes.length / 2);
		await sample(envelopes, start, 10, false);
		await sample(envelopes, start, 10, true);
		const app: Sample[] = [];
		const plain: Sample[] = [];
		for (let index = 0; index < samples; index++) {
			app.push(await sample(envelopes, start, frames, false));
			plain.push(await sample(envelopes, start, frames, true));
		}

		context.log(`render: ${samples} × ${frames} frames at ${size.columns}×${size.rows}, the frame clock at ${fps} fps`);
		const rows: BenchRow[] = [
			withRatio({
				name: `render one frame of the UI at ${size.columns}×${size.rows} (CPU)`,
				value: median(app.map(item => item.cpuMsPerFrame)),
				unit: 'ms/frame',
				baseline: {name: 'Ink drawing one plain text of the same size', value: median(plain.map(item => item.cpuMsPerFrame))},
				better: 'lower',
				// N ms a frame at 10 frames a second is 10·N ms a second: N% of a core.
				note: `process CPU per frame drawn (store updates included); at the default 10 fps that is at most ${median(app.map(item => item.cpuMsPerFrame)).toFixed(1)}% of a core`,
			}),
			withRatio({
				name: `render: Ink's output step per frame at ${size.columns}×${size.rows}`,
				value: median(app.map(item => item.inkMsPerFrame)),
				unit: 'ms/frame',
				baseline: {name: 'Ink drawing one plain text of the same size', value: median(plain.map(item => item.inkMsPerFrame))},
				better: 'lower',
				note: 'Ink\'s own renderTime (layout to text), part of the figure above',
			}),
		];
		return rows;
	},
};
