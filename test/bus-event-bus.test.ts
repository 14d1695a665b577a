import {describe, expect, test} from 'vitest';
import {createAppBus} from '../source/bus/app-bus.js';
import {EventBus, type SubscriberError} from '../source/bus/event-bus.js';
import type {Problem} from '../source/bus/messages.js';

type Topics = {n: number; s: string};

function deferred(): {promise: Promise<void>; resolve: () => void; reject: (error: unknown) => void} {
	let resolve!: () => void;
	let reject!: (error: unknown) => void;
	const promise = new Promise<void>((yes, no) => {
		resolve = yes;
		reject = no;
	});
	return {promise, resolve, reject};
}

/** Let queued promise callbacks run. */
async function settle(): Promise<void> {
	await new Promise(resolve => {
		setImmediate(resolve);
	});
}

describe('EventBus', () => {
	test('delivers each message to every subscriber of its topic, in subscription order, synchronously', () => {
		const bus = new EventBus<Topics>();
		const seen: string[] = [];
		bus.subscribe('n', n => {
			seen.push(`a${n}`);
		});
		bus.subscribe('n', n => {
			seen.push(`b${n}`);
		});
		bus.subscribe('s', s => {
			seen.push(`s${s}`);
		});
		bus.publish('n', 1);
		bus.publish('s', 'x');
		bus.publish('n', 2);
		expect(seen).toStrictEqual(['a1', 'b1', 'sx', 'a2', 'b2']);
		expect(bus.count('n')).toBe(2);
	});

	test('a throwing subscriber does not stop the others and is reported through onError', () => {
		const reports: SubscriberError[] = [];
		const bus = new EventBus<Topics>({
			onError(report) {
				reports.push(report);
			},
		});
		const seen: number[] = [];
		bus.subscribe('n', () => {
			throw new Error('boom');
		}, {name: 'thrower'});
		bus.subscribe('n', n => {
			seen.push(n);
		}, {name: 'after'});
		bus.publish('n', 1);
		bus.publish('n', 2);
		expect(seen).toStrictEqual([1, 2]);
		expect(reports).toHaveLength(2);
		expect(reports[0]).toMatchObject({topic: 'n', name: 'thrower'});
		expect((reports[0]!.error as Error).message).toBe('boom');
		expect(bus.stats()).toStrictEqual([
			{name: 'thrower', topic: 'n', delivered: 0, errors: 2, dropped: 0, queued: 0},
			{name: 'after', topic: 'n', delivered: 2, errors: 0, dropped: 0, queued: 0},
		]);
	});

	test('a throwing onError does not break publishing', () => {
		const bus = new EventBus<Topics>({
			onError() {
				throw new Error('reporter broken');
			},
		});
		const seen: number[] = [];
		bus.subscribe('n', () => {
			throw new Error('boom');
		});
		bus.subscribe('n', n => {
			seen.push(n);
		});
		expect(() => {
			bus.publish('n', 1);
		}).not.toThrow();
		expect(seen).toStrictEqual([1]);
	});

	test('a handler returning a thenable whose then() throws is isolated like a throwing one', async () => {
		const reports: SubscriberError[] = [];
		const bus = new EventBus<Topics>({
			onError(report) {
				reports.push(report);
			},
		});
		const seen: number[] = [];
		bus.subscribe('n', () => ({
			// eslint-disable-next-line unicorn/no-thenable -- a thenable whose then() throws is what this test is about
			then() {
				throw new Error('bad thenable');
			},
		}) as unknown as Promise<void>, {name: 'weird'});
		bus.subscribe('n', n => {
			seen.push(n);
		});
		expect(() => {
			bus.publish('n', 1);
		}).not.toThrow();
		expect(seen).toStrictEqual([1]);
		await bus.idle();
		bus.publish('n', 2);
		await bus.idle();
		expect(seen).toStrictEqual([1, 2]);
		expect(reports.map(report => report.name)).toStrictEqual(['weird', 'weird']);
	});

	test('a slow async subscriber does not delay the others and gets its messages in order', async () => {
		const bus = new EventBus<Topics>();
		const fast: number[] = [];
		const slow: number[] = [];
		const gates: Array<ReturnType<typeof deferred>> = [];
		bus.subscribe('n', async n => {
			slow.push(n);
			const gate = deferred();
			gates.push(gate);
			await gate.promise;
		}, {name: 'slow'});
		bus.subscribe('n', n => {
			fast.push(n);
		}, {name: 'fast'});

		for (let n = 1; n <= 5; n++) {
			bus.publish('n', n);
		}

		expect(fast).toStrictEqual([1, 2, 3, 4, 5]);
		expect(slow).toStrictEqual([1]);
		expect(bus.stats().find(stat => stat.name === 'slow')).toMatchObject({delivered: 1, queued: 4, dropped: 0});

		// Each time the slow one finishes, it gets the next message, in order.
		for (let expected = 2; expected <= 5; expected++) {
			gates.at(-1)!.resolve();
			await settle();
			expect(slow).toStrictEqual([1, 2, 3, 4, 5].slice(0, expected));
		}

		gates.at(-1)!.resolve();
		await bus.idle();
		expect(bus.stats().find(stat => stat.name === 'slow')).toMatchObject({delivered: 5, queued: 0, dropped: 0});
	});

	test('a slow subscriber\'s queue is bounded: the oldest messages are dropped and counted', async () => {
		const bus = new EventBus<Topics>();
		const slow: number[] = [];
		let release!: () => void;
		bus.subscribe('n', async n => {
			slow.push(n);
			if (n === 1) {
				await new Promise<void>(resolve => {
					release = resolve;
				});
			}
		}, {name: 'slow', maxQueue: 3});
		for (let n = 1; n <= 10; n++) {
			bus.publish('n', n);
		}

		expect(bus.stats()[0]).toMatchObject({queued: 3, dropped: 6});
		release();
		await bus.idle();
		expect(slow).toStrictEqual([1, 8, 9, 10]);
		expect(bus.stats()[0]).toMatchObject({delivered: 4, queued: 0, dropped: 6});
	});

	test('a rejected promise is reported and the subscriber goes on with its queue', async () => {
		const reports: SubscriberError[] = [];
		const bus = new EventBus<Topics>({
			onError(report) {
				reports.push(report);
			},
		});
		const seen: number[] = [];
		bus.subscribe('n', async n => {
			seen.push(n);
			await settle();
			if (n === 1) {
				throw new Error('async boom');
			}
		}, {name: 'rejecter'});
		bus.publish('n', 1);
		bus.publish('n', 2);
		await bus.idle();
		expect(seen).toStrictEqual([1, 2]);
		expect(reports.map(report => (report.error as Error).message)).toStrictEqual(['async boom']);
		expect(bus.stats()[0]).toMatchObject({delivered: 2, errors: 1});
	});

	test('unsubscribing during a publish: the removed subscriber gets nothing more, the others get everything', () => {
		const bus = new EventBus<Topics>();
		const seen: string[] = [];
		let unsubscribeC: () => void = () => undefined;
		const unsubscribeA = bus.subscribe('n', n => {
			seen.push(`a${n}`);
			unsubscribeA();
		});
		bus.subscribe('n', n => {
			seen.push(`b${n}`);
			unsubscribeC();
		});
		unsubscribeC = bus.subscribe('n', n => {
			seen.push(`c${n}`);
		});
		bus.subscribe('n', n => {
			seen.push(`d${n}`);
		});
		bus.publish('n', 1);
		bus.publish('n', 2);
		expect(seen).toStrictEqual(['a1', 'b1', 'd1', 'b2', 'd2']);
		expect(bus.count('n')).toBe(2);
	});

	test('unsubscribing twice, or a subscriber that was never subscribed elsewhere, is harmless', () => {
		const bus = new EventBus<Topics>();
		const unsubscribe = bus.subscribe('n', () => undefined);
		unsubscribe();
		unsubscribe();
		expect(bus.count('n')).toBe(0);
		expect(() => {
			bus.publish('n', 1);
		}).not.toThrow();
	});

	test('subscribing during a publish: the new subscriber starts with the next message', () => {
		const bus = new EventBus<Topics>();
		const seen: string[] = [];
		let added = false;
		bus.subscribe('n', n => {
			seen.push(`a${n}`);
			if (!added) {
				added = true;
				bus.subscribe('n', m => {
					seen.push(`new${m}`);
				});
			}
		});
		bus.publish('n', 1);
		bus.publish('n', 2);
		expect(seen).toStrictEqual(['a1', 'a2', 'new2']);
	});

	test('publishing during a publish: every subscriber still sees the messages in publish order', () => {
		const bus = new EventBus<Topics>();
		const seen: Record<string, number[]> = {a: [], b: [], c: []};
		bus.subscribe('n', n => {
			seen['a']!.push(n);
			if (n === 1) {
				bus.publish('n', 2);
				bus.publish('n', 3);
			}
		});
		bus.subscribe('n', n => {
			seen['b']!.push(n);
		});
		bus.subscribe('n', n => {
			seen['c']!.push(n);
		});
		bus.publish('n', 1);
		// Delivered before the outer publish returns.
		expect(seen).toStrictEqual({a: [1, 2, 3], b: [1, 2, 3], c: [1, 2, 3]});
	});

	test('publishing on another topic during a publish is delivered too, before publish() returns', () => {
		const bus = new EventBus<Topics>();
		const seen: string[] = [];
		bus.subscribe('n', n => {
			seen.push(`n${n}`);
			bus.publish('s', `from${n}`);
		});
		bus.subscribe('n', n => {
			seen.push(`n${n}'`);
		});
		bus.subscribe('s', s => {
			seen.push(s);
		});
		bus.publish('n', 1);
		expect(seen).toStrictEqual(['n1', 'n1\'', 'from1']);
	});

	test('a subscriber that publishes on every message cannot hang the bus: the feedback loop is cut and reported', () => {
		const reports: SubscriberError[] = [];
		const bus = new EventBus<Topics>({
			onError(report) {
				reports.push(report);
			},
		});
		let calls = 0;
		bus.subscribe('n', n => {
			calls++;
			bus.publish('n', n + 1);
		}, {name: 'echo'});
		bus.publish('n', 0);
		expect(calls).toBeGreaterThan(1000);
		expect(calls).toBeLessThan(1_000_000);
		expect(reports.length).toBeGreaterThanOrEqual(1);
		expect(String((reports[0]!.error as Error).message)).toMatch(/published during one publish/);
		// The bus still works afterwards.
		const after: number[] = [];
		bus.subscribe('s', () => {
			after.push(1);
		});
		bus.publish('s', 'x');
		expect(after).toStrictEqual([1]);
	});
});

