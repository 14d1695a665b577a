import {FrameDecoder} from '../protocol/frame-decoder.js';
import {benchFrames} from './frames.js';
import type {Benchmark, BenchRow} from './types.js';

/** Seconds of wall time for `rounds` passes of `work` over its frames. */
function timed(rounds: number, work: () => void): number {
	const start = process.hrtime.bigint();
	for (let round = 0; round < rounds; round++) {
		work();
	}

	return Number(process.hrtime.bigint() - start) / 1e9;
}

/*
The machine is shared, so its speed changes from one second to the next. The
decoder and JSON.parse are therefore timed in many short pairs (each pair
within a few tens of milliseconds, the order alternating), and the figures
reported are those of the median pair by ratio: load that comes and goes hits
both sides of a pair alike instead of whichever happened to run during it.
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
			note: `${frames.length} frames; the median of ${pairs} interleaved pairs; min–max ratio ${(timings[0]!.parsed / timings[0]!.decoded).toFixed(2)}–${(timings.at(-1)!.parsed / timings.at(-1)!.decoded).toFixed(2)}`,
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
		context.log(`decode: ${all.length} frames (${large.length} gameHistory frames ≥ 250 KB) from ${origin}`);
		return [
			...measure(`all frames (${origin})`, all, context.quick),
			...measure('frames < 250 KB (ticks, trades, chat)', small.length > 0 ? small : all, context.quick),
			...measure('gameHistory frames 300–500 KB', large, context.quick),
		];
	},
};
