import {createAppBus, type AppBus} from '../bus/app-bus.js';
import type {ConnectionState, SourceStatus} from '../bus/messages.js';
import type {Envelope, SourceKind} from '../protocol/envelope.js';
import type {LiveSource, Source, SourceEnd} from './source.js';

/**
`--source auto`: several live sources in order of preference (CDP on the
user's own tab first, the direct socket second), of which exactly one feeds
the application bus at any time.

Each candidate publishes on a private bus. The manager forwards the events of
the active one — the most preferred source that is connected — and switches
when a better one connects or the active one goes down. A lower source runs
only while it is needed: when nothing better is connected (after a short
grace at startup, or at once when the better one has failed), and for a short
overlap after a better one took over, so that a switch loses nothing.

No event is published twice across a switch. Around a switch the same server
event can reach both sources; for a window after the switch, each event of the
new source is compared (by its wire content: direction, namespace, name, ack
id, arguments) with what the old one already published in the window before
it, and dropped if it was — as a multiset, so an event the server really sent
twice still comes out twice. Events the new source saw while on standby, and
the old one never delivered, are published at the switch.
*/

type ManagedCandidate = {
	kind: SourceKind;
	/** Create the source, publishing on the bus it is given. */
	create: (bus: AppBus) => Source;
};

type SourceManagerOptions = {
	/** Most preferred first. */
	candidates: readonly ManagedCandidate[];
	/** How long a better source may take to connect at startup before the next one is started too. */
	startupGraceMs?: number;
	/** How long a superseded source keeps running after a switch. */
	overlapMs?: number;
	/** How far apart the same event from two sources still counts as one. */
	dedupeWindowMs?: number;
	now?: () => number;
};

/** Runs until stopped, or until every candidate has given up (`ended` then names their reasons). */
export type SourceManager = LiveSource & {
	/** The source feeding the bus now, if any. */
	readonly active: SourceKind | undefined;
	/** Events dropped as already published by another source. */
	readonly duplicates: number;
};

type Timed = {at: number; envelope: Envelope};

type Slot = {
	readonly index: number;
	readonly candidate: ManagedCandidate;
	readonly bus: AppBus;
	source: Source | undefined;
	state: ConnectionState;
	status: SourceStatus | undefined;
	/** Recent events while not active, for the switch. */
	standby: Timed[];
	stopTimer: NodeJS.Timeout | undefined;
	unsubscribe: Array<() => void>;
};

const maxStandby = 20_000;

/** What identifies an event on the wire, whichever source saw it. */
export function wireFingerprint(envelope: Envelope): string {
	return JSON.stringify([envelope.direction, envelope.ns ?? '/', envelope.event, envelope.ackId ?? null, envelope.extra ?? null, envelope.data]);
}

const failedStates: ReadonlySet<ConnectionState> = new Set(['reconnecting', 'disconnected', 'ended']);

