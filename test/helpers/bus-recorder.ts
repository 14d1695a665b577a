import {createAppBus, type AppBus} from '../../source/bus/app-bus.js';
import type {Problem, SourceStatus} from '../../source/bus/messages.js';
import type {Envelope} from '../../source/protocol/envelope.js';

/**
Everything published on a fresh application bus, and a way to wait for a
condition on it: checked after every message, failing with what was seen when
it does not hold in time (no fixed sleeps).
*/
export type BusRecorder = {
	readonly bus: AppBus;
	readonly envelopes: Envelope[];
	readonly statuses: SourceStatus[];
	readonly problems: Problem[];
	/** Envelopes of real events: without the `connect` / `disconnect` packets. */
	events(): Envelope[];
	until(what: string, check: () => boolean, timeoutMs?: number): Promise<void>;
};

export function recordBus(): BusRecorder {
	const bus = createAppBus();
	const envelopes: Envelope[] = [];
	const statuses: SourceStatus[] = [];
	const problems: Problem[] = [];
	const waiters = new Set<() => void>();
	const notify = () => {
		for (const waiter of waiters) {
			waiter();
		}
	};

	bus.subscribe('envelope', envelope => {
		envelopes.push(envelope);
		notify();
	});
	bus.subscribe('status', status => {
		statuses.push(status);
		notify();
	});
	bus.subscribe('problem', problem => {
		problems.push(problem);
		notify();
	});

	const describe = () => [
		`statuses: ${statuses.slice(-6).map(status => `${status.state}${status.detail === undefined ? '' : ` (${status.detail})`}`).join(' → ')}`,
		`problems: ${problems.map(problem => problem.message).join(' | ') || 'none'}`,
		`envelopes: ${envelopes.length} (last: ${envelopes.at(-1)?.event ?? 'none'})`,
	].join('\n');

	return {
		bus,
		envelopes,
		statuses,
		problems,
		events: () => envelopes.filter(envelope => envelope.event !== 'connect' && envelope.event !== 'disconnect'),
		async until(what, check, timeoutMs = 15_000) {
			if (check()) {
				return;
			}

			await new Promise<void>((resolve, reject) => {
				const timer = setTimeout(() => {
					waiters.delete(waiter);
					reject(new Error(`timed out waiting for ${what}\n${describe()}`));
				}, timeoutMs);
				const waiter = () => {
					if (check()) {
						clearTimeout(timer);
						waiters.delete(waiter);
						resolve();
					}
				};

				waiters.add(waiter);
			});
		},
	};
}
