import {afterAll, describe, expect, test} from 'vitest';
import {createAppBus} from '../source/bus/app-bus.js';
import {maxTimerMs, replay, ReplayController} from '../source/sources/replay.js';
import {collect, recordingText, tempFolder, testEnvelope} from './helpers/own-recordings.js';

/*
The replay driven from the keyboard, on a virtual clock (now reads it, sleep
advances it and records each wait): pause, speed, the jumps to the next and
the previous game, and the timer waits capped at 2^31 − 1 ms.
*/

const folder = tempFolder();
afterAll(() => {
	folder.remove();
});

function virtualClock() {
	const clock = {
		time: 50_000,
		waits: [] as number[],
		now: () => clock.time,
		async sleep(ms: number) {
			clock.waits.push(ms);
			clock.time += ms;
		},
	};
	return clock;
}

const games = ['20251212-aaaaaaaaaaaa0001', '20251212-bbbbbbbbbbbb0002', '20251212-cccccccccccc0003'];
const start = 1_765_577_818_000;
/** Three games of 5, 5 and 3 frames, 250 ms apart: seq 1–5 game A, 6–10 game B, 11–13 game C. */
const threeGames = (() => {
	const envelopes = [];
	let seq = 0;
	for (const [index, gameId] of games.entries()) {
		for (let tick = 0; tick < (index === 2 ? 3 : 5); tick++) {
			seq++;
			envelopes.push(testEnvelope(seq, start + ((seq - 1) * 250), 'gameStateUpdate', [{gameId, tickCount: tick, price: 1 + (tick / 10), active: true}]));
		}
	}

	return folder.write('three-games.jsonl', recordingText(envelopes));
})();

/** Replay threeGames with a controller; `at(seq)` acts right after envelope seq goes out. */
type Action = (controller: ReplayController, published: ReadonlyArray<[number, number]>) => void;

async function drive(list: Array<[seq: number, action: Action]>, speed = 1) {
	const actions = new Map(list);
	const bus = createAppBus();
	const collected = collect(bus);
	const clock = virtualClock();
	const controller = new ReplayController(speed, [threeGames]);
	const publishedAt: Array<[number, number]> = [];
	const done = new Set<number>();
	bus.subscribe('envelope', envelope => {
		publishedAt.push([envelope.seq, clock.time]);
		const action = actions.get(envelope.seq);
		// Each action once (a jump back plays the same envelopes again).
		if (action !== undefined && !done.has(envelope.seq)) {
			done.add(envelope.seq);
			action(controller, publishedAt);
		}
	});
	const result = await replay(bus, {files: [threeGames], speed, now: clock.now, sleep: clock.sleep, controller});
	return {result, collected, clock, controller, publishedAt, seqs: collected.envelopes.map(envelope => envelope.seq)};
}

describe('timer waits are capped at 2^31 − 1 ms', () => {
	test('a recorded gap of 30 days is waited in pieces, and the next envelope comes after all of it', async () => {
		const day = 86_400_000;
		const file = folder.write('month-gap.jsonl', recordingText([testEnvelope(1, 0), testEnvelope(2, 30 * day)]));
		const bus = createAppBus();
		const clock = virtualClock();
		const publishedAt: number[] = [];
		bus.subscribe('envelope', () => {
			publishedAt.push(clock.time);
		});
		await replay(bus, {files: [file], speed: 1, now: clock.now, sleep: clock.sleep});
		expect(clock.waits.every(wait => wait <= maxTimerMs)).toBe(true);
		expect(clock.waits).toStrictEqual([maxTimerMs, (30 * day) - maxTimerMs]);
		expect(publishedAt).toStrictEqual([50_000, 50_000 + (30 * day)]);
	});

	test('--speed 1e-308 waits (in capped pieces) instead of playing the rest at once', async () => {
		const file = folder.write('tiny-speed.jsonl', recordingText([testEnvelope(1, 0), testEnvelope(2, 250), testEnvelope(3, 500)]));
		const bus = createAppBus();
		const {envelopes} = collect(bus);
		const controller = new AbortController();
		const clock = virtualClock();
		const sleep = async (ms: number) => {
			await clock.sleep(ms);
			if (clock.waits.length === 20) {
				controller.abort();
			}
		};

		const result = await replay(bus, {files: [file], speed: 1e-308, now: clock.now, sleep, signal: controller.signal});
		expect(result.aborted).toBe(true);
		expect(envelopes.map(envelope => envelope.seq)).toStrictEqual([1]);
		expect(clock.waits).toHaveLength(20);
		expect(clock.waits.every(wait => wait === maxTimerMs)).toBe(true);
	});

	test('with real timers: no TimeoutOverflowWarning, and no envelope played early', async () => {
		const file = folder.write('tiny-speed-real.jsonl', recordingText([testEnvelope(1, 0), testEnvelope(2, 250)]));
		const warnings: string[] = [];
		const onWarning = (warning: Error) => {
			warnings.push(warning.name);
		};

		process.on('warning', onWarning);
		try {
			const bus = createAppBus();
			const {envelopes} = collect(bus);
			const controller = new AbortController();
			setTimeout(() => {
				controller.abort();
			}, 150);
			const result = await replay(bus, {files: [file], speed: 1e-308, signal: controller.signal});
			expect(result.aborted).toBe(true);
			expect(envelopes.map(envelope => envelope.seq)).toStrictEqual([1]);
			// Warnings are emitted on the next turn of the loop.
			await new Promise(resolve => {
				setImmediate(resolve);
			});
			expect(warnings).not.toContain('TimeoutOverflowWarning');
		} finally {
			process.off('warning', onWarning);
		}
	});
});

