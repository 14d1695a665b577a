import {afterAll, describe, expect, test} from 'vitest';
import {createAppBus} from '../source/bus/app-bus.js';
import {replay, type ReplayOptions} from '../source/sources/replay.js';
import {collect, recordingText, tempFolder, testEnvelope} from './helpers/own-recordings.js';

/*
Timing is tested on a virtual clock: `now` reads it and `sleep` advances it
(and records the wait), so the assertions are exact and nothing depends on
how busy the machine is.
*/

const folder = tempFolder();
afterAll(() => {
	folder.remove();
});

function virtualClock() {
	const clock = {
		time: 10_000,
		waits: [] as number[],
		now: () => clock.time,
		async sleep(ms: number) {
			clock.waits.push(ms);
			clock.time += ms;
		},
	};
	return clock;
}

/** Recorded gaps (ms) between consecutive envelopes, starting at an arbitrary epoch time. */
function recordingWithGaps(name: string, gaps: readonly number[]): string {
	let ts = 1_765_577_818_624.25;
	const envelopes = [testEnvelope(1, ts)];
	for (const [index, gap] of gaps.entries()) {
		ts += gap;
		envelopes.push(testEnvelope(index + 2, ts));
	}

	return folder.write(name, recordingText(envelopes));
}

const gaps = [100, 250, 0, 1000, 40, 2];

describe('--speed: waits follow the recorded gaps, scaled by 1/speed', () => {
	test.each([1, 2, 4, 0.5, 0.25])('speed %d', async speed => {
		const file = recordingWithGaps(`gaps-${speed}.jsonl`, gaps);
		const bus = createAppBus();
		const {envelopes} = collect(bus);
		const clock = virtualClock();
		const publishedAt: number[] = [];
		bus.subscribe('envelope', () => {
			publishedAt.push(clock.time);
		});
		const result = await replay(bus, {files: [file], speed, now: clock.now, sleep: clock.sleep});
		expect(result.events).toBe(gaps.length + 1);
		expect(envelopes.map(envelope => envelope.seq)).toStrictEqual([1, 2, 3, 4, 5, 6, 7]);
		// Gaps of ≤ 1 ms after scaling are not worth a timer; all others are waited exactly.
		expect(clock.waits).toStrictEqual(gaps.map(gap => gap / speed).filter(wait => wait > 1));
		// Each envelope goes out at its recorded offset from the first divided by the speed
		// (or at once when that is at most 1 ms away).
		let offset = 0;
		let time = 10_000;
		const expected = [time];
		for (const gap of gaps) {
			offset += gap;
			const due = 10_000 + (offset / speed);
			time = due - time > 1 ? due : time;
			expected.push(time);
		}

		expect(publishedAt).toStrictEqual(expected);
	});

	test('a slow consumer shortens the next waits instead of making the replay drift', async () => {
		const file = recordingWithGaps('slow-consumer.jsonl', [100, 100, 100, 100]);
		const bus = createAppBus();
		const clock = virtualClock();
		const publishedAt: number[] = [];
		bus.subscribe('envelope', () => {
			publishedAt.push(clock.time);
			clock.time += 70; // The consumer takes 70 ms of every 100.
		});
		await replay(bus, {files: [file], speed: 1, now: clock.now, sleep: clock.sleep});
		expect(clock.waits).toStrictEqual([30, 30, 30, 30]);
		expect(publishedAt).toStrictEqual([10_000, 10_100, 10_200, 10_300, 10_400]);
	});

	test('a consumer slower than the recording: no waits at all, and the order is kept', async () => {
		const file = recordingWithGaps('slower-consumer.jsonl', [10, 10, 10]);
		const bus = createAppBus();
		const {envelopes} = collect(bus);
		const clock = virtualClock();
		bus.subscribe('envelope', () => {
			clock.time += 50;
		});
		await replay(bus, {files: [file], speed: 1, now: clock.now, sleep: clock.sleep});
		expect(clock.waits).toStrictEqual([]);
		expect(envelopes.map(envelope => envelope.seq)).toStrictEqual([1, 2, 3, 4]);
	});

	test('time going back in the recording: no wait, file order kept', async () => {
		const file = folder.write('backwards.jsonl', recordingText([testEnvelope(1, 5000), testEnvelope(2, 4000), testEnvelope(3, 5500)]));
		const bus = createAppBus();
		const {envelopes} = collect(bus);
		const clock = virtualClock();
		await replay(bus, {files: [file], speed: 1, now: clock.now, sleep: clock.sleep});
		expect(clock.waits).toStrictEqual([500]);
		expect(envelopes.map(envelope => envelope.seq)).toStrictEqual([1, 2, 3]);
	});

	test('each file is timed from its own start', async () => {
		const a = folder.write('timed-a.jsonl', recordingText([testEnvelope(1, 1_000_000), testEnvelope(2, 1_000_200)]));
		const b = folder.write('timed-b.jsonl', recordingText([testEnvelope(1, 5000), testEnvelope(2, 5300)]));
		const bus = createAppBus();
		const clock = virtualClock();
		await replay(bus, {files: [a, b], speed: 1, now: clock.now, sleep: clock.sleep});
		expect(clock.waits).toStrictEqual([200, 300]);
	});
});

