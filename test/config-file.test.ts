import {existsSync, mkdirSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterAll, beforeEach, describe, expect, test} from 'vitest';
import {camel, defaultConfigPath, flagsGiven, kebab, readConfig, type FlagSpecs} from '../source/app/config-file.js';
import {fixturesDir} from './helpers/project.js';
import {makeTempDir} from './helpers/recordings.js';
import {linesOf, runCli} from './helpers/cli.js';

const specs: FlagSpecs = {
	fps: {type: 'number'},
	player: {type: 'string'},
	alert: {type: 'string', isMultiple: true},
	color: {type: 'boolean', default: true},
	recordDir: {type: 'string'},
	json: {type: 'boolean'},
	config: {type: 'string'},
};

const temporary = makeTempDir('rugs-config-');
afterAll(() => {
	temporary.remove();
});

let home = '';
let configFile = '';
let counter = 0;
beforeEach(() => {
	counter++;
	home = path.join(temporary.dir, `xdg-${counter}`);
	configFile = path.join(home, 'rugs-tui', 'config.json');
});

function writeConfig(data: unknown): void {
	mkdirSync(path.dirname(configFile), {recursive: true});
	writeFileSync(configFile, typeof data === 'string' ? data : JSON.stringify(data));
}

async function rugs(args: string[]) {
	return runCli(args, {env: {XDG_CONFIG_HOME: home, HOME: path.join(temporary.dir, 'no-home')}});
}

const replay = ['--replay', path.join(fixturesDir, 'session.jsonl'), '--speed', '0', '--json'];

type Printed = {file: string; found: boolean; settings: Record<string, {value: unknown; from: string; overriddenBy?: string}>; problems: string[]};

describe('where the file is, and reading it', () => {
	test('$XDG_CONFIG_HOME/rugs-tui/config.json, else ~/.config/…; a relative XDG_CONFIG_HOME is ignored', () => {
		expect(defaultConfigPath({XDG_CONFIG_HOME: '/x/conf'}, '/home/u')).toBe('/x/conf/rugs-tui/config.json');
		expect(defaultConfigPath({}, '/home/u')).toBe('/home/u/.config/rugs-tui/config.json');
		expect(defaultConfigPath({XDG_CONFIG_HOME: 'relative'}, '/home/u')).toBe('/home/u/.config/rugs-tui/config.json');
	});

	test('keys are the long flags: kebab-case; a single string fills a repeatable flag; "no-color": true is color false', () => {
		expect(kebab('recordDir')).toBe('record-dir');
		expect(camel('record-max-mb')).toBe('recordMaxMb');
		writeConfig({fps: 20, 'record-dir': '/tmp/r', alert: 'rug', 'no-color': true});
		const config = readConfig(configFile, specs);
		expect(config.problems).toEqual([]);
		expect([...config.values]).toEqual([['fps', 20], ['recordDir', '/tmp/r'], ['alert', ['rug']], ['color', false]]);
	});

	test('unknown keys and wrong types: each reported with the file and the key, the rest kept', () => {
		writeConfig({fps: 'ten', recordDir: 'x', colour: false, alert: [1], player: 'bob', config: 'other.json'});
		const config = readConfig(configFile, specs);
		expect(config.values).toEqual(new Map([['player', 'bob']]));
		expect(config.problems).toEqual([
			`${configFile}: "fps" should be a number, not a string ("ten"); using the default`,
			`${configFile}: unknown key "recordDir" (ignored); keys are the long flags without --, such as "fps", "record-dir" or "alert"`,
			`${configFile}: unknown key "colour" (ignored); keys are the long flags without --, such as "fps", "record-dir" or "alert"`,
			`${configFile}: "alert" should be a list of strings (or one string), not a list; using the default`,
			`${configFile}: unknown key "config" (ignored); keys are the long flags without --, such as "fps", "record-dir" or "alert"`,
		]);
	});

	test('not JSON, not an object, missing: said, or silent when the default file is simply absent', () => {
		writeConfig('{"fps": 20,');
		expect(readConfig(configFile, specs).problems[0]).toMatch(new RegExp(`^${configFile.replaceAll(/[.*+?^${}()|[\]\\/]/g, String.raw`\$&`)}: not valid JSON`));
		writeConfig('[1, 2]');
		expect(readConfig(configFile, specs).problems[0]).toContain('should hold one JSON object of settings');
		expect(readConfig(path.join(home, 'none.json'), specs)).toMatchObject({found: false, problems: []});
		expect(readConfig(path.join(home, 'none.json'), specs, {required: true}).error).toBe(`--config ${path.join(home, 'none.json')}: no such file`);
	});

	test('which flags the command line sets', () => {
		expect([...flagsGiven(['--fps', '5', '--no-color', '--alert=rug', '--', '--player', 'x'], specs)]).toEqual(['fps', 'color', 'alert']);
	});
});

