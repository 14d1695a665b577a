import {writeFileSync} from 'node:fs';
import {render, type Instance} from 'ink';
import {createAppBus, type AppBus} from '../bus/app-bus.js';
import {App, type QuitReason} from '../ui/app.js';
import {FrameMetrics} from '../ui/frame-metrics.js';
import {frameStats, installInkPatches} from '../ui/ink-patches/index.js';
import {MonitorStore, type ProblemCounts} from '../ui/store.js';
import {problemMessage} from '../ui/format.js';
import {replay, ReplayController} from '../sources/replay.js';
import {maxFps} from '../ui/frame-rate.js';
import {exitSignals, signalExitCode} from '../sources/exit-signals.js';
import {errorText} from '../protocol/error-text.js';
import type {Options} from './options.js';
import {attachOutputs} from './outputs.js';
import {startSource} from './start-source.js';
import {TerminalScreen} from './terminal-screen.js';
import {prepareTuiInsight} from './tui-insight.js';

type TuiIo = {
	stdin: NodeJS.ReadStream;
	stdout: NodeJS.WriteStream;
	stderr: NodeJS.WriteStream;
};

/** Why the TUI ended. */
type TuiEnd =
	| {kind: 'key'; reason: QuitReason}
	| {kind: 'signal'; signal: NodeJS.Signals}
	| {kind: 'error'; error: unknown}
	| {kind: 'unmounted'};

/** Set to a file name to get the frame metrics (redraws, event-to-screen latency) written there at exit: the bench uses it. */
const metricsVariable = 'RUGS_TUI_METRICS';

/** SIGHUP (the terminal closed), SIGINT, SIGTERM, SIGQUIT and the other terminating signals: see exit-signals.ts. */
const handledSignals = exitSignals;
/** How long a source may take to stop before the TUI exits anyway. */
const stopTimeoutMs = 3000;

function exitCodeFor(end: TuiEnd): number {
	switch (end.kind) {
		case 'key': {
			return end.reason === 'ctrl-c' ? 130 : 0;
		}

		case 'signal': {
			return signalExitCode(end.signal);
		}

		case 'error': {
			return 1;
		}

		case 'unmounted': {
			return 0;
		}
	}
}

/** The few lines printed once the terminal is back: what went wrong while the screen was taken. */
function problemSummary(problems: ProblemCounts): string | undefined {
	if (problems.total === 0) {
		return undefined;
	}

	const kinds = Object.entries(problems.byKind).map(([kind, n]) => `${n} ${kind}`).join(', ');
	const lines = [`rugs-tui: ${problems.total} problem(s) while running (${kinds}); most recent first:`];
	for (const problem of problems.recent.slice(0, 5)) {
		lines.push(`  ${problem.kind}: ${problemMessage(problem.message)}`);
	}

	if (problems.total > 5) {
		lines.push('  (run with --json to see every problem as it happens)');
	}

	return `${lines.join('\n')}\n`;
}

/** An unexpected error with its stack, for the report after the terminal is restored. */
function errorWithStack(error: unknown): string {
	return error instanceof Error ? error.stack ?? error.message : String(error);
}

