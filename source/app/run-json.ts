import type {Writable} from 'node:stream';
import {setTimeout as delay} from 'node:timers/promises';
import {createAppBus, type AppBus} from '../bus/app-bus.js';
import {NdjsonWriter} from '../record/ndjson-writer.js';
import {onExitSignals, signalExitCode} from '../sources/exit-signals.js';
import type {RecorderStats} from '../record/recorder.js';
import {followForAlerts, jsonSink} from './alert-watch.js';
import type {Options} from './options.js';
import {outputFilter} from './output-filter.js';
import {attachOutputs} from './outputs.js';
import {startSource} from './start-source.js';

type JsonRunIo = {
	stdout: Writable;
	stderr: Writable;
	/** Unwritten output a live run may hold (default liveOutputLimitBytes). */
	liveOutputLimitBytes?: number;
};

/** After Ctrl-C, how long buffered output may take to reach a reader before the run ends anyway. */
const flushGraceMs = 1000;
/** After Ctrl-C, how long the source may take to stop before the run ends without it. */
const stopGraceMs = 2000;

/**
A live source cannot wait for a slow reader (`| less` scrolled back, a stalled
pipe): past this much unwritten output, events are dropped and counted rather
than held in memory without bound. A replay waits instead (back-pressure).
*/
const liveOutputLimitBytes = 64 * 1024 * 1024;

/** One diagnostic line on stderr: JSON, like the data on stdout, so scripts can read both. */
function diagnostic(stderr: Writable, record: Record<string, unknown>): void {
	stderr.write(`${JSON.stringify(record)}\n`);
}

/**
Node prints its own warnings (a TimeoutOverflowWarning, a deprecation) on
stderr as plain text, which would break the JSON lines there: while the run
lasts they become problems of kind `warning` instead. Returns the undo.
*/
function warningsAsJson(stderr: Writable): () => void {
	const previous = process.listeners('warning');
	const onWarning = (warning: Error) => {
		diagnostic(stderr, {type: 'problem', kind: 'warning', ts: Date.now(), message: `${warning.name}: ${warning.message}`});
	};

	process.removeAllListeners('warning');
	process.on('warning', onWarning);
	return () => {
		process.off('warning', onWarning);
		for (const listener of previous) {
			process.on('warning', listener);
		}
	};
}

/** What the run could not write: the reason the run fails, or undefined when nothing was lost. */
function lostOutput(writer: NdjsonWriter, recording: RecorderStats | undefined, stdoutError: string | undefined): string | undefined {
	const lost: string[] = [];
	if (stdoutError !== undefined) {
		lost.push(`cannot write to stdout (${stdoutError})`);
	} else if (writer.dropped > 0) {
		lost.push(`${writer.dropped} event${writer.dropped === 1 ? '' : 's'} dropped from stdout, which did not keep up with the live feed`);
	}

	const unrecorded = recording === undefined ? 0 : recording.dropped + recording.pending;
	if (unrecorded > 0) {
		// The recorder's last error, without its advice (which is about a run still going).
		const cause = recording?.lastError?.split(' — ')[0];
		lost.push(`${unrecorded} event${unrecorded === 1 ? '' : 's'} could not be recorded${recording?.current === undefined ? '' : ` to ${recording.current}`}${cause === undefined ? '' : ` (${cause})`}`);
	}

	return lost.length === 0 ? undefined : lost.join('; ');
}