describe('the config file on the command line (real files, a temporary XDG_CONFIG_HOME)', () => {
	test('--print-config: each setting, its value and where it came from; the command line wins', async () => {
		writeConfig({fps: 20, player: 'bob', alert: ['rug', 'unfair'], color: false, source: 'direct'});
		const result = await rugs(['--print-config', '--player', 'carol', '--demo']);
		expect(result.code).toBe(0);
		const lines = result.stdout.split('\n');
		expect(lines[0]).toBe(`rugs-tui settings (config file: ${configFile}; command line > config file > default)`);
		const row = (key: string) => lines.find(line => line.startsWith(`  ${key} `))?.replaceAll(/\s+/g, ' ').trim();
		expect(row('fps')).toBe('fps --fps 20 config file');
		expect(row('player')).toBe('player --player carol command line; the file\'s value is overridden by --player on the command line (the file says "bob")');
		expect(row('alert')).toBe('alert --alert rug --alert unfair config file');
		expect(row('color')).toBe('color --no-color config file');
		expect(row('demo')).toBe('demo --demo command line');
		// --demo takes the file's source out: they would contradict each other.
		expect(row('source')).toBe('source --source auto default; the file\'s value is overridden by --demo on the command line (the file says "direct")');
		expect(row('speed')).toBe('speed --speed 1 default');
	});

	test('--print-config --json, for scripts', async () => {
		writeConfig({fps: 20});
		const result = await rugs(['--print-config', '--json', '--player', 'x']);
		const printed = JSON.parse(result.stdout) as Printed;
		expect(printed).toMatchObject({file: configFile, found: true, problems: []});
		expect(printed.settings['fps']).toEqual({value: 20, from: 'config file'});
		expect(printed.settings['player']).toEqual({value: 'x', from: 'command line'});
		expect(printed.settings['source']).toEqual({value: 'auto', from: 'default'});
	});

	test('the file’s settings apply to a run (alerts from the file), and the command line overrides them', async () => {
		writeConfig({alert: ['rug']});
		const fromFile = await rugs(replay);
		expect(fromFile.code).toBe(0);
		const alerts = (text: string) => linesOf(text).map(line => JSON.parse(line) as {type: string; rule: string}).filter(record => record.type === 'alert');
		expect(alerts(fromFile.stderr).map(alert => alert.rule)).toContain('rug');
		const overridden = await rugs([...replay, '--alert', 'price>=1000']);
		expect(overridden.code).toBe(0);
		expect(alerts(overridden.stderr)).toEqual([]);
	});

	test('bad keys, types and values are reported with the file and key; the run goes on with the defaults', async () => {
		writeConfig({fps: 1000, colour: false, speed: 'fast', alert: ['rug', 'sometimes']});
		const result = await rugs(replay);
		expect(result.code).toBe(0);
		const problems = linesOf(result.stderr).map(line => JSON.parse(line) as {type: string; kind?: string; message: string}).filter(record => record.kind === 'config').map(record => record.message);
		expect(problems).toEqual([
			`${configFile}: unknown key "colour" (ignored); keys are the long flags without --, such as "fps", "record-dir" or "alert"`,
			`${configFile}: "speed" should be a number, not a string ("fast"); using the default`,
			`${configFile}: "fps": --fps 1000: expected 1–60; using the default`,
			`${configFile}: "alert": --alert "sometimes" is not a rule: a rule is price>=X (e.g. price>=2), rug, player:NAME, unfair, or silent:S (seconds, e.g. silent:30); using the default`,
		]);
		// The replay still ran to its end (every event on stdout).
		expect(linesOf(result.stdout).length).toBeGreaterThan(100);
	});

	test('a setting that needs another one later in the file is taken (a second pass)', async () => {
		writeConfig({'record-max-mb': 8, 'record-dir': path.join(home, 'rec')});
		const result = await rugs(['--print-config', '--json']);
		const printed = JSON.parse(result.stdout) as Printed;
		expect(printed.problems).toEqual([]);
		expect(printed.settings['record-max-mb']).toEqual({value: 8, from: 'config file'});
	});

	test('a --config file that does not exist is a command-line error', async () => {
		const result = await rugs(['--config', path.join(home, 'missing.json'), '--demo']);
		expect(result.code).toBe(2);
		expect(result.stderr).toBe(`rugs-tui: --config ${path.join(home, 'missing.json')}: no such file\n`);
	});

	test('--config FILE is read instead of the default file', async () => {
		writeConfig({fps: 20});
		const other = path.join(home, 'other.json');
		writeFileSync(other, JSON.stringify({fps: 30}));
		const result = await rugs(['--config', other, '--print-config', '--json']);
		expect((JSON.parse(result.stdout) as Printed).settings['fps']).toEqual({value: 30, from: 'config file'});
	});

	test('never written unless asked; --save-config writes the file’s settings with the command line’s over them', async () => {
		const run = await rugs([...replay, '--fps', '15']);
		expect(run.code).toBe(0);
		expect(existsSync(path.dirname(configFile))).toBe(false);

		writeConfig({player: 'bob', fps: 20});
		const before = statSync(configFile).mtimeMs;
		await rugs([...replay]);
		expect(statSync(configFile).mtimeMs).toBe(before);

		const saved = await rugs(['--save-config', '--fps', '25', '--alert', 'unfair', '--no-color']);
		expect(saved.code).toBe(0);
		expect(saved.stderr).toBe(`rugs-tui: wrote 4 settings to ${configFile} (player, fps, color, alert)\n`);
		expect(JSON.parse(readFileSync(configFile, 'utf8'))).toEqual({player: 'bob', fps: 25, color: false, alert: ['unfair']});
		// And it reads back as it was written.
		const reread = await rugs(['--print-config', '--json']);
		const printed = JSON.parse(reread.stdout) as Printed;
		expect(printed.settings['fps']).toEqual({value: 25, from: 'config file'});
		expect(printed.settings['color']).toEqual({value: false, from: 'config file'});
	});

	test('--save-config refuses settings that are not valid, and writes nothing', async () => {
		const result = await rugs(['--save-config', '--fps', '1000']);
		expect(result.code).toBe(2);
		expect(result.stderr).toContain('--fps 1000: expected 1–60');
		expect(existsSync(configFile)).toBe(false);
	});

	test('the offline commands do not read it', async () => {
		writeConfig({fps: 20, alert: ['rug'], json: true});
		const result = await rugs(['stats', path.join(fixturesDir, 'session.jsonl')]);
		expect(result.code).toBe(0);
		expect(result.stdout).toMatch(/^Games {7}/);
	});
});
