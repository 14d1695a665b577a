import {GameCollector} from '../analyze/game-collector.js';
import {samplesFromSummaries} from '../analyze/stats-samples.js';
import {statsLines} from '../analyze/stats-text.js';
import {aggregateOf, computeStats, type GameSample, type StatsReport} from '../analyze/stats.js';
import {summarizeAll} from '../analyze/summarize.js';
import {readInputs} from './read-inputs.js';
import type {CommandIo} from './run-summarize.js';
import {LineOutput} from './write-lines.js';

/**
`rugs-tui stats FILE...`: the statistics of every finished game in the
recordings, measured against the game's model (analyze/stats.ts). The games
are exactly those `rugs-tui summarize` prints for the same files — the same
reader, the same collector, the same summaries — and a game counts once it
has rugged with a known rug tick. A table by default; `--json`: one JSON
document. Diagnostics on stderr; exit code 0, or 1 when a file could not be
read at all (the others are still counted).
*/

/** The statistics of a set of recordings, and what reading them found. */
export async function statsOfFiles(files: readonly string[], io: Pick<CommandIo, 'stderr'>, label: string): Promise<{report: StatsReport; samples: GameSample[]; summaries: number; unreadable: number; files: number; envelopes: number; badLines: number}> {
	const collector = new GameCollector();
	const input = await readInputs({files, stderr: io.stderr, label, onEnvelope(envelope) {
		collector.add(envelope);
	}});
	const summaries = summarizeAll(collector).map(({summary}) => summary);
	const samples = samplesFromSummaries(summaries);
	const report = computeStats(aggregateOf(samples));
	return {report, samples, summaries: summaries.length, unreadable: input.unreadable, files: input.files, envelopes: input.envelopes, badLines: input.badLines};
}

export async function runStats(files: readonly string[], io: CommandIo, options: {json: boolean}): Promise<number> {
	const label = 'rugs-tui stats';
	const result = await statsOfFiles(files, io, label);
	const out = new LineOutput(io.stdout);
	const text = options.json ? `${JSON.stringify(result.report)}\n` : `${statsLines(result.report).join('\n')}\n`;
	await out.write(text);
	await out.end();
	io.stderr.write(`${label}: ${result.report.games} finished games of ${result.summaries} seen, from ${result.files - result.unreadable} of ${result.files} files, ${result.envelopes} events, ${result.badLines} bad lines\n`);
	return result.unreadable > 0 ? 1 : 0;
}
