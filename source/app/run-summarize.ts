import type {Writable} from 'node:stream';
import {GameCollector} from '../analyze/game-collector.js';
import {safeJsonLine} from '../record/safe-json.js';
import {summarizeAll} from '../analyze/summarize.js';
import {readInputs} from './read-inputs.js';
import {LineOutput, outputErrorText} from './write-lines.js';

export type CommandIo = {
	stdout: Writable;
	stderr: Writable & {isTTY?: boolean};
};

/**
`rugs-tui summarize FILE...`: one JSON line per distinct game on stdout (see
record/summarize.ts for what each field means), diagnostics on stderr.
Exit code 0; 1 when a file could not be read at all (the others are still
summarized) or when stdout could not be written (a full disk: one `rugs-tui:`
line says so). A reader that goes away (`| head`) is a normal end.
*/
export async function runSummarize(files: readonly string[], io: CommandIo): Promise<number> {
	const label = 'rugs-tui summarize';
	const collector = new GameCollector();
	const report = await readInputs({files, stderr: io.stderr, label, onEnvelope(envelope) {
		collector.add(envelope);
	}});
	const games = summarizeAll(collector);
	const out = new LineOutput(io.stdout);
	let written = 0;
	for (const {summary} of games) {
		if (!await out.write(`${safeJsonLine(summary)}\n`)) {
			break;
		}

		written++;
	}

	await out.end();
	if (out.failure !== undefined) {
		// Never a success with half the games written: one line, and a failing exit code.
		io.stderr.write(`rugs-tui: summarize could not write its output (${outputErrorText(out.failure, ', ')}) after ${written} of ${games.length} games; the output is incomplete\n`);
		return 1;
	}

	const failed = games.filter(({summary}) => Object.values(summary.verified).includes(false)).length;
	const {stats} = collector;
	const parts = [
		`${games.length} games from ${report.files - report.unreadable} of ${report.files} files`,
		`${report.envelopes} events`,
		`${report.badLines} bad lines`,
	];
	if (failed > 0) {
		parts.push(`${failed} games FAILED verification`);
	}

	if (stats.tradesWithoutPayload > 0) {
		parts.push(`${stats.tradesWithoutPayload} trades without payload (lossy recorder) not counted`);
	}

	io.stderr.write(`${label}: ${parts.join(', ')}\n`);
	return report.unreadable > 0 ? 1 : 0;
}
