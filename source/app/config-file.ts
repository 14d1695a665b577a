import {mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs';
import {homedir} from 'node:os';
import path from 'node:path';

/**
The config file, as btop, bottom and lazygit have one:
`$XDG_CONFIG_HOME/rugs-tui/config.json` (default `~/.config/rugs-tui/config.json`,
`--config FILE` for another). It holds defaults for the monitor's long flags,
keyed by the flag's name without `--`:

  {"player": "bob", "fps": 20, "alert": ["price>=2", "unfair"], "record-dir": "~/rugs", "color": false}

Precedence: a flag on the command line wins over the file, which wins over the
built-in defaults. Where flags exclude one another, a command-line choice
takes the file's rival settings out too (`--demo` drops the file's `source`,
`--record` its `record-dir`), so the file never makes a command line invalid.
An unknown key, a value of the wrong type, or a value the flag refuses is
reported with the file name and the key, and that setting falls back to its
default; the run goes on. The file is read, never written, unless the user
asks with `--save-config`. The offline commands (summarize, export, stats)
do not read it.
*/

export type FlagSpec = {type: 'string' | 'number' | 'boolean'; isMultiple?: boolean; default?: unknown};
export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

/** Flags that are about the config file itself, or belong to a command only. */
const notConfigurable: ReadonlySet<string> = new Set(['help', 'version', 'config', 'printConfig', 'saveConfig', 'out']);

type Origin = 'command line' | 'config file' | 'default';

type LoadedConfig = {
	file: string;
	/** The file exists and was read. */
	found: boolean;
	/** Valid settings by flag name (camel-cased, as meow has them), in file order. */
	values: Map<string, unknown>;
	/** What was wrong, one line each, starting with the file name. */
	problems: string[];
};

export function kebab(name: string): string {
	return name.replaceAll(/[A-Z]/g, letter => `-${letter.toLowerCase()}`);
}

export function camel(name: string): string {
	return name.replaceAll(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** `$XDG_CONFIG_HOME/rugs-tui/config.json`, or `~/.config/…`; a relative XDG_CONFIG_HOME is ignored, as the XDG spec says. */
export function defaultConfigPath(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
	const xdg = env['XDG_CONFIG_HOME'];
	const base = xdg !== undefined && xdg !== '' && path.isAbsolute(xdg) ? xdg : path.join(home, '.config');
	return path.join(base, 'rugs-tui', 'config.json');
}

function describe(value: unknown): string {
	if (value === null) {
		return 'null';
	}

	if (Array.isArray(value)) {
		return 'a list';
	}

	const shown = JSON.stringify(value);
	const text = shown.length > 40 ? `${shown.slice(0, 39)}…` : shown;
	return `${typeof value === 'object' ? 'an object' : `a ${typeof value}`} (${text})`;
}

/** The value if it has the flag's type (a single string also fills a repeatable flag), else what is wrong. */
function checkType(spec: FlagSpec, value: unknown): {value: unknown} | {error: string} {
	if (spec.isMultiple === true) {
		if (typeof value === 'string') {
			return {value: [value]};
		}

		if (Array.isArray(value) && value.every(item => typeof item === (spec.type === 'number' ? 'number' : 'string'))) {
			return {value};
		}

		return {error: `should be a list of ${spec.type}s (or one ${spec.type}), not ${describe(value)}`};
	}

	if (spec.type === 'number' ? typeof value === 'number' && Number.isFinite(value) : typeof value === spec.type) {
		return {value};
	}

	return {error: `should be a ${spec.type}, not ${describe(value)}`};
}

/**
Read and check the file. A missing file is no problem unless it was named
with `--config` (then `error` says so: the caller stops with exit 2).
*/
export function readConfig(file: string, specs: FlagSpecs, options: {required?: boolean} = {}): LoadedConfig & {error?: string} {
	const config: LoadedConfig = {file, found: false, values: new Map(), problems: []};
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		const {code} = error as NodeJS.ErrnoException;
		if (code === 'ENOENT' && options.required !== true) {
			return config;
		}

		const why = code === 'ENOENT' ? 'no such file' : (code === 'EISDIR' ? 'is a directory' : (error as Error).message);
		if (options.required === true) {
			return {...config, error: `--config ${file}: ${why}`};
		}

		config.problems.push(`${file}: cannot read it (${why}); using the defaults`);
		return config;
	}

	config.found = true;
	let data: unknown;
	try {
		data = JSON.parse(text);
	} catch (error) {
		config.problems.push(`${file}: not valid JSON (${(error as Error).message}); using the defaults`);
		return config;
	}

	if (typeof data !== 'object' || data === null || Array.isArray(data)) {
		config.problems.push(`${file}: should hold one JSON object of settings, such as {"fps": 20}; using the defaults`);
		return config;
	}

	for (const [key, raw] of Object.entries(data)) {
		let name = camel(key);
		let value: unknown = raw;
		// "no-color": true means "color": false, as --no-color does.
		if (key.startsWith('no-') && specs[camel(key.slice(3))]?.type === 'boolean' && specs[camel(key.slice(3))]?.default === true) {
			name = camel(key.slice(3));
			value = typeof raw === 'boolean' ? !raw : raw;
		}

		const spec = specs[name];
		if (spec === undefined || notConfigurable.has(name) || (key !== kebab(name) && !key.startsWith('no-'))) {
			config.problems.push(`${file}: unknown key ${JSON.stringify(key)} (ignored); keys are the long flags without --, such as "fps", "record-dir" or "alert"`);
			continue;
		}

		const checked = checkType(spec, value);
		if ('error' in checked) {
			config.problems.push(`${file}: ${JSON.stringify(key)} ${checked.error}; using the default`);
			continue;
		}

		config.values.set(name, checked.value);
	}

	return config;
}

/** The flags (camel-cased) the command line itself sets: `--name`, `--name=value`, `--no-name`, up to `--`. */
export function flagsGiven(argv: readonly string[], specs: FlagSpecs): Set<string> {
	const given = new Set<string>();
	for (const argument of argv) {
		if (argument === '--') {
			break;
		}

		const match = /^--([a-z][a-z\d-]*)(?:=|$)/.exec(argument);
		if (match === null) {
			continue;
		}

		const name = camel(match[1]!);
		if (specs[name] !== undefined) {
			given.add(name);
		} else if (name.startsWith('no') && specs[camel(match[1]!.slice(3))] !== undefined) {
			given.add(camel(match[1]!.slice(3)));
		}
	}

	return given;
}

/** When the command line sets one of `when`, the file's settings in `drop` are left out (they would contradict it). */
const rivals: ReadonlyArray<{when: readonly string[]; drop: readonly string[]}> = [
	{when: ['source', 'demo', 'replay', 'launch'], drop: ['source', 'demo', 'replay', 'launch']},
	{when: ['launch'], drop: ['cdp']},
	{when: ['record', 'recordDir'], drop: ['record', 'recordDir']},
	{when: ['record'], drop: ['recordMaxMb']},
];

type Setting = {value: unknown; origin: Origin; overriddenBy?: string};

type Settings = {
	/** The flags to use: the command line's, the file's where the command line says nothing, else undefined (the default). */
	flags: Record<string, unknown>;
	/** Where each configurable setting came from, for --print-config. */
	settings: Map<string, Setting>;
	/** Settings of the file that a value check refused (with the file name and key). */
	problems: string[];
};

/**
Merge the command line over the file. `validate` checks a set of flags as the
monitor would (its error, or undefined): a file setting that makes them
invalid is reported and left at its default; an error of the command line
itself is left for the caller to report.
*/
export function mergeSettings(specs: FlagSpecs, cliFlags: Readonly<Record<string, unknown>>, given: ReadonlySet<string>, config: LoadedConfig, validate: (flags: Record<string, unknown>) => string | undefined): Settings {
	const settings = new Map<string, Setting>();
	const flags: Record<string, unknown> = {};
	for (const name of Object.keys(specs)) {
		if (notConfigurable.has(name)) {
			continue;
		}

		if (given.has(name)) {
			flags[name] = cliFlags[name];
			settings.set(name, {value: cliFlags[name], origin: 'command line'});
		} else {
			flags[name] = undefined;
			settings.set(name, {value: undefined, origin: 'default'});
		}
	}

	const fromFile: string[] = [];
	for (const [name, value] of config.values) {
		const rival = rivals.find(rule => rule.drop.includes(name) && rule.when.some(flag => given.has(flag)));
		if (given.has(name) || rival !== undefined) {
			const by = given.has(name) ? name : rival!.when.find(flag => given.has(flag))!;
			settings.set(name, {...settings.get(name)!, overriddenBy: `--${kebab(by)} on the command line (the file says ${JSON.stringify(value)})`});
			continue;
		}

		fromFile.push(name);
	}

	const problems: string[] = [];
	if (validate(flags) !== undefined) {
		// The command line alone is wrong: the caller reports that, with the file left out.
		return {flags, settings, problems};
	}

	// Add the file's settings one at a time; one that breaks the flags waits for a second pass (it may need another, later in the file).
	let waiting: string[] = [];
	for (const pass of [1, 2]) {
		const candidates = pass === 1 ? fromFile : waiting;
		waiting = [];
		for (const name of candidates) {
			const trial = {...flags, [name]: config.values.get(name)};
			const error = validate(trial);
			if (error === undefined) {
				flags[name] = config.values.get(name);
				settings.set(name, {value: config.values.get(name), origin: 'config file'});
			} else if (pass === 1) {
				waiting.push(name);
			} else {
				problems.push(`${config.file}: ${JSON.stringify(kebab(name))}: ${error}; using the default`);
			}
		}
	}

	return {flags, settings, problems};
}

function shownValue(name: string, spec: FlagSpec, value: unknown, fallback: unknown): string {
	const effective = value ?? fallback;
	if (effective === undefined) {
		return '–';
	}

	if (spec.type === 'boolean') {
		return effective === true ? `--${kebab(name)}` : (spec.default === true ? `--no-${kebab(name)}` : 'off');
	}

	if (Array.isArray(effective)) {
		return effective.length === 0 ? '–' : effective.map(item => `--${kebab(name)} ${String(item)}`).join(' ');
	}

	return `--${kebab(name)} ${typeof effective === 'string' ? effective : JSON.stringify(effective)}`;
}

/** `--print-config`: every setting, its value and where it came from. */
export function printConfigText(specs: FlagSpecs, merged: Settings, config: LoadedConfig, defaults: Readonly<Record<string, unknown>>): string {
	const lines = [`rugs-tui settings (config file: ${config.file}${config.found ? '' : ', not present'}; command line > config file > default)`];
	const rows = [...merged.settings.entries()].map(([name, setting]) => {
		const value = shownValue(name, specs[name]!, setting.value, setting.origin === 'default' ? defaults[name] ?? specs[name]!.default : undefined);
		const origin = setting.overriddenBy === undefined ? setting.origin : `${setting.origin}; the file's value is overridden by ${setting.overriddenBy}`;
		return [kebab(name), value, origin] as const;
	});
	const width = Math.max(...rows.map(([name]) => name.length));
	const valueWidth = Math.min(40, Math.max(...rows.map(([, value]) => value.length)));
	for (const [name, value, origin] of rows) {
		lines.push(`  ${name.padEnd(width)}  ${value.padEnd(valueWidth)}  ${origin}`);
	}

	for (const problem of [...config.problems, ...merged.problems]) {
		lines.push(`  problem: ${problem}`);
	}

	return `${lines.join('\n')}\n`;
}

/** The same as JSON, for scripts. */
export function printConfigJson(merged: Settings, config: LoadedConfig, defaults: Readonly<Record<string, unknown>>, specs: FlagSpecs): string {
	const settings: Record<string, {value: unknown; from: Origin; overriddenBy?: string}> = {};
	for (const [name, setting] of merged.settings) {
		const value = setting.origin === 'default' ? defaults[name] ?? specs[name]!.default ?? null : setting.value;
		settings[kebab(name)] = {value, from: setting.origin, ...(setting.overriddenBy === undefined ? {} : {overriddenBy: setting.overriddenBy})};
	}

	return `${JSON.stringify({file: config.file, found: config.found, settings, problems: [...config.problems, ...merged.problems]})}\n`;
}

/**
`--save-config`: the settings in force that are not defaults (the file's, with
the command line's over them) written to the file, whole or not at all.
Returns the keys written.
*/
export function saveConfig(file: string, merged: Settings): string[] {
	const data: Record<string, unknown> = {};
	for (const [name, setting] of merged.settings) {
		if (setting.origin !== 'default' && setting.value !== undefined) {
			data[kebab(name)] = setting.value;
		}
	}

	mkdirSync(path.dirname(file), {recursive: true});
	const temporary = `${file}.${process.pid}.partial`;
	writeFileSync(temporary, `${JSON.stringify(data, undefined, '\t')}\n`, {mode: 0o600});
	renameSync(temporary, file);
	return Object.keys(data);
}
