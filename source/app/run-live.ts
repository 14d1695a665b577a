import type {AppBus} from '../bus/app-bus.js';
import {createCdpSource, type CdpSourceOptions} from '../sources/cdp.js';
import {defaultBackendHost} from '../sources/cdp-frames.js';
import {findChrome, launchChrome, chromeNotFoundMessage, type LaunchedChrome} from '../sources/chrome-launch.js';
import type {Source} from '../sources/source.js';
import type {Options} from './options.js';

/** What `--launch` opens; tests point it at their own server. */
export const launchUrl = (env: NodeJS.ProcessEnv = process.env) => env['RUGS_TUI_LAUNCH_URL'] ?? 'https://rugs.fun/';

/**
A window to log in with when there is a display; headless otherwise (a
server, CI), where the public feed still flows through the launched tab.
*/
export function launchHeadless(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): boolean {
	if (env['RUGS_TUI_HEADLESS'] === '1') {
		return true;
	}

	return platform === 'linux' && !env['DISPLAY'] && !env['WAYLAND_DISPLAY'];
}

/**
Run a live source until the signal aborts, the source reports `ended`, or
`until` settles; then stop it (which releases sockets, timers and browsers).
*/
export async function runLive(bus: AppBus, source: Source, signal: AbortSignal, until?: Promise<unknown>): Promise<void> {
	if (signal.aborted) {
		return;
	}

	let unsubscribe: (() => void) | undefined;
	let onAbort: (() => void) | undefined;
	const finished = new Promise<void>(resolve => {
		onAbort = resolve;
		signal.addEventListener('abort', onAbort, {once: true});
		unsubscribe = bus.subscribe('status', status => {
			if (status.state === 'ended' && status.source === source.kind) {
				resolve();
			}
		}, {name: `run-live-${source.kind}`});
	});

	source.start();
	try {
		await (until === undefined ? finished : Promise.race([finished, until]));
	} finally {
		signal.removeEventListener('abort', onAbort!);
		await source.stop();
		unsubscribe?.();
	}
}

/** The backend host the options name (a custom --url), recognised as the game's socket in the tab. */
function backendHost(options: Options): string {
	try {
		return new URL(options.url).hostname || defaultBackendHost;
	} catch {
		return defaultBackendHost;
	}
}

export function cdpSourceOptions(options: Options, at: {host: string; port: number} = {host: options.cdpHost, port: options.cdpPort}): CdpSourceOptions {
	return {
		host: at.host,
		port: at.port,
		target: options.target,
		reload: options.reload,
		backendHost: backendHost(options),
		maxReconnects: options.maxReconnects,
	};
}

/**
`--launch`: start a browser with a fresh profile, run `body` with it, and close
it and delete its profile however `body` ends. (If the process dies first, the
launcher's exit hook does the same.)
*/
export async function withLaunchedChrome(bus: AppBus, signal: AbortSignal, body: (chrome: LaunchedChrome) => Promise<void>): Promise<void> {
	const executable = findChrome();
	if (executable === undefined) {
		throw new Error(`--launch: ${chromeNotFoundMessage()}`);
	}

	const headless = launchHeadless();
	bus.publish('status', {source: 'cdp', state: 'connecting', ts: Date.now(), detail: `launching ${executable}${headless ? ' (headless: no display)' : ''} with a temporary profile`});
	const chrome = await launchChrome({executable, url: launchUrl(), headless});
	try {
		if (signal.aborted) {
			return;
		}

		bus.publish('status', {
			source: 'cdp',
			state: 'connecting',
			ts: Date.now(),
			detail: `launched the browser (DevTools on 127.0.0.1:${chrome.port})${headless ? '' : '; log in to rugs.fun in its window to see your own position'}`,
		});
		await body(chrome);
	} finally {
		await chrome.close();
	}
}

/** `--source cdp`, attaching to a running Chrome, or to the one `--launch` starts. */
export async function runCdp(bus: AppBus, options: Options, signal: AbortSignal): Promise<void> {
	if (!options.launch) {
		await runLive(bus, createCdpSource(bus, cdpSourceOptions(options)), signal);
		return;
	}

	await withLaunchedChrome(bus, signal, async chrome => {
		await runLive(bus, createCdpSource(bus, cdpSourceOptions(options, chrome)), signal, chrome.exited);
		if (!chrome.running && !signal.aborted) {
			bus.publish('status', {source: 'cdp', state: 'ended', ts: Date.now(), detail: 'the browser rugs-tui launched was closed'});
		}
	});
}
