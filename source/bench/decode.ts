import {FrameDecoder} from '../protocol/frame-decoder.js';
import {benchFrames} from './frames.js';
import {median, withRatio, type Benchmark, type BenchRow} from './types.js';

type Timing = {seconds: number; frames: number; bytes: number};

function timeDecoder(frames: readonly string[], rounds: number): Timing {
	const decoder = new FrameDecoder();
	let bytes = 0;
	const start = process.hrtime.bigint();
	for (let round = 0; round < rounds; round++) {
		for (const frame of frames) {
			decoder.decodeText(frame);
			bytes += frame.length;
		}
	}

	return {seconds: Number(process.hrtime.bigint() - start) / 1e9, frames: frames.length * rounds, bytes};
}

function timeJsonParse(frames: readonly string[], rounds: number): Timing {
	// The same payloads, without the Socket.IO prefix: the floor any decoder stands on.
	const payloads = frames.map(frame => frame.slice(frame.indexOf('[')));
	let bytes = 0;
	const start = process.hrtime.bigint();
	for (let round = 0; round < rounds; round++) {
		for (const payload of payloads) {
			JSON.parse(payload);
			bytes += payload.length;
		}
	}

	return {seconds: Number(process.hrtime.bigint() - start) / 1e9, frames: frames.length * rounds, bytes};
}

function measure(label: string, frames: readonly string[], quick: boolean): BenchRow[] {
	const totalBytes = frames.reduce((sum, frame) => sum + frame.length, 0);
	// About 50 MB per sample, alternating decoder and JSON.parse so both see the same machine state.
	const rounds = Math.max(1, Math.round((quick ? 5e6 : 5e7) / Math.max(1, totalBytes)));
	const samples = quick ? 3 : 7;
	const decoderRates: number[] = [];
	const parseRates: number[] = [];
	const decoderMb: number[] = [];
	const parseMb: number[] = [];
	timeDecoder(frames, 1);
	timeJsonParse(frames, 1);
	for (let sample = 0; sample < samples; sample++) {
		const decoded = timeDecoder(frames, rounds);
		const parsed = timeJsonParse(frames, rounds);
		decoderRates.push(decoded.frames / decoded.seconds);
		parseRates.push(parsed.frames / parsed.seconds);
		decoderMb.push(decoded.bytes / 1e6 / decoded.seconds);
		parseMb.push(parsed.bytes / 1e6 / parsed.seconds);
	}

	const framesRow = withRatio({
		name: `decode ${label}`,
		value: median(decoderRates),
		unit: 'frames/s',
		baseline: {name: 'JSON.parse', value: median(parseRates)},
		better: 'higher',
		target: '≥ 0.9× JSON.parse',
	});
	const mbRow = withRatio({
		name: `decode ${label}`,
		value: median(decoderMb),
		unit: 'MB/s',
		baseline: {name: 'JSON.parse', value: median(parseMb)},
		better: 'higher',
		target: '≥ 0.9× JSON.parse',
	});
	return [framesRow, mbRow].map(row => ({...row, met: (row.ratio ?? 0) >= 0.9}));
}

export const decodeBenchmark: Benchmark = {
	name: 'frame decoder',
	async run(context) {
		const {all, large, origin} = await benchFrames(context);
		context.log(`decode: ${all.length} frames (${large.length} gameHistory frames ≥ 250 KB) from ${origin}`);
		return [
			...measure(`all frames (${origin})`, all, context.quick),
			...measure('gameHistory frames 300–500 KB', large, context.quick),
		];
	},
};
