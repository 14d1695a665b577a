import type {AppBus} from '../bus/app-bus.js';
import {startDemoServer} from '../sources/demo-server.js';
import {createDirectSource} from '../sources/direct.js';
import {replay} from '../sources/replay.js';
import type {Options} from './options.js';
import {runAuto, runCdp, runLiveSource} from './run-live.js';

export type SourceHooks = {
	signal: AbortSignal;
	/** Back-pressure from the consumer, honoured by sources that can wait (replay). */
	ready?: () => Promise<void> | undefined;
};

/**
Run the chosen source until it ends (a replay reaches its last line) or the
signal aborts it (live sources run until then).
*/
export async function startSource(bus: AppBus, options: Options, hooks: SourceHooks): Promise<void> {
	switch (options.source) {
		case 'replay': {
			await replay(bus, {files: options.replayFiles, speed: options.speed, loop: options.loop, signal: hooks.signal, ready: hooks.ready});
			return;
		}

		case 'direct': {
			await runLiveSource(createDirectSource(bus, {url: options.url, maxReconnects: options.maxReconnects}), hooks.signal);
			return;
		}

		case 'demo': {
			// The embedded demo feed goes through the same direct-source code as the real feed.
			// It plays a logged-in session so that every pane has something to show.
			const demo = await startDemoServer({speed: options.speed === 0 ? 1 : options.speed, authenticated: true});
			try {
				await runLiveSource(createDirectSource(bus, {url: demo.url, kind: 'demo', maxReconnects: options.maxReconnects}), hooks.signal);
			} finally {
				await demo.close();
			}

			return;
		}

		case 'cdp': {
			await runCdp(bus, options, hooks.signal);
			return;
		}

		case 'auto': {
			await runAuto(bus, options, hooks.signal);
			return;
		}
	}

	// Options from anywhere but the parser could still hold something else.
	throw new Error(`unknown source "${String(options.source)}": use --source auto, direct, cdp, replay or demo`);
}
