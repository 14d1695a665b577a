import {afterEach, beforeEach, describe, expect, test, vi} from 'vitest';
import {reconnectDelay, type BackoffPolicy} from '../source/sources/backoff.js';
import {Reconnector, type ReconnectorSettings} from '../source/sources/reconnector.js';
import {createBusLog, type BusLog} from './helpers/bus-log.js';

/**
The reconnection policy both live sources share, driven by hand: each attempt
is whatever the test says it was, on fake timers and a hand-set clock. The
real sources on it run against real servers and a real browser in the
direct-* and cdp-* tests.
*/

const backoff: BackoffPolicy = {minMs: 100, maxMs: 1000, jitter: 0.5};
const random = () => 0.5;

let log: BusLog;
let clock: number;
let attemptsMade: number;
let reconnector: Reconnector;

function make(settings: Partial<ReconnectorSettings> = {}): Reconnector {
	reconnector = new Reconnector(log.bus, {
		source: 'direct',
		endpoint: 'http://127.0.0.1:1',
		connectingDetail: 'http://127.0.0.1:1',
		maxReconnects: undefined,
		backoff,
		random,
		stableAfterMs: 10_000,
		now: () => clock,
		...settings,
	}, {
		connect() {
			attemptsMade++;
		},
		outage: (reason, lost, next) => `${lost ? 'lost' : 'cannot connect'}: ${reason}; ${next}`,
		gaveUp: (reason, gaveUp, everConnected) => `${everConnected ? 'lost' : 'never connected'} (${reason}); ${gaveUp}`,
	});
	return reconnector;
}

/** Let the pending retry delay run out: the next attempt starts. */
function retry(): void {
	vi.advanceTimersToNextTimer();
}

const states = () => log.statuses.map(status => status.state);

beforeEach(() => {
	vi.useFakeTimers();
	log = createBusLog();
	clock = 0;
	attemptsMade = 0;
});

afterEach(async () => {
	await reconnector.stop(() => undefined, () => 'stopped');
	vi.useRealTimers();
});

