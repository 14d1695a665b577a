import type {LiveStats, LiveStatsReport} from '../analyze/live-stats.js';
import type {AppBus} from '../bus/app-bus.js';
import type {Problem, ProblemKind, SourceStatus} from '../bus/messages.js';
import type {Envelope} from '../protocol/envelope.js';
import {createState, reduce} from '../state/reducer.js';
import type {ReplayProgress} from '../sources/replay.js';
import type {GameState, StateConfig} from '../state/types.js';
import {RateMeter} from './rate-meter.js';

/**
The monitor's store: it follows the bus and folds every envelope into the
game state the moment it arrives, keeps the latest source status, counts
problems and the event rate, and bumps a version on every change. The UI
never subscribes to events: it takes one snapshot per frame.
*/

export type ProblemCounts = {
	total: number;
	byKind: Partial<Record<ProblemKind, number>>;
	/** The most recent problems, newest first. */
	recent: readonly Problem[];
};

/** What the status bar says about a running recording (from the recorder's figures). */
export type RecordingInfo = {bytes: number; dropped: number; failures: number; current: string | undefined};

export type StoreSnapshot = {
	/** Changes whenever anything in the snapshot's data changed. */
	version: number;
	state: GameState;
	status: SourceStatus | undefined;
	problems: ProblemCounts;
	/** Envelopes per second over the last few seconds. */
	eventsPerSecond: number;
	/** Wall-clock time (ms) the last envelope arrived, whatever time it carries. */
	lastArrival: number | undefined;
	/** Wall-clock time the snapshot was taken. */
	takenAt: number;
	/** The recording (--record / --record-dir), when there is one. */
	recording: RecordingInfo | undefined;
	/** Where a replay stands (--replay in the terminal UI). */
	replay: ReplayProgress | undefined;
	/** The latest alert (`--alert`) while it is shown (10 s), with how many came in that time. */
	alert: {text: string; count: number} | undefined;
	/** Statistics of the finished games seen (and `--history`), when the store keeps them. */
	liveStats: LiveStatsReport | undefined;
};

type StoreOptions = {
	config?: Partial<StateConfig>;
	/** Wall clock, milliseconds (tests replace it). */
	now?: () => number;
	/** Told of every envelope as it is reduced, with the version it produced (frame metrics). */
	onEnvelope?: (version: number, envelope: Envelope) => void;
	/** The recording's figures, read at each snapshot. */
	recording?: () => RecordingInfo | undefined;
	/** The replay being played: its progress is read at each snapshot, and its changes count as the store's. */
	replay?: {readonly progress: ReplayProgress; readonly version: number};
	/** Told of every envelope with the state before and after it (alerts). */
	onState?: (previous: GameState, next: GameState, envelope: Envelope) => void;
	/** Kept up to date with every state (incremental: see analyze/live-stats.ts) and reported in each snapshot. */
	liveStats?: LiveStats;
};

/** Problems kept for the problem log (key e); the count covers all of them. */
const recentProblems = 200;

/** How long an alert stays in the status bar. */
const alertShownMs = 10_000;

/** Problems that mean input could not be read: shown as "decode errors". */
const decodeKinds: readonly ProblemKind[] = ['decode', 'line'];

export class MonitorStore {
	#state: GameState;
	#status: SourceStatus | undefined;
	#problems: ProblemCounts = {total: 0, byKind: {}, recent: []};
	#version = 0;
	#lastArrival: number | undefined;
	readonly #rate = new RateMeter(5);
	readonly #now: () => number;
	readonly #onEnvelope: StoreOptions['onEnvelope'];
	readonly #recording: StoreOptions['recording'];
	readonly #replay: StoreOptions['replay'];
	readonly #onState: StoreOptions['onState'];
	readonly #liveStats: LiveStats | undefined;
	#alert: {text: string; count: number; until: number} | undefined;
	readonly #unsubscribe: Array<() => void>;

	constructor(bus: AppBus, options: StoreOptions = {}) {
		this.#state = createState(options.config);
		this.#now = options.now ?? Date.now;
		this.#onEnvelope = options.onEnvelope;
		this.#recording = options.recording;
		this.#replay = options.replay;
		this.#onState = options.onState;
		this.#liveStats = options.liveStats;
		this.#unsubscribe = [
			bus.subscribe('envelope', envelope => {
				this.addEnvelope(envelope);
			}, {name: 'ui-store'}),
			bus.subscribe('status', status => {
				this.setStatus(status);
			}, {name: 'ui-store-status'}),
			bus.subscribe('problem', problem => {
				this.addProblem(problem);
			}, {name: 'ui-store-problems'}),
		];
	}

	get version(): number {
		return this.#version + (this.#replay?.version ?? 0);
	}

	get problems(): ProblemCounts {
		return this.#problems;
	}

	addEnvelope(envelope: Envelope): void {
		const now = this.#now();
		const previous = this.#state;
		this.#state = reduce(previous, envelope);
		this.#liveStats?.observe(this.#state);
		this.#onState?.(previous, this.#state, envelope);
		this.#lastArrival = now;
		this.#rate.add(now);
		this.#version++;
		this.#onEnvelope?.(this.version, envelope);
	}

	setStatus(status: SourceStatus): void {
		if (status.restart === true) {
			this.#state = createState(this.#state.config);
		}

		this.#status = status;
		this.#version++;
	}

	addProblem(problem: Problem): void {
		const {byKind} = this.#problems;
		this.#problems = {
			total: this.#problems.total + 1,
			byKind: {...byKind, [problem.kind]: (byKind[problem.kind] ?? 0) + 1},
			recent: [problem, ...this.#problems.recent].slice(0, recentProblems),
		};
		this.#version++;
	}

	/** Show an alert in the status bar for 10 s (a newer one replaces it; the count says how many came meanwhile). */
	showAlert(text: string): void {
		const now = this.#now();
		const count = this.#alert !== undefined && now < this.#alert.until ? this.#alert.count + 1 : 1;
		this.#alert = {text, count, until: now + alertShownMs};
		this.#version++;
	}

	snapshot(): StoreSnapshot {
		const now = this.#now();
		if (this.#alert !== undefined && now >= this.#alert.until) {
			this.#alert = undefined;
		}

		return {
			version: this.version,
			state: this.#state,
			status: this.#status,
			problems: this.#problems,
			eventsPerSecond: this.#rate.completedPerSecond(now),
			lastArrival: this.#lastArrival,
			takenAt: now,
			recording: this.#recording?.(),
			replay: this.#replay?.progress,
			alert: this.#alert === undefined ? undefined : {text: this.#alert.text, count: this.#alert.count},
			liveStats: this.#liveStats?.report(this.#state),
		};
	}

	close(): void {
		for (const unsubscribe of this.#unsubscribe) {
			unsubscribe();
		}
	}
}

export function decodeErrors(problems: ProblemCounts): number {
	return decodeKinds.reduce((sum, kind) => sum + (problems.byKind[kind] ?? 0), 0);
}
