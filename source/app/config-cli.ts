import type {Writable} from 'node:stream';
import {defaultFps} from '../ui/frame-rate.js';
import {defaultConfigPath, flagsGiven, mergeSettings, printConfigJson, printConfigText, readConfig, saveConfig, type FlagSpecs} from './config-file.js';
import {checkHistoryFiles} from './history-seed.js';
import {checkReplayFiles, defaultCdp, defaultRecordMaxMb, defaultUrl, parseOptions, type RawFlags} from './options.js';

/**
The config file on the command line: find and read it, merge the command
line over it, report its problems, and do `--print-config` / `--save-config`.
Returns the flags for parseOptions, or the exit code when the run ends here.
*/

/** The built-in values of flags whose default is not "unset", for --print-config. */
export const shownDefaults: Readonly<Record<string, unknown>> = {
	source: 'auto',
	speed: 1,
	url: defaultUrl,
	cdp: defaultCdp,
	target: 'rugs.fun',
	recordMaxMb: defaultRecordMaxMb,
	fps: defaultFps,
};

export type ConfigIo = {
	argv: readonly string[];
	specs: FlagSpecs;
	/** meow's flags (camel-cased), `out` taken off. */
	cliFlags: Readonly<Record<string, unknown>>;
	stdout: Writable;
	stderr: Writable;
	env?: NodeJS.ProcessEnv;
};

/** The monitor's check of a set of flags: what parseOptions and the file checks say, or undefined. */
function check(flags: Record<string, unknown>): string | undefined {
	const parsed = parseOptions(flags);
	if (!parsed.ok) {
		return parsed.error;
	}

	return checkReplayFiles(parsed.options.replayFiles) ?? checkHistoryFiles(parsed.options.historyFiles);
}

export function resolveConfig(io: ConfigIo): {flags: RawFlags; exit?: undefined} | {exit: number; flags?: undefined} {
	const named = typeof io.cliFlags['config'] === 'string' ? io.cliFlags['config'] : undefined;
	const file = named ?? defaultConfigPath(io.env);
	const config = readConfig(file, io.specs, {required: named !== undefined});
	if (config.error !== undefined) {
		io.stderr.write(`rugs-tui: ${config.error}\n`);
		return {exit: 2};
	}

	const given = flagsGiven(io.argv, io.specs);
	const merged = mergeSettings(io.specs, io.cliFlags, given, config, check);
	if (io.cliFlags['printConfig'] === true) {
		io.stdout.write(io.cliFlags['json'] === true ? printConfigJson(merged, config, shownDefaults, io.specs) : printConfigText(io.specs, merged, config, shownDefaults));
		return {exit: 0};
	}

	const json = merged.flags['json'] === true;
	for (const problem of [...config.problems, ...merged.problems]) {
		// With --json, stderr carries JSON lines only.
		io.stderr.write(json ? `${JSON.stringify({type: 'problem', kind: 'config', ts: Date.now(), message: problem})}\n` : `rugs-tui: config ${problem}\n`);
	}

	if (io.cliFlags['saveConfig'] === true) {
		const error = check(merged.flags);
		if (error !== undefined) {
			io.stderr.write(`rugs-tui: ${error}; nothing saved\n`);
			return {exit: 2};
		}

		try {
			const keys = saveConfig(file, merged);
			io.stderr.write(`rugs-tui: wrote ${keys.length} setting${keys.length === 1 ? '' : 's'} to ${file}${keys.length > 0 ? ` (${keys.join(', ')})` : ''}\n`);
			return {exit: 0};
		} catch (error) {
			io.stderr.write(`rugs-tui: cannot write ${file} (${(error as Error).message})\n`);
			return {exit: 1};
		}
	}

	return {flags: merged.flags};
}
