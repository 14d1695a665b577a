import {execFileSync, spawn} from 'node:child_process';
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {availableParallelism, loadavg, tmpdir} from 'node:os';
import path from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {defaultFps} from '../source/ui/frame-rate.js';
import type {FrameReport} from '../source/ui/frame-metrics.js';
import {inkPatchesVariable} from '../source/ui/ink-patches/index.js';
import {median, withRatio, type BenchContext, type BenchRow, type Benchmark} from './types.js';

/**
The TUI's cost and responsiveness on a real capture, each figure beside its
baseline from the same run:

- CPU seconds of `rugs-tui --replay <capture>` in a real terminal (tmux,
  120×40) at --speed 1 and --speed 20, beside the same replay with
  `--json > /dev/null`. At --speed 1 a third process runs the same replay
  at the same time with RUGS_TUI_INK_PATCHES=0 (Ink as it comes, see
  source/ui/ink-patches): what the patches save, under the same load. CPU is read from the kernel: the shell that runs the
  command prints its children's times (/proc/$$/stat cutime + cstime) once
  the command has exited, so startup and shutdown are included.
- Redraws per second (Ink renders, counted in the process) against the cap,
  beside the rate events arrived (what a redraw-per-event UI would do).
- Event-to-screen latency p50/p99: arrival at the store → the frame that
  shows it, measured in the process (RUGS_TUI_METRICS) and reported at exit.
- Backlog at speed 20: how late events reach the store against the replay's
  schedule, second half of the run against the first.
*/

const captureName = 'public-feed-socketio-client-2025-12-12.jsonl';
const size = {columns: 120, rows: 40};
/** Recorded seconds kept from the capture in quick mode. */
const quickSeconds = 20;
/** Recorded seconds kept in a full run: the steady CPU share settles well within them, and the whole bench must fit five minutes. */
const fullSeconds = 36;

type Run = {
	/** CPU seconds (user + system) of the command, from the kernel. */
	cpu: number;
	/** Wall seconds from start to exit. */
	wall: number;
	/** Share of one core from `steadyAfterMs` after the start to the end of the replay (startup left out). */
	steady: number | undefined;
	frames?: FrameReport;
};

/** The steady-state window starts this long after the process starts: node, Ink and React have loaded by then. */
const steadyAfterMs = 5000;

function quote(text: string): string {
	return `'${text.replaceAll('\'', String.raw`'\''`)}'`;
}

const clockTicks = (() => {
	try {
		return Number(execFileSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}).trim()) || 100;
	} catch {
		return 100;
	}
})();

/** Children's CPU seconds from a /proc/<pid>/stat line (fields 16 cutime and 17 cstime). */
export function childrenCpu(stat: string): number {
	const fields = stat.slice(stat.lastIndexOf(')') + 2).trim().split(/\s+/);
	return (Number(fields[13]) + Number(fields[14])) / clockTicks;
}

/** A process's own CPU seconds (fields 14 utime and 15 stime of /proc/<pid>/stat), undefined once it is gone. */
function ownCpu(pid: number): number | undefined {
	try {
		const fields = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const rest = fields.slice(fields.lastIndexOf(')') + 2).trim().split(/\s+/);
		return (Number(rest[11]) + Number(rest[12])) / clockTicks;
	} catch {
		return undefined;
	}
}

/** The child of `parent` (our shells run rugs-tui as their only child). */
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

/**
Samples a process's CPU time every 100 ms; `steady()` is its share of one core
between the first sample `steadyAfterMs` after `started` and the last sample
(taken at `stop()`, or the last one before the process ended).
*/
class CpuSampler {
	readonly #samples: Array<{at: number; cpu: number}> = [];
	readonly #timer: NodeJS.Timeout;

	constructor(private readonly pid: number, private readonly started: number) {
		this.#timer = setInterval(() => {
			this.sample();
		}, 100);
	}

	sample(): void {
		const cpu = ownCpu(this.pid);
		if (cpu !== undefined) {
			this.#samples.push({at: performance.now(), cpu});
		}
	}

	stop(): void {
		this.sample();
		clearInterval(this.#timer);
	}

	steady(): number | undefined {
		const first = this.#samples.find(sample => sample.at >= this.started + steadyAfterMs);
		const last = this.#samples.at(-1);
		return first === undefined || last === undefined || last.at - first.at < 1000 ? undefined : (last.cpu - first.cpu) / ((last.at - first.at) / 1000);
	}
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => T | undefined): Promise<T> {
	const deadline = performance.now() + timeoutMs;
	for (;;) {
		const value = probe();
		if (value !== undefined) {
			return value;
		}

		if (performance.now() > deadline) {
			throw new Error(`${what} did not happen within ${Math.round(timeoutMs / 1000)} s`);
		}

		await sleep(200);
	}
}

