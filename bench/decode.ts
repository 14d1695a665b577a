import {FrameDecoder} from '../source/protocol/frame-decoder.js';
import {benchFrames} from './frames.js';
import type {Benchmark, BenchRow} from './types.js';

/** CPU seconds (user + system, all threads: garbage collection included) the process spent on `rounds` passes of `work`. */
function timed(rounds: number, work: () => void): number {
	const start = process.cpuUsage();
	for (let round = 0; round < rounds; round++) {
		work();
	}

	const {user, system} = process.cpuUsage(start);
	return (user + system) / 1e6;
}

/*
The machine is shared (2 cores, several busy processes), so wall time mostly
measures how often this process was scheduled out: a 50 ms sample could take
0.2× or 7× as long as its neighbour. The figures are therefore per CPU second
of this process, and the decoder and JSON.parse are timed in many short pairs
(the order alternating) whose median pair by ratio is reported: what noise
remains (caches, clock speed) hits both sides of a pair alike.
*/
function measure(label: string, frames: readonly string[], quick: boolean): BenchRow[] {
	const totalBytes = frames.reduce((sum, frame) => sum + frame.length, 0);
	// The same payloads, without the Socket.IO prefix: the floor any decoder stands on.
	const payloads = frames.map(frame => frame.slice(frame.indexOf('[')));
	const payloadBytes = payloads.reduce((sum, payload) => sum + payload.length, 0);
	const rounds = Math.max(1, Math.round((quick ? 1e6 : 4e6) / Math.max(1, totalBytes)));
	const pairs = quick ? 9 : 41;
	let decoder = new FrameDecoder();
	const decode = () => {
		for (const frame of frames) {
			decoder.decodeText(frame);
		}
	};

	const parse = () => {
		for (const payload of payloads) {
			JSON.parse(payload);
		}
	};

	// Warm up both paths (JIT) before measuring.
	timed(rounds, decode);
	timed(rounds, parse);
	const timings: Array<{decoded: number; parsed: number}> = [];
	for (let pair = 0; pair < pairs; pair++) {
		decoder = new FrameDecoder();
		let decoded: number;
		let parsed: number;
		if (pair % 2 === 0) {
			decoded = timed(rounds, decode);
			parsed = timed(rounds, parse);
		} else {
			parsed = timed(rounds, parse);
			decoded = timed(rounds, decode);
		}

		timings.push({decoded, parsed});
	}

	if (decoder.errors > 0) {
		throw new Error(`decoder reported ${decoder.errors} errors on the benchmark frames`);
	}

	// Same work on both sides, so the throughput ratio is the inverse ratio of the times.
	timings.sort((a, b) => (a.parsed / a.decoded) - (b.parsed / b.decoded));
	const {decoded, parsed} = timings[Math.floor(pairs / 2)]!;
	const frameCount = frames.length * rounds;
	const row = (unit: string, value: number, baseline: number): BenchRow => {
		const ratio = value / baseline;
		return {
			name: `decode ${label}`,
			value,
			unit,
			baseline: {name: 'JSON.parse', value: baseline},
			ratio,
			better: 'higher',
			target: '≥ 0.9× JSON.parse',
			met: ratio >= 0.9,
			note: `per CPU second; ${frames.length} frames; the median of ${pairs} interleaved pairs; min–max ratio ${(timings[0]!.parsed / timings[0]!.decoded).toFixed(2)}–${(timings.at(-1)!.parsed / timings.at(-1)!.decoded).toFixed(2)}`,
		};
	};

	return [
		row('frames/s', frameCount / decoded, frameCount / parsed),
		// Bytes each side reads: the decoder its whole frames, JSON.parse the same payloads without the prefix.
		row('MB/s', totalBytes * rounds / 1e6 / decoded, payloadBytes * rounds / 1e6 / parsed),
	];
}

export const decodeBenchmark: Benchmark = {
	name: 'frame decoder',
	async run(context) {
		const {all, large, origin} = await benchFrames(context);
		const small = all.filter(frame => frame.length < 250_000);
		// Trades and chat: where the decoder's own per-frame work weighs most against JSON.parse.
		const tiny = all.filter(frame => frame.length < 1000);
		context.log(`decode: ${all.length} frames (${large.length} gameHistory frames ≥ 250 KB, ${tiny.length} under 1 KB) from ${origin}`);
		return [
			...measure(`all frames (${origin})`, all, context.quick),
			...measure('frames < 250 KB (ticks, trades, chat)', small.length > 0 ? small : all, context.quick),
			...measure('frames < 1 KB (trades, chat)', tiny.length > 0 ? tiny : all, context.quick),
			...measure('gameHistory frames 300–500 KB', large, context.quick),
		];
	},
};
