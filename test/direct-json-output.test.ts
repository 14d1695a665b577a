import {Writable} from 'node:stream';
import {afterEach, expect, it} from 'vitest';
import {parseOptions} from '../source/app/options.js';
import {runJson} from '../source/app/run-json.js';
import {createAppBus} from '../source/bus/app-bus.js';
import {startSocketServer, type TestServer} from './helpers/socket-server.js';

let server: TestServer | undefined;
afterEach(async () => {
	await server?.close();
	server = undefined;
});

function text(): {stream: Writable; lines(): string[]} {
	let written = '';
	const stream = new Writable({
		write(chunk: Buffer, _encoding, callback) {
			written += chunk.toString();
			callback();
		},
	});
	return {stream, lines: () => written.split('\n').filter(line => line !== '')};
}

it('drops and counts events, rather than holding them without bound, when stdout stalls under a live source; the run then fails', async () => {
	server = await startSocketServer({onConnection(socket) {
		for (let index = 0; index < 40; index++) {
			socket.emit('gameStateUpdate', {index, padding: 'x'.repeat(10_000)});
		}
	}});
	const parsed = parseOptions({source: 'direct', url: server.url, json: true});
	if (!parsed.ok) {
		throw new Error(parsed.error);
	}

	// A reader that takes the first write and never finishes it: everything after stays buffered.
	let stalled = false;
	const stdout = new Writable({
		highWaterMark: 1024,
		write(_chunk, _encoding, _callback) {
			stalled = true;
		},
	});
	const stderr = text();
	const bus = createAppBus();
	let seen = 0;
	const allSeen = new Promise<void>((resolve, reject) => {
		const timer = setTimeout(() => {
			reject(new Error(`only ${seen} envelopes arrived`));
		}, 15_000);
		bus.subscribe('envelope', () => {
			// The connect reply and the 40 events.
			if (++seen === 41) {
				clearTimeout(timer);
				resolve();
			}
		});
	});
	const run = runJson(parsed.options, {stdout, stderr: stderr.stream, liveOutputLimitBytes: 50_000}, bus);
	await allSeen;

	// The reader goes away: the run ends, reports the total, and fails (events were lost: exit 1 in the CLI).
	stdout.destroy();
	await expect(run).rejects.toThrow(/^\d+ events dropped from stdout, which did not keep up with the live feed$/);
	expect(stalled).toBe(true);
	const problems = stderr.lines().map(line => JSON.parse(line) as Record<string, unknown>).filter(record => record['type'] === 'problem');
	expect(problems[0]).toMatchObject({kind: 'output'});
	expect(problems[0]!['message']).toMatch(/^stdout is not keeping up with the live feed: dropping events/);
	expect(problems.at(-1)!['message']).toMatch(/^stdout could not keep up: \d+ events were dropped$/);
	const dropped = Number(/(\d+) events were dropped/.exec(String(problems.at(-1)!['message']))![1]);
	// About 50 KB of 10 KB lines stay buffered; the rest of the 41 envelopes are dropped.
	expect(dropped).toBeGreaterThanOrEqual(30);
	expect(dropped).toBeLessThanOrEqual(38);
});
