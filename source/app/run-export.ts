import {mkdir, rename, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {gameCsvRow, gamesCsvHeader, ticksCsv, ticksFileName, tickSeries} from '../analyze/export.js';
import {GameCollector} from '../analyze/game-collector.js';
import {summarizeAll} from '../analyze/summarize.js';
import {createProgress} from './progress.js';
import {readInputs} from './read-inputs.js';
import type {CommandIo} from './run-summarize.js';

/** Write a file whole or not at all: a crash or a full disk never leaves half a CSV under the real name. */
async function writeWhole(file: string, text: string): Promise<void> {
	const temporary = `${file}.partial`;
	await writeFile(temporary, text, 'utf8');
	await rename(temporary, file);
}

function megabytes(bytes: number): string {
	return `${(bytes / 1e6).toFixed(1)} MB`;
}

/**
`rugs-tui export FILE... --out DIR`: DIR/games.csv (one row per distinct game)
and DIR/ticks/<gameId>.csv (one tick series per game), for model training.
Files of the same name are replaced; the rows are in the order summarize
prints the games. Exit code 0; 1 when an input could not be read (the others
are still exported) or the output could not be written.
*/
export async function runExport(files: readonly string[], outDir: string, io: CommandIo): Promise<number> {
	const label = 'rugs-tui export';
	const progress = createProgress({stream: io.stderr});
	try {
		await mkdir(path.join(outDir, 'ticks'), {recursive: true});
	} catch (error) {
		io.stderr.write(`${label}: cannot create ${outDir}/ticks (${(error as Error).message}); choose another --out directory\n`);
		return 1;
	}

	const collector = new GameCollector();
	const report = await readInputs({
		files,
		stderr: io.stderr,
		label,
		onEnvelope(envelope) {
			collector.add(envelope);
		},
		onProgress(state) {
			progress.update(`${label}: reading file ${state.fileIndex + 1}/${state.files} (${megabytes(state.bytesTotal)} in all), ${state.envelopes} events, ${collector.games.size} games`);
		},
	});

	const games = summarizeAll(collector);
	let csv = gamesCsvHeader();
	let tickFiles = 0;
	try {
		for (const [index, game] of games.entries()) {
			const {rows, source} = tickSeries(game);
			let ticksFile: string | undefined;
			if (rows.length > 0) {
				ticksFile = ticksFileName(game.summary.gameId);
				await writeWhole(path.join(outDir, ticksFile), ticksCsv(rows));
				tickFiles++;
			}

			csv += gameCsvRow(game, source, ticksFile);
			progress.update(`${label}: writing tick series ${index + 1}/${games.length}`);
		}

		await writeWhole(path.join(outDir, 'games.csv'), csv);
	} catch (error) {
		progress.done();
		io.stderr.write(`${label}: cannot write to ${outDir} (${(error as Error).message}); check free space and permissions\n`);
		return 1;
	}

	progress.done();
	io.stderr.write(`${label}: ${games.length} games, ${tickFiles} tick series from ${report.files - report.unreadable} of ${report.files} files (${report.envelopes} events, ${report.badLines} bad lines) → ${path.join(outDir, 'games.csv')}\n`);
	return report.unreadable > 0 ? 1 : 0;
}