/**
The live monitor in the terminal: the alternate screen, the Ink app fed by
the store, the chosen source and outputs. Returns the exit code once the user
quits (q, Ctrl-C), a signal arrives, or something crashes — in every case
after the terminal has been restored (main screen, cursor, cooked mode).
Problems are never written to stderr while the alternate screen is up: the
status bar shows them, and a summary follows on the main screen.
*/
export async function runTui(options: Options, io: TuiIo, bus: AppBus = createAppBus()): Promise<number> {
	const metricsFile = process.env[metricsVariable];
	const metrics = metricsFile === undefined || metricsFile === ''
		? undefined
		: new FrameMetrics({speed: options.source === 'replay' ? options.speed : 0});
	// Statistics seeded from --history (read before the screen is taken, so its progress is seen) and alerts.
	const insight = await prepareTuiInsight(options, io.stderr);
	const screen = new TerminalScreen(io.stdout, io.stdin);

	let finish: (end: TuiEnd) => void = () => undefined;
	const ended = new Promise<TuiEnd>(resolve => {
		finish = resolve;
	});
	const onSignal = (signal: NodeJS.Signals) => {
		finish({kind: 'signal', signal});
	};

	const onError = (error: unknown) => {
		finish({kind: 'error', error});
	};

	const onExit = () => {
		screen.restore();
	};

	for (const signal of handledSignals) {
		process.on(signal, onSignal);
	}

	// Once the terminal hangs up (SIGHUP: the window closed) every write to it fails with EIO: expected then, and
	// never a crash that would cut closing the recording short. Kept to the end: restoring and the summary write too.
	const terminalGone = () => undefined;
	for (const stream of [io.stdout, io.stderr, io.stdin]) {
		stream.on('error', terminalGone);
	}

	process.on('uncaughtException', onError);
	process.on('unhandledRejection', onError);
	process.on('exit', onExit);

	// What rugs-tui changes in Ink 6.8 (all of it off with RUGS_TUI_INK_PATCHES=0): see ui/ink-patches.
	const patches = await installInkPatches();
	screen.enter();
	// Recording problems reach the status bar through the bus (kind 'record'): nothing is written under the screen.
	const outputs = attachOutputs(bus, options);
	// A replay is driven from the keyboard (pause, speed, jumps) and shows where it stands.
	const replayControl = options.source === 'replay' ? new ReplayController(options.speed, options.replayFiles) : undefined;
	const store = new MonitorStore(bus, {
		replay: replayControl,
		config: {player: options.player},
		liveStats: insight.liveStats,
		onState: insight.onState,
		recording() {
			const stats = outputs.recording();
			return stats === undefined ? undefined : {bytes: stats.bytes, dropped: stats.dropped, failures: stats.failures, current: stats.current};
		},
		onEnvelope: metrics === undefined
			? undefined
			: (version, envelope) => {
				metrics.arrived(version, envelope.ts);
			},
	});
	insight.attach(store, io.stdout);
	const controller = new AbortController();
	let instance: Instance | undefined;
	try {
		instance = render(
			<App
				store={store}
				fps={options.fps}
				player={options.player}
				metrics={metrics}
				replay={replayControl}
				onQuit={reason => {
					finish({kind: 'key', reason});
				}}
			/>,
			{
				stdout: patches.stdout(io.stdout),
				stdin: io.stdin,
				stderr: io.stderr,
				// The frame clock enforces the current cap (+/- move it); Ink's own limit is the highest cap allowed.
				maxFps,
				incrementalRendering: true,
				exitOnCtrlC: false,
				patchConsole: true,
				onRender: metrics === undefined
					? undefined
					: () => {
						metrics.rendered();
					},
			},
		);
		instance.waitUntilExit().then(() => {
			finish({kind: 'unmounted'});
		}, onError);
	} catch (error) {
		onError(error);
	}

	const running = replayControl === undefined
		? startSource(bus, options, {signal: controller.signal})
		: replay(bus, {files: options.replayFiles, speed: options.speed, loop: options.loop, signal: controller.signal, controller: replayControl});
	const source = running.catch((error: unknown) => {
		// The monitor stays up with what it has; say that nothing more will come, and what to do.
		bus.publish('problem', {kind: 'source', ts: Date.now(), message: `source stopped: ${errorText(error)} — fix the cause and restart (q quits)`});
	});

	const end = await ended;
	try {
		instance?.unmount();
	} catch {
		// The terminal is restored below whatever state Ink is in.
	}

	screen.restore();
	for (const signal of handledSignals) {
		process.off(signal, onSignal);
	}

	process.off('uncaughtException', onError);
	process.off('unhandledRejection', onError);
	process.off('exit', onExit);

	controller.abort();
	await Promise.race([source, new Promise(resolve => {
		setTimeout(resolve, stopTimeoutMs).unref();
	})]);
	await outputs.close().catch((error: unknown) => {
		io.stderr.write(`rugs-tui: closing outputs failed: ${errorText(error)}\n`);
	});
	store.close();
	insight.close();

	if (end.kind === 'error') {
		io.stderr.write(`rugs-tui: stopped by an unexpected error (the terminal has been restored):\n${errorWithStack(end.error)}\n`);
	}

	const summary = problemSummary(store.problems);
	if (summary !== undefined) {
		io.stderr.write(summary);
	}

	if (metrics !== undefined && metricsFile !== undefined) {
		// With which Ink patches, and how many frames the output cache built itself (fast) or left to Ink: the
		// tests read it to see the patch act on the Ink that draws (the bundled one, when run from bin/).
		const report = {...metrics.report(), inkPatches: {summary: patches.summary, outputCacheFrames: {...frameStats}}};
		writeFileSync(metricsFile, `${JSON.stringify(report)}\n`);
	}

	return exitCodeFor(end);
}
