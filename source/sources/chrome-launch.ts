import {spawn, type ChildProcess} from 'node:child_process';
import {existsSync, rmSync} from 'node:fs';
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import WebSocket from 'ws';
import {errorText} from '../protocol/error-text.js';
import {exitSignals} from './exit-signals.js';

/**
Find, start and reliably stop a Chrome/Chromium for `--launch` (and for the
tests, which drive the same code). The browser gets a fresh temporary profile
and remote debugging bound to 127.0.0.1 on a port the browser picks itself
(port 0, read back from `DevToolsActivePort`), so nothing else on the machine
can race for the port. Every way out — `close()`, the end of the process, an
uncaught error, any terminating signal (SIGHUP, SIGINT, SIGTERM, SIGQUIT… see
exit-signals.ts) — closes the browser and deletes the profile.

Signals: while a browser is running, the launcher listens to every exit
signal. When the program has its own listener for that signal (rugs-tui's
runners do: they stop cleanly and call close()), the launcher leaves it to
them. When it is the only listener — a program that does not handle the
signal, which would otherwise die on the spot and leave the profile behind —
it kills the browser's process group, deletes the profile, and re-raises the
signal, so the process still ends the way that signal ends it.
*/

/** Temporary profiles are created as `<tmpdir>/rugs-tui-chrome-XXXXXX`. */
export const profilePrefix = 'rugs-tui-chrome-';

/** Arguments every launched browser gets: no first-run UI, no background traffic. */
export const baseChromeArgs: readonly string[] = [
	'--no-first-run',
	'--no-default-browser-check',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/** Extra arguments for a headless browser (tests, benchmarks, `--launch` without a display). */
export const headlessChromeArgs: readonly string[] = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-dev-shm-usage',
];

