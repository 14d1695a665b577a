import {readFileSync} from 'node:fs';
import process from 'node:process';
import {helpOrVersion, helpText} from './app/cli-flags.js';
import {parseCommand} from './app/commands.js';
import {eventNameWarnings} from './app/event-names.js';
import {parseOptions, checkReplayFiles} from './app/options.js';
import {errorText} from './protocol/error-text.js';

/*
The entry point. It loads only what the mode needs, when it knows the mode:
`--version` and `--help` load nothing beyond the flag table and the option
checks; every other run loads the parser (app/cli-args.ts), and a bad
command line nothing more; the runners (the TUI with React and Ink, the
JSON writer, the offline commands) are imported at the boundary, and the
sources inside them load the same way (app/start-source.ts).
*/

// Tests and tools find the process by this name. meow gives it the same
// (package.json's bin) when it parses, but --help and --version do not load it.
process.title = 'rugs-tui';

type Manifest = {version?: string; description?: string};

function manifest(): Manifest {
	return JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as Manifest;
}

function usageError(message: string): number {
	process.stderr.write(`rugs-tui: ${message}\n`);
	return 2;
}

/** A warning about the command line that does not stop the run: a JSON line in JSON mode (stderr carries only those there), text otherwise. */
function warn(message: string, json: boolean): void {
	process.stderr.write(json
		? `${JSON.stringify({type: 'problem', kind: 'usage', ts: Date.now(), message})}\n`
		: `rugs-tui: warning: ${message}\n`);
}

async function main(argv: readonly string[]): Promise<number> {
	const asked = helpOrVersion(argv);
	if (asked !== undefined) {
		const {version = 'unknown', description = ''} = manifest();
		process.stdout.write(asked === 'help' ? helpText(description) : `${version}\n`);
		return 0;
	}

	const {parseArguments} = await import('./app/cli-args.js');
	const parsed = parseArguments(argv);
	if (!parsed.ok) {
		return usageError(parsed.error);
	}

	const {out, format, partition, ...monitorFlags} = parsed.flags;
	const command = parseCommand(parsed.positionals, {...monitorFlags, out, format, partition});
	if (command !== undefined) {
		if (!command.ok) {
			return usageError(command.error);
		}

		const {name, files} = command.command;
		const io = {stdout: process.stdout, stderr: process.stderr};
		if (name === 'stats') {
			const {runStats} = await import('./app/run-stats.js');
			return runStats(files, io, {json: command.command.json === true});
		}

		if (name === 'summarize') {
			const {runSummarize} = await import('./app/run-summarize.js');
			return runSummarize(files, io);
		}

		const {runExport} = await import('./app/run-export.js');
		return runExport(files, command.command.out!, io, {format: command.command.format, partition: command.command.partition});
	}

	// The config file's defaults under the command line's flags (app/config-file.ts); --print-config and --save-config end here.
	const [{resolveConfig}, {checkHistoryFiles}] = await Promise.all([import('./app/config-cli.js'), import('./app/history-seed.js')]);
	const resolved = resolveConfig({argv, flags: monitorFlags, stdout: process.stdout, stderr: process.stderr});
	if (resolved.exit !== undefined) {
		return resolved.exit;
	}

	const options = parseOptions(resolved.flags);
	const error = options.ok ? checkReplayFiles(options.options.replayFiles) ?? checkHistoryFiles(options.options.historyFiles) : options.error;
	if (error !== undefined || !options.ok) {
		return usageError(error ?? 'invalid options');
	}

	const tui = !options.options.json && process.stdout.isTTY;
	for (const warning of eventNameWarnings(options.options.events ?? [])) {
		warn(warning, !tui);
	}

	if (tui) {
		const {runTui} = await import('./app/run-tui.js');
		const code = await runTui(options.options, {stdin: process.stdin, stdout: process.stdout, stderr: process.stderr});
		// The terminal is restored; a source that does not let go must not keep the process alive.
		setTimeout(() => {
			process.exit(code);
		}, 2000).unref();
		return code;
	}

	if (!options.options.json) {
		process.stderr.write('rugs-tui: stdout is not a terminal; writing events as JSON lines (as --json does)\n');
	}

	const {runJson} = await import('./app/run-json.js');
	return runJson(options.options, {stdout: process.stdout, stderr: process.stderr});
}

try {
	const code = await main(process.argv.slice(2));
	if (code === 129) {
		// SIGHUP: the terminal is likely gone, and Node's own exit would abort resetting it (tcsetattr fails with EIO).
		// Everything is closed by now: end by the signal itself, which the shell sees as 129 too. A listener left for
		// it (Ink's signal-exit) takes it on the next turn of the event loop and re-raises it; exit anyway if none does.
		process.kill(process.pid, 'SIGHUP');
		setTimeout(() => {
			process.exit(code);
		}, 1000);
	} else if (code > 128) {
		// Ended by a signal: do not linger for output a stalled reader may never take.
		process.exit(code);
	} else {
		process.exitCode = code;
	}
} catch (error) {
	process.stderr.write(`rugs-tui: ${errorText(error)}\n`);
	process.exitCode = 1;
}
