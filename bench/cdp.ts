import {fork, type ChildProcess} from 'node:child_process';
import {once} from 'node:events';
import CDP from 'chrome-remote-interface';
import {createAppBus} from '../source/bus/app-bus.js';
import {createCdpSource} from '../source/sources/cdp.js';
import {findChrome, launchChrome, type LaunchedChrome} from '../source/sources/chrome-launch.js';
import type {CdpFeedReady, CdpFeedSets} from './cdp-feed-server.js';
import {benchFrames} from './frames.js';
import {median, withRatio, type Benchmark, type BenchRow} from './types.js';

/**
Frames through the CDP path on loopback: a feed server (child process) sends
real-size frames as fast as a headless Chromium page takes them; rugs-tui's
CDP source watches that page and publishes envelopes. Measured beside a bare
DevTools client on the same page that only counts the frames (the floor any
CDP tap stands on: Chrome serialising each frame, chrome-remote-interface
parsing each message), alternating sample by sample.

- frames/s: from the first frame to the last, as seen by each client;
- CPU per frame: process.cpuUsage (user + system, all of this process's
  threads) from navigation to the last frame, divided by the frames. The feed
  server and the browser are other processes and are not counted.
*/

type Timing = {frames: number; seconds: number; cpuMicrosPerFrame: number};

const timeoutMs = 180_000;
/** 48 events inside one 250 ms window, the densest burst in the captures. */
const livePeakEventsPerSecond = 200;
let runs = 0;

type Watcher = {
	/** Resolves when `count` game frames have arrived; returns the arrival times of the first and last. */
	done: Promise<{first: number; last: number}>;
	stop(): Promise<void>;
};

async function timeRun(chrome: LaunchedChrome, port: number, set: string, count: number, watch: (target: string, count: number) => Promise<Watcher>): Promise<Timing> {
	const run = `${set}-${++runs}`;
	const target = await CDP.New({host: chrome.host, port: chrome.port, url: `http://127.0.0.1:${port}/blank?run=${run}`});
	const hands = await CDP({host: chrome.host, port: chrome.port, target, local: true});
	try {
		const watcher = await watch(`run=${run}`, count);
		try {
			const cpu = process.cpuUsage();
			await hands.Page.navigate({url: `http://127.0.0.1:${port}/feed?set=${set}&count=${count}&run=${run}`});
			let timer: NodeJS.Timeout | undefined;
			const {first, last} = await Promise.race([
				watcher.done,
				new Promise<never>((_resolve, reject) => {
					timer = setTimeout(() => {
						reject(new Error(`cdp bench: ${count} frames not received within ${timeoutMs / 1000} s`));
					}, timeoutMs);
				}),
			]).finally(() => {
				clearTimeout(timer);
			});
			const used = process.cpuUsage(cpu);
			return {frames: count - 1, seconds: (last - first) / 1000, cpuMicrosPerFrame: (used.user + used.system) / count};
		} finally {
			await watcher.stop();
		}
	} finally {
		await hands.close().catch(() => undefined);
		await CDP.Close({host: chrome.host, port: chrome.port, id: target.id}).catch(() => undefined);
	}
}

/** rugs-tui: the CDP source and one subscriber on the application bus. */
function rugsTuiWatcher(chrome: LaunchedChrome) {
	return async (target: string, count: number): Promise<Watcher> => {
		const bus = createAppBus();
		const source = createCdpSource(bus, {host: chrome.host, port: chrome.port, target});
		let seen = 0;
		let first = 0;
		let resolveAttached!: () => void;
		const attached = new Promise<void>(resolve => {
			resolveAttached = resolve;
		});
		bus.subscribe('status', status => {
			if (status.detail?.startsWith('attached to tab') === true) {
				resolveAttached();
			}
		});
		const done = new Promise<{first: number; last: number}>(resolve => {
			bus.subscribe('envelope', envelope => {
				if (envelope.direction !== 'received' || envelope.event === 'connect') {
					return;
				}

				if (seen === 0) {
					first = performance.now();
				}

				if (++seen === count) {
					resolve({first, last: performance.now()});
				}
			});
		});
		source.start();
		await attached;
		return {done, stop: async () => source.stop()};
	};
}