/** Where Chrome or Chromium usually lives, in the order they are tried after `CHROME_PATH`. */
export function chromeCandidates(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string[] {
	// eslint-disable-next-line @typescript-eslint/switch-exhaustiveness-check -- every platform but macOS and Windows is a Unix that keeps Chrome in the same places: the default says so
	switch (platform) {
		case 'darwin': {
			const apps = [
				'Google Chrome.app/Contents/MacOS/Google Chrome',
				'Chromium.app/Contents/MacOS/Chromium',
				'Google Chrome Canary.app/Contents/MacOS/Google Chrome Canary',
			];
			return [
				...apps.map(app => path.join('/Applications', app)),
				...apps.map(app => path.join(os.homedir(), 'Applications', app)),
			];
		}

		case 'win32': {
			const roots = [env['LOCALAPPDATA'], env['PROGRAMFILES'], env['PROGRAMFILES(X86)']].filter((root): root is string => root !== undefined);
			return roots.flatMap(root => [
				path.join(root, 'Google', 'Chrome', 'Application', 'chrome.exe'),
				path.join(root, 'Chromium', 'Application', 'chrome.exe'),
			]);
		}

		default: {
			return [
				'/usr/lib/chromium/chromium',
				'/usr/bin/chromium',
				'/usr/bin/chromium-browser',
				'/usr/bin/google-chrome',
				'/usr/bin/google-chrome-stable',
				'/opt/google/chrome/chrome',
				'/snap/bin/chromium',
			];
		}
	}
}

/**
The browser to launch: `CHROME_PATH` when set (it must exist), else the first
usual location that exists. Undefined when there is none.
*/
export function findChrome(env: NodeJS.ProcessEnv = process.env, exists: (file: string) => boolean = existsSync, platform: NodeJS.Platform = process.platform): string | undefined {
	const fromEnv = env['CHROME_PATH']?.trim();
	if (fromEnv !== undefined && fromEnv !== '') {
		return exists(fromEnv) ? fromEnv : undefined;
	}

	return chromeCandidates(platform, env).find(file => exists(file));
}

/** Why the browser could not be found, with what to do about it. */
export function chromeNotFoundMessage(env: NodeJS.ProcessEnv = process.env): string {
	const fromEnv = env['CHROME_PATH']?.trim();
	if (fromEnv !== undefined && fromEnv !== '') {
		return `CHROME_PATH=${fromEnv} does not exist: point CHROME_PATH at a Chrome or Chromium executable`;
	}

	return 'no Chrome or Chromium found: install one (Debian/Ubuntu: apt install chromium) or set CHROME_PATH to its executable';
}

type ChromeLaunchOptions = {
	/** The executable; default: findChrome(). */
	executable?: string;
	/** Page to open; default about:blank. */
	url?: string;
	/** Run without a window (tests, benchmarks, machines without a display). */
	headless?: boolean;
	/** More command-line arguments. */
	extraArgs?: readonly string[];
	/** Folder for the temporary profile; default the system temp folder. */
	profileParent?: string;
	/** How long to wait for the DevTools port; default 30 s. */
	startTimeoutMs?: number;
};

export type ChromeExit = {code: number | null; signal: NodeJS.Signals | null};

export type LaunchedChrome = {
	readonly pid: number;
	/** Always 127.0.0.1: remote debugging is never exposed beyond this machine. */
	readonly host: string;
	readonly port: number;
	/** The browser-level DevTools WebSocket (for Browser.close). */
	readonly browserWsUrl: string;
	readonly profileDir: string;
	/** Resolves when the browser process has exited (for any reason). */
	readonly exited: Promise<ChromeExit>;
	readonly running: boolean;
	/** Browser.close, then kill the process group, then delete the profile. Idempotent. */
	close(): Promise<void>;
};

type Live = {pid: number; profileDir: string};

/** Browsers started by this process and not yet closed: the exit hook's work list. */
const live = new Set<Live>();
let exitHookInstalled = false;
let signalHandlersInstalled = false;

function killGroup(pid: number, signal: NodeJS.Signals): void {
	try {
		// The browser leads its own process group (spawned detached): this reaches
		// its renderers, GPU and crash-handler processes too.
		process.kill(-pid, signal);
	} catch {
		// Already gone.
	}
}

function sleepSync(ms: number): void {
	Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
Last resort when the process ends without `close()` (an uncaught error, a
plain `process.exit`): only synchronous work is possible here, so the group is
killed outright and the profile removed, retrying briefly while the dying
browser may still write into it.
*/
function cleanUpSync(entry: Live): void {
	killGroup(entry.pid, 'SIGKILL');
	for (let attempt = 0; attempt < 5; attempt++) {
		sleepSync(attempt === 0 ? 50 : 100);
		try {
			rmSync(entry.profileDir, {recursive: true, force: true});
		} catch {
			// Retry below.
		}

		if (!existsSync(entry.profileDir)) {
			return;
		}
	}
}

function installExitHook(): void {
	if (exitHookInstalled) {
		return;
	}

	exitHookInstalled = true;
	process.on('exit', () => {
		for (const entry of live) {
			cleanUpSync(entry);
		}

		live.clear();
	});
}

/** An exit signal nobody else in the process handles: clean up now, then end as that signal ends a process. */
function onExitSignal(signal: NodeJS.Signals): void {
	if (process.listenerCount(signal) > 1) {
		// The program handles it (and closes its browsers through close()); the exit hook remains the last resort.
		return;
	}

	for (const entry of live) {
		cleanUpSync(entry);
	}

	live.clear();
	removeSignalHandlers();
	// No listener is left for it, so the default action applies: the process ends by this signal, as it would have.
	process.kill(process.pid, signal);
}

function installSignalHandlers(): void {
	if (signalHandlersInstalled) {
		return;
	}

	signalHandlersInstalled = true;
	for (const signal of exitSignals) {
		process.on(signal, onExitSignal);
	}
}

function removeSignalHandlers(): void {
	if (!signalHandlersInstalled) {
		return;
	}

	signalHandlersInstalled = false;
	for (const signal of exitSignals) {
		process.off(signal, onExitSignal);
	}
}

async function removeProfile(profileDir: string): Promise<void> {
	// Chrome may still be flushing files for a moment after it exits.
	await rm(profileDir, {recursive: true, force: true, maxRetries: 10, retryDelay: 50});
}

async function readActivePort(profileDir: string): Promise<{port: number; browserPath: string} | undefined> {
	let text: string;
	try {
		text = await readFile(path.join(profileDir, 'DevToolsActivePort'), 'utf8');
	} catch {
		return undefined;
	}

	// Two lines: the port, then the browser target's path. Chrome writes the file
	// in one go, but a partial read is possible: wait until both lines are there.
	const [portLine, browserPath] = text.split('\n');
	const port = Number(portLine);
	if (!Number.isInteger(port) || port <= 0 || !browserPath?.startsWith('/devtools/browser/')) {
		return undefined;
	}

	return {port, browserPath: browserPath.trim()};
}

/** Ask the browser to close itself over its browser-level DevTools socket. */
async function sendBrowserClose(browserWsUrl: string, timeoutMs: number): Promise<void> {
	await new Promise<void>(resolve => {
		const socket = new WebSocket(browserWsUrl, {perMessageDeflate: false});
		const timer = setTimeout(() => {
			socket.terminate();
			resolve();
		}, timeoutMs);
		const done = () => {
			clearTimeout(timer);
			resolve();
		};

		socket.on('open', () => {
			socket.send(JSON.stringify({id: 1, method: 'Browser.close'}));
		});
		// The browser answers, or simply drops the socket as it goes away.
		socket.on('message', () => {
			socket.close();
		});
		socket.on('close', done);
		socket.on('error', done);
	});
}

/** Start a browser with a fresh profile and remote debugging on 127.0.0.1. */
export async function launchChrome(options: ChromeLaunchOptions = {}): Promise<LaunchedChrome> {
	const executable = options.executable ?? findChrome();
	if (executable === undefined) {
		throw new Error(chromeNotFoundMessage());
	}

	const profileDir = await mkdtemp(path.join(options.profileParent ?? os.tmpdir(), profilePrefix));
	const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
	const args = [
		`--user-data-dir=${profileDir}`,
		'--remote-debugging-port=0',
		'--remote-debugging-address=127.0.0.1',
		'--remote-debugging-pipe',
		...baseChromeArgs,
		...(options.headless === true ? headlessChromeArgs : []),
		// Chrome refuses to start as root with its sandbox on.
		...(isRoot && options.headless !== true ? ['--no-sandbox'] : []),
		...(options.extraArgs ?? []),
		options.url ?? 'about:blank',
	];

	let child: ChildProcess;
	try {
		// fds 3 and 4 are a DevTools pipe (--remote-debugging-pipe) that rugs-tui never
		// uses but holds open: if rugs-tui is killed outright (SIGKILL, OOM), the pipe
		// closes and the browser exits by itself instead of outliving it.
		// TMPDIR inside the profile: the browser's own temporary folders (its singleton
		// socket, …) go with the profile, even when the browser is killed and cannot tidy up.
		// Headless, its crash reports too (XDG_CONFIG_HOME); a window keeps the user's
		// desktop settings (themes, fonts), which live there as well.
		const env: NodeJS.ProcessEnv = {...process.env, TMPDIR: profileDir};
		if (options.headless === true) {
			env['XDG_CONFIG_HOME'] = profileDir;
		}

		child = spawn(executable, args, {detached: true, stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'], env});
	} catch (error) {
		await removeProfile(profileDir);
		throw new Error(`could not start ${executable}: ${errorText(error)}`, {cause: error});
	}

	// Drain the DevTools pipe's output end, should the browser ever write to it.
	(child.stdio[4] as NodeJS.ReadableStream | null | undefined)?.resume();
	let stderrTail = '';
	child.stderr?.setEncoding('utf8');
	child.stderr?.on('data', (chunk: string) => {
		stderrTail = (stderrTail + chunk).slice(-4000);
	});

	let running = true;
	const exited = new Promise<ChromeExit>(resolve => {
		child.once('exit', (code, signal) => {
			running = false;
			resolve({code, signal});
		});
		child.once('error', () => {
			running = false;
			resolve({code: null, signal: null});
		});
	});

	const {pid} = child;
	const entry: Live | undefined = pid === undefined ? undefined : {pid, profileDir};
	if (entry !== undefined) {
		installExitHook();
		installSignalHandlers();
		live.add(entry);
	}

	let closing: Promise<void> | undefined;
	const shutdown = async (browserWsUrl: string | undefined): Promise<void> => {
		if (browserWsUrl !== undefined && running) {
			await sendBrowserClose(browserWsUrl, 2000);
			await Promise.race([exited, sleep(5000, undefined, {ref: false})]);
		}

		if (pid !== undefined) {
			// Browser.close ends the browser process; helpers that outlive it go with the group.
			killGroup(pid, 'SIGKILL');
		}

		if (running) {
			// No process groups (Windows): the browser itself, at least.
			child.kill('SIGKILL');
		}

		await Promise.race([exited, sleep(5000, undefined, {ref: false})]);
		await removeProfile(profileDir);
		if (entry !== undefined) {
			live.delete(entry);
			if (live.size === 0) {
				// Signals end the process by themselves again once no browser is left to clean up.
				removeSignalHandlers();
			}
		}
	};

	const startTimeout = options.startTimeoutMs ?? 30_000;
	const deadline = Date.now() + startTimeout;
	let active: {port: number; browserPath: string} | undefined;
	while (active === undefined) {
		if (!running || pid === undefined) {
			const exit = await exited;
			await shutdown(undefined);
			const why = exit.code === null ? (exit.signal === null ? 'could not be started' : `was killed by ${exit.signal}`) : `exited with code ${exit.code}`;
			const tail = stderrTail.trim().split('\n').slice(-5).join('\n');
			throw new Error(`${executable} ${why} before opening its DevTools port (set CHROME_PATH to another Chrome or Chromium)${tail === '' ? '' : `:\n${tail}`}`);
		}

		if (Date.now() > deadline) {
			await shutdown(undefined);
			throw new Error(`${executable} did not open its DevTools port within ${Math.round(startTimeout / 1000)} s (a slow or stuck start: try again, or set CHROME_PATH to another Chrome or Chromium)`);
		}

		active = await readActivePort(profileDir);
		if (active === undefined) {
			await Promise.race([exited, sleep(25)]);
		}
	}

	const browserWsUrl = `ws://127.0.0.1:${active.port}${active.browserPath}`;
	return {
		pid: pid!,
		host: '127.0.0.1',
		port: active.port,
		browserWsUrl,
		profileDir,
		exited,
		get running() {
			return running;
		},
		async close() {
			closing ??= shutdown(browserWsUrl);
			return closing;
		},
	};
}
