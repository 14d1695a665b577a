import type {Envelope} from '../protocol/envelope.js';
import {createRedactor} from '../protocol/redact.js';
import type {Options} from './options.js';

/** What an output writes in place of an envelope; undefined means "write nothing". */
export type OutputFilter = (envelope: Envelope) => Envelope | undefined;

/**
The one transform every output (`--json` on stdout, `--record`, `--record-dir`)
applies before writing: `--redact` today. Create one per output stream (a
redactor remembers the ack ids of the requests it dropped). The display never
goes through it: the UI may show the user their own name.
*/
export function outputFilter(options: Pick<Options, 'redact'>): OutputFilter {
	return options.redact ? createRedactor() : envelope => envelope;
}
