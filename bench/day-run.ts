import {spawn} from 'node:child_process';
import {readFileSync} from 'node:fs';
import process from 'node:process';
import {fileURLToPath} from 'node:url';
import {FrameDecoder} from '../source/protocol/frame-decoder.js';
import {envelopeFromPacket} from '../source/protocol/packet-envelope.js';
import {createAppBus} from '../source/bus/app-bus.js';
import type {StateStats} from '../source/state/types.js';
import type {Size} from '../source/ui/layout.js';
import {MonitorStore} from '../source/ui/store.js';
import {installInkPatches} from '../source/ui/ink-patches/index.js';
import {dayArgs, parseDayArgs} from './day-options.js';
import {mountUi} from './ui-harness.js';

/**
The monitor side of "a day in a minute", run as its own process (with
--expose-gc) by the day benchmark and the memory test: the day's frames, read
from the feed process line by line, go through the frame decoder, the envelope,
the store and the UI (drawing at its frame rate), at full speed.
Memory is sampled as the games go by; one JSON line of results goes to stdout.
*/

export type MemorySample = {
	/** Share of the games played, 0–100. */
	at: number;
	games: number;
	events: number;
	/** After a full garbage collection (when --expose-gc is given), bytes. */
	rss: number;
	heapUsed: number;
	external: number;
};

export type DayResult = {
	games: number;
	ticks: number;
	events: number;
	frames: number;
	/** Characters of frame text read. */
	bytes: number;
	decodeErrors: number;
	stats: StateStats;
	/** Resizes of the UI, frames Ink drew (unchanged screens are skipped), the ms Ink took producing them, bytes written to the terminal. */
	resizes: number;
	drawn: number;
	inkRenderMs: number;
	written: number;
	wallMs: number;
	/** Feed time the session covers (last envelope ts − first). */
	playedMs: number;
	decodeMs: number;
	reduceMs: number;
	gcExposed: boolean;
	/** Before the first frame: the process with its modules loaded. */
	start: MemorySample;
	samples: MemorySample[];
	/** Peak resident set size of the whole run (VmHWM), bytes. */
	peakRss: number;
};

const options = parseDayArgs(process.argv.slice(2));
const collect = (globalThis as {gc?: () => void}).gc;
const sampleEveryPercent = 2;
const sizes: readonly Size[] = [{columns: 120, rows: 40}, {columns: 80, rows: 24}];
/** Events between two resizes of the UI (full layout ⇄ compact). */
const resizeEvery = 20_000;

function peakRss(): number | undefined {
	try {
		const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
		return match === null ? undefined : Number(match[1]) * 1024;
	} catch {
		return undefined;
	}
}

let games = 0;
let events = 0;
let highestRss = 0;

function sample(at: number): MemorySample {
	if (collect !== undefined) {
		// Twice: the first pass may leave work for the second (weak references, finalizers).
		collect();
		collect();
	}

	const usage = process.memoryUsage();
	highestRss = Math.max(highestRss, usage.rss);
	return {at, games, events, rss: usage.rss, heapUsed: usage.heapUsed, external: usage.external};
}

async function run(): Promise<DayResult> {
	const feedPath = fileURLToPath(new URL('day-feed.js', import.meta.url));
	const start = sample(0);
	const startedAt = performance.now();
	const feed = spawn(process.execPath, [feedPath, ...dayArgs(options)], {stdio: ['ignore', 'pipe', 'inherit']});
	const decoder = new FrameDecoder();
	// The monitor's own path: envelopes on the application bus, folded into the state by the UI's store.
	const bus = createAppBus();
	const store = new MonitorStore(bus);
	let {state} = store.snapshot();
	const samples: MemorySample[] = [];
	let nextPercent = sampleEveryPercent;
	let ticks = 0;
	let seq = 0;
	let rest = '';
	let firstTs: number | undefined;
	let lastTs = 0;
	let decodeMs = 0;
	let reduceMs = 0;
	let bytes = 0;
	let drawn = 0;
	let inkRenderMs = 0;
	let written = 0;

	const take = (line: string): void => {
		// `ts<TAB>frame`: the arrival time the feed gives it, then the frame as the wire carries it.
		const tab = line.indexOf('\t');
		bytes += line.length - tab - 1;
		const ts = Number(line.slice(0, tab));
		const t0 = performance.now();
		const packets = decoder.decodeText(line.slice(tab + 1));
		const t1 = performance.now();
		decodeMs += t1 - t0;
		for (const packet of packets) {
			const envelope = envelopeFromPacket(packet, {seq: seq + 1, ts, source: 'demo', direction: 'received'});
			if (envelope === undefined) {
				continue;
			}

			seq++;
			firstTs ??= ts;
			lastTs = ts;
			const previous = state.game;
			bus.publish('envelope', envelope);
			state = store.snapshot().state;
			events++;
			if (previous !== undefined && state.game?.id !== previous.id) {
				// A game was replaced by the next: it is over.
				games++;
				ticks += Math.max(0, (state.previousGame?.tick ?? previous.tick) + 1);
			}
		}

		reduceMs += performance.now() - t1;

		while (games * 100 >= nextPercent * options.games && nextPercent < 100) {
			samples.push(sample(nextPercent));
			nextPercent += sampleEveryPercent;
		}

		if (events % 1024 === 0) {
			highestRss = Math.max(highestRss, process.memoryUsage.rss());
		}
	};

	// The UI as the TUI runs it: its frame clock draws in wall time while the day pours through at
	// full speed, as `rugs-tui --replay … --speed 0 --fps N` would; now and then a resize.
	if (options.ui) {
		// Ink as the TUI runs it (run-tui.tsx installs the same).
		await installInkPatches();
	}

	const ui = options.ui ? mountUi(store, sizes[0]!, {fps: options.fps}) : undefined;
	let resizes = 0;
	feed.stdout.setEncoding('utf8');
	for await (const chunk of feed.stdout as AsyncIterable<string>) {
		const lines = (rest + chunk).split('\n');
		rest = lines.pop()!;
		for (const line of lines) {
			take(line);
		}

		if (ui !== undefined && events >= (resizes + 1) * resizeEvery) {
			resizes++;
			ui.resize(sizes[resizes % sizes.length]!);
		}
	}

	if (rest !== '') {
		take(rest);
	}

	const exit = await new Promise<number | null>(resolve => {
		if (feed.exitCode === null) {
			feed.once('exit', resolve);
		} else {
			resolve(feed.exitCode);
		}
	});
	if (exit !== 0) {
		throw new Error(`the feed process exited with ${exit}`);
	}

	if (ui !== undefined) {
		// The last frame, showing the end of the day.
		await ui.frame();
		drawn = ui.drawn;
		inkRenderMs = ui.inkRenderMs;
		written = ui.written;
	}

	// The game still on screen at the end (the next one's cooldown) has played no tick.
	ticks += Math.max(0, (state.game?.tick ?? -1) + 1);
	const wallMs = performance.now() - startedAt;
	// With the UI still mounted: what it holds counts.
	samples.push(sample(100));
	ui?.close();
	return {
		games,
		ticks,
		events,
		frames: decoder.frames,
		bytes,
		decodeErrors: decoder.errors,
		stats: state.stats,
		resizes,
		drawn,
		inkRenderMs,
		written,
		wallMs,
		playedMs: lastTs - (firstTs ?? lastTs),
		decodeMs,
		reduceMs,
		gcExposed: collect !== undefined,
		start,
		samples,
		peakRss: Math.max(peakRss() ?? 0, highestRss),
	};
}

process.stdout.write(`${JSON.stringify(await run())}\n`);
