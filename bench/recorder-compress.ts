import {mkdtemp, rm, stat} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import type {Envelope} from '../source/protocol/envelope.js';
import {brotliQuality, gzipLevel, recordSuffix, type RecordCodec} from '../source/record/record-codec.js';
import {Recorder} from '../source/record/recorder.js';
import {generateSession} from '../source/sim/generate-session.js';
import {median, withRatio, type Benchmark, type BenchRow} from './types.js';

/**
Compressed recordings against the same recording uncompressed, side by side
in one run: bytes on disk per hour of play, and the recorder's CPU per event
and per second of play. The session is the simulator's public feed (full price
paths, the gameHistory frames of every rug), recorded through the real
Recorder into real files, flushed once per second of PLAY time as the live
recorder flushes once a second — so the compressed files have as many flush
points as a live hour would (a flush a second costs ratio: gzip's window and
Huffman tables restart at each). CPU is the whole process's (zlib works on
its thread pool), interleaved codec by codec, median of the samples.
*/

type Run = {bytes: number; cpuUs: number; events: number};

const codecs: readonly RecordCodec[] = ['none', 'gzip', 'brotli'];

function hourOfPlay(minutes: number): {envelopes: Envelope[]; playSeconds: number} {
	const envelopes: Envelope[] = [];
	let first: number | undefined;
	for (const envelope of generateSession({seed: 'recorder-compress', authenticated: false})) {
		first ??= envelope.ts;
		if (envelope.ts - first > minutes * 60_000) {
			break;
		}

		envelopes.push(envelope);
	}

	return {envelopes, playSeconds: (envelopes.at(-1)!.ts - envelopes[0]!.ts) / 1000};
}

async function record(envelopes: readonly Envelope[], codec: RecordCodec, dir: string): Promise<Run> {
	const file = path.join(dir, `bench${recordSuffix(codec)}`);
	await rm(file, {force: true});
	// Fresh envelopes: the recorder reuses the text of an envelope written just before, which only --json would have done.
	const copies = envelopes.map(envelope => ({...envelope}));
	const start = process.cpuUsage();
	// The timer is replaced by the play clock: one flush per second of play.
	const recorder = new Recorder({file, flushIntervalMs: 3_600_000});
	let second = Math.floor(copies[0]!.ts / 1000);
	for (const envelope of copies) {
		const now = Math.floor(envelope.ts / 1000);
		if (now !== second) {
			second = now;
			await recorder.flush();
		}

		recorder.write(envelope);
	}

	const stats = await recorder.close();
	const cpu = process.cpuUsage(start);
	const {size} = await stat(file);
	if (stats.written !== copies.length || stats.bytes !== size) {
		throw new Error(`recorder bench: ${stats.written} of ${copies.length} events written, ${stats.bytes} bytes counted, ${size} on disk`);
	}

	return {bytes: size, cpuUs: cpu.user + cpu.system, events: stats.written};
}

export const recorderCompressBenchmark: Benchmark = {
	name: 'recorder-compress',
	async run(context) {
		// 30 minutes of play (about 10,000 events, 51 MB): enough for stable sizes; per hour is scaled from it.
		const minutes = context.quick ? 10 : 30;
		const {envelopes, playSeconds} = hourOfPlay(minutes);
		const rawBytes = envelopes.reduce((sum, envelope) => sum + JSON.stringify(envelope).length + 1, 0);
		context.log(`recorder-compress: ${envelopes.length} envelopes, ${(rawBytes / 1e6).toFixed(0)} MB over ${(playSeconds / 60).toFixed(0)} min of play`);
		const dir = await mkdtemp(path.join(tmpdir(), 'rugs-bench-compress-'));
		const runs = new Map<RecordCodec, Run[]>(codecs.map(codec => [codec, []]));
		try {
			for (let sample = 0; sample < (context.quick ? 1 : 3); sample++) {
				for (const codec of codecs) {
					runs.get(codec)!.push(await record(envelopes, codec, dir));
				}
			}
		} finally {
			await rm(dir, {recursive: true, force: true});
		}

		const hours = playSeconds / 3600;
		const perHour = (codec: RecordCodec) => median(runs.get(codec)!.map(run => run.bytes)) / 1e6 / hours;
		const cpuPerEvent = (codec: RecordCodec) => median(runs.get(codec)!.map(run => run.cpuUs / run.events));
		const coreShare = (codec: RecordCodec) => median(runs.get(codec)!.map(run => run.cpuUs / 1e6 / playSeconds)) * 100;
		const plain = 'the same recording uncompressed';
		const rows: BenchRow[] = [];
		const settings: Record<'gzip' | 'brotli', {label: string; ratio: number}> = {
			gzip: {label: `gzip level ${gzipLevel}`, ratio: 0.15},
			brotli: {label: `brotli quality ${brotliQuality}, 16 MiB window`, ratio: 0.05},
		};
		for (const codec of ['gzip', 'brotli'] as const) {
			const {label, ratio} = settings[codec];
			const size = withRatio({name: `recording on disk per hour of play, ${label} (a flush per second)`, value: perHour(codec), unit: 'MB/hour', baseline: {name: plain, value: perHour('none')}, better: 'lower', target: `≤ ${ratio}× uncompressed`});
			rows.push({...size, met: (size.ratio ?? Number.POSITIVE_INFINITY) <= ratio});
			const cpu = withRatio({name: `recorder CPU per event, ${label}`, value: cpuPerEvent(codec), unit: 'µs/event', baseline: {name: plain, value: cpuPerEvent('none')}, better: 'lower', target: '≤ 2× uncompressed'});
			rows.push({...cpu, met: (cpu.ratio ?? Number.POSITIVE_INFINITY) <= 2});
			const share = withRatio({name: `recorder CPU share of one core at the live rate, ${label}`, value: coreShare(codec), unit: '%', baseline: {name: plain, value: coreShare('none')}, better: 'lower', target: '< 0.5% of one core'});
			rows.push({...share, met: share.value < 0.5, note: `CPU of the whole process over ${(playSeconds / 60).toFixed(0)} min of generated play (${(envelopes.length / playSeconds).toFixed(1)} events/s, ${(rawBytes / playSeconds / 1000).toFixed(0)} KB/s; the real feed runs about 38 KB/s)`});
		}

		return rows;
	},
};
