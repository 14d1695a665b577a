import {describe, expect, it} from 'vitest';
import {createAppBus} from '../source/bus/app-bus.js';
import {FrameMetrics} from '../source/ui/frame-metrics.js';
import {RateMeter} from '../source/ui/rate-meter.js';
import {displayKey, sameKey} from '../source/ui/display-key.js';
import {decodeErrors, MonitorStore} from '../source/ui/store.js';
import {FeedBuilder, gameIds, seedWithLength} from './helpers/game-feed.js';

describe('MonitorStore', () => {
	it('reduces every envelope as it arrives and bumps the version', () => {
		const bus = createAppBus();
		let now = 1_000_000;
		const store = new MonitorStore(bus, {now: () => now});
		const feed = new FeedBuilder();
		feed.game({gameId: gameIds[0], seed: seedWithLength(gameIds[0], 20, 40), maxTicks: 5});
		const before = store.version;
		for (const envelope of feed.envelopes) {
			now += 10;
			bus.publish('envelope', envelope);
		}

		const snapshot = store.snapshot();
		expect(snapshot.version).toBe(before + feed.envelopes.length);
		expect(snapshot.state.game).toMatchObject({id: gameIds[0], phase: 'ACTIVE', tick: 5});
		expect(snapshot.state.stats.events).toBe(feed.envelopes.length);
		expect(snapshot.lastArrival).toBe(now);
		expect(snapshot.takenAt).toBe(now);
		store.close();
		bus.publish('envelope', feed.envelopes[0]!);
		expect(store.snapshot().state.stats.events).toBe(feed.envelopes.length);
	});

	it('starts the game state afresh when the stream restarts (a looping replay plays the same games again)', () => {
		const bus = createAppBus();
		const store = new MonitorStore(bus);
		const feed = new FeedBuilder();
		feed.game({gameId: gameIds[0], seed: seedWithLength(gameIds[0], 20, 40), maxTicks: 5});
		for (const envelope of feed.envelopes) {
			bus.publish('envelope', envelope);
		}

		bus.publish('status', {source: 'replay', state: 'connected', ts: 1, detail: 'a.jsonl'});
		expect(store.snapshot().state.game?.tick).toBe(5);
		bus.publish('status', {source: 'replay', state: 'connected', ts: 2, detail: 'a.jsonl (pass 2)', restart: true});
		expect(store.snapshot().state.game).toBeUndefined();
		bus.publish('envelope', feed.envelopes[0]!);
		// Without the restart this first frame of a known game would be stale and ignored.
		expect(store.snapshot().state.game?.id).toBe(gameIds[0]);
		expect(store.snapshot().state.stats.staleFrames).toBe(0);
		store.close();
	});

	it('keeps the latest source status and counts problems by kind', () => {
		const bus = createAppBus();
		const store = new MonitorStore(bus);
		bus.publish('status', {source: 'replay', state: 'connected', ts: 1, detail: 'a.jsonl'});
		bus.publish('status', {source: 'replay', state: 'ended', ts: 2, detail: 'replay finished'});
		bus.publish('problem', {kind: 'line', ts: 3, message: 'a.jsonl:3: invalid JSON'});
		bus.publish('problem', {kind: 'decode', ts: 4, message: 'bad frame'});
		bus.publish('problem', {kind: 'source', ts: 5, message: 'gone'});
		const snapshot = store.snapshot();
		expect(snapshot.status).toMatchObject({state: 'ended'});
		expect(snapshot.problems.total).toBe(3);
		expect(snapshot.problems.byKind).toEqual({line: 1, decode: 1, source: 1});
		expect(snapshot.problems.recent[0]!.message).toBe('gone');
		expect(decodeErrors(snapshot.problems)).toBe(2);
	});

	it('reports each envelope to the frame metrics with the version it produced', () => {
		const bus = createAppBus();
		const seen: number[] = [];
		const store = new MonitorStore(bus, {onEnvelope(version) {
			seen.push(version);
		}});
		const feed = new FeedBuilder().push('gameStateUpdate', {gameId: gameIds[0], cooldownTimer: 9000}).push('unknownThing', {});
		for (const envelope of feed.envelopes) {
			bus.publish('envelope', envelope);
		}

		expect(seen).toEqual([1, 2]);
		expect(store.version).toBe(2);
	});
});

describe('RateMeter', () => {
	it('averages over the last whole seconds and forgets old ones', () => {
		const meter = new RateMeter(5);
		for (let ms = 0; ms < 10_000; ms += 100) {
			meter.add(ms);
		}

		expect(meter.perSecond(10_000)).toBeCloseTo(10, 5);
		// Seconds 7–11 whole (7, 8 and 9 had ten events each) plus half of second 12.
		expect(meter.perSecond(12_500)).toBeCloseTo(30 / 5.5, 5);
		expect(meter.perSecond(30_000)).toBe(0);
	});

	it('uses the time since the first event before a full window has passed', () => {
		const meter = new RateMeter(5);
		meter.add(1000, 5);
		meter.add(1500, 5);
		expect(meter.perSecond(3000)).toBeCloseTo(5, 5);
		expect(new RateMeter().perSecond(5)).toBe(0);
	});
});

