import type {Envelope} from '../source/protocol/envelope.js';
import {generateSession} from '../source/sim/generate-session.js';
import {median, withRatio, type Benchmark, type BenchRow} from './types.js';

/**
How fast the simulator plays: the long-run benchmarks ("a day of play in a
minute") and the demo feed stand on it. The baseline is JSON.stringify of the
very same envelopes, timed chunk by chunk in the same run: the least any
consumer does with an event (the recorder and --json write each one as a line),
so a generator at least as fast is never the bottleneck of a pipeline.
*/

type Sample = {generateMs: number; stringifyMs: number; envelopes: number; bytes: number; playedMs: number};

const chunkGames = 20;

function sample(seed: string, games: number): Sample {
	const session = generateSession({seed, games});
	const result: Sample = {generateMs: 0, stringifyMs: 0, envelopes: 0, bytes: 0, playedMs: 0};
	let first: number | undefined;
	let last = 0;
	let done = false;
	while (!done) {
		const chunk: Envelope[] = [];
		const started = performance.now();
		// A chunk of whole games (about 400 envelopes each), then the same chunk serialised.
		let rugs = 0;
		while (rugs < chunkGames) {
			const next = session.next();
			if (next.done === true) {
				done = true;
				break;
			}

			chunk.push(next.value);
			const data = next.value.data as Record<string, unknown> | null;
			if (data?.['rugged'] === true && data['gameHistory'] === undefined && next.value.event === 'gameStateUpdate') {
				rugs++;
			}
		}

		const generated = performance.now();
		for (const envelope of chunk) {
			result.bytes += JSON.stringify(envelope).length;
		}

		result.stringifyMs += performance.now() - generated;
		result.generateMs += generated - started;
		result.envelopes += chunk.length;
		if (chunk.length > 0) {
			first ??= chunk[0]!.ts;
			last = chunk.at(-1)!.ts;
		}
	}

	result.playedMs = last - (first ?? last);
	return result;
}

export const generatorBenchmark: Benchmark = {
	name: 'session generator',
	async run(context) {
		const games = context.quick ? 40 : 150;
		const samples = context.quick ? 1 : 2;
		sample('warm-up', 20);
		const runs: Sample[] = [];
		for (let index = 0; index < samples; index++) {
			runs.push(sample(`bench-${index}`, games));
		}

		const rate = (run: Sample, ms: number) => run.envelopes / (ms / 1000);
		const played = (run: Sample, ms: number) => run.playedMs / ms;
		const [run] = runs;
		context.log(`generator: ${samples} × ${games} games, each ${run!.envelopes} envelopes (${(run!.bytes / 1e6).toFixed(0)} MB as JSON), ${(run!.playedMs / 3_600_000).toFixed(1)} h of play`);
		const throughput: BenchRow = withRatio({
			name: 'generate a session (default sizes)',
			value: median(runs.map(run => rate(run, run.generateMs))),
			unit: 'envelopes/s',
			baseline: {name: 'JSON.stringify of the same envelopes', value: median(runs.map(run => rate(run, run.stringifyMs)))},
			better: 'higher',
			target: '≥ 1× JSON.stringify',
		});
		const realTime: BenchRow = withRatio({
			name: 'generate a session: play per wall time',
			value: median(runs.map(run => played(run, run.generateMs))),
			unit: '× real time',
			baseline: {name: 'JSON.stringify of the same envelopes', value: median(runs.map(run => played(run, run.stringifyMs)))},
			better: 'higher',
			target: '≥ 1440× (a day of play in a minute)',
		});
		return [
			{...throughput, met: (throughput.ratio ?? 0) >= 1},
			{...realTime, met: realTime.value >= 1440},
		];
	},
};
