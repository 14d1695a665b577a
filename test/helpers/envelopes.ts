import {makeEnvelope, type Envelope, type SourceKind} from '../../source/protocol/envelope.js';

/** Envelopes for tests: a fresh sequence with 250 ms between events unless told otherwise. */
export function envelopeMaker(options: {source?: SourceKind; start?: number; step?: number} = {}) {
	let seq = 0;
	let ts = options.start ?? 1_765_577_818_000;
	const step = options.step ?? 250;
	return (event: string, ...args: unknown[]): Envelope => {
		seq++;
		ts += step;
		return makeEnvelope({seq, ts, source: options.source ?? 'replay', direction: 'received', event, args});
	};
}

export const trace = {__trace: true, traceparent: '00-0123456789abcdef0123456789abcdef-0123456789abcdef-01'};