describe('speed 0 and very high speeds', () => {
	const many = Array.from({length: 1000}, (_, index) => testEnvelope(index + 1, 1_000_000 + index));

	/** How many envelopes went out between consecutive turns of the event loop (setImmediate ticks). */
	async function gapsBetweenLoopTurns(options: Omit<ReplayOptions, 'files'>): Promise<{gaps: number[]; events: number}> {
		const file = folder.write(`many-${options.speed}.jsonl`, recordingText(many));
		const bus = createAppBus();
		let count = 0;
		bus.subscribe('envelope', () => {
			count++;
		});
		const seenAtTicks: number[] = [];
		let running = true;
		const tick = () => {
			seenAtTicks.push(count);
			if (running) {
				setImmediate(tick);
			}
		};

		setImmediate(tick);
		const result = await replay(bus, {files: [file], ...options});
		running = false;
		seenAtTicks.push(count);
		const gaps = seenAtTicks.slice(1).map((seen, index) => seen - seenAtTicks[index]!);
		return {gaps, events: result.events};
	}

	test('speed 0 never sleeps and yields to the event loop at least every 64 envelopes', async () => {
		const clock = virtualClock();
		const {gaps, events} = await gapsBetweenLoopTurns({speed: 0, now: clock.now, sleep: clock.sleep});
		expect(events).toBe(1000);
		expect(clock.waits).toStrictEqual([]);
		expect(Math.max(...gaps)).toBeLessThanOrEqual(64);
	});

	test('a speed so high that no wait is ever due yields to the event loop too', async () => {
		const clock = virtualClock();
		const {gaps, events} = await gapsBetweenLoopTurns({speed: 1e6, now: clock.now, sleep: clock.sleep});
		expect(events).toBe(1000);
		expect(clock.waits).toStrictEqual([]);
		expect(Math.max(...gaps)).toBeLessThanOrEqual(64);
	});
});

describe('abort, back-pressure and loop', () => {
	test('aborting during a long recorded gap ends the replay at once (real timers)', async () => {
		const file = folder.write('hour-gap.jsonl', recordingText([testEnvelope(1, 0), testEnvelope(2, 3_600_000)]));
		const bus = createAppBus();
		const controller = new AbortController();
		const {envelopes} = collect(bus);
		bus.subscribe('envelope', () => {
			// After the first envelope, while the replay waits an hour for the second.
			setImmediate(() => {
				controller.abort();
			});
		});
		const result = await replay(bus, {files: [file], speed: 1, signal: controller.signal});
		expect(result).toMatchObject({events: 1, aborted: true});
		expect(envelopes).toHaveLength(1);
	});

	test('ready(): no envelope goes out while the consumer asks to wait', async () => {
		const file = folder.write('ready.jsonl', recordingText([testEnvelope(1, 0), testEnvelope(2, 1), testEnvelope(3, 2)]));
		const bus = createAppBus();
		const {envelopes} = collect(bus);
		let release: (() => void) | undefined;
		let blocked: Promise<void> | undefined;
		bus.subscribe('envelope', envelope => {
			if (envelope.seq === 1) {
				blocked = new Promise(resolve => {
					release = resolve;
				});
			}
		});
		let readyCalls = 0;
		const done = replay(bus, {
			files: [file],
			speed: 0,
			ready() {
				readyCalls++;
				return blocked;
			},
		});
		// Wait until the replay has asked before the second envelope (and got the blocked promise).
		// eslint-disable-next-line no-unmodified-loop-condition -- counted by ready(), which the replay calls while the loop awaits
		for (let turn = 0; readyCalls < 2 && turn < 10_000; turn++) {
			await new Promise(resolve => {
				setImmediate(resolve);
			});
		}

		expect(readyCalls).toBe(2);
		// And it keeps waiting: a few more turns of the loop change nothing.
		for (let turn = 0; turn < 20; turn++) {
			await new Promise(resolve => {
				setImmediate(resolve);
			});
		}

		expect(envelopes.map(envelope => envelope.seq)).toStrictEqual([1]);
		expect(readyCalls).toBe(2);
		blocked = undefined;
		release!();
		await done;
		expect(envelopes.map(envelope => envelope.seq)).toStrictEqual([1, 2, 3]);
	});

	test('loop: starts again after the last file until aborted', async () => {
		const file = folder.write('loop.jsonl', recordingText([testEnvelope(1, 0), testEnvelope(2, 1), testEnvelope(3, 2)]));
		const bus = createAppBus();
		const controller = new AbortController();
		const {envelopes, statuses} = collect(bus);
		bus.subscribe('envelope', () => {
			if (envelopes.length === 10) {
				controller.abort();
			}
		});
		const result = await replay(bus, {files: [file], speed: 0, loop: true, signal: controller.signal});
		expect(result.aborted).toBe(true);
		expect(envelopes.map(envelope => envelope.seq)).toStrictEqual([1, 2, 3, 1, 2, 3, 1, 2, 3, 1]);
		expect(statuses.filter(status => status.restart === true).map(status => status.detail)).toStrictEqual([`${file} (pass 2)`, `${file} (pass 3)`, `${file} (pass 4)`]);
	});

	test('loop over a recording with no good line ends instead of spinning', async () => {
		const file = folder.write('loop-bad.jsonl', 'nope\nnope\n');
		const bus = createAppBus();
		const {problems} = collect(bus);
		const result = await replay(bus, {files: [file], speed: 0, loop: true});
		expect(result).toStrictEqual({events: 0, badLines: 2, unreadableFiles: 0, aborted: false});
		expect(problems).toHaveLength(2);
	});
});
