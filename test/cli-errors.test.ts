import {readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {helpOrVersion, meowFlags, parseArguments, unknownFlag} from '../source/app/cli-args.js';
import {flagTable, helpText, type FlagSpec} from '../source/app/cli-flags.js';
import {eventNameWarnings, feedEventNames} from '../source/app/event-names.js';
import {parseCdpAddress} from '../source/app/options.js';
import {closest, editDistance} from '../source/app/suggest.js';
import {fixturesDir, projectRoot} from './helpers/project.js';
import {linesOf, runCli} from './helpers/cli.js';

/**
Command-line errors all speak one way (issue 12): one line on stderr that
starts with `rugs-tui: `, nothing on stdout, exit code 2; a mistake in a flag
points to --help, and names the flag it most likely meant. The black-box
tests run the real command; the unit tests pin the parser and the matcher.
*/

const recording = path.join(fixturesDir, 'session.jsonl');
const manifest = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as {version: string; description: string};

describe('bad command lines, as the user sees them', () => {
	test.concurrent.each([
		[['--bogus'], 'rugs-tui: unknown flag --bogus (see rugs-tui --help)'],
		[['--replay', recording, '--bogus', '--json'], 'rugs-tui: unknown flag --bogus (see rugs-tui --help)'],
		[['-x'], 'rugs-tui: unknown flag -x (see rugs-tui --help)'],
		[['--sped', '2'], 'rugs-tui: unknown flag --sped: did you mean --speed? (see rugs-tui --help)'],
		[['--JSON'], 'rugs-tui: unknown flag --JSON: did you mean --json? (see rugs-tui --help)'],
		[['-json'], 'rugs-tui: unknown flag -json: did you mean --json? (see rugs-tui --help)'],
		[['--replay-file', 'x'], 'rugs-tui: unknown flag --replay-file: did you mean --replay? (see rugs-tui --help)'],
		[['--color'], 'rugs-tui: unknown flag --color: did you mean --no-color? (see rugs-tui --help)'],
		[['--cdp', 'notaport'], 'rugs-tui: --cdp notaport: not a port; expected [HOST:]PORT, for example 9222 or 127.0.0.1:9222 (a host alone needs a dot, or give HOST:PORT)'],
		[['--cdp', '127.0.0.1:abc'], 'rugs-tui: --cdp 127.0.0.1:abc: abc is not a port; expected [HOST:]PORT, for example 9222 or 127.0.0.1:9222'],
		[['--cdp', '70000'], 'rugs-tui: --cdp 70000: port must be 1–65535'],
		[['--speed', '1', '--speed', '0', '--replay', recording], 'rugs-tui: --speed given twice (1, then 0): give it once (see rugs-tui --help)'],
		[['--json=false'], 'rugs-tui: --json takes no value (leave it out to turn it off) (see rugs-tui --help)'],
		[['--replay', '--json'], 'rugs-tui: --replay needs a value (FILE) (see rugs-tui --help)'],
		// --cdp alone is the default address, and does not take the next flag as its value.
		[['--cdp', '--launch'], 'rugs-tui: --launch picks a free DevTools port itself: drop --cdp'],
	])('%j', async (args, message) => {
		const {code, stdout, stderr} = await runCli(args);
		expect(code).toBe(2);
		expect(stdout).toBe('');
		expect(stderr).toMatch(/^rugs-tui: [^\n]+\n$/);
		expect(stderr.startsWith(message)).toBe(true);
	});

	const required = (flagTable as readonly FlagSpec[]).filter(spec => spec.kind !== 'boolean' && spec.alone === undefined);
	test.concurrent.each(required.map(spec => [spec.name, spec.value]))('--%s last on the line needs a value', async (name, value) => {
		const args = name === 'out' ? ['export', recording, '--out'] : [`--${name}`];
		const {code, stdout, stderr} = await runCli(args);
		expect(code).toBe(2);
		expect(stdout).toBe('');
		expect(stderr).toBe(`rugs-tui: --${name} needs a value (${value}) (see rugs-tui --help)\n`);
	});

	test('--help wins over the rest of the line, and is the table\'s help', async () => {
		const {code, stdout, stderr} = await runCli(['--bogus', '--help']);
		expect(code).toBe(0);
		expect(stderr).toBe('');
		expect(stdout).toBe(helpText(manifest.description));
	});

	test('--version prints the package version', async () => {
		const {code, stdout} = await runCli(['--version']);
		expect(code).toBe(0);
		expect(stdout).toBe(`${manifest.version}\n`);
	});
});

describe('--events with a name the feed never sends: one warning, then the run goes on', () => {
	test('in JSON mode the warning is a JSON line on stderr, naming the real event', async () => {
		const {code, stdout, stderr} = await runCli(['--replay', recording, '--json', '--speed', '0', '--events', 'newTrade,gameStateUpdate,fooBar']);
		expect(code).toBe(0);
		const problems = linesOf(stderr).map(line => JSON.parse(line) as {type: string; kind?: string; message?: string}).filter(line => line.kind === 'usage');
		expect(problems).toHaveLength(2);
		expect(problems[0]).toMatchObject({type: 'problem', message: '--events newTrade: the feed sends no event of that name, so it keeps nothing; did you mean standard/newTrade?'});
		expect(problems[1]!.message).toContain('--events fooBar: the feed sends no event of that name');
		// The names that exist still select their events.
		expect(linesOf(stdout).length).toBeGreaterThan(0);
		expect(linesOf(stdout).every(line => (JSON.parse(line) as {event: string}).event === 'gameStateUpdate')).toBe(true);
	});

	test('real names get no warning', async () => {
		const {code, stderr} = await runCli(['--replay', recording, '--json', '--speed', '0', '--events', 'standard/newTrade,gameStateUpdate,newChatMessage']);
		expect(code).toBe(0);
		expect(stderr).not.toContain('"usage"');
	});
});

describe('the parser', () => {
	test('a value may start with a single dash; `--` ends the flags; --replay repeats', () => {
		expect(parseArguments(['--speed', '-1', '--replay', 'a', '--replay=b', 'summarize', '--', '--json'])).toEqual({
			ok: true,
			flags: {speed: -1, replay: ['a', 'b']},
			positionals: ['summarize', '--json'],
		});
	});

	test('numbers are read with Number(): what is not one is NaN, for options.ts to name', () => {
		expect(parseArguments(['--fps', 'fast'])).toMatchObject({ok: true, flags: {fps: Number.NaN}});
		expect(parseArguments(['--record-max-mb', '0.5'])).toMatchObject({ok: true, flags: {recordMaxMb: 0.5}});
	});

	test('--cdp alone takes the default address; switches are true; --no-color is noColor', () => {
		expect(parseArguments(['--cdp', '--json', '--no-color'])).toEqual({ok: true, flags: {cdp: '127.0.0.1:9222', json: true, noColor: true}, positionals: []});
	});

	test('meow\'s flags come from the table: --replay may repeat, --no-color is the negation of color', () => {
		const flags = meowFlags();
		expect(Object.keys(flags)).toHaveLength(flagTable.length);
		expect(flags['replay']).toEqual({type: 'string', isMultiple: true});
		expect(flags['speed']).toEqual({type: 'number'});
		expect(flags['recordMaxMb']).toEqual({type: 'number'});
		expect(flags['allowRemoteCdp']).toEqual({type: 'boolean'});
		expect(flags['color']).toEqual({type: 'boolean'});
		expect(flags['noColor']).toBeUndefined();
	});

	test('what yargs-parser would read otherwise reads as the table says', () => {
		// A value that starts with a dash, quotes kept, `true` after a switch a positional, a switch twice, a list value then a positional.
		expect(parseArguments(['--target', '-x', '--player', '"q"', '--events="a"', '--json', 'true', '--json', '--replay', 'a', 'b'])).toEqual({
			ok: true,
			flags: {target: '-x', player: '"q"', events: '"a"', json: true, replay: ['a']},
			positionals: ['true', 'b'],
		});
		expect(parseArguments(['--speed', '-1e3', '--record-dir=-d', 'summarize', '7'])).toEqual({ok: true, flags: {speed: -1000, recordDir: '-d'}, positionals: ['summarize', '7']});
		// meow would take the camel-cased name too; the command line has one spelling.
		expect(parseArguments(['--recordDir', 'x'])).toEqual({ok: false, error: unknownFlag('--recordDir')});
	});

	test('help and version are found before anything else, but not after --', () => {
		expect(helpOrVersion(['--bogus', '--version'])).toBe('version');
		expect(helpOrVersion(['--replay', 'x', '--help'])).toBe('help');
		expect(helpOrVersion(['--', '--help'])).toBeUndefined();
	});

	test('unknown flags: a suggestion only when one is close', () => {
		expect(unknownFlag('--bogus')).toBe('unknown flag --bogus (see rugs-tui --help)');
		expect(unknownFlag('--recod')).toBe('unknown flag --recod: did you mean --record? (see rugs-tui --help)');
		expect(unknownFlag('--max-reconect')).toContain('did you mean --max-reconnects?');
	});
});

describe('--help comes from the table', () => {
	const help = helpText('the description');

	test('every flag is in it, under its section, with its value', () => {
		for (const spec of flagTable as readonly FlagSpec[]) {
			expect(help).toContain(`    --${spec.name}${spec.value === undefined ? '' : ` ${spec.value}`} `);
		}

		expect(help.indexOf('    --player NAME ')).toBeGreaterThan(help.indexOf('  Display'));
		expect(help.indexOf('    --out DIR ')).toBeGreaterThan(help.indexOf('  Offline commands'));
	});

	test('help texts start in one column, wrapped lines too', () => {
		const flagLines = help.split('\n').filter(line => line.startsWith('    --'));
		expect(flagLines.length).toBeGreaterThan(15);
		const column = 4 + 23;
		for (const line of flagLines.filter(line => !line.startsWith('    --source'))) {
			expect(line[column - 1], line).toBe(' ');
			expect(line[column], line).not.toBe(' ');
		}

		expect(help).toContain(`\n${' '.repeat(column)}through CDP when one is open on rugs.fun`);
	});
});

describe('--cdp [HOST:]PORT', () => {
	test.each([
		[undefined, {host: '127.0.0.1', port: 9222}],
		['9333', {host: '127.0.0.1', port: 9333}],
		['localhost', {host: 'localhost', port: 9222}],
		['127.0.0.1', {host: '127.0.0.1', port: 9222}],
		['devbox.example:9229', {host: 'devbox.example', port: 9229}],
		['[::1]:9230', {host: '[::1]', port: 9230}],
		['[::1]', {host: '[::1]', port: 9222}],
	])('%s', (value, expected) => {
		expect(parseCdpAddress(value)).toEqual(expected);
	});

	test.each([
		['notaport', 'not a port'],
		['mybox', 'a host alone needs a dot, or give HOST:PORT'],
		['host:', 'no port after the colon'],
		[':9222', 'no host before the colon'],
		['::1:9222', 'put an IPv6 address in brackets'],
		['0', 'port must be 1–65535'],
		['127.0.0.1:99999', 'port must be 1–65535'],
	])('%s is refused: %s', (value, message) => {
		expect(parseCdpAddress(value)).toEqual(expect.stringContaining(message));
	});
});

describe('did you mean', () => {
	test('event names: another case, the last segment, a typo', () => {
		expect(closest('newTrade', feedEventNames)).toBe('standard/newTrade');
		expect(closest('newtrade', feedEventNames)).toBe('standard/newTrade');
		expect(closest('gamestateupdate', feedEventNames)).toBe('gameStateUpdate');
		expect(closest('gameStateUpdat', feedEventNames)).toBe('gameStateUpdate');
		expect(closest('standard/newTrades', feedEventNames)).toBe('standard/newTrade');
		expect(closest('zzzzzz', feedEventNames)).toBeUndefined();
	});

	test('no guess when two names are as near', () => {
		expect(closest('ab', ['ac', 'ad'])).toBeUndefined();
		expect(closest('rec', ['record', 'record-dir'])).toBeUndefined();
	});

	test('edit distance counts a swap of neighbours as one edit', () => {
		expect(editDistance('speed', 'sepde')).toBe(2);
		expect(editDistance('spede', 'speed')).toBe(1);
		expect(editDistance('', 'abc')).toBe(3);
		expect(editDistance('kitten', 'sitting')).toBe(3);
	});

	test('warnings name each unknown event once, and only those', () => {
		expect(eventNameWarnings(new Set(['gameStateUpdate', 'newTrade']))).toEqual(['--events newTrade: the feed sends no event of that name, so it keeps nothing; did you mean standard/newTrade?']);
		expect(eventNameWarnings(['ack', 'connect', 'buyOrder'])).toEqual([]);
	});
});
