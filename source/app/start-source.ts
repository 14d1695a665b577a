import type {AppBus} from '../bus/app-bus.js';
import type {Options} from './options.js';

type SourceHooks = {
	signal: AbortSignal;
	/** Back-pressure from the consumer, honoured by sources that can wait (replay). */
	ready?: () => Promise<void> | undefined;
};

/**
Run the chosen source until it ends (a replay reaches its last line) or the
signal aborts it (live sources run until then). Each source's code is
loaded here, when it is chosen: a replay never loads socket.io or the CDP
client, the demo never loads the CDP client.
*/
export async function startSource(bus: AppBus, options: Options, hooks: SourceHooks): Promise<void> {
	switch (options.source) {
		case 'replay': {
			const {replay} = await import('../sources/replay.js');
			await replay(bus, {files: options.replayFiles, speed: options.speed, loop: options.loop, signal: hooks.signal, ready: hooks.ready});
			return;
		}

		case 'direct': {
			const [{runLiveSource}, {createDirectSource}] = await Promise.all([import('./run-live.js'), import('../sources/direct.js')]);
			await runLiveSource(createDirectSource(bus, {url: options.url, maxReconnects: options.maxReconnects}), hooks.signal);
			return;
		}

		case 'demo': {
			// The embedded demo feed goes through the same direct-source code as the real feed.
			// It plays a logged-in session so that every pane has something to show.
			const [{runLiveSource}, {createDirectSource}, {startDemoServer}] = await Promise.all([import('./run-live.js'), import('../sources/direct.js'), import('../sources/demo-server.js')]);
			const demo = await startDemoServer({speed: options.speed === 0 ? 1 : options.speed, authenticated: true});
			try {
				await runLiveSource(createDirectSource(bus, {url: demo.url, kind: 'demo', maxReconnects: options.maxReconnects}), hooks.signal);
			} finally {
				await demo.close();
			}

			return;
		}

		case 'cdp': {
			const {runCdp} = await import('./run-live.js');
			await runCdp(bus, options, hooks.signal);
			return;
		}

		case 'auto': {
			const {runAuto} = await import('./run-live.js');
			await runAuto(bus, options, hooks.signal);
			return;
		}
	}

	// Options from anywhere but the parser could still hold something else.
	throw new Error(`unknown source "${String(options.source)}": use --source auto, direct, cdp, replay or demo`);
}