export function createSourceManager(bus: AppBus, options: SourceManagerOptions): SourceManager {
	const now = options.now ?? Date.now;
	const startupGraceMs = options.startupGraceMs ?? 3000;
	const overlapMs = options.overlapMs ?? 5000;
	const windowMs = options.dedupeWindowMs ?? 5000;
	if (options.candidates.length === 0) {
		throw new Error('source manager: no candidate sources');
	}

	const slots: Slot[] = options.candidates.map((candidate, index) => ({
		index,
		candidate,
		bus: createAppBus(),
		source: undefined,
		state: 'idle',
		status: undefined,
		standby: [],
		stopTimer: undefined,
		unsubscribe: [],
	}));

	let started = false;
	let stopped = false;
	let graceOver = false;
	let graceTimer: NodeJS.Timeout | undefined;
	let active: Slot | undefined;
	let seq = 0;
	let duplicates = 0;
	/** What was published lately, for comparing with the next source after a switch. */
	let published: Timed[] = [];
	/** Fingerprints of the old source's recent events, while a switch is fresh. */
	let seen: Map<string, number> | undefined;
	let seenUntil = 0;
	let lastReason = '';
	let endedForGood = false;
	let resolveEnded!: (end: SourceEnd) => void;
	const ended = new Promise<SourceEnd>(resolve => {
		resolveEnded = resolve;
	});

	const trim = (list: Timed[], at: number): Timed[] => {
		let first = 0;
		while (first < list.length && at - list[first]!.at > windowMs) {
			first++;
		}

		return first === 0 ? list : list.slice(first);
	};

	const publish = (envelope: Envelope, at: number) => {
		seq++;
		const out: Envelope = envelope.seq === seq ? envelope : {...envelope, seq};
		published.push({at, envelope: out});
		if (at - published[0]!.at > windowMs) {
			published = trim(published, at);
		}

		bus.publish('envelope', out);
	};

	/** True when the event was already published by the source before the switch. */
	const isDuplicate = (envelope: Envelope, at: number): boolean => {
		if (seen === undefined) {
			return false;
		}

		if (at > seenUntil) {
			seen = undefined;
			return false;
		}

		const key = wireFingerprint(envelope);
		const count = seen.get(key);
		if (count === undefined) {
			return false;
		}

		if (count <= 1) {
			seen.delete(key);
		} else {
			seen.set(key, count - 1);
		}

		duplicates++;
		return true;
	};

	const preferred = slots[0]!;

	const reason = (slot: Slot): string => {
		if (slot.index === 0) {
			return `${slot.candidate.kind} (preferred)`;
		}

		const better = slots.slice(0, slot.index).map(other => `${other.candidate.kind} ${other.state}${other.status?.detail === undefined ? '' : `: ${other.status.detail}`}`);
		return `${slot.candidate.kind}, as ${better.join('; ')}`;
	};

	const forwardStatus = (slot: Slot, status: SourceStatus) => {
		const why = reason(slot);
		lastReason = why;
		bus.publish('status', {...status, detail: `auto → ${why}${status.detail === undefined ? '' : ` — ${status.detail}`}`});
	};

	const switchTo = (slot: Slot) => {
		const at = now();
		const previous = active;
		active = slot;
		if (previous !== undefined) {
			// Compare the new source's events with what the old one published lately.
			published = trim(published, at);
			seen = new Map();
			for (const {envelope} of published) {
				const key = wireFingerprint(envelope);
				seen.set(key, (seen.get(key) ?? 0) + 1);
			}

			seenUntil = at + windowMs;
		}

		if (slot.status !== undefined) {
			forwardStatus(slot, slot.status);
		}

		const backlog = trim(slot.standby, at);
		slot.standby = [];
		for (const {envelope, at: seenAt} of backlog) {
			if (!isDuplicate(envelope, at)) {
				publish(envelope, seenAt);
			}
		}
	};

	const startSlot = (slot: Slot) => {
		if (slot.stopTimer !== undefined) {
			clearTimeout(slot.stopTimer);
			slot.stopTimer = undefined;
		}

		if (slot.source !== undefined || stopped) {
			return;
		}

		slot.state = 'connecting';
		slot.status = undefined;
		slot.standby = [];
		const source = slot.candidate.create(slot.bus);
		slot.source = source;
		source.start();
	};

	const stopSlot = async (slot: Slot) => {
		if (slot.stopTimer !== undefined) {
			clearTimeout(slot.stopTimer);
			slot.stopTimer = undefined;
		}

		const {source} = slot;
		slot.source = undefined;
		slot.standby = [];
		if (source !== undefined) {
			await source.stop();
			slot.state = 'idle';
		}
	};

	/** Start what is needed, schedule the stop of what is not, and pick the active source. */
	const reconcile = () => {
		if (stopped) {
			return;
		}

		for (const slot of slots) {
			const better = slots.slice(0, slot.index);
			const needed = slot.index === 0
				|| (!better.some(other => other.state === 'connected')
					&& (graceOver || better.every(other => failedStates.has(other.state))));
			if (needed) {
				startSlot(slot);
			} else if (slot.source !== undefined && slot.stopTimer === undefined) {
				slot.stopTimer = setTimeout(() => {
					slot.stopTimer = undefined;
					void stopSlot(slot);
				}, overlapMs);
				slot.stopTimer.unref?.();
			}
		}

		const best = slots.find(slot => slot.source !== undefined && slot.state === 'connected');
		if (best !== undefined && best !== active) {
			switchTo(best);
		} else if (active !== undefined && active.index > 0 && reason(active) !== lastReason && active.status !== undefined) {
			// The fallback is still active, but why has changed (the preferred source's own status).
			forwardStatus(active, active.status);
		}

		if (!endedForGood && slots.every(slot => slot.state === 'ended')) {
			endedForGood = true;
			const last = active ?? preferred;
			const message = `every source gave up: ${slots.map(slot => `${slot.candidate.kind}: ${slot.status?.detail ?? 'ended'}`).join('; ')}`;
			bus.publish('status', {source: last.candidate.kind, state: 'ended', ts: Date.now(), detail: `auto: ${message}`});
			resolveEnded({reason: 'gave-up', message});
		}
	};

	const wire = (slot: Slot) => {
		slot.unsubscribe.push(
			slot.bus.subscribe('envelope', envelope => {
				if (stopped || slot.source === undefined) {
					return;
				}

				const at = now();
				if (slot === active) {
					if (!isDuplicate(envelope, at)) {
						publish(envelope, at);
					}

					return;
				}

				// Only the last window matters at a switch: older events are let go at once (they can be 500 KB each).
				slot.standby.push({at, envelope});
				if (at - slot.standby[0]!.at > windowMs || slot.standby.length > maxStandby) {
					slot.standby = trim(slot.standby, at).slice(-maxStandby);
				}
			}, {name: `auto-${slot.candidate.kind}-envelope`}),
			slot.bus.subscribe('status', status => {
				if (stopped || slot.source === undefined) {
					return;
				}

				slot.state = status.state;
				slot.status = status;
				if (slot === active || active === undefined) {
					forwardStatus(slot, status);
				}

				reconcile();
			}, {name: `auto-${slot.candidate.kind}-status`}),
			slot.bus.subscribe('problem', problem => {
				bus.publish('problem', {source: slot.candidate.kind, ...problem});
			}, {name: `auto-${slot.candidate.kind}-problem`}),
		);
	};

	for (const slot of slots) {
		wire(slot);
	}

	return {
		get active() {
			return active?.candidate.kind;
		},
		get duplicates() {
			return duplicates;
		},
		ended,
		start() {
			if (started || stopped) {
				return;
			}

			started = true;
			graceTimer = setTimeout(() => {
				graceOver = true;
				reconcile();
			}, startupGraceMs);
			graceTimer.unref?.();
			reconcile();
		},
		async stop() {
			if (stopped) {
				return;
			}

			stopped = true;
			clearTimeout(graceTimer);
			await Promise.all(slots.map(async slot => stopSlot(slot)));
			for (const slot of slots) {
				for (const unsubscribe of slot.unsubscribe) {
					unsubscribe();
				}
			}

			resolveEnded({reason: 'stopped'});
		},
	};
}
