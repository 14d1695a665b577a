import {once} from 'node:events';
import {Worker} from 'node:worker_threads';
import WebSocket from 'ws';
import {createAppBus} from '../source/bus/app-bus.js';
import {createDirectSource} from '../source/sources/direct.js';
import type {FeedServerData, FeedServerReady} from './feed-server.js';
import {benchFrames} from './frames.js';
import {median, withRatio, type Benchmark, type BenchRow} from './types.js';

type Timing = {events: number; seconds: number; bytes: number};

const timeoutMs = 120_000;
/** 48 events inside one 250 ms window, the densest burst in the captures. */
const livePeakEventsPerSecond = 200;

function feedUrl(port: number, set: string, count: number): string {
	return `http://127.0.0.1:${port}/?set=${set}&count=${count}`;
}

/**
Events through the whole direct source: WebSocket, engine.io-client,
socket.io-parser, the envelope, and one subscriber on the application bus —
timed from the first event to the last, so connecting is not counted.
*/
async function timeDirect(port: number, set: string, count: number, sizes: readonly number[]): Promise<Timing> {
	const bus = createAppBus();
	const source = createDirectSource(bus, {url: feedUrl(port, set, count), maxReconnects: 0});
	let seen = 0;
	let first = 0;
	let bytes = 0;
	const done = new Promise<number>((resolve, reject) => {
		const timer = setTimeout(() => {
			reject(new Error(`direct source: ${seen} of ${count} events after ${timeoutMs / 1000} s`));
		}, timeoutMs);
		bus.subscribe('envelope', envelope => {
			if (envelope.event === 'connect') {
				return;
			}

			if (seen === 0) {
				first = performance.now();
			}

			bytes += sizes[seen % sizes.length]!;
			seen++;
			if (seen === count) {
				clearTimeout(timer);
				resolve(performance.now());
			}
		});
		void source.ended.then(end => {
			if (end.reason === 'gave-up') {
				clearTimeout(timer);
				reject(new Error(`direct source: ${end.message}`));
			}
		});
	});
	source.start();
	try {
		const last = await done;
		return {events: count - 1, seconds: (last - first) / 1000, bytes: bytes - sizes[0]!};
	} finally {
		await source.stop();
	}
}

/**
The floor: a bare `ws` client that answers the handshake and does nothing but
JSON.parse each event. With `parse` false it only counts frames: the ceiling
the feed server and loopback allow, to show the clients are what is measured.
*/
async function timeBareWs(port: number, set: string, count: number, parse = true): Promise<Timing> {
	const ws = new WebSocket(`ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket&set=${set}&count=${count}`);
	let seen = 0;
	let first = 0;
	let bytes = 0;
	const done = new Promise<number>((resolve, reject) => {
		const timer = setTimeout(() => {
			reject(new Error(`bare ws: ${seen} of ${count} events after ${timeoutMs / 1000} s`));
		}, timeoutMs);
		ws.on('error', reject);
		ws.on('message', data => {
			// Text frames arrive as one Buffer (ws's default binaryType).
			const text = (data as Buffer).toString();
			if (text.startsWith('42')) {
				if (seen === 0) {
					first = performance.now();
				} else {
					bytes += text.length;
				}

				if (parse) {
					JSON.parse(text.slice(2));
				}

				seen++;
				if (seen === count) {
					clearTimeout(timer);
					resolve(performance.now());
				}
			} else if (text.startsWith('0')) {
				ws.send('40');
			}
		});
	});
	try {
		const last = await done;
		return {events: count - 1, seconds: (last - first) / 1000, bytes};
	} finally {
		ws.terminate();
	}
}

async function measure(port: number, label: string, set: string, frames: readonly string[], quick: boolean): Promise<BenchRow[]> {
	const sizes = frames.map(frame => frame.length);
	const totalBytes = sizes.reduce((sum, size) => sum + size, 0);
	// About 60 MB per sample (6 in quick mode), and at least 200 events.
	const count = Math.max(200, Math.round(frames.length * ((quick ? 6e6 : 4e7) / Math.max(1, totalBytes))));
	const samples = quick ? 3 : 5;
	await timeDirect(port, set, Math.min(count, 200), sizes);
	await timeBareWs(port, set, Math.min(count, 200));
	const direct: Timing[] = [];
	const bare: Timing[] = [];
	const ceiling: Timing[] = [];
	for (let sample = 0; sample < samples; sample++) {
		// Alternate, so all three see the same machine state.
		direct.push(await timeDirect(port, set, count, sizes));
		bare.push(await timeBareWs(port, set, count));
		ceiling.push(await timeBareWs(port, set, count, false));
	}

	const note = `${count} events per sample, median of ${samples}`;
	const rate = (timings: readonly Timing[]) => median(timings.map(timing => timing.events / timing.seconds));
	const floor = {name: 'bare ws + JSON.parse', value: rate(bare)};
	const events = withRatio({
		name: `direct source ${label}`,
		value: rate(direct),
		unit: 'events/s',
		baseline: floor,
		better: 'higher',
		note,
	});
	return [
		// The live feed peaks at ~48 events in 250 ms (PROTOCOL.md): the source must sustain that with room to spare.
		set === 'all' ? {...events, target: `≥ ${livePeakEventsPerSecond} events/s (live peak)`, met: events.value >= livePeakEventsPerSecond} : events,
		withRatio({
			name: `direct source ${label}`,
			value: median(direct.map(timing => timing.bytes / 1e6 / timing.seconds)),
			unit: 'MB/s',
			baseline: {name: 'bare ws + JSON.parse', value: median(bare.map(timing => timing.bytes / 1e6 / timing.seconds))},
			better: 'higher',
			note,
		}),
		withRatio({
			name: `feed server ceiling ${label} (client only counts frames)`,
			value: rate(ceiling),
			unit: 'events/s',
			baseline: floor,
			better: 'higher',
			note: 'well above 1× means the clients, not the server, are what is measured',
		}),
	];
}

export const directBenchmark: Benchmark = {
	name: 'direct source',
	async run(context) {
		const {all, large, origin} = await benchFrames(context);
		context.log(`direct: ${all.length} frames from ${origin}, served by a raw ws server (minimal Engine.IO/Socket.IO handshake, pre-built frames) in a worker thread`);
		const worker = new Worker(new URL('feed-server.js', import.meta.url), {workerData: {sets: {all, large}} satisfies FeedServerData});
		try {
			const [ready] = await once(worker, 'message') as [FeedServerReady];
			return [
				...await measure(ready.port, `all frames (${origin})`, 'all', all, context.quick),
				...await measure(ready.port, 'gameHistory frames 300–500 KB', 'large', large, context.quick),
			];
		} finally {
			worker.postMessage('close');
			await once(worker, 'exit');
		}
	},
};
