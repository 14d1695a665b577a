import {execFileSync, spawn} from 'node:child_process';
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import stripAnsi from 'strip-ansi';
import {childrenCpu} from './tui.js';
import {median, withRatio, type BenchContext, type BenchRow, type Benchmark} from './types.js';

/**
How fast rugs-tui starts, each figure beside `node -e 0` started the same
way in the same round (rounds interleave every command, so load on the
machine falls on all of them alike):

- `--version` and `--help`: spawn to exit, stdout a pipe.
- First frame of the monitor on `--demo` and on `--replay fixtures/session.jsonl`
  in a real pseudo-terminal (util-linux `script`, sized 120×40 with stty):
  spawn to the first write after the alternate screen that carries a
  screenful of visible text. The baseline is `node -e 0` in the same pty,
  spawn to exit.
- First JSON line of `--replay fixtures/session.jsonl --json`: spawn to the
  first newline on stdout.
- The same starts in CPU time, which a loaded machine inflates far less than
  wall time (six people share this one): CPU of `--version` and of
  `node -e 0` from the kernel (a shell prints its children's times once the
  command has exited), and the CPU the monitor's process has used when its
  first frame arrives (/proc/PID/stat, 10 ms ticks).

Each figure is the median over the rounds; the note gives the spread.
*/

const fixture = 'fixtures/session.jsonl';
const size = {columns: 120, rows: 40};
/** A frame of the monitor at 120×40 has far more than this many visible characters; the alternate screen's set-up has none. */
const frameCharacters = 100;
const enterAlternateScreen = '\u001B[?1049h';

/** The child's environment: no CI (Ink would print only its last frame), no inherited FORCE_COLOR. */
function childEnv(): NodeJS.ProcessEnv {
	const env = {...process.env};
	// As a user starts it: the bin shim sets NODE_ENV itself.
	delete env['NODE_ENV'];
	delete env['CI'];
	delete env['CONTINUOUS_INTEGRATION'];
	delete env['FORCE_COLOR'];
	return env;
}

function quote(text: string): string {
	return `'${text.replaceAll('\'', String.raw`'\''`)}'`;
}

