import {defaultFps} from '../ui/frame-rate.js';
import {defaultCdp, defaultRecordMaxMb, defaultUrl} from './options.js';

/**
Every flag of the command line, in one table that drives everything about
it: the parser (./cli-args.ts: meow's flags, what takes a value, the
refusal of a missing or empty value, unknown flags and their suggestions),
the type of the parsed flags (`FlagValues`, which options.ts reads), and
`--help` (whose text README's Flags block must equal: test/readme.test.ts).

Adding a flag is one entry here, in the section where --help shows it:
`{name: 'record-format', kind: 'string', value: 'FORMAT', section: 'Output', help: 'what it does'}`
(`kind`: boolean, string, number, or list for a string that may repeat; a
help text that wraps is an array of lines). Then read it in options.ts
(`flags.recordFormat`) and copy the new --help into README's Flags block.

This module is loaded for every run, `--version` included: it imports
nothing but the defaults the help text names. `--help` and `--version` are
answered from here (helpOrVersion), before the parser is loaded.
*/

export type FlagKind = 'boolean' | 'string' | 'number' | 'list';
export type SectionId = 'sources' | 'output' | 'offline' | 'display' | 'alerts' | 'config' | 'about';

export type FlagSpec = {
	/** As typed, without the leading `--`: `record-max-mb` (parsed as `recordMaxMb`). */
	readonly name: string;
	readonly kind: FlagKind;
	/** The value's name in --help (`FILE`, `N`); every kind but boolean has one. */
	readonly value?: string;
	/** The value a value flag takes when given alone (`--cdp` = 127.0.0.1:9222); without it, a value is required. */
	readonly alone?: string;
	readonly section: SectionId;
	/** Its --help text: one line, or the lines it wraps to. */
	readonly help: string | readonly string[];
};

export const flagTable = [
	{name: 'source', kind: 'string', value: 'auto|direct|cdp|replay|demo', section: 'sources', help: ['where events come from (default auto: your Chrome tab', 'through CDP when one is open on rugs.fun, else the direct socket)']},
	{name: 'demo', kind: 'boolean', section: 'sources', help: 'embedded demo feed (no network)'},
	{name: 'replay', kind: 'list', value: 'FILE', section: 'sources', help: 'replay a recording (repeat for several files)'},
	{name: 'speed', kind: 'number', value: 'N', section: 'sources', help: 'replay speed: 1 = recorded cadence, 0 = as fast as possible (default 1)'},
	{name: 'loop', kind: 'boolean', section: 'sources', help: 'start the replay again after the last file (the monitor starts afresh)'},
	{name: 'url', kind: 'string', value: 'URL', section: 'sources', help: `direct source URL (default ${defaultUrl})`},
	{name: 'max-reconnects', kind: 'number', value: 'N', section: 'sources', help: 'give up after N reconnection attempts (default unlimited)'},
	{name: 'cdp', kind: 'string', value: '[HOST:]PORT', alone: defaultCdp, section: 'sources', help: `Chrome DevTools address (default ${defaultCdp})`},
	{name: 'target', kind: 'string', value: 'TEXT', section: 'sources', help: 'attach to the tab whose URL contains TEXT (default rugs.fun)'},
	{name: 'reload', kind: 'boolean', section: 'sources', help: 'reload the tab after attaching, for a clean start'},
	{name: 'launch', kind: 'boolean', section: 'sources', help: ['start Chrome/Chromium (CHROME_PATH or the usual places) with a fresh', 'temporary profile, open rugs.fun and watch it; closed and deleted on exit']},
	{name: 'allow-remote-cdp', kind: 'boolean', section: 'sources', help: 'allow a non-loopback --cdp host (CDP is full control of that browser)'},

	{name: 'json', kind: 'boolean', section: 'output', help: 'write every event as one JSON line on stdout (no UI)'},
	{name: 'events', kind: 'string', value: 'a,b', section: 'output', help: 'keep only these event names'},
	{name: 'record', kind: 'string', value: 'FILE', section: 'output', help: ['append every event to FILE as JSON lines (all events: --events does not filter it);', 'FILE.jsonl.gz writes gzip, FILE.jsonl.br brotli']},
	{name: 'record-dir', kind: 'string', value: 'DIR', section: 'output', help: 'record into DIR: rugs-YYYY-MM-DD.jsonl.gz per UTC day, then -1, -2… by size'},
	{name: 'record-max-mb', kind: 'number', value: 'N', section: 'output', help: `with --record-dir: start the next file at N MB on disk (default ${defaultRecordMaxMb})`},
	{name: 'record-compress', kind: 'string', value: 'KIND', section: 'output', help: 'with --record-dir: gzip, brotli or none (default gzip)'},
	{name: 'redact', kind: 'boolean', section: 'output', help: ['for --json and recordings: drop auth events, replace player ids and', 'usernames with per-run pseudonyms, strip credentials and trace ids']},

	{name: 'out', kind: 'string', value: 'DIR', section: 'offline', help: 'export: folder for games.csv and ticks/<gameId>.csv'},
	{name: 'format', kind: 'string', value: 'csv|parquet', section: 'offline', help: 'export: CSV (default), or games, ticks, trades and sidebets .parquet'},
	{name: 'partition', kind: 'string', value: 'date', section: 'offline', help: 'export --format parquet: one DIR/<table>/date=YYYY-MM-DD/ folder per day'},

	{name: 'player', kind: 'string', value: 'NAME', section: 'display', help: 'show NAME\'s position from the leaderboard'},
	{name: 'fps', kind: 'number', value: 'N', section: 'display', help: `redraw at most N times per second (default ${defaultFps})`},
	{name: 'no-color', kind: 'boolean', section: 'display', help: 'no colours (NO_COLOR is honoured too)'},

	{name: 'alert', kind: 'list', value: 'RULE', section: 'alerts', help: ['alert when RULE happens (repeat for several): price>=X (the multiplier', 'reaches X, once a game), rug, player:NAME (a trade by NAME),', 'unfair (a provably-fair check fails), silent:S (no event for S seconds)']},
	{name: 'no-bell', kind: 'boolean', section: 'alerts', help: 'alerts show in the status bar without ringing the terminal bell'},
	{name: 'notify', kind: 'boolean', section: 'alerts', help: ['alerts also send a desktop notification through the terminal (OSC 9/777)', '(with --json, each alert is one JSON line on stderr)']},
	{name: 'history', kind: 'list', value: 'FILE', section: 'alerts', help: 'count the games of earlier recordings into the statistics (repeatable)'},

	{name: 'config', kind: 'string', value: 'FILE', section: 'config', help: 'read the settings from FILE instead'},
	{name: 'print-config', kind: 'boolean', section: 'config', help: 'print the settings in force and where each came from, then exit'},
	{name: 'save-config', kind: 'boolean', section: 'config', help: 'write the settings in force (file and command line) to the file, then exit'},

	{name: 'help', kind: 'boolean', section: 'about', help: 'show this help'},
	{name: 'version', kind: 'boolean', section: 'about', help: 'show the version'},
] as const satisfies readonly FlagSpec[];

