import path from 'node:path';
import {envelopeArguments} from '../source/protocol/envelope.js';
import {generateSession, wireFrame} from '../source/sim/generate-session.js';
import {readRecording} from '../source/sources/read-recording.js';
import type {BenchContext} from './types.js';

export type BenchFrames = {all: string[]; large: string[]; origin: string};

/** Games of the generated stand-in: enough for ~25 gameHistory frames of 250–550 KB. */
const generatedGames = 12;

function split(all: string[], origin: string): BenchFrames {
	const large = all.filter(frame => frame.length >= 250_000);
	return {all, large: large.length > 0 ? large : all, origin};
}

/**
Real-size Socket.IO frames, as the wire carries them (`42` + JSON of
[event, ...args]): from the public capture when ../shared is present, else
from a session of the project's own generator (same sizes and cadence of
events, including the 300–500 KB gameHistory frames).
*/
export async function benchFrames(context: BenchContext): Promise<BenchFrames> {
	if (context.capturesDir === undefined) {
		const all: string[] = [];
		for (const envelope of generateSession({seed: 'bench', games: generatedGames})) {
			all.push(wireFrame(envelope));
		}

		return split(all, `generated session (seed bench, ${generatedGames} games)`);
	}

	const file = path.join(context.capturesDir, 'public-feed-socketio-client-2025-12-12.jsonl');
	const all: string[] = [];
	for await (const item of readRecording(file)) {
		if (item.ok && item.envelope.event !== 'connect') {
			all.push(`42${JSON.stringify([item.envelope.event, ...envelopeArguments(item.envelope)])}`);
		}
	}

	return split(all, path.basename(file));
}
