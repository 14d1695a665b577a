import process from 'node:process';
import {generateSession, wireFrame} from '../source/sim/generate-session.js';
import {dayOptions, parseDayArgs} from './day-options.js';

/**
The feed of "a day in a minute", in a process of its own: a seeded session
as Socket.IO text frames, one per line on stdout after its arrival time, as fast as the reader takes
them. Apart from the monitor so that its memory is not the monitor's and it
runs on the other core.
*/

const options = parseDayArgs(process.argv.slice(2));
const batchFrames = 256;
// The reader went away (it failed, or it was stopped): nothing left to do.
process.stdout.on('error', () => {
	process.exit(0);
});

async function drain(): Promise<void> {
	await new Promise<void>(resolve => {
		process.stdout.once('drain', resolve);
	});
}

let batch: string[] = [];
for (const envelope of generateSession(dayOptions(options))) {
	// The arrival time, then the frame (JSON text has no raw tab).
	batch.push(`${envelope.ts}\t${wireFrame(envelope)}`);
	if (batch.length >= batchFrames) {
		const ok = process.stdout.write(`${batch.join('\n')}\n`);
		batch = [];
		if (!ok) {
			await drain();
		}
	}
}

if (batch.length > 0) {
	process.stdout.write(`${batch.join('\n')}\n`);
}
