import {spawn, spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, describe, expect, test} from 'vitest';
import {flagTable} from '../source/app/cli-flags.js';
import {binPath, fixturesDir, projectRoot} from './helpers/project.js';
import {assertBuilt} from './helpers/cli.js';

/**
Empty is not absent (issue 14): `--replay "$FILE"` with FILE unset used to
start the live auto source and reach for the network. Every flag that takes
a value, taken from the flag table itself so that a new flag is covered the
day it is added, must refuse an empty (or blank) value as a usage error:
exit 2, one line on stderr, nothing on stdout, and no connection tried.

No connection tried is checked twice over: a preload (helpers/deny-network.mjs)
records and refuses every socket connect and host lookup in the process, and
the run happens in a network namespace of its own (`unshare -n`, when the
machine allows it), so nothing could leave the machine anyway.
*/

const denyNetwork = path.join(projectRoot, 'test/helpers/deny-network.mjs');
const directory = mkdtempSync(path.join(tmpdir(), 'rugs-tui-empty-'));
const recording = path.join(fixturesDir, 'session.jsonl');
const isolated = spawnSync('unshare', ['-n', 'true']).status === 0;

afterAll(() => {
	rmSync(directory, {recursive: true, force: true});
});

type Run = {code: number | null; stdout: string; stderr: string; network: string[]};

let runs = 0;
async function run(args: readonly string[]): Promise<Run> {
	assertBuilt();
	const log = path.join(directory, `network-${++runs}.log`);
	const env: NodeJS.ProcessEnv = {...process.env, FORCE_COLOR: '0', RUGS_TUI_NETWORK_LOG: log, NODE_OPTIONS: `--import=${denyNetwork}`};
	delete env['CI'];
	const command = isolated ? ['unshare', '-n', process.execPath] : [process.execPath];
	const child = spawn(command[0]!, [...command.slice(1), binPath, ...args], {cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe']});
	let stdout = '';
	let stderr = '';
	child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
		stdout += chunk;
	});
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
		stderr += chunk;
	});
	const timer = setTimeout(() => {
		child.kill('SIGKILL');
	}, 20_000);
	const code = await new Promise<number | null>(resolve => {
		child.on('close', resolve);
	});
	clearTimeout(timer);
	let network: string[] = [];
	try {
		network = readFileSync(log, 'utf8').split('\n').filter(line => line !== '');
	} catch {
		// No attempt, no file.
	}

	return {code, stdout, stderr, network};
}

/** Where each flag is given: the monitor's flags beside a replay that would otherwise play, `--out` with export. */
function commandLine(name: string, written: readonly string[]): string[] {
	return name === 'out' ? ['export', recording, ...written] : [...written, ...(name === 'replay' ? [] : ['--replay', recording, '--json'])];
}

const valueFlags = flagTable.filter(spec => spec.kind !== 'boolean');

describe('every flag that takes a value refuses an empty one: exit 2, nothing on stdout, no network', () => {
	test('the table has the value flags the issue names', () => {
		expect(valueFlags.map(spec => spec.name)).toEqual(expect.arrayContaining(['replay', 'record', 'record-dir', 'out', 'url', 'target', 'player', 'cdp', 'events', 'speed']));
	});

	const cases = valueFlags.flatMap(spec => [
		{flag: spec.name, value: spec.value, form: `--${spec.name} ''`, written: [`--${spec.name}`, '']},
		{flag: spec.name, value: spec.value, form: `--${spec.name}=`, written: [`--${spec.name}=`]},
		{flag: spec.name, value: spec.value, form: `--${spec.name} '  '`, written: [`--${spec.name}`, '  ']},
	]);

	test.concurrent.each(cases)('$form', async ({flag, value, written}) => {
		const result = await run(commandLine(flag, written));
		expect(result.code).toBe(2);
		expect(result.stdout).toBe('');
		expect(result.stderr).toMatch(/^rugs-tui: [^\n]+\n$/);
		expect(result.stderr).toContain(`--${flag} needs a value (${value}), not an empty one (is a shell variable unset?)`);
		expect(result.network).toEqual([]);
	}, 30_000);

	test('--replay "" alone (the case of the issue) starts nothing', async () => {
		const result = await run(['--replay', '']);
		expect(result.code).toBe(2);
		expect(result.stderr).toBe('rugs-tui: --replay needs a value (FILE), not an empty one (is a shell variable unset?) (see rugs-tui --help)\n');
		expect(result.network).toEqual([]);
	}, 30_000);

	test('--cdp "" is refused, and says that --cdp alone means the default address', async () => {
		const result = await run(['--cdp', '', '--json']);
		expect(result.code).toBe(2);
		expect(result.stderr).toContain('--cdp alone means 127.0.0.1:9222');
		expect(result.network).toEqual([]);
	}, 30_000);

	test.each([
		[['summarize', ''], 'summarize: an empty file name (is a shell variable unset?)'],
		[['summarize', recording, ''], 'summarize: an empty file name'],
		[['export', '', '--out', directory], 'export: an empty file name'],
	])('an empty file name for a command: %j', async (args, message) => {
		const result = await run(args);
		expect(result.code).toBe(2);
		expect(result.stdout).toBe('');
		expect(result.stderr).toContain(message);
		expect(result.network).toEqual([]);
	}, 30_000);

	test('the check sees connection attempts: a live source run under it is recorded', async () => {
		// Without this, an empty network log could mean the preload never ran.
		const result = await run(['--source', 'direct', '--url', 'http://127.0.0.1:9/', '--max-reconnects', '0', '--json']);
		expect(result.network.length).toBeGreaterThan(0);
		expect(result.network[0]).toContain('127.0.0.1');
	}, 30_000);
});
