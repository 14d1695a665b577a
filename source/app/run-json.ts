import type {Writable} from 'node:stream';
import {createAppBus, type AppBus} from '../bus/app-bus.js';
import {NdjsonWriter} from '../record/ndjson-writer.js';
import type {Options} from './options.js';
import {outputFilter} from './output-filter.js';
import {startSource} from './start-source.js';

export type JsonRunIo = {
	stdout: Writable;
	stderr: Writable;
};

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
	const writer = new NdjsonWriter(io.stdout, {
		events: options.events,
		onClosed(reason) {
			closedEarly = true;
			if (reason !== 'EPIPE' && reason !== 'closed') {
				diagnostic(io.stderr, {type: 'problem', kind: 'output', message: `stdout: ${reason}`});
			}

			controller.abort();
		},
	});

	const filter = outputFilter(options);
	bus.subscribe('envelope', envelope => {
		const output = filter(envelope);
		if (output !== undefined) {
			writer.write(output);
		}
	}, {name: 'ndjson'});
	bus.subscribe('problem', problem => {
		diagnostic(io.stderr, {type: 'problem', ...problem});
	}, {name: 'stderr-problems'});
	bus.subscribe('status', status => {
		diagnostic(io.stderr, {type: 'status', ...status});
	}, {name: 'stderr-status'});

	let signalled: NodeJS.Signals | undefined;
	const stop = (signal: NodeJS.Signals) => {
		signalled = signal;
		controller.abort();
	};

	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
	try {
		await startSource(bus, options, {signal: controller.signal, ready: () => writer.ready()});
	} finally {
		process.off('SIGINT', stop);
		process.off('SIGTERM', stop);
	}

	if (!closedEarly) {
		await new Promise<void>(resolve => {
			io.stdout.write('', () => {
				resolve();
			});
		});
	}

	// Conventional shell codes for a run ended by a signal: 130 for SIGINT, 143 for SIGTERM.
	if (signalled !== undefined) {
		return signalled === 'SIGINT' ? 130 : 143;
	}

	return 0;
}
