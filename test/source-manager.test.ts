import {afterEach, beforeEach, describe, expect, test, vi} from 'vitest';
import type {AppBus} from '../source/bus/app-bus.js';
import type {ConnectionState} from '../source/bus/messages.js';
import {makeEnvelope, type SourceKind} from '../source/protocol/envelope.js';
import {createSourceManager, wireFingerprint, type SourceManager} from '../source/sources/source-manager.js';
import type {Source, SourceEnd} from '../source/sources/source.js';
import {createBusLog, type BusLog} from './helpers/bus-log.js';

/**
The manager's switching and deduplication, driven by small scripted sources
(the manager is generic over Source factories; the real CDP → direct failover
runs against Chromium and socket.io in cdp-failover.test.ts).
*/

type Scripted = {
	kind: SourceKind;
	running: boolean;
	starts: number;
	seq: number;
	bus: AppBus | undefined;
	status(state: ConnectionState, detail?: string): void;
	emit(event: string, data: unknown): void;
};

function scripted(kind: SourceKind): Scripted & {factory: (bus: AppBus) => Source} {
	const self = {
		kind,
		running: false,
		starts: 0,
		seq: 0,
		bus: undefined as AppBus | undefined,
		status(state: ConnectionState, detail?: string) {
			self.bus!.publish('status', {source: kind, state, ts: 0, ...(detail === undefined ? {} : {detail})});
		},
		emit(event: string, data: unknown) {
			self.seq++;
			self.bus!.publish('envelope', makeEnvelope({seq: self.seq, ts: self.seq, source: kind, direction: 'received', event, args: [data]}));
		},
		factory(bus: AppBus) {
			self.bus = bus;
			self.seq = 0;
			let resolveEnded!: (end: SourceEnd) => void;
			const ended = new Promise<SourceEnd>(resolve => {
				resolveEnded = resolve;
			});
			return {
				kind,
				ended,
				start() {
					self.running = true;
					self.starts++;
				},
				async stop() {
					self.running = false;
					resolveEnded({reason: 'stopped'});
				},
			};
		},
	};
	return self;
}

let log: BusLog;
let cdp: ReturnType<typeof scripted>;
let direct: ReturnType<typeof scripted>;
let manager: SourceManager;

beforeEach(() => {
	vi.useFakeTimers();
	log = createBusLog();
	cdp = scripted('cdp');
	direct = scripted('direct');
	manager = createSourceManager(log.bus, {
		candidates: [{kind: 'cdp', create: cdp.factory}, {kind: 'direct', create: direct.factory}],
		startupGraceMs: 3000,
		overlapMs: 5000,
		dedupeWindowMs: 5000,
	});
});

afterEach(async () => {
	await manager.stop();
	vi.useRealTimers();
});

const published = () => log.envelopes.map(envelope => `${envelope.source}:${envelope.event}:${JSON.stringify(envelope.data)}`);