describe('Reconnector', () => {
	test('numbers the attempts of an outage 1, 2, … with the backoff of backoff.ts, and gives up after --max-reconnects of them', async () => {
		make({maxReconnects: 2}).start();
		expect(attemptsMade).toBe(1);
		reconnector.failed({reason: 'refused'});
		retry();
		reconnector.failed({reason: 'refused'});
		retry();
		reconnector.failed({reason: 'refused'});

		expect(attemptsMade).toBe(3);
		expect(log.statuses.map(({state, attempt, nextRetryMs}) => [state, attempt, nextRetryMs])).toEqual([
			['connecting', undefined, undefined],
			['reconnecting', 1, reconnectDelay(1, backoff, random)],
			['connecting', 1, undefined],
			['reconnecting', 2, reconnectDelay(2, backoff, random)],
			['connecting', 2, undefined],
			['ended', 2, undefined],
		]);
		expect(await reconnector.ended).toEqual({reason: 'gave-up', attempts: 2, lastFailure: 'refused', message: 'never connected (refused); gave up after 2 reconnection attempts'});
		expect(log.statuses.at(-1)?.detail).toBe('never connected (refused); gave up after 2 reconnection attempts');
		// Every status names the endpoint and carries the reconnection count.
		expect(log.statuses.every(status => status.source === 'direct' && status.endpoint === 'http://127.0.0.1:1' && status.reconnects === 0)).toBe(true);
		// One outage, one problem.
		expect(log.problems.map(problem => problem.message)).toEqual(['cannot connect: refused; retrying']);
		// Over means over: nothing more is made or said.
		vi.advanceTimersByTime(60_000);
		reconnector.failed({reason: 'late'});
		reconnector.status('connected');
		reconnector.problem('decode', 'late');
		expect(attemptsMade).toBe(3);
		expect(log.statuses).toHaveLength(6);
		expect(log.problems).toHaveLength(1);
	});

	test('--max-reconnects 0: the first failure ends it, and says "0 reconnection attempts"', async () => {
		make({maxReconnects: 0}).start();
		reconnector.failed({reason: 'refused'});
		expect(await reconnector.ended).toMatchObject({reason: 'gave-up', attempts: 0, message: 'never connected (refused); gave up after 0 reconnection attempts'});
		expect(states()).toEqual(['connecting', 'ended']);
		expect(log.problems.map(problem => problem.message)).toEqual(['cannot connect: refused; giving up']);
	});

	test('a connection that drops before stableAfterMs is the same outage: the count goes on, no new problem, and the cap applies', async () => {
		make({maxReconnects: 2}).start();
		reconnector.connected();
		reconnector.status('connected');
		clock += 500;
		reconnector.failed({reason: 'dropped'});
		retry();
		reconnector.connected();
		clock += 500;
		reconnector.failed({reason: 'dropped again'});
		retry();
		reconnector.connected();
		clock += 500;
		reconnector.failed({reason: 'and again'});

		expect(log.statuses.filter(status => status.state === 'reconnecting').map(status => status.attempt)).toEqual([1, 2]);
		expect(log.statuses.filter(status => status.state === 'disconnected').map(status => status.detail)).toEqual(['dropped', 'dropped again', 'and again']);
		expect(await reconnector.ended).toMatchObject({reason: 'gave-up', attempts: 2, lastFailure: 'and again', message: 'lost (and again); gave up after 2 reconnection attempts'});
		// Each connection after the first was a reconnection, and the statuses say so as they go.
		expect(reconnector.reconnects).toBe(2);
		expect(log.statuses.filter(status => status.state === 'disconnected').map(status => status.reconnects)).toEqual([0, 1, 2]);
		expect(log.problems.map(problem => problem.message)).toEqual(['lost: dropped; reconnecting']);
	});

	test('a connection that held for stableAfterMs ends the outage: the next loss is attempt 1 again, with a problem of its own', () => {
		make({maxReconnects: 1}).start();
		reconnector.failed({reason: 'refused'});
		retry();
		reconnector.connected();
		clock += 10_000;
		reconnector.failed({reason: 'dropped'});
		retry();
		reconnector.connected();
		clock += 60_000;
		reconnector.failed({reason: 'dropped'});

		// The first connection is not a reconnection; the second is.
		expect(log.statuses.filter(status => status.state === 'reconnecting').map(status => [status.attempt, status.reconnects])).toEqual([[1, 0], [1, 0], [1, 1]]);
		expect(log.problems.map(problem => problem.message)).toEqual(['cannot connect: refused; retrying', 'lost: dropped; reconnecting', 'lost: dropped; reconnecting']);
		expect(reconnector.running).toBe(true);
	});

	test('connected() twice in one connection counts one reconnection', () => {
		make().start();
		reconnector.failed({reason: 'refused'});
		retry();
		reconnector.connected();
		reconnector.connected();
		expect(reconnector.reconnects).toBe(0);
		reconnector.failed({reason: 'dropped'});
		retry();
		reconnector.connected();
		reconnector.connected();
		expect(reconnector.reconnects).toBe(1);
	});

	test('bad input is a decode problem every time, and stands for the outage\'s problem', () => {
		make().start();
		reconnector.connected();
		clock += 20_000;
		reconnector.failed({reason: 'malformed packet', badInput: 'malformed packet: `42[`'});
		retry();
		reconnector.failed({reason: 'refused'});
		retry();
		reconnector.connected();
		reconnector.failed({reason: 'malformed packet', badInput: 'malformed packet: `9x`'});

		expect(log.problems.map(({kind, message}) => [kind, message])).toEqual([
			['decode', 'malformed packet: `42[`; reconnecting'],
			['decode', 'malformed packet: `9x`; reconnecting'],
		]);
		expect(reconnector.problems).toBe(2);
	});

	test('no problem when the source has none to say (the CDP source while Chrome is not there)', () => {
		reconnector = new Reconnector(log.bus, {source: 'cdp', endpoint: '127.0.0.1:9222', connectingDetail: 'looking', maxReconnects: undefined, backoff, random, stableAfterMs: 10_000, now: () => clock}, {
			connect() {
				attemptsMade++;
			},
			outage: (reason, lost) => lost ? reason : undefined,
			gaveUp: reason => reason,
		});
		reconnector.start();
		reconnector.failed({reason: 'no Chrome'});
		retry();
		reconnector.connected();
		reconnector.failed({reason: 'lost the tab'});
		retry();
		reconnector.failed({reason: 'no Chrome'});
		// Nothing was said for the first failures, so the loss inside the same outage is the one reported.
		expect(log.problems.map(problem => problem.message)).toEqual(['lost the tab']);
		expect(log.statuses.filter(status => status.state === 'reconnecting').map(status => status.attempt)).toEqual([1, 2, 3]);
	});

	test('stop while waiting to retry: no attempt afterwards, one `ended` status, and `ended` settles as stopped', async () => {
		make().start();
		reconnector.failed({reason: 'refused'});
		let released = false;
		await reconnector.stop(() => {
			released = true;
		}, () => 'stopped');
		await reconnector.stop(() => {
			throw new Error('released twice');
		}, () => 'again');
		vi.advanceTimersByTime(60_000);

		expect(released).toBe(true);
		expect(attemptsMade).toBe(1);
		expect(states()).toEqual(['connecting', 'reconnecting', 'ended']);
		expect(log.statuses.at(-1)).toMatchObject({detail: 'stopped', reconnects: 0});
		expect(log.statuses.at(-1)?.attempt).toBeUndefined();
		expect(await reconnector.ended).toEqual({reason: 'stopped'});
	});

	test('stop before start says nothing; start afterwards does nothing', async () => {
		make();
		await reconnector.stop(() => undefined, () => 'stopped');
		reconnector.start();
		expect(attemptsMade).toBe(0);
		expect(log.statuses).toEqual([]);
		expect(await reconnector.ended).toEqual({reason: 'stopped'});
	});
});
