import {execFileSync} from 'node:child_process';
import {cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {linesOf, runCli, spawnCli} from './helpers/cli.js';
import {projectRoot} from './helpers/project.js';
import {cliCommand, hasTmux, Tmux} from './helpers/tmux.js';

/**
The package as `npm pack` would ship it, copied alone into a folder with no
node_modules anywhere above it: the bundle (scripts/bundle.js) must hold
every module each mode runs. Each mode is run there and compared with the
same run from the project: the TUI in a real terminal, --json, --demo (the
embedded socket.io server and client), summarize, stats and a Parquet export.
*/

let folder = '';
let bin = '';
const tmux = new Tmux();

function packedFiles(): string[] {
	const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {cwd: projectRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']});
	const [result] = JSON.parse(output) as Array<{files: Array<{path: string}>}>;
	return result!.files.map(file => file.path);
}

/** A folder under the system temp folder with no node_modules in it or above it. */
function isolatedFolder(): string {
	const made = mkdtempSync(path.join(tmpdir(), 'rugs-tui-standalone-'));
	for (let at = made; ; at = path.dirname(at)) {
		if (existsSync(path.join(at, 'node_modules'))) {
			throw new Error(`${at} has a node_modules folder: the copy would not be alone`);
		}

		if (path.dirname(at) === at) {
			return made;
		}
	}
}

beforeAll(() => {
	folder = isolatedFolder();
	for (const file of packedFiles()) {
		mkdirSync(path.dirname(path.join(folder, file)), {recursive: true});
		cpSync(path.join(projectRoot, file), path.join(folder, file));
	}

	bin = path.join(folder, 'bin/rugs-tui.js');
});

afterAll(() => {
	tmux.killServer();
	rmSync(folder, {recursive: true, force: true});
});

const fixture = (name: string) => path.join('fixtures', name);

describe('the packed command on its own, without node_modules', () => {
	test('the copy holds the bundle and no node_modules', () => {
		expect(existsSync(path.join(folder, 'dist/rugs-tui.js'))).toBe(true);
		expect(readdirSync(folder)).not.toContain('node_modules');
	});

	test('--version, --help and a bad flag answer as from the project', async () => {
		const manifest = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as {version: string};
		const version = await runStandalone(['--version']);
		expect(version.stdout).toBe(`${manifest.version}\n`);
		const [ownHelp, packedHelp] = await Promise.all([runCli(['--help']), runStandalone(['--help'])]);
		expect(packedHelp.stdout).toBe(ownHelp.stdout);
		const bogus = await runStandalone(['--bogus']);
		expect(bogus.code).toBe(2);
		expect(bogus.stderr).toMatch(/^rugs-tui: unknown flag --bogus/);
	}, 60_000);

	test('--replay --json, summarize and stats print what the project prints', async () => {
		for (const args of [
			['--replay', fixture('session.jsonl'), '--json', '--speed', '0'],
			['summarize', fixture('session.jsonl')],
			['stats', fixture('session.jsonl'), '--json'],
		]) {
			const [own, packed] = await Promise.all([runCli(args), runStandalone(args)]);
			expect(packed.code, `${args.join(' ')}: ${packed.stderr}`).toBe(0);
			expect(packed.stdout).toBe(own.stdout);
			expect(linesOf(packed.stdout).length).toBeGreaterThan(0);
		}
	}, 120_000);

	test('export --format parquet writes its four tables', async () => {
		const out = path.join(folder, 'parquet-out');
		const run = await runStandalone(['export', fixture('session.jsonl'), '--out', out, '--format', 'parquet']);
		expect(run.code, run.stderr).toBe(0);
		expect(readdirSync(out).toSorted()).toEqual(['games.parquet', 'sidebets.parquet', 'ticks.parquet', 'trades.parquet']);
	}, 60_000);

	test('--demo --json: the embedded socket.io server and client deliver events', async () => {
		const demo = spawnCli(['--demo', '--json'], {cwd: folder, bin});
		const first = await new Promise<string>((resolve, reject) => {
			let text = '';
			demo.stdout.setEncoding('utf8').on('data', (chunk: string) => {
				text += chunk;
				if (text.includes('"gameStateUpdate"')) {
					resolve(text);
				}
			});
			demo.once('close', code => {
				reject(new Error(`--demo --json exited ${code} before an event`));
			});
		});
		demo.kill('SIGINT');
		expect(JSON.parse(first.split('\n')[0]!)).toHaveProperty('event');
	}, 60_000);

	test.skipIf(!hasTmux())('the monitor draws its panes in a real terminal and quits with q', async () => {
		tmux.start('tui', cliCommand(bin, ['--replay', path.join(folder, fixture('session.jsonl'))]));
		const screen = await tmux.waitFor('tui', text => text.includes('1 Tick') && /ACTIVE|PRESALE|COOLDOWN/.test(text), 'the first frame of the packed command');
		expect(screen).toContain('Trades');
		tmux.keys('tui', 'q');
		const after = await tmux.waitFor('tui', text => text.includes('EXIT='), 'the packed command to quit');
		expect(after).toContain('EXIT=0');
	}, 60_000);
});

/** The packed command, run in its folder (relative paths, as the project's twin run uses in its own). */
async function runStandalone(args: string[]): ReturnType<typeof runCli> {
	return runCli(args, {cwd: folder, bin});
}
