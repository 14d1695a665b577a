import {accessSync, constants, statSync} from 'node:fs';
import type {Writable} from 'node:stream';
import {GameCollector} from '../analyze/game-collector.js';
import type {LiveStats} from '../analyze/live-stats.js';
import {summarizeAll} from '../analyze/summarize.js';
import {createProgress} from './progress.js';
import {readInputs} from './read-inputs.js';

/**
`--history FILE...`: the games of earlier recordings (any form the offline
commands read) counted into the monitor's statistics before the first frame,
exactly as `rugs-tui stats` would count them — the same reader, collector and
summaries — so the Stats pane opens with last week's figures. Read while the
terminal is still the normal screen, so its progress and problems are seen.
*/

/** Each history file must be a readable file: say which is not, before anything starts. */
export function checkHistoryFiles(files: readonly string[]): string | undefined {
	for (const file of files) {
		try {
			if (statSync(file).isDirectory()) {
				return `--history ${file}: is a directory; give recording files (a shell glob works: --history recordings/*.jsonl)`;
			}

			accessSync(file, constants.R_OK);
		} catch (error) {
			const {code} = error as NodeJS.ErrnoException;
			return code === 'ENOENT' ? `--history ${file}: no such file` : `--history ${file}: cannot read it (${code ?? String(error)})`;
		}
	}

	return undefined;
}

/** Read the files into `stats`. Returns the number of finished games counted. */
export async function seedHistory(stats: LiveStats, files: readonly string[], stderr: Writable & {isTTY?: boolean}): Promise<number> {
	if (files.length === 0) {
		return 0;
	}

	const label = 'rugs-tui --history';
	const progress = createProgress({stream: stderr});
	const collector = new GameCollector();
	const report = await readInputs({
		files,
		stderr,
		label,
		onEnvelope(envelope) {
			collector.add(envelope);
		},
		onProgress(state) {
			progress.update(`${label}: reading ${state.fileIndex + 1}/${state.files}, ${collector.games.size} games so far`);
		},
	});
	const counted = stats.seed(summarizeAll(collector).map(({summary}) => summary));
	progress.done();
	stderr.write(`${label}: ${counted} finished games from ${report.files - report.unreadable} of ${report.files} files\n`);
	return counted;
}