function readIfThere(file: string): string | undefined {
	if (!existsSync(file)) {
		return undefined;
	}

	const text = readFileSync(file, 'utf8');
	return text.trim() === '' ? undefined : text;
}

class Runner {
	readonly socket = `rugs-tui-bench-${process.pid}`;
	#count = 0;

	constructor(readonly directory: string, readonly bin: string, readonly recording: string, readonly recordedSeconds: number) {}

	tmux(...args: string[]): string {
		return execFileSync('tmux', ['-L', this.socket, ...args], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});
	}

	/** The TUI in a 120×40 tmux pane, with its Ink patches on (the default) or off; `q` once the status bar says the replay ended. */
	async tui(speed: number, {patches = true}: {patches?: boolean} = {}): Promise<Run> {
		const id = ++this.#count;
		const stat = path.join(this.directory, `tui-${id}.stat`);
		const metrics = path.join(this.directory, `tui-${id}.json`);
		const command = [
			`env -u CI -u CONTINUOUS_INTEGRATION ${quote(`RUGS_TUI_METRICS=${metrics}`)} ${inkPatchesVariable}=${patches ? 1 : 0}`,
			`node ${quote(this.bin)} --replay ${quote(this.recording)} --speed ${speed} --fps ${defaultFps};`,
			`cat /proc/$$/stat > ${quote(stat)}; exec sleep 60`,
		].join(' ');
		const name = `tui-${id}`;
		const started = performance.now();
		this.tmux('new-session', '-d', '-s', name, '-x', String(size.columns), '-y', String(size.rows), `sh -c ${quote(command)}`);
		const shell = Number(this.tmux('display-message', '-p', '-t', name, '#{pane_pid}').trim());
		const node = await waitFor('rugs-tui to start', 10_000, () => childOf(shell));
		const sampler = new CpuSampler(node, started);
		const timeout = ((this.recordedSeconds / speed) + 60) * 1000;
		await waitFor('the replay to end on screen', timeout, () => {
			const screen = this.tmux('capture-pane', '-p', '-t', name);
			if (existsSync(stat)) {
				throw new Error(`rugs-tui ended before its replay did; its screen:\n${screen}`);
			}

			return screen.includes('replay finished') ? true : undefined;
		});
		sampler.stop();
		this.tmux('send-keys', '-t', name, 'q');
		const text = await waitFor('rugs-tui to exit', 30_000, () => readIfThere(stat));
		const wall = (performance.now() - started) / 1000;
		const frames = JSON.parse(await waitFor('the frame metrics', 10_000, () => readIfThere(metrics))) as FrameReport;
		this.tmux('kill-session', '-t', name);
		return {cpu: childrenCpu(text), wall, steady: sampler.steady(), frames};
	}

	/** The same replay as JSON lines into /dev/null. */
	async json(speed: number): Promise<Run> {
		const id = ++this.#count;
		const stat = path.join(this.directory, `json-${id}.stat`);
		const command = `node ${quote(this.bin)} --replay ${quote(this.recording)} --speed ${speed} --json > /dev/null 2>/dev/null; cat /proc/$$/stat > ${quote(stat)}`;
		const env = {...process.env};
		delete env['CI'];
		const started = performance.now();
		let sampler: CpuSampler | undefined;
		await new Promise<void>((resolve, reject) => {
			const child = spawn('sh', ['-c', command], {stdio: 'ignore', env});
			child.on('error', reject);
			child.on('exit', () => {
				resolve();
			});
			void waitFor('rugs-tui --json to start', 10_000, () => childOf(child.pid!)).then(pid => {
				sampler = new CpuSampler(pid, started);
			}, () => undefined);
		});
		const wall = (performance.now() - started) / 1000;
		sampler?.stop();
		return {cpu: childrenCpu(await waitFor('the json run statistics', 5000, () => readIfThere(stat))), wall, steady: sampler?.steady()};
	}

	close(): void {
		try {
			this.tmux('kill-server');
		} catch {
			// No server left.
		}
	}
}