describe('source manager (--source auto)', () => {
	test('the preferred source connects in time: the fallback is never started', () => {
		manager.start();
		expect(cdp.running).toBe(true);
		expect(direct.running).toBe(false);
		cdp.status('connecting', 'looking for a tab');
		vi.advanceTimersByTime(1000);
		cdp.status('connected', 'tab https://rugs.fun/');
		cdp.emit('gameStateUpdate', {tick: 1});
		vi.advanceTimersByTime(10_000);

		expect(direct.starts).toBe(0);
		expect(manager.active).toBe('cdp');
		expect(log.statuses.at(-1)).toMatchObject({source: 'cdp', state: 'connected', detail: 'auto → cdp (preferred) — tab https://rugs.fun/'});
		expect(published()).toEqual(['cdp:gameStateUpdate:{"tick":1}']);
	});

	test('the preferred source is not there: the fallback starts at once, and the status says why', () => {
		manager.start();
		cdp.status('reconnecting', 'no Chrome DevTools at 127.0.0.1:9222');
		expect(direct.running).toBe(true);
		direct.status('connected', 'https://backend.rugs.fun');
		direct.emit('gameStateUpdate', {tick: 1});

		expect(manager.active).toBe('direct');
		expect(log.statuses.at(-1)).toMatchObject({source: 'direct', state: 'connected'});
		expect(log.statuses.at(-1)?.detail).toBe('auto → direct, as cdp reconnecting: no Chrome DevTools at 127.0.0.1:9222 — https://backend.rugs.fun');
		// The preferred source keeps trying; the reason follows what it says.
		cdp.status('reconnecting', 'no tab whose URL contains "rugs.fun"');
		expect(log.statuses.at(-1)?.detail).toContain('as cdp reconnecting: no tab whose URL contains "rugs.fun"');
		expect(published()).toEqual(['direct:gameStateUpdate:{"tick":1}']);
	});

	test('the preferred source still connecting after the grace period: the fallback starts too', () => {
		manager.start();
		cdp.status('connecting', 'attached; waiting for the game socket');
		vi.advanceTimersByTime(2999);
		expect(direct.running).toBe(false);
		vi.advanceTimersByTime(1);
		expect(direct.running).toBe(true);
	});

	test('the preferred source appears: switch to it, nothing lost or doubled, the fallback stops after the overlap', () => {
		manager.start();
		cdp.status('reconnecting', 'no tab');
		direct.status('connected');
		direct.emit('tick', 1);
		direct.emit('tick', 2);
		// The tab appears: CDP sees tick 2 again, then 3 before direct does.
		cdp.status('connected', 'tab');
		expect(manager.active).toBe('cdp');
		cdp.emit('tick', 2);
		cdp.emit('tick', 3);
		direct.emit('tick', 3);
		cdp.emit('tick', 4);
		direct.emit('tick', 4);

		expect(published()).toEqual(['direct:tick:1', 'direct:tick:2', 'cdp:tick:3', 'cdp:tick:4']);
		expect(manager.duplicates).toBe(1);
		expect(log.envelopes.map(envelope => envelope.seq)).toEqual([1, 2, 3, 4]);
		expect(direct.running).toBe(true);
		vi.advanceTimersByTime(5000);
		expect(direct.running).toBe(false);
		expect(log.statuses.at(-1)?.detail).toBe('auto → cdp (preferred) — tab');
	});

	test('the preferred source disappears: switch to the fallback; what it saw on standby and was not published comes out once', () => {
		manager.start();
		cdp.status('connected', 'tab');
		cdp.emit('tick', 1);
		vi.advanceTimersByTime(100);
		cdp.status('reconnecting', 'lost the tab');
		expect(direct.running).toBe(true);
		// Direct connects and hears tick 1 (already published by CDP) and tick 2 (new) before it reports connected.
		direct.emit('tick', 1);
		direct.emit('tick', 2);
		direct.status('connected');
		direct.emit('tick', 3);

		expect(manager.active).toBe('direct');
		expect(published()).toEqual(['cdp:tick:1', 'direct:tick:2', 'direct:tick:3']);
	});

	test('an event the server really sent twice is published twice', () => {
		manager.start();
		cdp.status('connected');
		cdp.emit('cooldown', {timer: 100});
		cdp.status('disconnected', 'browser gone');
		direct.emit('cooldown', {timer: 100});
		direct.emit('cooldown', {timer: 100});
		direct.status('connected');

		expect(published()).toEqual(['cdp:cooldown:{"timer":100}', 'direct:cooldown:{"timer":100}']);
		expect(manager.duplicates).toBe(1);
	});

	test('outside the window after a switch, identical events are not suppressed', () => {
		manager.start();
		cdp.status('connected');
		cdp.emit('ping', 0);
		cdp.status('reconnecting', 'lost');
		direct.status('connected');
		vi.advanceTimersByTime(6000);
		direct.emit('ping', 0);
		expect(published()).toEqual(['cdp:ping:0', 'direct:ping:0']);
	});

	test('problems of every candidate are forwarded; when every source has ended, so has the manager', async () => {
		manager.start();
		cdp.bus!.publish('problem', {kind: 'decode', message: 'bad frame', ts: 0});
		expect(log.problems).toEqual([{source: 'cdp', kind: 'decode', message: 'bad frame', ts: 0}]);
		cdp.status('ended', 'gave up');
		direct.status('ended', 'gave up');
		expect(await manager.ended).toEqual({reason: 'gave-up', message: 'every source gave up: cdp: gave up; direct: gave up'});
		expect(log.statuses.at(-1)).toMatchObject({state: 'ended', detail: 'auto: every source gave up: cdp: gave up; direct: gave up'});
	});

	test('stop() stops every running source', async () => {
		manager.start();
		cdp.status('reconnecting');
		expect([cdp.running, direct.running]).toEqual([true, true]);
		await manager.stop();
		expect([cdp.running, direct.running]).toEqual([false, false]);
	});

	test('fingerprints: the wire content, not who saw it or when', () => {
		const a = makeEnvelope({seq: 1, ts: 1, source: 'cdp', direction: 'received', event: 'e', args: [{t: 1}, {x: 1}]});
		const b = makeEnvelope({seq: 9, ts: 5, source: 'direct', direction: 'received', event: 'e', args: [{t: 1}, {x: 1}]});
		expect(wireFingerprint(a)).toBe(wireFingerprint(b));
		expect(wireFingerprint(a)).not.toBe(wireFingerprint({...b, ns: '/other'}));
		expect(wireFingerprint(a)).not.toBe(wireFingerprint({...b, direction: 'sent'}));
		expect(wireFingerprint(a)).not.toBe(wireFingerprint({...b, extra: [{t: 2}]}));
	});
});