describe('the replay controller', () => {
	test('plays at the recorded cadence and says where it stands: event n of N, played time of total', async () => {
		const {seqs, clock, controller} = await drive([]);
		expect(seqs).toStrictEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
		expect(clock.waits).toStrictEqual(Array.from({length: 12}, () => 250));
		expect(controller.progress).toMatchObject({event: 13, events: 13, playedMs: 3000, totalMs: 3000, file: threeGames, finished: {events: 13, badLines: 0}});
	});

	test('pause holds the next envelope until resumed; the rest of its gap is then waited', async () => {
		let resumedAt = 0;
		const {seqs, publishedAt} = await drive([
			[2, (controller, published) => {
				controller.togglePause();
				expect(controller.progress.paused).toBe(true);
				setTimeout(() => {
					resumedAt = published.length;
					controller.togglePause();
				}, 30);
			}],
		]);
		expect(seqs).toHaveLength(13);
		// Nothing went out while paused.
		expect(resumedAt).toBe(2);
		// The virtual clock did not move while paused: envelope 3 still comes 250 ms after 2.
		const at = new Map(publishedAt);
		expect(at.get(3)! - at.get(2)!).toBe(250);
	});

	test('> and < change the speed from the next wait on', async () => {
		const {clock, controller} = await drive([
			[3, control => {
				control.changeSpeed(1);
			}],
			[6, control => {
				control.changeSpeed(-1);
				control.changeSpeed(-1);
			}],
		]);
		expect(clock.waits).toStrictEqual([250, 250, 125, 125, 125, 500, 500, 500, 500, 500, 500, 500]);
		expect(controller.speed).toBe(0.5);
	});

	test('speeds step through 0.25 … 64, then as fast as possible; a --speed between steps goes to the next one', () => {
		const controller = new ReplayController(3);
		controller.changeSpeed(1);
		expect(controller.speed).toBe(4);
		for (let step = 0; step < 10; step++) {
			controller.changeSpeed(1);
		}

		expect(controller.speed).toBe(0);
		controller.changeSpeed(-1);
		expect(controller.speed).toBe(64);
		const slow = new ReplayController(0.3);
		slow.changeSpeed(-1);
		slow.changeSpeed(-1);
		expect(slow.speed).toBe(0.25);
	});

	test('] plays through to the next game at once, then at the recorded cadence again', async () => {
		const {seqs, clock, publishedAt} = await drive([
			[2, controller => {
				controller.nextGame();
			}],
		]);
		expect(seqs).toStrictEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
		const at = new Map(publishedAt);
		// Envelopes 3–5 (the rest of game A) and 6 (game B's first frame) with no wait between them.
		expect(at.get(6)).toBe(at.get(2));
		expect(at.get(7)! - at.get(6)!).toBe(250);
		expect(clock.waits).toHaveLength(12 - 4);
	});

	test('[ starts the state again from the start of the file, then plays up to the game before at once', async () => {
		const {seqs, collected, publishedAt, controller} = await drive([
			// In game C: back to game B.
			[12, control => {
				control.previousGame();
			}],
		]);
		expect(seqs).toStrictEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
		const restarts = collected.statuses.filter(status => status.restart === true);
		expect(restarts).toHaveLength(1);
		// The restart comes right after envelope 12, before the file is read again.
		const order = collected.statuses.indexOf(restarts[0]!);
		expect(order).toBeGreaterThan(0);
		// Envelopes 1–5 again at once, game B's first frame where the jump lands, then the cadence.
		const second = publishedAt.slice(12);
		expect(second.slice(0, 6).every(([, time]) => time === second[0]![1])).toBe(true);
		expect(second[6]![1] - second[5]![1]).toBe(250);
		expect(controller.progress).toMatchObject({event: 13, events: 13});
	});

	test('[ in the first game starts it again from the top; bad lines are reported once', async () => {
		const file = folder.write('bad-line.jsonl', `${recordingText([testEnvelope(1, 0), testEnvelope(2, 250)])}nope\n${recordingText([testEnvelope(3, 500)])}`);
		const bus = createAppBus();
		const {envelopes, problems} = collect(bus);
		const clock = virtualClock();
		const controller = new ReplayController(1, [file]);
		let jumped = false;
		bus.subscribe('envelope', envelope => {
			if (envelope.seq === 2 && !jumped) {
				jumped = true;
				controller.previousGame();
			}
		});
		await replay(bus, {files: [file], speed: 1, now: clock.now, sleep: clock.sleep, controller});
		expect(envelopes.map(envelope => envelope.seq)).toStrictEqual([1, 2, 1, 2, 3]);
		// The bad line (read before the jump) is not reported again when the file is read again.
		expect(problems).toHaveLength(1);
		expect(problems[0]!.message).toContain(':3:');
	});

	test('keys after the end change nothing', async () => {
		const {controller} = await drive([]);
		controller.togglePause();
		controller.nextGame();
		expect(controller.paused).toBe(false);
		expect(controller.takeSeek()).toBeUndefined();
	});
});
