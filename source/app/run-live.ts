import type {AppBus} from '../bus/app-bus.js';
// The CDP client (chrome-remote-interface) is loaded by the functions that run a CDP source: the demo and the direct source never need it.
import type {CdpSourceOptions} from '../sources/cdp.js';
import {defaultBackendHost} from '../sources/cdp-frames.js';
import {findChrome, launchChrome, chromeNotFoundMessage, type LaunchedChrome} from '../sources/chrome-launch.js';
import {createDirectSource} from '../sources/direct.js';
import {createSourceManager} from '../sources/source-manager.js';
import type {LiveSource} from '../sources/source.js';
import type {Options} from './options.js';

/**
Run a live source until the signal aborts it, `until` settles (the browser
`--launch` started was closed), or it gives up on its own (out of
reconnection attempts): then the run fails with the source's message, which
says what to do.
*/
export async function runLiveSource(source: LiveSource, signal: AbortSignal, until?: Promise<unknown>): Promise<void> {
	let onAbort: (() => void) | undefined;
	const aborted = new Promise<void>(resolve => {
		if (signal.aborted) {
			resolve();
		} else {
			onAbort = resolve;
			signal.addEventListener('abort', onAbort, {once: true});
		}
	});
	source.start();
	const stopped = aborted.then(() => undefined);
	const end = await Promise.race([source.ended, stopped, ...(until === undefined ? [] : [until.then(() => undefined)])]);
	if (onAbort !== undefined) {
		signal.removeEventListener('abort', onAbort);
	}

	await source.stop();
	if (end?.reason === 'gave-up') {
		throw new Error(end.message);
	}
}

/** What `--launch` opens; tests point it at their own server. */
const launchUrl = (env: NodeJS.ProcessEnv = process.env) => env['RUGS_TUI_LAUNCH_URL'] ?? 'https://rugs.fun/';

/**
A window to log in with when there is a display; headless otherwise (a
server, CI), where the public feed still flows through the launched tab.
*/
function launchHeadless(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): boolean {
	if (env['RUGS_TUI_HEADLESS'] === '1') {
		return true;
	}

	return platform === 'linux' && !env['DISPLAY'] && !env['WAYLAND_DISPLAY'];
}

/** The backend host the options name (a custom --url), recognised as the game's socket in the tab. */
function backendHost(options: Options): string {
	try {
		return new URL(options.url).hostname || defaultBackendHost;
	} catch {
		return defaultBackendHost;
	}
}

/** The CDP source's options: at `--cdp`, or at `at` (the browser `--launch` started). */
function cdpSourceOptions(options: Options, at?: {host: string; port: number}): CdpSourceOptions {
	return {
		host: at?.host ?? options.cdpHost,
		port: at?.port ?? options.cdpPort,
		// The rule holds for every address the source connects to, not only for the flag (./sources/cdp-address.ts).
		allowRemote: at === undefined && options.allowRemoteCdp,
		target: options.target,
		reload: options.reload,
		backendHost: backendHost(options),
		maxReconnects: options.maxReconnects,
	};
}

/**
`--launch`: start a browser with a fresh profile, run `body` with it, and close
it and delete its profile however `body` ends (returns or throws). If the
process dies first, the launcher's exit hook and the browser's DevTools pipe
see to it.
*/
async function withLaunchedChrome(bus: AppBus, signal: AbortSignal, body: (chrome: LaunchedChrome) => Promise<void>): Promise<void> {
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

function browserClosed(bus: AppBus, chrome: LaunchedChrome, signal: AbortSignal): void {
	if (!chrome.running && !signal.aborted) {
		bus.publish('status', {source: 'cdp', state: 'ended', ts: Date.now(), detail: 'the browser rugs-tui launched was closed'});
	}
}

/** `--source cdp`: attach to a running Chrome, or to the one `--launch` starts (the run ends when that browser is closed). */
export async function runCdp(bus: AppBus, options: Options, signal: AbortSignal): Promise<void> {
	const {createCdpSource} = await import('../sources/cdp.js');
	if (!options.launch) {
		await runLiveSource(createCdpSource(bus, cdpSourceOptions(options)), signal);
		return;
	}

	await withLaunchedChrome(bus, signal, async chrome => {
		await runLiveSource(createCdpSource(bus, cdpSourceOptions(options, chrome)), signal, chrome.exited);
		browserClosed(bus, chrome, signal);
	});
}

/**
`--source auto` (the default): the user's Chrome tab through CDP when one is
reachable (or the browser `--launch` started), the direct socket otherwise,
switching as either appears or goes away.
*/
export async function runAuto(bus: AppBus, options: Options, signal: AbortSignal, tuning: {startupGraceMs?: number; overlapMs?: number} = {}): Promise<void> {
	const {createCdpSource} = await import('../sources/cdp.js');
	const run = async (at?: {host: string; port: number}) => {
		const manager = createSourceManager(bus, {
			candidates: [
				{kind: 'cdp', create: sourceBus => createCdpSource(sourceBus, cdpSourceOptions(options, at))},
				{kind: 'direct', create: sourceBus => createDirectSource(sourceBus, {url: options.url, maxReconnects: options.maxReconnects})},
			],
			...tuning,
		});
		await runLiveSource(manager, signal);
	};

	if (!options.launch) {
		await run();
		return;
	}

	// The launched browser first; if the user closes it, the direct socket carries on.
	await withLaunchedChrome(bus, signal, async chrome => run(chrome));
}
