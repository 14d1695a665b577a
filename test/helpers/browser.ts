import {mkdtempSync, readdirSync, readFileSync} from 'node:fs';
import {rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import CDP from 'chrome-remote-interface';
import {findChrome, launchChrome, profilePrefix, type LaunchedChrome} from '../../source/sources/chrome-launch.js';

/**
Real headless Chromium for the CDP tests. Each test file keeps its browsers'
profiles under its own temporary folder, so that it can check at the end that
none of its browsers (or their helper processes) survived and no profile was
left behind — without being confused by another file running in parallel.
*/

export const chromePath = findChrome();

type BrowserLab = {
	/** Folder holding this file's temporary profiles. */
	readonly profileParent: string;
	launch(): Promise<LaunchedChrome>;
	/** Close every browser still open, then report what was left behind. */
	finish(): Promise<{processes: string[]; profiles: string[]}>;
};

export function createBrowserLab(): BrowserLab {
	const profileParent = mkdtempSync(path.join(os.tmpdir(), 'rugs-tui-test-'));
	const launched: LaunchedChrome[] = [];
	return {
		profileParent,
		async launch() {
			if (chromePath === undefined) {
				throw new Error('no Chromium found: install Debian\'s chromium (.ci/run does) or set CHROME_PATH');
			}

			const chrome = await launchChrome({executable: chromePath, headless: true, profileParent});
			launched.push(chrome);
			return chrome;
		},
		async finish() {
			await Promise.all(launched.map(async chrome => chrome.close()));
			const left = () => [...processesMentioning(profileParent), ...launched.flatMap(chrome => processesInGroup(chrome.pid))];
			// Crash handlers run in a session of their own and exit shortly after their browser: give them that moment.
			await waitFor(() => left().length === 0, 'the browsers\' last processes to exit', 5000).catch(() => undefined);
			const processes = left();
			const result = {processes: [...new Set(processes)], profiles: leftoverProfiles(profileParent)};
			// Whatever the verdict, leave nothing running: a failed test must not leak browsers into the next.
			for (const line of result.processes) {
				try {
					process.kill(Number(line.slice(0, line.indexOf(':'))), 'SIGKILL');
				} catch {
					// Already gone.
				}
			}

			await rm(profileParent, {recursive: true, force: true, maxRetries: 10, retryDelay: 50});
			return result;
		},
	};
}

/** Command lines of live processes that mention `text` (e.g. a profile folder). */
export function processesMentioning(text: string): string[] {
	const found: string[] = [];
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry) || Number(entry) === process.pid) {
			continue;
		}

		let commandLine: string;
		try {
			commandLine = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
		} catch {
			continue;
		}

		if (commandLine.includes(text)) {
			found.push(`${entry}: ${commandLine.slice(0, 200)}`);
		}
	}

	return found;
}

/**
Live (not zombie) processes of a process group: the browser and its renderer,
GPU and utility processes. Chromium's crashpad handlers are not in it (they
call setsid, so the group kill does not reach them, and they exit by
themselves once the browser is gone); they name the profile on their command
line (`--database=<profile>/…`), so processesMentioning finds them.
*/
export function processesInGroup(pgid: number): string[] {
	const found: string[] = [];
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) {
			continue;
		}

		try {
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			// pid (comm) state ppid pgrp …: comm may contain spaces, so split after its ')'.
			const [state, , group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			if (Number(group) === pgid && state !== 'Z') {
				found.push(`${entry}: ${readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ').slice(0, 200)}`);
			}
		} catch {
			// The process ended while we looked.
		}
	}

	return found;
}

export function leftoverProfiles(parent: string): string[] {
	try {
		return readdirSync(parent).filter(name => name.startsWith(profilePrefix));
	} catch {
		return [];
	}
}

/** Wait until `check` returns something truthy (polling, never a fixed sleep). */
export async function waitFor<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 15_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value !== undefined && value !== false) {
			return value;
		}

		if (Date.now() > deadline) {
			throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		}

		await new Promise(resolve => {
			setTimeout(resolve, 20);
		});
	}
}

/** Open a tab and return a DevTools client on it (the test's own hands in the page). */
export async function openTab(chrome: LaunchedChrome, url: string): Promise<{target: CDP.Target; client: CDP.Client}> {
	const target = await CDP.New({host: chrome.host, port: chrome.port, url});
	const client = await CDP({host: chrome.host, port: chrome.port, target, local: true});
	return {target, client};
}

/** Run an expression in the page and return its value. */
export async function evaluate(client: CDP.Client, expression: string): Promise<unknown> {
	const result = await client.Runtime.evaluate({expression, returnByValue: true, awaitPromise: true});
	if (result.exceptionDetails !== undefined) {
		throw new Error(`page threw: ${result.exceptionDetails.exception?.description ?? result.exceptionDetails.text}`);
	}

	return result.result.value as unknown;
}
