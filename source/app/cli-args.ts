import meow, {type AnyFlag} from 'meow';
import {camelCase, flagTable, type FlagKind, type FlagSpec, type FlagValues} from './cli-flags.js';
import {closest} from './suggest.js';

// Checked before the parser is loaded (./cli-flags.ts); exported here too, beside the parser.
export {helpOrVersion} from './cli-flags.js';

/**
The command line, parsed by meow against the flag table (./cli-flags.ts):
meow's flags are derived from the table (meowFlags), and meow reads the
values (numbers with Number(): what is not one is NaN, and options.ts says
which flag wanted a number), gathers a repeated `--replay` into a list,
camel-cases the names, reads `--no-color`, and keeps the positionals.

A pre-pass over argv, against the table, says first (in the order of the
line, the first problem only) what meow and yargs-parser under it would let
through or say in their own words, each with the flag as the user typed it:

- an unknown flag (`--bogus`, `-x`, `--recordDir`), with the nearest real one
  when there is;
- a value flag without its value (`--speed` last, `--replay --json`), or with
  an empty one (`--replay ""`, `--out=`: an unset shell variable), which
  would otherwise read as absent or as 0;
- a value given to a switch (`--json=false`);
- a single-value flag given twice (`--speed 1 --speed 0`).

It decides which argument is a value, as yargs-parser would not always: a
value flag takes the next argument unless that is another flag (`--…`), so
`--speed -1` and `--target -x` are values (a speed refused later, a text).
`--` ends the flags. Then it hands meow the line in a form meow reads only
one way: each value as an argument of its own (yargs-parser strips the
quotes off `--player="q"`), or joined with `=` when it starts with `-` (it
would read `-x` as a flag); `--cdp` alone with the value it means; a switch
given twice once (meow refuses a flag set twice); and the positionals after
a `--` (so that `true` after a switch is not read as its value). The
post-pass maps meow's flags back to the table's names (`color: false` is
`noColor: true`) and keeps only the flags given: absent flags are absent.
*/

type ParsedArguments =
	| {ok: true; flags: FlagValues; positionals: string[]}
	| {ok: false; error: string};

const seeHelp = '(see rugs-tui --help)';

/** `unknown flag --bogus (see rugs-tui --help)`, with the flag it most likely meant when one is close. */
export function unknownFlag(written: string, table: readonly FlagSpec[] = flagTable): string {
	const name = written.replace(/^-+/, '');
	const names = table.map(spec => spec.name);
	// `--color` for `--no-color`: the negation is the flag there is.
	const guess = names.includes(`no-${name}`) ? `no-${name}` : closest(name, names);
	return guess === undefined ? `unknown flag ${written} ${seeHelp}` : `unknown flag ${written}: did you mean --${guess}? ${seeHelp}`;
}

function emptyValue(written: string, spec: FlagSpec): string {
	const alone = spec.alone === undefined ? '' : `; ${written} alone means ${spec.alone}`;
	return `${written} needs a value (${spec.value ?? 'a value'}), not an empty one (is a shell variable unset?)${alone} ${seeHelp}`;
}

/** The flag a `--no-…` switch of the table negates (`no-color` → `color`): meow reads `--no-color` as `color: false`. */
function negated(spec: FlagSpec): string | undefined {
	return spec.kind === 'boolean' && spec.name.startsWith('no-') ? spec.name.slice(3) : undefined;
}

/** The name meow knows a flag by: camel-cased, and a negation under the flag it negates. */
function meowName(spec: FlagSpec): string {
	return camelCase(negated(spec) ?? spec.name);
}

const meowTypes = {boolean: 'boolean', string: 'string', number: 'number', list: 'string'} as const satisfies Record<FlagKind, AnyFlag['type']>;