describe('RateMeter.completedPerSecond', () => {
	it('counts whole past seconds only, so it moves once a second', () => {
		const meter = new RateMeter(5);
		for (let ms = 0; ms < 10_000; ms += 100) {
			meter.add(ms);
		}

		// Seconds 5–9, ten events each.
		expect(meter.completedPerSecond(10_000)).toBe(10);
		meter.add(10_100, 50);
		// The current second is left out: the same figure until it ends.
		expect(meter.completedPerSecond(10_900)).toBe(10);
		// Seconds 6–10: 40 + 50 events.
		expect(meter.completedPerSecond(11_000)).toBe(18);
		expect(meter.completedPerSecond(30_000)).toBe(0);
	});

	it('reads like perSecond until a whole second has been watched', () => {
		const meter = new RateMeter(5);
		meter.add(1500, 5);
		expect(meter.completedPerSecond(1900)).toBe(meter.perSecond(1900));
		meter.add(2500, 3);
		// Second 1 was entered half way through: second 2 is the first complete one.
		expect(meter.completedPerSecond(3200)).toBe(3);
		expect(new RateMeter().completedPerSecond(5)).toBe(0);
	});
});

describe('FrameMetrics', () => {
	it('measures event-to-screen latency from arrival to the frame that shows it', () => {
		let now = 0;
		const metrics = new FrameMetrics({now: () => now});
		metrics.arrived(1, 0);
		now = 30;
		metrics.arrived(2, 0);
		now = 100;
		metrics.showing(2);
		metrics.rendered();
		now = 150;
		metrics.arrived(3, 0);
		now = 180;
		// A redraw for a key press that does not show event 3 yet.
		metrics.rendered();
		now = 200;
		metrics.showing(3);
		metrics.rendered();
		const report = metrics.report();
		expect(report.latency.count).toBe(3);
		expect(report.latency.p50).toBe(70);
		expect(report.latency.max).toBe(100);
		expect(report.redraws).toBe(3);
		expect(report.unmeasured).toBe(0);
	});

	it('counts an event whose frame was skipped (nothing visible changed) as shown when the clock decided so', () => {
		let now = 0;
		const metrics = new FrameMetrics({now: () => now});
		metrics.arrived(1, 0);
		now = 40;
		metrics.settled(1);
		const report = metrics.report();
		expect(report.latency).toMatchObject({count: 1, max: 40});
		expect(report.redraws).toBe(0);
	});

	it('counts redraws per second and the busiest second', () => {
		let now = 0;
		const metrics = new FrameMetrics({now: () => now});
		for (now = 0; now <= 2000; now += 100) {
			metrics.rendered();
		}

		const report = metrics.report();
		expect(report.redraws).toBe(21);
		expect(report.redrawsPerSecond).toBeCloseTo(10, 5);
		expect(report.maxRedrawsInASecond).toBe(10);
	});

	it('measures how far arrivals fall behind the replay schedule', () => {
		let now = 0;
		const metrics = new FrameMetrics({now: () => now, speed: 10});
		// Recorded one second apart, replayed at 10x: due every 100 ms; the last two arrive late.
		for (const [ts, at] of [[0, 0], [1000, 100], [2000, 200], [3000, 350], [4000, 500]] as const) {
			now = at;
			metrics.arrived(1, ts);
		}

		expect(metrics.report().lag).toMatchObject({max: 100, last: 100, firstHalfP50: 0});
		expect(new FrameMetrics().report().lag).toBeUndefined();
	});
});

describe('displayKey: a frame that would look the same is skipped', () => {
	function snapshots(...frames: Array<Record<string, unknown>>) {
		const bus = createAppBus();
		const now = 5_000_000;
		const store = new MonitorStore(bus, {now: () => now});
		const feed = new FeedBuilder();
		return frames.map(frame => {
			feed.push('gameStateUpdate', {gameId: gameIds[0], ...frame});
			bus.publish('envelope', feed.envelopes.at(-1)!);
			// The event rate is the same in both for this comparison.
			return {...store.snapshot(), eventsPerSecond: 3};
		});
	}

	it('ignores a cooldown timer step the whole-second countdown does not show', () => {
		const [a, b] = snapshots({cooldownTimer: 14_900, allowPreRoundBuys: false}, {cooldownTimer: 14_100, allowPreRoundBuys: false});
		expect(a!.version).not.toBe(b!.version);
		expect(sameKey(displayKey(a!, 1), displayKey(b!, 1))).toBe(true);
	});

	it('sees a new second, a new tick, a new trade and a new status', () => {
		const [a, b] = snapshots({cooldownTimer: 14_100}, {cooldownTimer: 13_900});
		expect(sameKey(displayKey(a!, 1), displayKey(b!, 1))).toBe(false);
		const [c, d] = snapshots({active: true, tickCount: 1, price: 1.01}, {active: true, tickCount: 2, price: 1.02});
		expect(sameKey(displayKey(c!, 1), displayKey(d!, 1))).toBe(false);
		expect(sameKey(displayKey(c!, 1), displayKey({...c!, state: {...c!.state, trades: [...c!.state.trades]}}, 1))).toBe(false);
		expect(sameKey(displayKey(c!, 1), displayKey({...c!, status: {source: 'replay', state: 'ended', ts: 1}}, 1))).toBe(false);
		expect(sameKey(displayKey(c!, 1), displayKey(c!, 2))).toBe(false);
		expect(sameKey(undefined, displayKey(c!, 1))).toBe(false);
	});
});
