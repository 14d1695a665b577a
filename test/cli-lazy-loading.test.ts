import {spawn, spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, describe, expect, test} from 'vitest';
import {shellQuote} from './helpers/tmux.js';
import {binPath, fixturesDir, projectRoot} from './helpers/project.js';
import {assertBuilt} from './helpers/cli.js';

/**
Each mode loads only the code it needs (issue 12, a fast start): the real
command runs with a preload (helpers/log-modules.mjs) that writes down every
module the loader loads, and the test checks the packages each mode must
not load. bin/ runs the startup bundle (scripts/bundle.js): a chunk loaded
counts as every module it holds, read from the `// node_modules/…` and
`// dist/…` line rolldown writes before each module's code. This is what makes `--version` cost about what node itself does;
the times are measured by `npm run bench -- startup`, not here.
*/

const logModules = path.join(projectRoot, 'test/helpers/log-modules.mjs');
const directory = mkdtempSync(path.join(tmpdir(), 'rugs-tui-modules-'));
const recording = path.join(fixturesDir, 'session.jsonl');
const hasScript = spawnSync('script', ['--version']).status === 0;

afterAll(() => {
	rmSync(directory, {recursive: true, force: true});
});

let runs = 0;

function environment(log: string): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {...process.env, FORCE_COLOR: '0', RUGS_TUI_MODULE_LOG: log, NODE_OPTIONS: `--import=${logModules}`};
	delete env['CI'];
	return env;
}

/** The package (or dist/ file) a module path names, or undefined for anything else (node: builtins, test helpers). */
function packageOf(file: string): string | undefined {
	const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file);
	if (match !== null) {
		return match[1]!;
	}

	const at = file.startsWith('dist/') ? 0 : file.lastIndexOf('/dist/') + 1;
	return at === 0 && !file.startsWith('dist/') ? undefined : file.slice(at);
}

const bundled = new Map<string, string[]>();

/** The modules a file of the startup bundle holds (rolldown's marker lines), or undefined for a file outside it. */
function modulesInBundle(file: string): string[] | undefined {
	const relative = path.relative(projectRoot, file);
	if (relative !== 'dist/rugs-tui.js' && !(relative.startsWith('dist/chunks/') && relative.endsWith('.js'))) {
		return undefined;
	}

	let modules = bundled.get(relative);
	if (modules === undefined) {
		modules = [...readFileSync(file, 'utf8').matchAll(/^\/\/ ((?:node_modules|dist)\/\S+)$/gm)].map(match => match[1]!);
		bundled.set(relative, modules);
	}

	return modules;
}

function packagesIn(log: string): Set<string> {
	const lines = existsSync(log) ? readFileSync(log, 'utf8').split('\n') : [];
	const packages = new Set<string>();
	for (const line of lines) {
		if (!line.startsWith('file://')) {
			continue;
		}

		const file = fileURLToPath(line);
		for (const module of modulesInBundle(file) ?? [file]) {
			const name = packageOf(module);
			if (name !== undefined) {
				packages.add(name);
			}
		}
	}

	return packages;
}

/** Run the command until it exits, or until its first line of stdout when `untilFirstLine`; the packages it loaded. */
async function loaded(args: readonly string[], {untilFirstLine = false} = {}): Promise<Set<string>> {
	assertBuilt();
	const log = path.join(directory, `modules-${++runs}.log`);
	const child = spawn(process.execPath, [binPath, ...args], {cwd: projectRoot, env: environment(log), stdio: ['ignore', 'pipe', 'pipe']});
	child.stderr.resume();
	await new Promise<void>(resolve => {
		child.stdout.on('data', (chunk: Uint8Array) => {
			if (untilFirstLine && chunk.includes(10)) {
				child.kill('SIGTERM');
			}
		});
		child.on('close', () => {
			resolve();
		});
	});
	return packagesIn(log);
}