/**
`--json` (and any run whose stdout is not a terminal): every envelope as one
JSON line on stdout, diagnostics on stderr (JSON lines only, Node's own
warnings included). A closed pipe (`| head -1`) ends the run quietly with exit
code 0. A run that could not write what it had to (stdout fails — a full disk,
/dev/full —, a live feed outran stdout, or the recording lost events) fails:
it throws, once everything else is closed, with what was lost, and the CLI
exits 1 with that one `rugs-tui: …` line (after a signal, the signal's code).
*/
export async function runJson(options: Options, io: JsonRunIo, bus: AppBus = createAppBus()): Promise<number> {
	const controller = new AbortController();
	let closedEarly = false;
	let stdoutError: string | undefined;
	const live = options.source !== 'replay';
	const writer = new NdjsonWriter(io.stdout, {
		events: options.events,
		maxBufferedBytes: live ? io.liveOutputLimitBytes ?? liveOutputLimitBytes : undefined,
		onClosed(reason) {
			closedEarly = true;
			if (reason !== 'EPIPE' && reason !== 'closed') {
				stdoutError = reason;
				diagnostic(io.stderr, {type: 'problem', kind: 'output', message: `stdout: ${reason}`});
			}

			controller.abort();
		},
	});

	let droppedReported = false;
	const filter = outputFilter(options);
	bus.subscribe('envelope', envelope => {
		const output = filter(envelope);
		if (output === undefined) {
			return;
		}

		writer.write(output);
		if (writer.dropped > 0 && !droppedReported) {
			droppedReported = true;
			diagnostic(io.stderr, {type: 'problem', kind: 'output', message: 'stdout is not keeping up with the live feed: dropping events until it does (the count is reported at the end); read it faster, or record to a file with --record FILE'});
		}
	}, {name: 'ndjson'});
	bus.subscribe('problem', problem => {
		diagnostic(io.stderr, {type: 'problem', ...problem});
	}, {name: 'stderr-problems'});
	bus.subscribe('status', status => {
		diagnostic(io.stderr, {type: 'status', ...status});
	}, {name: 'stderr-status'});

	// --alert: one JSON line per alert on stderr, beside the status lines.
	const stopAlerts = followForAlerts(bus, options.alerts, jsonSink(io.stderr), {player: options.player});
	let signalled: NodeJS.Signals | undefined;
	let giveUpWaiting: (() => void) | undefined;
	const waitedEnough = new Promise<void>(resolve => {
		giveUpWaiting = resolve;
	});
	const stop = (signal: NodeJS.Signals) => {
		// The first signal ends the run; a repeat (a closing terminal sends SIGHUP twice: the kernel, then the shell) must not cut the cleanup short.
		if (signalled !== undefined) {
			return;
		}

		signalled = signal;
		controller.abort();
		// A source waiting for a reader that stopped reading must still stop.
		writer.releaseWaiters();
		// Ctrl-C works under any load: a source that takes longer than this to let go is left behind (the process exits).
		setTimeout(() => giveUpWaiting?.(), stopGraceMs).unref();
	};

	// SIGHUP, SIGINT, SIGTERM, SIGQUIT and the other terminating signals (see exit-signals.ts).
	const removeSignalHandlers = onExitSignals(stop);
	const restoreWarnings = warningsAsJson(io.stderr);
	// After the stderr subscribers, so a recording that cannot be opened is reported.
	const outputs = attachOutputs(bus, options);
	let failure: unknown;
	try {
		await Promise.race([startSource(bus, options, {signal: controller.signal, ready: () => writer.ready()}), waitedEnough]);
	} catch (error) {
		// Said once everything is closed, with what was lost besides.
		failure = error;
	} finally {
		// Every way out (end of replay, EPIPE, any terminating signal, a source that throws) flushes the recording.
		await outputs.close();
		removeSignalHandlers();
		restoreWarnings();
		stopAlerts();
	}

	if (writer.dropped > 0) {
		diagnostic(io.stderr, {type: 'problem', kind: 'output', message: `stdout could not keep up: ${writer.dropped} events were dropped`});
	}

	if (!closedEarly) {
		const flushed = writer.flushed();
		// Normally wait for the reader to take everything; after a signal or a failure, not forever.
		await (signalled === undefined && failure === undefined ? flushed : Promise.race([flushed, delay(flushGraceMs, undefined, {ref: false})]));
	}

	const lost = lostOutput(writer, outputs.recording(), stdoutError);
	if (failure !== undefined) {
		const message = failure instanceof Error ? failure.message : (typeof failure === 'string' ? failure : 'the source failed');
		throw lost === undefined && failure instanceof Error ? failure : new Error(lost === undefined ? message : `${message}; ${lost}`);
	}

	// Conventional shell codes for a run ended by a signal: 128 + its number (129 SIGHUP, 130 SIGINT, 143 SIGTERM).
	if (signalled !== undefined) {
		if (lost !== undefined) {
			io.stderr.write(`rugs-tui: ${lost}\n`);
		}

		return signalExitCode(signalled);
	}

	if (lost !== undefined) {
		throw new Error(lost);
	}

	return 0;
}
