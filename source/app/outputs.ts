import type {AppBus} from '../bus/app-bus.js';
import type {Options} from './options.js';

/** Outputs that run beside any display: recordings. */
export type Outputs = {
	/** Flush and close everything; resolves when all data is on disk. */
	close(): Promise<void>;
};

/** Every recorder writes `outputFilter(options)(envelope)`, never the raw envelope (`--redact`). */
export {outputFilter, type OutputFilter} from './output-filter.js';

/** Attach the outputs the options ask for to the bus (shared by the TUI and `--json` modes). */
export function attachOutputs(_bus: AppBus, _options: Options): Outputs {
	return {
		async close() {
			// Nothing attached yet.
		},
	};
}