/** meow's `flags` option, from the table: a list is a string flag that may repeat. */
export function meowFlags(table: readonly FlagSpec[] = flagTable): Record<string, AnyFlag> {
	return Object.fromEntries(table.map(spec => [meowName(spec), spec.kind === 'list' ? {type: meowTypes[spec.kind], isMultiple: true} : {type: meowTypes[spec.kind]}]));
}

type Checked =
	| {ok: true; argv: string[]; given: Set<string>}
	| {ok: false; error: string};

/** The pre-pass: the first problem of the line, or the line as meow is to read it and the names of the flags it gives. */
function check(argv: readonly string[], table: readonly FlagSpec[]): Checked {
	const byName = new Map(table.map(spec => [spec.name, spec]));
	const tokens: string[] = [];
	const positionals: string[] = [];
	const given = new Set<string>();
	/** What each single-value flag was given, to say both values if it comes twice. */
	const values = new Map<string, string>();
	for (let index = 0; index < argv.length; index++) {
		const argument = argv[index]!;
		if (argument === '--') {
			positionals.push(...argv.slice(index + 1));
			break;
		}

		if (!argument.startsWith('-') || argument === '-') {
			positionals.push(argument);
			continue;
		}

		const equals = argument.indexOf('=');
		const written = equals === -1 ? argument : argument.slice(0, equals);
		const inline = equals === -1 ? undefined : argument.slice(equals + 1);
		const spec = written.startsWith('--') ? byName.get(written.slice(2)) : undefined;
		if (spec === undefined) {
			return {ok: false, error: unknownFlag(written, table)};
		}

		if (spec.kind === 'boolean') {
			if (inline !== undefined) {
				return {ok: false, error: `${written} takes no value (leave it out to turn it off) ${seeHelp}`};
			}

			if (!given.has(spec.name)) {
				given.add(spec.name);
				tokens.push(`--${spec.name}`);
			}

			continue;
		}

		let text = inline;
		if (text === undefined) {
			const next = argv[index + 1];
			if (next !== undefined && !next.startsWith('--')) {
				text = next;
				index++;
			}
		}

		if (text === undefined) {
			if (spec.alone === undefined) {
				return {ok: false, error: `${written} needs a value (${spec.value ?? 'a value'}) ${seeHelp}`};
			}

			text = spec.alone;
		}

		if (text.trim() === '') {
			return {ok: false, error: emptyValue(written, spec)};
		}

		if (spec.kind !== 'list') {
			const earlier = values.get(spec.name);
			if (earlier !== undefined) {
				return {ok: false, error: `${written} given twice (${earlier}, then ${text}): give it once ${seeHelp}`};
			}

			values.set(spec.name, text);
		}

		given.add(spec.name);
		// yargs-parser reads an argument that starts with `-` (but for a plain negative number) as a flag, not as the value before it.
		tokens.push(...(text.startsWith('-') ? [`--${spec.name}=${text}`] : [`--${spec.name}`, text]));
	}

	return {ok: true, argv: [...tokens, '--', ...positionals], given};
}

export function parseArguments(argv: readonly string[], table: readonly FlagSpec[] = flagTable): ParsedArguments {
	const checked = check(argv, table);
	if (!checked.ok) {
		return checked;
	}

	const cli = meow({
		argv: checked.argv,
		importMeta: import.meta,
		flags: meowFlags(table),
		// The pre-pass has refused unknown flags in our words; meow must not exit with its own.
		allowUnknownFlags: true,
		// cli.tsx answers --help and --version from the table before the parser is loaded.
		autoHelp: false,
		autoVersion: false,
		help: false,
		description: false,
		// Absent switches are absent, not false.
		booleanDefault: undefined,
	});
	const parsed: Record<string, unknown> = {};
	for (const spec of table) {
		if (checked.given.has(spec.name)) {
			const value = cli.flags[meowName(spec)];
			parsed[camelCase(spec.name)] = negated(spec) === undefined ? value : value === false;
		}
	}

	return {ok: true, flags: parsed, positionals: cli.input};
}
