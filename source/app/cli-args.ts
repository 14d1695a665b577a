import {camelCase, flagTable, type FlagSpec, type FlagValues} from './cli-flags.js';
import {closest} from './suggest.js';

// Checked before the parser is loaded (./cli-flags.ts); exported here too, beside the parser.
export {helpOrVersion} from './cli-flags.js';

/**
The command line read against the flag table (./cli-flags.ts), with the
problems a parser should not let through said in one way, each with the flag
as the user typed it:

- an unknown flag (`--bogus`, `-x`), with the nearest real one when there is;
- a value flag without its value (`--speed` last, `--replay --json`), or with
  an empty one (`--replay ""`, `--out=`: an unset shell variable), which
  would otherwise read as absent or as 0;
- a value given to a switch (`--json=false`);
- a single-value flag given twice (`--speed 1 --speed 0`).

A value flag takes the next argument, unless that is another flag (`--…`):
`--speed -1` is a value (refused later, as a speed). `--` ends the flags.
Numbers are read with Number(): what is not one is NaN, and options.ts says
which flag wanted a number.
*/

export type ParsedArguments =
	| {ok: true; flags: FlagValues; positionals: string[]}
	| {ok: false; error: string};

const seeHelp = '(see rugs-tui --help)';

function fail(error: string): ParsedArguments {
	return {ok: false, error};
}

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

export function parseArguments(argv: readonly string[], table: readonly FlagSpec[] = flagTable): ParsedArguments {
	const byName = new Map(table.map(spec => [spec.name, spec]));
	const flags: Record<string, boolean | number | string | string[]> = {};
	/** What each single-value flag was given, to say both values if it comes twice. */
	const given = new Map<string, string>();
	const positionals: string[] = [];
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
			return fail(unknownFlag(written, table));
		}

		const key = camelCase(spec.name);
		if (spec.kind === 'boolean') {
			if (inline !== undefined) {
				return fail(`${written} takes no value (leave it out to turn it off) ${seeHelp}`);
			}

			flags[key] = true;
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
				return fail(`${written} needs a value (${spec.value ?? 'a value'}) ${seeHelp}`);
			}

			text = spec.alone;
		}

		if (text.trim() === '') {
			return fail(emptyValue(written, spec));
		}

		if (spec.kind === 'list') {
			const list = flags[key];
			flags[key] = [...(Array.isArray(list) ? list : []), text];
			continue;
		}

		const earlier = given.get(key);
		if (earlier !== undefined) {
			return fail(`${written} given twice (${earlier}, then ${text}): give it once ${seeHelp}`);
		}

		given.set(key, text);
		flags[key] = spec.kind === 'number' ? Number(text) : text;
	}

	return {ok: true, flags, positionals};
}
