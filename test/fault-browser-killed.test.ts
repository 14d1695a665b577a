import {spawn} from 'node:child_process';
import {mkdtempSync} from 'node:fs';
import {rm} from 'node:fs/promises';
import path from 'node:path';
import CDP from 'chrome-remote-interface';
import {afterAll, beforeAll, expect, test} from 'vitest';
import type {SourceStatus} from '../source/bus/messages.js';
import {createCdpSource} from '../source/sources/cdp.js';
import {baseChromeArgs, headlessChromeArgs, type LaunchedChrome} from '../source/sources/chrome-launch.js';
import {chromePath, createBrowserLab, evaluate, openTab, processesInGroup, processesMentioning, waitFor} from './helpers/browser.js';
import {createBusLog} from './helpers/bus-log.js';
import {startGamePageServer, type GamePageServer} from './helpers/game-page-server.js';

/**
Fault injection: the browser is killed (SIGKILL of its whole process group)
while `--source cdp` is attached to its tab — no failover here, the CDP source
alone. It must say so, keep retrying without throwing or spinning, and when a
browser is back on the same DevTools port with the game tab, attach again and
go on: nothing lost of what was complete, nothing doubled.
*/

const lab = createBrowserLab();
let server: GamePageServer;
const cleanups: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
	server = await startGamePageServer();
});

afterAll(async () => {
	for (const cleanup of cleanups.toReversed()) {
		await cleanup().catch(() => undefined);
	}

	await server?.close();
	const left = await lab.finish();
	expect(left.processes, 'Chromium processes left behind').toEqual([]);
	expect(left.profiles, 'temporary profiles left behind').toEqual([]);
});

/**
Chromium on a fixed DevTools port: the "same browser back" (the launcher always
asks for a free port, and Chromium writes no DevToolsActivePort for a fixed one).
*/
async function chromiumOnPort(port: number): Promise<Pick<LaunchedChrome, 'host' | 'port' | 'pid' | 'close'>> {
	const profile = mkdtempSync(path.join(lab.profileParent, 'rugs-tui-chrome-'));
	const child = spawn(chromePath!, [`--user-data-dir=${profile}`, `--remote-debugging-port=${port}`, '--remote-debugging-address=127.0.0.1', ...baseChromeArgs, ...headlessChromeArgs, 'about:blank'], {detached: true, stdio: 'ignore', env: {...process.env, TMPDIR: profile, XDG_CONFIG_HOME: profile}});
	const pid = child.pid!;
	const close = async () => {
		try {
			process.kill(-pid, 'SIGKILL');
		} catch {
			// Already gone.
		}

		await waitFor(() => processesInGroup(pid).length === 0, 'the second browser to exit');
		// Its crash handlers run in a session of their own (out of reach of the group kill) and exit once the browser is gone.
		await waitFor(() => processesMentioning(profile).length === 0, 'the second browser\'s crash handlers to exit');
		await rm(profile, {recursive: true, force: true, maxRetries: 10, retryDelay: 50});
	};

	await waitFor(async () => CDP.Version({host: '127.0.0.1', port}).then(() => true, () => false), `Chromium on port ${port}`, 30_000);
	return {host: '127.0.0.1', port, pid, close};
}

test.skipIf(chromePath === undefined)('the browser killed while attached: status says so, retries, and attaches again to a browser back on the same port', async () => {
	const tag = 'killed';
	const first = await lab.launch();
	const page = await openTab(first, server.pageUrl(tag));
	await waitFor(async () => await evaluate(page.client, 'window.game?.connected === true') === true, 'the page to connect');

	const log = createBusLog();
	const source = createCdpSource(log.bus, {host: first.host, port: first.port, target: `tag=${tag}`, backoff: {minMs: 50, maxMs: 200}});
	cleanups.push(async () => source.stop());
	source.start();
	await waitFor(() => log.statuses.some(status => status.detail?.includes('attached to tab')), 'the source to attach');
	server.io.to(tag).emit('tick', {i: 1});
	await waitFor(() => log.envelopes.some(envelope => envelope.event === 'tick'), 'tick 1');

	// The fault: the browser and all its helpers, at once, no goodbye.
	process.kill(-first.pid, 'SIGKILL');
	await waitFor(() => processesInGroup(first.pid).length === 0, 'the browser to die');
	const isLoss = (status: SourceStatus) => status.state === 'reconnecting' && status.detail?.includes('lost the tab (the browser at') === true;
	await waitFor(() => log.statuses.some(status => isLoss(status)), 'the status to say the browser is gone');
	expect(source.stats().connected).toBe(false);
	const lostAt = log.statuses.findIndex(status => isLoss(status));
	// It keeps trying while nothing answers on the port, each attempt numbered and spaced (never a busy loop).
	await waitFor(() => log.statuses.slice(lostAt).filter(status => status.state === 'reconnecting').length >= 4, 'several attempts while the browser is down');
	const retries = log.statuses.slice(lostAt).filter(status => status.state === 'reconnecting');
	expect(retries.every(status => (status.nextRetryMs ?? 0) >= 50 && (status.nextRetryMs ?? 0) <= 200)).toBe(true);
	// One outage: the attempts count up (towards --max-reconnects), they do not start over at 1.
	expect(retries.map(status => status.attempt)).toEqual(retries.map((_, index) => index + 1));
	expect(retries.every(status => status.reconnects === 0 && status.endpoint === `127.0.0.1:${first.port}`)).toBe(true);
	// One outage is reported, not one problem per attempt.
	expect(log.problems.length).toBeGreaterThanOrEqual(1);
	expect(log.problems.length).toBeLessThan(retries.length);

	// The browser comes back on the same DevTools port, with the game tab. The source may
	// attach to the tab at any moment from here on (even before the page has connected, or
	// just after, when the page's socket is quiet until the next tick), so that is where to
	// look for the attach.
	const mark = log.statuses.length;
	const second = await chromiumOnPort(first.port);
	cleanups.push(async () => second.close());
	const again = await openTab(second as LaunchedChrome, server.pageUrl(tag));
	cleanups.push(async () => again.client.close());
	await waitFor(async () => await evaluate(again.client, 'window.game?.connected === true') === true, 'the new page to connect');
	await waitFor(() => log.statuses.slice(mark).some(status => status.detail?.includes('attached to tab')), 'the source to attach again', 20_000);
	server.io.to(tag).emit('tick', {i: 2});
	await waitFor(() => log.envelopes.filter(envelope => envelope.event === 'tick').length === 2, 'tick 2 through the new browser');

	expect(log.envelopes.filter(envelope => envelope.event === 'tick').map(envelope => envelope.data)).toEqual([{i: 1}, {i: 2}]);
	expect(log.envelopes.map(envelope => envelope.seq)).toEqual(log.envelopes.map((_, index) => index + 1));
	expect(log.statuses.at(-1)).toMatchObject({state: 'connected', reconnects: 1});
	await source.stop();
	await second.close();
	expect(processesInGroup(second.pid)).toEqual([]);
}, 90_000);