/** The TUI in a pseudo-terminal (`script`), quit with q once its screen is drawn. */
async function loadedByTui(args: readonly string[]): Promise<Set<string>> {
	assertBuilt();
	const log = path.join(directory, `modules-${++runs}.log`);
	const command = `stty cols 120 rows 40; exec ${shellQuote(process.execPath)} ${shellQuote(binPath)} ${args.map(arg => shellQuote(arg)).join(' ')}`;
	const child = spawn('script', ['-qfec', command, '/dev/null'], {cwd: projectRoot, env: environment(log), stdio: ['pipe', 'pipe', 'pipe']});
	child.stderr.resume();
	// The pty may be gone by the time a late write arrives: that is the run ending, not a failure.
	child.stdin.on('error', () => undefined);
	let output = '';
	let quit = false;
	const timer = setTimeout(() => {
		child.kill('SIGKILL');
	}, 60_000);
	await new Promise<void>(resolve => {
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
			output += chunk;
			if (!quit && output.includes('Tick')) {
				quit = true;
				child.stdin.write('q');
			}
		});
		child.on('close', () => {
			resolve();
		});
	});
	clearTimeout(timer);
	child.stdin.destroy();
	expect(output).toContain('Tick');
	return packagesIn(log);
}

const ui = ['ink', 'react', 'react-reconciler', 'yoga-layout', 'es-toolkit'];
const network = ['socket.io', 'socket.io-client', 'engine.io-client', 'ws'];
const cdp = ['chrome-remote-interface', 'dist/sources/devtools-client.js'];
// The CDP loopback rule is a check of the command line too (`--cdp 127.999.999.999` is refused before anything starts); it loads node:dns and node:net only.
const commandLineCheck = (name: string) => name !== 'dist/sources/cdp-address.js';

function expectNone(packages: Set<string>, names: readonly string[]): void {
	expect(names.filter(name => packages.has(name))).toEqual([]);
}

describe('each mode loads only what it needs', () => {
	test('the log sees the modules a run loads, through the bundle', async () => {
		const packages = await loaded(['--replay', recording, '--json', '--speed', '0'], {untilFirstLine: true});
		expect(packages).toContain('dist/cli.js');
		expect(bundled.has('dist/rugs-tui.js')).toBe(true);
		expect(packages).toContain('dist/sources/replay.js');
	}, 30_000);

	test.concurrent.each([
		[['--version']],
		[['--help']],
	])('%j: no parser, no runner, no UI, no network, no CDP client', async args => {
		const packages = await loaded(args);
		expectNone(packages, [...ui, ...network, ...cdp, 'meow']);
		expect([...packages].filter(name => name === 'dist/app/cli-args.js' || name.startsWith('dist/app/run-') || name.startsWith('dist/sources/')).filter(name => commandLineCheck(name))).toEqual([]);
	}, 30_000);

	test.concurrent.each([
		[['--bogus']],
		[['--replay', '']],
	])('%j: the parser (meow), but no runner, no UI, no network, no CDP client', async args => {
		const packages = await loaded(args);
		expect(packages).toContain('meow');
		expectNone(packages, [...ui, ...network, ...cdp]);
		expect([...packages].filter(name => name.startsWith('dist/app/run-') || name.startsWith('dist/sources/')).filter(name => commandLineCheck(name))).toEqual([]);
	}, 30_000);

	test('--replay --json: no UI, no network code, no CDP client', async () => {
		const packages = await loaded(['--replay', recording, '--json', '--speed', '0']);
		expectNone(packages, [...ui, ...network, ...cdp]);
	}, 30_000);

	test('summarize: no UI, no sources', async () => {
		const packages = await loaded(['summarize', recording]);
		expect(packages).toContain('dist/app/run-summarize.js');
		expectNone(packages, [...ui, ...network, ...cdp]);
		expect([...packages].filter(name => name.startsWith('dist/sources/') && !name.includes('recording')).filter(name => commandLineCheck(name))).toEqual([]);
	}, 30_000);

	test('--demo --json: the demo server and the direct client, but no UI and no CDP client', async () => {
		const packages = await loaded(['--demo', '--json'], {untilFirstLine: true});
		expect(packages).toContain('socket.io');
		expect(packages).toContain('socket.io-client');
		expectNone(packages, [...ui, ...cdp]);
	}, 30_000);

	test.runIf(hasScript)('the monitor on --replay: Ink and React, but no network code and no CDP client', async () => {
		const packages = await loadedByTui(['--replay', recording]);
		expect(packages).toContain('ink');
		expect(packages).toContain('react');
		expectNone(packages, [...network, ...cdp]);
	}, 60_000);
});