/** The capture, or its first `seconds` of recorded time (quick mode), and its recorded length. */
function prepareRecording(capture: string, directory: string, seconds: number | undefined): {file: string; recordedSeconds: number} {
	const lines = readFileSync(capture, 'utf8').split('\n').filter(line => line.trim() !== '');
	const times = lines.map(line => Date.parse(String((JSON.parse(line) as {ts?: unknown}).ts)));
	const start = times[0]!;
	const keep = seconds === undefined ? lines.length : times.findIndex(time => time - start > seconds * 1000);
	const kept = keep === -1 ? lines.length : keep;
	const file = path.join(directory, 'capture.jsonl');
	writeFileSync(file, `${lines.slice(0, kept).join('\n')}\n`);
	return {file, recordedSeconds: (times[kept - 1]! - start) / 1000};
}

function available(command: string, args: string[]): boolean {
	try {
		execFileSync(command, args, {stdio: 'ignore'});
		return true;
	} catch {
		return false;
	}
}

function worst(values: Array<number | undefined>): number {
	return Math.max(...values.filter((value): value is number => value !== undefined && Number.isFinite(value)));
}

async function run(context: BenchContext): Promise<BenchRow[]> {
	const capture = context.capturesDir === undefined ? undefined : path.join(context.capturesDir, captureName);
	if (capture === undefined || !existsSync(capture)) {
		context.log(`tui: skipped, ${captureName} not found in ../shared/captures`);
		return [];
	}

	if (!available('tmux', ['-V'])) {
		context.log('tui: skipped, tmux is not installed (.ci/run installs it)');
		return [];
	}

	const bin = path.resolve('bin/rugs-tui.js');
	const directory = mkdtempSync(path.join(tmpdir(), 'rugs-tui-bench-'));
	const {file, recordedSeconds} = prepareRecording(capture, directory, context.quick ? quickSeconds : fullSeconds);
	const runner = new Runner(directory, bin, file, recordedSeconds);
	const rows: BenchRow[] = [];
	const frameMs = 1000 / defaultFps;
	try {
		context.log(`tui: speed 1, ${recordedSeconds.toFixed(0)} s of ${captureName}: TUI, TUI with ${inkPatchesVariable}=0 and --json side by side…`);
		const [tui1, unpatched1, json1] = await Promise.all([runner.tui(1), runner.tui(1, {patches: false}), runner.json(1)]);

		const repeats = context.quick ? 1 : 2;
		const tui20: Run[] = [];
		const json20: Run[] = [];
		for (let index = 0; index < repeats; index++) {
			context.log(`tui: speed 20, run ${index + 1}/${repeats}…`);
			tui20.push(await runner.tui(20));
			json20.push(await runner.json(20));
		}

		const share = (item: Run) => item.cpu / item.wall;
		const load = `load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores at the end`;
		rows.push(
			withRatio({
				name: 'TUI CPU, replay --speed 1',
				value: tui1.cpu,
				unit: 's',
				baseline: {name: '--json > /dev/null', value: json1.cpu},
				better: 'lower',
				note: `whole process, startup included, over ${tui1.wall.toFixed(0)} s wall (json ${json1.wall.toFixed(0)} s): ${(share(tui1) * 100).toFixed(1)}% vs ${(share(json1) * 100).toFixed(1)}% of a core; ${load}`,
			}),
			{
				...withRatio({
					name: 'TUI CPU share of one core, --speed 1, steady',
					value: (tui1.steady ?? Number.NaN) * 100,
					unit: '%',
					baseline: {name: '--json > /dev/null', value: (json1.steady ?? Number.NaN) * 100},
					better: 'lower',
					target: '≤ 2% of one core',
				}),
				met: tui1.steady === undefined ? undefined : tui1.steady <= 0.02,
				note: `from ${steadyAfterMs / 1000} s after start to the end of the replay (startup left out)`,
			},
			withRatio({
				name: `TUI CPU, replay --speed 1, Ink patches off (${inkPatchesVariable}=0)`,
				value: unpatched1.cpu,
				unit: 's',
				baseline: {name: 'Ink patches on (the default), same replay at the same time', value: tui1.cpu},
				better: 'lower',
				note: `whole process over ${unpatched1.wall.toFixed(0)} s wall: ${(share(unpatched1) * 100).toFixed(1)}% of a core; the three --speed 1 runs (patches on, off, --json) ran side by side`,
			}),
			withRatio({
				name: 'TUI CPU share of one core, --speed 1, steady, Ink patches off',
				value: (unpatched1.steady ?? Number.NaN) * 100,
				unit: '%',
				baseline: {name: 'Ink patches on (the default)', value: (tui1.steady ?? Number.NaN) * 100},
				better: 'lower',
				note: `from ${steadyAfterMs / 1000} s after start to the end of the replay, as with the patches; ${unpatched1.frames!.redraws} redraws vs ${tui1.frames!.redraws} with the patches`,
			}),
			withRatio({
				name: 'TUI CPU, replay --speed 20',
				value: median(tui20.map(item => item.cpu)),
				unit: 's',
				baseline: {name: '--json > /dev/null', value: median(json20.map(item => item.cpu))},
				better: 'lower',
				note: `median of ${repeats}`,
			}),
		);

		for (const [label, runs] of [['--speed 1', [tui1]], ['--speed 20', tui20]] as const) {
			const reports = runs.map(item => item.frames!);
			const maxPerSecond = worst(reports.map(report => report.maxRedrawsInASecond));
			const eventsPerSecond = median(reports.map(report => (report.eventSeconds > 0 ? report.events / report.eventSeconds : 0)));
			rows.push(
				{
					...withRatio({
						name: `TUI redraws in the busiest second, ${label}`,
						value: maxPerSecond,
						unit: 'redraws/s',
						baseline: {name: 'events/s arriving', value: eventsPerSecond},
						better: 'lower',
						target: `≤ ${defaultFps} (the --fps cap)`,
					}),
					met: maxPerSecond <= defaultFps,
					note: `mean ${median(reports.map(report => report.redrawsPerSecond)).toFixed(1)} redraws/s`,
				},
				{
					...withRatio({
						name: `event-to-screen latency p50, ${label}`,
						value: worst(reports.map(report => report.latency.p50)),
						unit: 'ms',
						baseline: {name: 'one frame interval (reference)', value: frameMs},
						better: 'lower',
					}),
					note: `${reports.reduce((sum, report) => sum + report.latency.count, 0)} events`,
				},
				{
					...withRatio({
						name: `event-to-screen latency p99, ${label}`,
						value: worst(reports.map(report => report.latency.p99)),
						unit: 'ms',
						baseline: {name: 'one frame interval (reference)', value: frameMs},
						better: 'lower',
						target: label === '--speed 20' ? '≤ 2 frame intervals' : undefined,
					}),
					met: label === '--speed 20' ? worst(reports.map(report => report.latency.p99)) <= 2 * frameMs : undefined,
					note: `worst run of ${reports.length}; max ${worst(reports.map(report => report.latency.max)).toFixed(0)} ms`,
				},
			);
		}

		const lags = tui20.map(item => item.frames!.lag).filter(lag => lag !== undefined);
		if (lags.length > 0) {
			const growth = worst(lags.map(lag => lag.secondHalfP50 - lag.firstHalfP50));
			rows.push({
				...withRatio({
					name: 'backlog growth at --speed 20 (median lag, 2nd half − 1st half)',
					value: growth,
					unit: 'ms',
					baseline: {name: 'one frame interval (reference)', value: frameMs},
					better: 'lower',
					target: 'no growing backlog (≤ 1 frame interval)',
				}),
				met: growth <= frameMs,
				note: `lag behind the recorded schedule: p99 ${worst(lags.map(lag => lag.p99)).toFixed(0)} ms, at the end ${worst(lags.map(lag => lag.last)).toFixed(0)} ms`,
			});
		}
	} finally {
		runner.close();
		// A --json run still finishing when another failed may write its stat file meanwhile: retry, and never let
		// the clean-up hide the error that ended the run.
		try {
			rmSync(directory, {recursive: true, force: true, maxRetries: 10, retryDelay: 300});
		} catch (error) {
			context.log(`tui: could not remove ${directory}: ${String(error)}`);
		}
	}

	return rows;
}

export const tuiBenchmark: Benchmark = {name: 'tui', run};