/** The floor: a DevTools client that only counts the page's event frames. */
function bareWatcher(chrome: LaunchedChrome) {
	return async (target: string, count: number): Promise<Watcher> => {
		const targets = await CDP.List({host: chrome.host, port: chrome.port});
		const page = targets.find(candidate => candidate.type === 'page' && candidate.url.includes(target));
		if (page === undefined) {
			throw new Error(`cdp bench: no tab ${target}`);
		}

		const client = await CDP({host: chrome.host, port: chrome.port, target: page, local: true});
		let seen = 0;
		let first = 0;
		const done = new Promise<{first: number; last: number}>(resolve => {
			client.on('Network.webSocketFrameReceived', parameters => {
				if (!parameters.response.payloadData.startsWith('42')) {
					return;
				}

				if (seen === 0) {
					first = performance.now();
				}

				if (++seen === count) {
					resolve({first, last: performance.now()});
				}
			});
		});
		await client.Network.enable({});
		return {done, stop: async () => client.close()};
	};
}

async function measure(chrome: LaunchedChrome, port: number, label: string, set: string, frames: readonly string[], quick: boolean): Promise<BenchRow[]> {
	const totalBytes = frames.reduce((sum, frame) => sum + frame.length, 0);
	// About 12 MB per sample (2 MB in quick mode), and at least 200 frames.
	const count = Math.max(200, Math.round(frames.length * ((quick ? 2e6 : 1.2e7) / Math.max(1, totalBytes))));
	const samples = quick ? 2 : 3;
	// Warm up both paths (JIT, the browser's caches).
	await timeRun(chrome, port, set, Math.min(count, 200), rugsTuiWatcher(chrome));
	await timeRun(chrome, port, set, Math.min(count, 200), bareWatcher(chrome));
	const ours: Timing[] = [];
	const bare: Timing[] = [];
	for (let sample = 0; sample < samples; sample++) {
		// Alternate, so both see the same machine state.
		ours.push(await timeRun(chrome, port, set, count, rugsTuiWatcher(chrome)));
		bare.push(await timeRun(chrome, port, set, count, bareWatcher(chrome)));
	}

	const note = `${count} frames per sample, median of ${samples}`;
	const rate = (timings: readonly Timing[]) => median(timings.map(timing => timing.frames / timing.seconds));
	const cpu = (timings: readonly Timing[]) => median(timings.map(timing => timing.cpuMicrosPerFrame));
	const throughput = withRatio({
		name: `cdp source ${label}`,
		value: rate(ours),
		unit: 'frames/s',
		baseline: {name: 'bare CDP client (counts frames)', value: rate(bare)},
		better: 'higher',
		note,
	});
	return [
		set === 'all' ? {...throughput, target: `≥ ${livePeakEventsPerSecond} frames/s (live peak)`, met: throughput.value >= livePeakEventsPerSecond} : throughput,
		withRatio({
			name: `cdp source CPU per frame ${label}`,
			value: cpu(ours),
			unit: 'µs/frame',
			baseline: {name: 'bare CDP client (counts frames)', value: cpu(bare)},
			better: 'lower',
			note: `${note}; user + system time of the rugs-tui process${set === 'all' ? `; at the live feed's 12 events/s that is ${(cpu(ours) * 12 / 1e4).toFixed(2)}% of one core` : ''}`,
		}),
	];
}

function startFeed(sets: Record<string, string[]>): Promise<{child: ChildProcess; port: number}> {
	const child = fork(new URL('cdp-feed-server.js', import.meta.url), [], {stdio: ['ignore', 'ignore', 'inherit', 'ipc']});
	child.send({sets} satisfies CdpFeedSets);
	return once(child, 'message').then(([ready]) => ({child, port: (ready as CdpFeedReady).port}));
}

export const cdpBenchmark: Benchmark = {
	name: 'cdp source',
	async run(context) {
		const executable = findChrome();
		if (executable === undefined) {
			context.log('cdp: no Chrome or Chromium found (set CHROME_PATH): skipped');
			return [];
		}

		const {all, large, origin} = await benchFrames(context);
		context.log(`cdp: ${all.length} frames from ${origin}, sent by a feed server in a child process to a headless ${executable} page`);
		const {child, port} = await startFeed({all, large});
		const chrome = await launchChrome({executable, headless: true});
		try {
			return [
				...await measure(chrome, port, `all frames (${origin})`, 'all', all, context.quick),
				...await measure(chrome, port, 'gameHistory frames 300–500 KB', 'large', large, context.quick),
			];
		} finally {
			await chrome.close();
			child.send('close');
			await once(child, 'exit');
		}
	},
};
