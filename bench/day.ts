import {spawn} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {dayArgs, dayTargets, defaultDayOptions, type DayOptions} from './day-options.js';
import type {DayResult, MemorySample} from './day-run.js';
import {withRatio, type Benchmark, type BenchRow} from './types.js';

const mb = 1e6;

/**
Run the monitor side in a process of its own (it starts the feed process itself).
`runner` is the built day-run.js: the one beside this module unless given (tests
run this module from source, so they name the built one).
*/
export async function runDay(options: DayOptions, runner = fileURLToPath(new URL('day-run.js', import.meta.url))): Promise<DayResult> {
	return new Promise((resolve, reject) => {
		// Production React and Ink, as the bin shim runs them (the development builds keep debug data per render).
		const child = spawn(process.execPath, ['--expose-gc', runner, ...dayArgs(options)], {stdio: ['ignore', 'pipe', 'inherit'], env: {...process.env, NODE_ENV: 'production'}});
		let out = '';
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
			out += chunk;
		});
		child.on('error', reject);
		child.on('close', code => {
			if (code !== 0) {
				reject(new Error(`the day run exited with ${code}`));
				return;
			}

			resolve(JSON.parse(out.trim().split('\n').at(-1)!) as DayResult);
		});
	});
}

function at(result: DayResult, percent: number): MemorySample {
	return result.samples.find(sample => sample.at === percent) ?? result.samples.at(-1)!;
}

/**
Noise, and the check for "flat after warm-up". Each sample is taken after a
full garbage collection, so what is left is what the process holds. RSS still
moves without any leak — V8 resizes its young generation and the allocator
keeps or returns freed pages — and it moves in steps, not in a trend. The
noise is the spread (highest − lowest) of the samples taken every 2% between
25% and 50% of the run (warm-up is over by then), with a floor of 2 MB; the run is flat when RSS at 100%
is within that of RSS at 50%. A leak of even 1 KB a game (8 MB over the second
half) stands out against the heap figure, which has no such steps: the heap
after garbage collection may grow by at most 1 MB between 50% and 100%.
*/
export function dayNoise(result: DayResult): {rssNoise: number; heapGrowth: number; rssGrowth: number} {
	const window = result.samples.filter(sample => sample.at >= 25 && sample.at <= 50).map(sample => sample.rss);
	const spread = window.length > 1 ? Math.max(...window) - Math.min(...window) : 0;
	return {
		rssNoise: Math.max(2 * mb, spread),
		heapGrowth: at(result, 100).heapUsed - at(result, 50).heapUsed,
		rssGrowth: at(result, 100).rss - at(result, 50).rss,
	};
}

export function dayRows(result: DayResult, options: DayOptions): BenchRow[] {
	const start = {name: 'process at start (modules loaded, nothing streamed)', value: result.start.rss / mb};
	const {rssNoise, heapGrowth, rssGrowth} = dayNoise(result);
	const covered = result.games >= options.games && result.ticks >= (options.games >= dayTargets.games ? dayTargets.ticks : 0);
	const coverage = `${result.games} games, ${result.ticks} ticks, ${result.events} events, ${(result.bytes / 1e9).toFixed(2)} GB of frames, ${(result.playedMs / 3_600_000).toFixed(1)} h of feed time in ${(result.wallMs / 1000).toFixed(0)} s; the UI drew ${result.drawn} frames (${result.resizes} resizes)`;
	const peak = withRatio({
		name: 'a day in a minute: peak RSS (VmHWM)',
		value: result.peakRss / mb,
		unit: 'MB',
		baseline: start,
		better: 'lower',
		target: `≤ ${dayTargets.peakMb} MB`,
		note: covered ? coverage : `${coverage} — fewer than the ${dayTargets.games} games and ${dayTargets.ticks} ticks of a day`,
	});
	const rows: BenchRow[] = [{...peak, met: covered && peak.value <= dayTargets.peakMb}];
	for (const percent of [10, 50, 100]) {
		rows.push(withRatio({
			name: `a day in a minute: RSS at ${percent}% (after GC)`,
			value: at(result, percent).rss / mb,
			unit: 'MB',
			baseline: start,
			better: 'lower',
		}));
	}

	rows.push({
		...withRatio({
			name: 'a day in a minute: RSS growth 50% → 100%',
			value: rssGrowth / mb,
			unit: 'MB',
			baseline: {name: 'noise: spread of RSS over 25–50% (≥ 2 MB)', value: rssNoise / mb},
			better: 'lower',
			target: '≤ noise (flat)',
		}),
		met: rssGrowth <= rssNoise,
	}, {
		...withRatio({
			name: 'a day in a minute: heap after GC, growth 50% → 100%',
			value: heapGrowth / mb,
			unit: 'MB',
			baseline: {name: 'heap after GC at 50%', value: at(result, 50).heapUsed / mb},
			better: 'lower',
			target: '≤ 1 MB (no leak)',
		}),
		met: heapGrowth <= mb,
	}, withRatio({
		name: 'a day in a minute: events through decoder, state and UI',
		value: result.events / (result.wallMs / 1000),
		unit: 'events/s',
		baseline: {name: 'decoder alone, same frames', value: result.events / (result.decodeMs / 1000)},
		better: 'higher',
		note: `wall time of the whole run; decoder ${(result.decodeMs / 1000).toFixed(1)} s, store ${(result.reduceMs / 1000).toFixed(1)} s, Ink output ${(result.inkRenderMs / 1000).toFixed(1)} s for ${result.drawn} frames`,
	}));
	return rows;
}

export const dayBenchmark: Benchmark = {
	name: 'a day in a minute',
	async run(context) {
		const options = context.quick ? {...defaultDayOptions, games: 400} : defaultDayOptions;
		context.log(`day: ${options.games} games of at most ${options.maxRugTick} ticks${options.ui ? ', the UI drawing at --fps' : ''}, in a child process with --expose-gc`);
		const result = await runDay(options);
		context.log(`day: ${result.games} games, ${result.ticks} ticks, ${result.events} events in ${(result.wallMs / 1000).toFixed(0)} s`);
		return dayRows(result, options);
	},
};
