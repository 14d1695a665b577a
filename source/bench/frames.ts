import path from 'node:path';
import {envelopeArguments} from '../protocol/envelope.js';
import {readRecording} from '../sources/read-recording.js';
import type {BenchContext} from './types.js';

export type BenchFrames = {all: string[]; large: string[]; origin: string};

/**
Real-size Socket.IO frames, rebuilt as the wire carries them
(`42` + JSON of [event, ...args]): from the public capture when ../shared is
present, else from the project's own fixture recordings.
*/
export async function benchFrames(context: BenchContext): Promise<BenchFrames> {
	const file = context.capturesDir === undefined
		? path.resolve('fixtures/demo-session.jsonl')
		: path.join(context.capturesDir, 'public-feed-socketio-client-2025-12-12.jsonl');
	const all: string[] = [];
	for await (const item of readRecording(file)) {
		if (item.ok && item.envelope.event !== 'connect') {
			all.push(`42${JSON.stringify([item.envelope.event, ...envelopeArguments(item.envelope)])}`);
		}
	}

	const large = all.filter(frame => frame.length >= 250_000);
	return {all, large: large.length > 0 ? large : all, origin: path.basename(file)};
}
