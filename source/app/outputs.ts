import type {AppBus} from '../bus/app-bus.js';
import type {Envelope} from '../protocol/envelope.js';
import {Recorder, type RecorderStats} from '../record/recorder.js';
import type {Options} from './options.js';
import {outputFilter, type OutputFilter} from './output-filter.js';

/** Outputs that run beside any display: recordings. */
type Outputs = {
	/** Flush and close everything; resolves when all data is on disk. Safe to call twice. */
	close(): Promise<void>;
	/** The recorder's figures (for the status bar), or undefined when not recording. */
	recording(): RecorderStats | undefined;
};

type OutputHooks = {
	/**
	Also tell the user about recording problems here. Every problem is on the
	bus (kind 'record') already, which the `--json` runner prints on stderr;
	the TUI runner passes a writer that goes above its live area (console.error
	under Ink's patched console) so stderr does not tear the frame.
	*/
	warn?: (message: string) => void;
	/** Reshape or drop envelopes before they are recorded, after `--redact` (which attachOutputs applies itself). */
	transform?: (envelope: Envelope) => Envelope | undefined;
};

/** `--redact` first, then the caller's own transform. */
function composeTransforms(first: OutputFilter, second: OutputHooks['transform']): OutputFilter {
	return second === undefined
		? first
		: envelope => {
			const output = first(envelope);
			return output === undefined ? undefined : second(output);
		};
}

/** Attach the outputs the options ask for to the bus (shared by the TUI and `--json` modes). */
export function attachOutputs(bus: AppBus, options: Options, hooks: OutputHooks = {}): Outputs {
	if (options.recordFile === undefined && options.recordDir === undefined) {
		return {
			async close() {
				// Nothing attached.
			},
			recording: () => undefined,
		};
	}

	const recorder = new Recorder({
		file: options.recordFile,
		dir: options.recordDir,
		codec: options.recordCompress,
		maxFileBytes: options.recordMaxMb * 1e6,
		transform: composeTransforms(outputFilter(options), hooks.transform),
		onProblem(message) {
			bus.publish('problem', {kind: 'record', message, ts: Date.now()});
			hooks.warn?.(message);
		},
	});
	void recorder.open();
	// Recording is synchronous and never waits: the bus never has to queue for it.
	const unsubscribe = bus.subscribe('envelope', envelope => {
		recorder.write(envelope);
	}, {name: 'recorder'});
	let closing: Promise<void> | undefined;
	return {
		async close() {
			closing ??= (async () => {
				unsubscribe();
				await recorder.close();
			})();
			return closing;
		},
		recording: () => recorder.stats(),
	};
}