/** Milliseconds from spawn to exit; the command must exit 0. */
async function timeToExit(command: string, args: readonly string[]): Promise<number> {
	const started = performance.now();
	const child = spawn(command, args, {stdio: ['ignore', 'pipe', 'pipe'], env: childEnv()});
	child.stdout.resume();
	let stderr = '';
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
		stderr += chunk;
	});
	const code = await new Promise<number | null>((resolve, reject) => {
		child.on('error', reject);
		child.on('exit', resolve);
	});
	const ms = performance.now() - started;
	if (code !== 0) {
		throw new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr.slice(-500)}`);
	}

	return ms;
}

/** Milliseconds from spawn to the first complete line on stdout; the process is then stopped. */
async function timeToFirstLine(command: string, args: readonly string[]): Promise<number> {
	const started = performance.now();
	const child = spawn(command, args, {stdio: ['ignore', 'pipe', 'pipe'], env: childEnv()});
	let stderr = '';
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
		stderr += chunk;
	});
	try {
		return await new Promise<number>((resolve, reject) => {
			child.stdout.on('data', (chunk: Uint8Array) => {
				if (chunk.includes(10)) {
					resolve(performance.now() - started);
				}
			});
			child.on('error', reject);
			child.on('exit', code => {
				reject(new Error(`${args.join(' ')} exited ${code} before its first line: ${stderr.slice(-500)}`));
			});
		});
	} finally {
		child.kill('SIGTERM');
		await new Promise(resolve => {
			if (child.exitCode === null && child.signalCode === null) {
				child.once('exit', resolve);
			} else {
				resolve(undefined);
			}
		});
	}
}

/** CPU milliseconds of a command run to its end, from the kernel: a shell prints its children's times after it. */
async function cpuToExit(command: string): Promise<number> {
	const child = spawn('sh', ['-c', `${command} > /dev/null 2>&1; cat /proc/$$/stat`], {stdio: ['ignore', 'pipe', 'ignore'], env: childEnv()});
	let stat = '';
	child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
		stat += chunk;
	});
	await new Promise((resolve, reject) => {
		child.on('error', reject);
		child.on('close', resolve);
	});
	return childrenCpu(stat) * 1000;
}

const clockTicks = (() => {
	try {
		return Number(execFileSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}).trim()) || 100;
	} catch {
		return 100;
	}
})();

/** CPU milliseconds a live process has used (utime + stime), undefined once it is gone. */
function cpuOf(pid: number): number | undefined {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return ((Number(fields[11]) + Number(fields[12])) / clockTicks) * 1000;
	} catch {
		return undefined;
	}
}

/** The child of `parent`: `script` runs the command (exec'd by its shell) as its only child. */
function childOf(parent: number): number | undefined {
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) {
			continue;
		}

		try {
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent) {
				return Number(entry);
			}
		} catch {
			// Gone while we looked.
		}
	}

	return undefined;
}

/** `shellCommand` in a 120×40 pseudo-terminal (`script`), with its output as it is written. */
function inPty(shellCommand: string) {
	const sized = `stty cols ${size.columns} rows ${size.rows}; exec ${shellCommand}`;
	return spawn('script', ['-qfec', sized, '/dev/null'], {stdio: ['pipe', 'pipe', 'pipe'], env: childEnv()});
}

/** Milliseconds from spawn to exit of `node -e 0` in the same kind of pty. */
async function timeToExitInPty(): Promise<number> {
	const started = performance.now();
	const child = inPty(`${quote(process.execPath)} -e 0`);
	child.stdout.resume();
	child.stderr.resume();
	const code = await new Promise<number | null>((resolve, reject) => {
		child.on('error', reject);
		child.on('exit', resolve);
	});
	if (code !== 0) {
		throw new Error(`node -e 0 in a pty exited ${code}`);
	}

	return performance.now() - started;
}

/**
Milliseconds from spawn to the monitor's first frame in a pty: the first
write after the alternate screen is entered that brings the visible text to a
screenful; and the CPU milliseconds the process had used by then. Then `q`,
and the process must exit by itself.
*/
async function timeToFirstFrame(bin: string, args: readonly string[]): Promise<{ms: number; cpu: number}> {
	const started = performance.now();
	const child = inPty(`${quote(process.execPath)} ${quote(bin)} ${args.map(arg => quote(arg)).join(' ')}`);
	child.stderr.resume();
	let output = '';
	let node: number | undefined;
	const exited = new Promise<number | null>((resolve, reject) => {
		child.on('error', reject);
		child.on('exit', resolve);
	});
	const quitTimer = setTimeout(() => {
		child.kill('SIGKILL');
	}, 30_000);
	try {
		const first = await new Promise<{ms: number; cpu: number}>((resolve, reject) => {
			child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
				const at = performance.now() - started;
				node ??= childOf(child.pid!);
				output += chunk;
				const screen = output.indexOf(enterAlternateScreen);
				if (screen !== -1 && stripAnsi(output.slice(screen)).replaceAll(/\s/g, '').length >= frameCharacters) {
					resolve({ms: at, cpu: (node === undefined ? undefined : cpuOf(node)) ?? Number.NaN});
				}
			});
			void exited.then(code => {
				reject(new Error(`rugs-tui ${args.join(' ')} exited ${code} before its first frame: ${JSON.stringify(output.slice(-300))}`));
			});
		});
		child.stdin.write('q');
		const code = await exited;
		if (code !== 0) {
			throw new Error(`rugs-tui ${args.join(' ')} exited ${code} after q`);
		}

		return first;
	} finally {
		clearTimeout(quitTimer);
		child.stdin.end();
	}
}

function available(command: string, args: string[]): boolean {
	try {
		execFileSync(command, args, {stdio: 'ignore'});
		return true;
	} catch {
		return false;
	}
}

function spread(values: readonly number[]): string {
	return `${values.length} runs, ${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)} ms`;
}

type Series = Record<string, number[]>;

async function run(context: BenchContext): Promise<BenchRow[]> {
	const bin = path.resolve('bin/rugs-tui.js');
	const replayFile = path.resolve(fixture);
	const pty = available('script', ['--version']);
	if (!pty) {
		context.log('startup: no util-linux `script`: the first-frame rows are skipped');
	}

	const rounds = context.quick ? 2 : 5;
	const series: Series = {};
	const add = (name: string, ms: number) => {
		(series[name] ??= []).push(ms);
	};

	// One warm-up of each, not counted: the first spawn of a command pays for the page cache.
	await timeToExit(process.execPath, ['-e', '0']);
	await timeToExit(process.execPath, [bin, '--version']);
	for (let round = 0; round < rounds; round++) {
		context.log(`startup: round ${round + 1}/${rounds}`);
		add('node', await timeToExit(process.execPath, ['-e', '0']));
		add('version', await timeToExit(process.execPath, [bin, '--version']));
		add('help', await timeToExit(process.execPath, [bin, '--help']));
		add('json', await timeToFirstLine(process.execPath, [bin, '--replay', replayFile, '--json', '--speed', '0']));
		add('nodeCpu', await cpuToExit(`${quote(process.execPath)} -e 0`));
		add('versionCpu', await cpuToExit(`${quote(process.execPath)} ${quote(bin)} --version`));
		if (pty) {
			add('nodePty', await timeToExitInPty());
			for (const [key, args] of [['demo', ['--demo']], ['replay', ['--replay', replayFile]]] as const) {
				const first = await timeToFirstFrame(bin, args);
				add(key, first.ms);
				add(`${key}Cpu`, first.cpu);
			}
		}
	}

	const node = {name: '`node -e 0` (spawn to exit)', value: median(series['node']!)};
	const rows: BenchRow[] = [];
	const baselineKey: Record<string, string> = {demo: 'nodePty', replay: 'nodePty', versionCpu: 'nodeCpu', demoCpu: 'nodeCpu', replayCpu: 'nodeCpu'};
	const row = (name: string, key: string, baseline: {name: string; value: number}, targetMs: number | undefined, what: string): void => {
		const value = median(series[key]!);
		rows.push({
			...withRatio({name, value, unit: key.endsWith('Cpu') ? 'ms CPU' : 'ms', baseline, better: 'lower', target: targetMs === undefined ? undefined : `≤ ${targetMs} ms`}),
			met: targetMs === undefined ? undefined : value <= targetMs,
			note: `median of ${spread(series[key]!)}; ${what}; baseline ${spread(series[baselineKey[key] ?? 'node']!)}`,
		});
	};

	row('startup: rugs-tui --version', 'version', node, 150, 'spawn to exit');
	row('startup: rugs-tui --help', 'help', node, 150, 'spawn to exit');
	if (pty) {
		const nodePty = {name: '`node -e 0` in the same pty (spawn to exit)', value: median(series['nodePty']!)};
		row('startup: first frame, --demo (pty 120×40)', 'demo', nodePty, 400, 'spawn to the first screenful after the alternate screen');
		row(`startup: first frame, --replay ${fixture} (pty 120×40)`, 'replay', nodePty, 400, 'spawn to the first screenful after the alternate screen');
	}

	row(`startup: first JSON line, --replay ${fixture} --json`, 'json', node, undefined, 'spawn to the first newline on stdout');
	const nodeCpu = {name: '`node -e 0` (CPU, whole run)', value: median(series['nodeCpu']!)};
	row('startup: CPU of rugs-tui --version', 'versionCpu', nodeCpu, undefined, 'user + system, whole run');
	if (pty) {
		row('startup: CPU to the first frame, --demo', 'demoCpu', nodeCpu, undefined, 'user + system of the process when its first frame arrives (10 ms ticks)');
		row(`startup: CPU to the first frame, --replay ${fixture}`, 'replayCpu', nodeCpu, undefined, 'user + system of the process when its first frame arrives (10 ms ticks)');
	}

	return rows;
}

export const startupBenchmark: Benchmark = {name: 'startup', run};
