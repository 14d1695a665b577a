/**
The offline commands, chosen by the first word of the command line
(`rugs-tui summarize FILE...`, `rugs-tui export FILE... --out DIR`,
`rugs-tui stats FILE... [--json]`). Checked
here, before any file is read, with what to do when something is wrong.
*/

const commandNames = ['summarize', 'export', 'stats'] as const;
type CommandName = (typeof commandNames)[number];

type Command = {
	name: CommandName;
	files: string[];
	out: string | undefined;
	/** export: csv (default) or parquet. */
	format?: 'csv' | 'parquet';
	/** export --format parquet: one hive-style folder per UTC day. */
	partition?: 'date';
	/** stats: one JSON document instead of the table. */
	json?: boolean;
};
type ParsedCommand = {ok: true; command: Command} | {ok: false; error: string};

/** Flags of the live monitor, which the offline commands do not take (absent ones are undefined, or false; `--no-color` is harmless and ignored). */
type FlagValues = Record<string, unknown>;

function kebab(name: string): string {
	return name.replaceAll(/[A-Z]/g, letter => `-${letter.toLowerCase()}`);
}

export function parseCommand(input: readonly string[], flags: FlagValues): ParsedCommand | undefined {
	const [word, ...files] = input;
	if (word === undefined) {
		for (const flag of ['out', 'format', 'partition']) {
			if (flags[flag] !== undefined) {
				return {ok: false, error: `--${flag} is for the export command: rugs-tui export FILE... --out DIR${flag === 'out' ? '' : ` --${flag} …`}`};
			}
		}

		return undefined;
	}

	if (!(commandNames as readonly string[]).includes(word)) {
		const hint = /\.(jsonl?|ndjson)$/i.test(word) ? ` (to replay a recording: rugs-tui --replay ${word})` : '';
		return {ok: false, error: `unknown command "${word}": expected summarize or export or stats, or no command for the live monitor${hint}`};
	}

	const name = word as CommandName;
	const unused = Object.entries(flags)
		// `stats` takes --json (one JSON document instead of the table).
		.filter(([flag, value]) => value !== undefined && value !== false && !['out', 'color', 'noColor', 'format', 'partition'].includes(flag) && !(name === 'stats' && flag === 'json') && !(Array.isArray(value) && value.length === 0))
		.map(([flag]) => `--${kebab(flag)}`);
	if (unused.length > 0) {
		return {ok: false, error: `${unused.join(', ')} ${unused.length === 1 ? 'is' : 'are'} not used by ${name}; see rugs-tui --help`};
	}

	if (files.length === 0) {
		const usage = {export: 'rugs-tui export FILE... --out DIR', summarize: 'rugs-tui summarize FILE...', stats: 'rugs-tui stats FILE... [--json]'}[name];
		return {ok: false, error: `${name} needs recordings to read: ${usage}`};
	}

	if (files.some(file => file.trim() === '')) {
		return {ok: false, error: `${name}: an empty file name (is a shell variable unset?); give the recordings to read`};
	}

	const out = typeof flags['out'] === 'string' ? flags['out'] : undefined;
	if (name === 'export' && (out === undefined || out === '')) {
		return {ok: false, error: 'export needs --out DIR: the folder that receives games.csv and ticks/'};
	}

	if (name === 'summarize' && out !== undefined) {
		return {ok: false, error: 'summarize writes JSON lines to stdout and takes no --out; redirect it (> games.jsonl), or use export --out DIR for CSV'};
	}

	// Export's format flags (readers: app/run-export.ts).
	const {format, partition} = flags;
	if (name !== 'export' && (format !== undefined || partition !== undefined)) {
		return {ok: false, error: `--${format === undefined ? 'partition' : 'format'} is for export; ${name === 'stats' ? 'stats writes a table, or JSON with --json' : 'summarize always writes JSON lines'}`};
	}

	if (format !== undefined && format !== 'csv' && format !== 'parquet') {
		return {ok: false, error: `--format ${typeof format === 'string' ? format : '(not text)'}: expected csv or parquet`};
	}

	if (partition !== undefined && partition !== 'date') {
		return {ok: false, error: `--partition ${typeof partition === 'string' ? partition : '(not text)'}: expected date (one folder per UTC day of play)`};
	}

	if (partition !== undefined && format !== 'parquet') {
		return {ok: false, error: '--partition date needs --format parquet (CSV export is one games.csv and one file per game)'};
	}

	if (name === 'stats' && out !== undefined) {
		return {ok: false, error: 'stats writes to stdout and takes no --out; redirect it (> stats.json)'};
	}

	return {ok: true, command: {name, files, out, ...(format === undefined ? {} : {format}), ...(partition === undefined ? {} : {partition}), ...(name === 'stats' ? {json: flags['json'] === true} : {})}};
}