/** The sections of --help in order: a title (none for the last), and lines after its flags. */
const sections: ReadonlyArray<{id: SectionId; title?: string; after?: readonly string[]}> = [
	{id: 'sources', title: 'Sources'},
	{id: 'output', title: 'Output'},
	{id: 'offline', title: 'Offline commands (read recordings: plain, .gz or .br by content; - is standard input)'},
	{id: 'display', title: 'Display', after: ['(in the monitor: 1-6 panes, p freeze, / filter trades, v provably fair, ? all keys, q quit)']},
	{id: 'alerts', title: 'Alerts and statistics'},
	{id: 'config', title: 'Config file ($XDG_CONFIG_HOME/rugs-tui/config.json, else ~/.config/rugs-tui/config.json)'},
	{id: 'about'},
];

const usage = [
	'$ rugs-tui [options]                 live monitor (terminal UI)',
	'$ rugs-tui --replay FILE [--json]    replay a recording',
	'$ rugs-tui summarize FILE...         one JSON line per game seen, with provably-fair checks',
	'$ rugs-tui export FILE... --out DIR  games.csv and one tick series per game (CSV), or Parquet tables',
	'$ rugs-tui stats FILE... [--json]    rug ticks, peaks, survival and sidebets against the fairness model',
];

type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S;
type ValueOf<Kind extends FlagKind> = Kind extends 'boolean' ? boolean : Kind extends 'number' ? number : Kind extends 'list' ? string[] : string;
type Flag = (typeof flagTable)[number];

/** The parsed command line: each flag given, camel-cased (`--record-max-mb 5` → `recordMaxMb: 5`); absent flags are absent. */
export type FlagValues = {[F in Flag as CamelCase<F['name']>]?: ValueOf<F['kind']>};

/** The first `--help` or `--version` before `--`, checked before anything else is: asking for help always gets it. */
export function helpOrVersion(argv: readonly string[]): 'help' | 'version' | undefined {
	for (const argument of argv) {
		if (argument === '--') {
			return undefined;
		}

		if (argument === '--help' || argument === '--version') {
			return argument === '--help' ? 'help' : 'version';
		}
	}

	return undefined;
}

export function camelCase(name: string): string {
	return name.replaceAll(/-([a-z])/g, (_match, letter: string) => letter.toUpperCase());
}

/** The column where help texts start, after the flag and its value. */
const helpColumn = 23;
const indent = '    ';

function flagLines(spec: FlagSpec): string[] {
	const label = `--${spec.name}${spec.value === undefined ? '' : ` ${spec.value}`}`;
	const [first = '', ...rest] = typeof spec.help === 'string' ? [spec.help] : spec.help;
	const head = label.length < helpColumn ? label.padEnd(helpColumn) : `${label}   `;
	return [`${indent}${head}${first}`, ...rest.map(line => `${indent}${' '.repeat(helpColumn)}${line}`)];
}

/** The text of `--help`, the package's description first. */
export function helpText(description: string, table: readonly FlagSpec[] = flagTable): string {
	const lines = ['', `  ${description}`, '', '  Usage', ...usage.map(line => `${indent}${line}`)];
	for (const section of sections) {
		lines.push('');
		if (section.title !== undefined) {
			lines.push(`  ${section.title}`);
		}

		for (const spec of table.filter(flag => flag.section === section.id)) {
			lines.push(...flagLines(spec));
		}

		lines.push(...(section.after ?? []).map(line => `${indent}${line}`));
	}

	return `${lines.join('\n')}\n\n`;
}