describe('createAppBus', () => {
	test('a failing subscriber becomes a `problem` message naming it', () => {
		const bus = createAppBus();
		const problems: Problem[] = [];
		bus.subscribe('problem', problem => {
			problems.push(problem);
		});
		bus.subscribe('envelope', () => {
			throw new Error('cannot draw');
		}, {name: 'ui'});
		bus.publish('envelope', {seq: 1, ts: 1, source: 'demo', direction: 'received', event: 'x', data: null});
		expect(problems).toHaveLength(1);
		expect(problems[0]).toMatchObject({kind: 'subscriber', message: 'ui (envelope): cannot draw'});
		expect(typeof problems[0]!.ts).toBe('number');
	});

	test('a failing problem subscriber does not loop', () => {
		const bus = createAppBus();
		let calls = 0;
		bus.subscribe('problem', () => {
			calls++;
			throw new Error('cannot show problems');
		}, {name: 'problems'});
		bus.publish('problem', {kind: 'source', message: 'x', ts: 1});
		// The original problem, then the report of its failure; that one failing is only counted.
		expect(calls).toBe(2);
		expect(bus.stats()[0]).toMatchObject({name: 'problems', errors: 2});
	});

	test('an async problem subscriber that always rejects does not loop either', async () => {
		const bus = createAppBus();
		let calls = 0;
		bus.subscribe('problem', async () => {
			calls++;
			await settle();
			throw new Error('cannot show problems');
		}, {name: 'problems'});
		bus.publish('problem', {kind: 'source', message: 'x', ts: 1});
		await bus.idle();
		await settle();
		await bus.idle();
		expect(calls).toBe(2);
		expect(bus.stats()[0]).toMatchObject({errors: 2, queued: 0});
	});
});
