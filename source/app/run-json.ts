import type {Writable} from 'node:stream';
import {setTimeout as delay} from 'node:timers/promises';
import {createAppBus, type AppBus} from '../bus/app-bus.js';
import {NdjsonWriter} from '../record/ndjson-writer.js';
import {followForAlerts, jsonSink} from './alert-watch.js';
import type {Options} from './options.js';
import {outputFilter} from './output-filter.js';
import {attachOutputs} from './outputs.js';
import {startSource} from './start-source.js';

export type JsonRunIo = {
	stdout: Writable;
	stderr: Writable;
	/** Unwritten output a live run may hold (default liveOutputLimitBytes). */
	liveOutputLimitBytes?: number;
};

/** After Ctrl-C, how long buffered output may take to reach a reader before the run ends anyway. */
const flushGraceMs = 1000;

/**
A live source cannot wait for a slow reader (`| less` scrolled back, a stalled
pipe): past this much unwritten output, events are dropped and counted rather
than held in memory without bound. A replay waits instead (back-pressure).
*/
export const liveOutputLimitBytes = 64 * 1024 * 1024;

/** One diagnostic line on stderr: JSON, like the data on stdout, so scripts can read both. */
function diagnostic(stderr: Writable, record: Record<string, unknown>): void {
	stderr.write(`${JSON.stringify(record)}\n`);
}

/**
`--json` (and any run whose stdout is not a terminal): every envelope as one
JSON line on stdout, diagnostics on stderr. A closed pipe (`| head -1`) ends
the run quietly with exit code 0.
*/
export async function runJson(options: Options, io: JsonRunIo, bus: AppBus = createAppBus()): Promise<number> {
	const controller = new AbortController();
	let closedEarly = false;
	const live = options.source !== 'replay';
	const writer = new NdjsonWriter(io.stdout, {
		events: options.events,
		maxBufferedBytes: live ? io.liveOutputLimitBytes ?? liveOutputLimitBytes : undefined,
		onClosed(reason) {
			closedEarly = true;
			if (reason !== 'EPIPE' && reason !== 'closed') {
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
	const stop = (signal: NodeJS.Signals) => {
		signalled = signal;
		controller.abort();
		// A source waiting for a reader that stopped reading must still stop.
		writer.releaseWaiters();
	};

	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
	// After the stderr subscribers, so a recording that cannot be opened is reported.
	const outputs = attachOutputs(bus, options);
	try {
		await startSource(bus, options, {signal: controller.signal, ready: () => writer.ready()});
	} finally {
		// Every way out (end of replay, EPIPE, SIGINT/SIGTERM, a source that throws) flushes the recording.
		await outputs.close();
		stopAlerts();
		process.off('SIGINT', stop);
		process.off('SIGTERM', stop);
	}

	if (writer.dropped > 0) {
		diagnostic(io.stderr, {type: 'problem', kind: 'output', message: `stdout could not keep up: ${writer.dropped} events were dropped`});
	}

	if (!closedEarly) {
		const flushed = new Promise<void>(resolve => {
			io.stdout.write('', () => {
				resolve();
			});
		});
		// Normally wait for the reader to take everything; after a signal, not forever.
		await (signalled === undefined ? flushed : Promise.race([flushed, delay(flushGraceMs, undefined, {ref: false})]));
	}

	// Conventional shell codes for a run ended by a signal: 130 for SIGINT, 143 for SIGTERM.
	if (signalled !== undefined) {
		return signalled === 'SIGINT' ? 130 : 143;
	}

	return 0;
}
