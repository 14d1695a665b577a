import type {Writable} from 'node:stream';
import {defaultFps} from '../ui/frame-rate.js';
import {camelCase, flagTable} from './cli-flags.js';
import {defaultConfigPath, flagsGiven, mergeSettings, printConfigJson, printConfigText, readConfig, saveConfig, type FlagSpec, type FlagSpecs} from './config-file.js';
import {checkHistoryFiles} from './history-seed.js';
import {checkReplayFiles, defaultCdp, defaultRecordMaxMb, defaultUrl, parseOptions, type RawFlags} from './options.js';

/**
The config file on the command line: find and read it, merge the command
line over it, report its problems, and do `--print-config` / `--save-config`.
Returns the flags for parseOptions, or the exit code when the run ends here.
*/

/** The built-in values of flags whose default is not "unset", for --print-config. */
const shownDefaults: Readonly<Record<string, unknown>> = {
	source: 'auto',
	speed: 1,
	url: defaultUrl,
	cdp: defaultCdp,
	target: 'rugs.fun',
	recordMaxMb: defaultRecordMaxMb,
	fps: defaultFps,
};

/**
The settings a config file may hold, read off the flag table (./cli-flags.ts):
each long flag by its camel-cased name, and a negated switch by what it turns
off (`--no-color` is the setting `color`, default true; `"no-color": true`
in the file means the same). --help and --version are not settings.
*/
const configSpecs: FlagSpecs = Object.fromEntries(flagTable
	.filter(spec => spec.name !== 'help' && spec.name !== 'version')
	.map((spec): [string, FlagSpec] => {
		if (spec.name.startsWith('no-')) {
			return [camelCase(spec.name.slice(3)), {type: 'boolean', default: true}];
		}

		return [camelCase(spec.name), spec.kind === 'list' ? {type: 'string', isMultiple: true} : {type: spec.kind}];
	}));

const negated = flagTable.filter(spec => spec.name.startsWith('no-')).map(spec => ({flag: camelCase(spec.name), setting: camelCase(spec.name.slice(3))}));
const negatedNames = new Set(negated.flatMap(({flag, setting}) => [flag, setting]));

/** The parsed command line as settings: `noColor: true` → `color: false` (else true, its default). */
function asSettings(flags: Readonly<Record<string, unknown>>): Record<string, unknown> {
	const settings = Object.fromEntries(Object.entries(flags).filter(([name]) => !negatedNames.has(name)));
	for (const {flag, setting} of negated) {
		settings[setting] = flags[flag] !== true;
	}

	return settings;
}

/** Settings back as the flags parseOptions reads: `color: false` → `noColor: true`. */
function asFlags(settings: Readonly<Record<string, unknown>>): RawFlags {
	const flags = Object.fromEntries(Object.entries(settings).filter(([name]) => !negatedNames.has(name)));
	for (const {flag, setting} of negated) {
		if (settings[setting] === false) {
			flags[flag] = true;
		}
	}

	return flags;
}

type ConfigIo = {
	argv: readonly string[];
	/** The parsed command line (./cli-args.ts, camel-cased), the offline commands' flags taken off. */
	flags: Readonly<Record<string, unknown>>;
	stdout: Writable;
	stderr: Writable;
	env?: NodeJS.ProcessEnv;
};

/** The monitor's check of a set of flags: what parseOptions and the file checks say, or undefined. */
function check(settings: Record<string, unknown>): string | undefined {
	const parsed = parseOptions(asFlags(settings));
	if (!parsed.ok) {
		return parsed.error;
	}

	return checkReplayFiles(parsed.options.replayFiles) ?? checkHistoryFiles(parsed.options.historyFiles);
}

export function resolveConfig(io: ConfigIo): {flags: RawFlags; exit?: undefined} | {exit: number; flags?: undefined} {
	const cliFlags = asSettings(io.flags);
	const named = typeof cliFlags['config'] === 'string' ? cliFlags['config'] : undefined;
	const file = named ?? defaultConfigPath(io.env);
	const config = readConfig(file, configSpecs, {required: named !== undefined});
	if (config.error !== undefined) {
		io.stderr.write(`rugs-tui: ${config.error}\n`);
		return {exit: 2};
	}

	const given = flagsGiven(io.argv, configSpecs);
	const merged = mergeSettings(configSpecs, cliFlags, given, config, check);
	if (cliFlags['printConfig'] === true) {
		io.stdout.write(cliFlags['json'] === true ? printConfigJson(merged, config, shownDefaults, configSpecs) : printConfigText(configSpecs, merged, config, shownDefaults));
		return {exit: 0};
	}

	const json = merged.flags['json'] === true;
	for (const problem of [...config.problems, ...merged.problems]) {
		// With --json, stderr carries JSON lines only.
		io.stderr.write(json ? `${JSON.stringify({type: 'problem', kind: 'config', ts: Date.now(), message: problem})}\n` : `rugs-tui: config ${problem}\n`);
	}

	if (cliFlags['saveConfig'] === true) {
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

	return {flags: asFlags(merged.flags)};
}
