import {statSync} from 'node:fs';
import {setImmediate as yieldToLoop, setTimeout as sleep} from 'node:timers/promises';
import type {AppBus} from '../bus/app-bus.js';
import type {Envelope} from '../protocol/envelope.js';
import {fileErrorText} from '../protocol/error-text.js';
import {problemText, readRecording} from './read-recording.js';
import {maxTimerDelayMs} from './timer-delay.js';

export type ReplayOptions = {
	files: readonly string[];
	/** 1 = recorded cadence, 20 = twenty times faster, 0 = as fast as possible. */
	speed: number;
	/** Start again from the first file after the last (demo feed). */
	loop?: boolean;
	signal?: AbortSignal;
	/**
	Back-pressure: called before each envelope; when it returns a promise the
	replay waits for it (e.g. stdout's 'drain' in `--json` mode).
	*/
	ready?: () => Promise<void> | undefined;
	/** Monotonic clock in milliseconds (tests may replace it). */
	now?: () => number;
	/** Wait this many milliseconds, or until the signal aborts (tests may replace it, with `now`). */
	sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
	/** Keys of the terminal UI: pause, speed, jumps between games; and the progress the status bar shows. */
	controller?: ReplayController;
};

export type ReplayResult = {
	/** Events played (one played again after a jump back counts once). */
	events: number;
	badLines: number;
	unreadableFiles: number;
	aborted: boolean;
};

/** How many envelopes go out back to back at full speed before yielding to the event loop. */
const burst = 64;

/**
The longest timer Node keeps (2^31 − 1 ms, 24.8 days): a longer one fires
at once with a TimeoutOverflowWarning. A longer recorded gap, or a gap at
--speed 1e-308, is waited in pieces of at most this.
*/
export const maxTimerMs = maxTimerDelayMs;

async function sleepUnlessAborted(ms: number, signal?: AbortSignal): Promise<void> {
	await sleep(ms, undefined, {signal}).catch(() => undefined);
}

/** Speeds `<` and `>` step through; 0 (as fast as possible) is the last step up. */
const replaySpeeds = [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 0] as const;

/** Where a replay stands, for the status bar. */
export type ReplayProgress = {
	file: string | undefined;
	/** 1-based; of `files`. */
	fileIndex: number;
	files: number;
	/** Events of this file played so far. */
	event: number;
	/** Events in the file, once it has been counted. */
	events: number | undefined;
	/** Recorded time from the file's first event to the last one played, and to its last. */
	playedMs: number;
	totalMs: number | undefined;
	speed: number;
	paused: boolean;
	/** Set when the replay has ended, with its totals. */
	finished: ReplayResult | undefined;
};

type Seek = 'next' | 'previous';

/**
What the keys do to a replay, and what it has done: the TUI creates one,
hands it to replay() and reads `progress` each frame. Every change wakes a
replay that is waiting for its next event, so a key acts at once.
*/
export class ReplayController {
	#speed: number;
	#paused = false;
	#seek: Seek | undefined;
	#wake = new AbortController();
	#resumed: (() => void) | undefined;
	#version = 0;
	progress: ReplayProgress;

	constructor(speed: number, files: readonly string[] = []) {
		this.#speed = speed;
		this.progress = {file: files[0], fileIndex: files.length === 0 ? 0 : 1, files: files.length, event: 0, events: undefined, playedMs: 0, totalMs: undefined, speed, paused: false, finished: undefined};
	}

	/** Changes with every change of the progress (the store's snapshot compares it). */
	get version(): number {
		return this.#version;
	}

	get speed(): number {
		return this.#speed;
	}

	get paused(): boolean {
		return this.#paused;
	}

	togglePause(): void {
		if (this.progress.finished !== undefined) {
			return;
		}

		this.#paused = !this.#paused;
		if (!this.#paused) {
			this.#resumed?.();
			this.#resumed = undefined;
		}

		this.#changed();
	}

	/** One step up or down replaySpeeds (from a --speed between two steps, to the next one). */
	changeSpeed(direction: 1 | -1): void {
		const speed = this.#speed;
		const rank = (value: number) => (value === 0 ? Number.POSITIVE_INFINITY : value);
		const steps = replaySpeeds.map(step => step as number);
		const next = direction === 1 ? steps.find(step => rank(step) > rank(speed)) : steps.findLast(step => rank(step) < rank(speed));
		if (next === undefined) {
			return;
		}

		this.#speed = next;
		this.#changed();
	}

	nextGame(): void {
		this.#requestSeek('next');
	}

	previousGame(): void {
		this.#requestSeek('previous');
	}

	/** The seek asked for since the last call (the replay takes it). */
	takeSeek(): Seek | undefined {
		const seek = this.#seek;
		this.#seek = undefined;
		return seek;
	}

	/** Aborts when anything changes (or `signal` aborts): the replay's waits listen to it. */
	wakeSignal(signal: AbortSignal | undefined): AbortSignal {
		return signal === undefined ? this.#wake.signal : AbortSignal.any([signal, this.#wake.signal]);
	}

	/** Resolves once resumed, or when a seek is asked for, or `signal` aborts. */
	async whilePaused(signal: AbortSignal | undefined): Promise<void> {
		if (!this.#paused) {
			return;
		}

		await new Promise<void>(resolve => {
			this.#resumed = resolve;
			const wake = this.wakeSignal(signal);
			wake.addEventListener('abort', () => {
				resolve();
			}, {once: true});
		});
	}

	/** The replay's own updates of the progress. */
	update(fields: Partial<ReplayProgress>): void {
		this.progress = {...this.progress, ...fields, speed: this.#speed, paused: this.#paused};
		this.#version++;
	}

	#requestSeek(seek: Seek): void {
		if (this.progress.finished !== undefined) {
			return;
		}

		this.#seek = seek;
		this.#changed();
	}

	#changed(): void {
		this.update({});
		const wake = this.#wake;
		this.#wake = new AbortController();
		wake.abort();
	}
}

/** Events, recorded time and bad lines of a file, read once (in the background) for "event n of N". */
async function countFile(file: string, signal: AbortSignal | undefined): Promise<{events: number; totalMs: number} | undefined> {
	let events = 0;
	let first: number | undefined;
	let last: number | undefined;
	// Only a file can be read twice: standard input and devices (`-`, /dev/zero) are not counted.
	if (file === '-' || statSync(file, {throwIfNoEntry: false})?.isFile() !== true) {
		return undefined;
	}

	try {
		for await (const item of readRecording(file, {signal})) {
			if (signal?.aborted) {
				return undefined;
			}

			if (item.ok) {
				events++;
				first ??= item.envelope.ts;
				last = item.envelope.ts;
			}
		}
	} catch {
		return undefined;
	}

	return {events, totalMs: first === undefined || last === undefined ? 0 : Math.max(0, last - first)};
}

/** The game an envelope is about, when it is a game state frame. */
function gameOf(envelope: Envelope): string | undefined {
	if (envelope.event !== 'gameStateUpdate' || typeof envelope.data !== 'object' || envelope.data === null) {
		return undefined;
	}

	const id = (envelope.data as {gameId?: unknown}).gameId;
	return typeof id === 'string' ? id : undefined;
}

type FileOutcome = 'done' | 'aborted';

/** Where the game before the one playing at `index` starts (1, the file's start, when there is none). */
function gameBefore(starts: ReadonlyMap<string, number>, index: number): number {
	const all = [...starts.values()];
	const current = all.findLast(start => start <= index) ?? 1;
	return all.findLast(start => start < current) ?? 1;
}

/**
Play recordings onto the bus at their recorded cadence (scaled by `speed`).
A bad line is reported as a problem with its file and line number, and skipped;
the replay goes on. Timing follows each envelope's own `ts`, measured from the
start of its file (or from where a pause, a speed change or a jump left it),
so a slow consumer never makes the replay drift. With a controller, the
replay can be paused, sped up or slowed down, and jump to the next game
(played through at full speed) or the previous one (the state starts again
from the start of the file: a `restart` status, then every event up to that
game at full speed).
*/
export async function replay(bus: AppBus, options: ReplayOptions): Promise<ReplayResult> {
	const now = options.now ?? (() => performance.now());
	const wait = options.sleep ?? sleepUnlessAborted;
	const {signal, controller} = options;
	const speedNow = () => controller?.speed ?? options.speed;
	const result: ReplayResult = {events: 0, badLines: 0, unreadableFiles: 0, aborted: false};
	bus.publish('status', {source: 'replay', state: 'connecting', ts: Date.now(), detail: options.files.join(', ')});

	const send = async (envelope: Envelope, again: boolean): Promise<boolean> => {
		const pending = options.ready?.();
		if (pending !== undefined) {
			await pending;
			if (signal?.aborted) {
				return false;
			}
		}

		result.events += again ? 0 : 1;
		bus.publish('envelope', envelope);
		return true;
	};

	/** Waits at most maxTimerMs at a time; false when aborted. */
	const waitFor = async (ms: number, wake: AbortSignal | undefined): Promise<void> => {
		await wait(Math.min(ms, maxTimerMs), wake);
	};

	let passNumber = 0;
	async function playFile(file: string, fileIndex: number, restartFirst: boolean): Promise<FileOutcome> {
		const counted = controller === undefined ? undefined : countFile(file, signal);
		void counted?.then(count => {
			if (count !== undefined && controller?.progress.file === file) {
				controller.update({events: count.events, totalMs: count.totalMs});
			}
		});
		controller?.update({file, fileIndex: fileIndex + 1, event: 0, events: undefined, playedMs: 0, totalMs: undefined});
		/** Line numbers of bad lines already reported (a jump back reads them again), and events already played. */
		let reportedUpTo = 0;
		let playedUpTo = 0;
		/** Index (1-based, good lines only) of each game's first frame in this file. */
		const starts = new Map<string, number>();
		let restart = restartFirst;
		/** Play without waiting up to this index (a jump back), or up to the next new game (a jump forward). */
		let fastTo: number | undefined;
		let fastToNewGame = false;
		for (;;) {
			if (restart) {
				bus.publish('status', {source: 'replay', state: 'connected', ts: Date.now(), detail: fileIndex === 0 && result.events > 0 && fastTo === undefined ? `${file} (pass ${passNumber})` : file, restart: true});
			} else if (fastTo === undefined) {
				bus.publish('status', {source: 'replay', state: 'connected', ts: Date.now(), detail: file});
			}

			restart = false;
			let index = 0;
			let firstTs: number | undefined;
			let anchor: {wall: number; ts: number; speed: number} | undefined;
			let lastTs: number | undefined;
			let landing = false;
			let sinceYield = 0;
			let jumpBack: number | undefined;
			for await (const item of readRecording(file, {signal})) {
				if (signal?.aborted) {
					return 'aborted';
				}

				if (!item.ok) {
					if (item.line > reportedUpTo) {
						reportedUpTo = item.line;
						result.badLines++;
						bus.publish('problem', {kind: 'line', source: 'replay', ts: Date.now(), message: problemText(file, item)});
					}

					continue;
				}

				reportedUpTo = Math.max(reportedUpTo, item.line);
				const {envelope} = item;
				index++;
				firstTs ??= envelope.ts;
				const game = gameOf(envelope);
				const newGame = game !== undefined && !starts.has(game);
				if (newGame) {
					starts.set(game, index);
				}

				let fast = fastTo !== undefined && index < fastTo;
				if (fastToNewGame && newGame && index > 1) {
					fastToNewGame = false;
				}

				fast ||= fastToNewGame;
				if (fastTo !== undefined && index >= fastTo) {
					fastTo = undefined;
				}

				let slept = false;
				// Until this envelope is due: pause, speed changes and jumps act here.
				for (;;) {
					const seek = controller?.takeSeek();
					if (seek === 'next') {
						// Through to the next game's first frame (this one, if it is that) at full speed.
						fastToNewGame = !(newGame && index > 1);
						fast = fastToNewGame;
					} else if (seek === 'previous') {
						jumpBack = gameBefore(starts, index);
						break;
					}

					if (fast) {
						break;
					}

					// The recorded time the replay has reached: the last event's (where a jump lands: this one's,
					// which goes out at once), or where a pause or a speed change left it.
					anchor ??= {wall: now(), ts: landing ? envelope.ts : lastTs ?? envelope.ts, speed: speedNow()};
					const from = anchor;
					const position = () => (from.speed <= 0 ? envelope.ts : Math.min(envelope.ts, from.ts + ((now() - from.wall) * from.speed)));
					if (controller?.paused) {
						const at = position();

						await controller.whilePaused(signal);
						if (signal?.aborted) {
							return 'aborted';
						}

						anchor = {wall: now(), ts: at, speed: speedNow()};
						continue;
					}

					const speed = speedNow();
					if (speed !== anchor.speed) {
						anchor = {wall: now(), ts: position(), speed};
					}

					if (speed <= 0) {
						break;
					}

					const delay = anchor.wall + ((envelope.ts - anchor.ts) / speed) - now();
					if (!(delay > 1)) {
						break;
					}

					await waitFor(delay, controller?.wakeSignal(signal) ?? signal);
					slept = true;
					if (signal?.aborted) {
						return 'aborted';
					}
				}

				if (jumpBack !== undefined) {
					break;
				}

				// Also at speeds so high that no wait is due: never starve the event loop (rendering, Ctrl-C).
				if (slept) {
					sinceYield = 0;
				} else if (++sinceYield >= burst) {
					sinceYield = 0;
					await yieldToLoop();
				}

				if (!await send(envelope, index <= playedUpTo)) {
					return 'aborted';
				}

				playedUpTo = Math.max(playedUpTo, index);

				// Recorded time jumped ahead of the clock: the next wait starts from where the jump lands.
				landing = fast;
				if (fast) {
					anchor = undefined;
				}

				lastTs = envelope.ts;
				controller?.update({event: index, playedMs: Math.max(0, envelope.ts - firstTs)});
			}

			if (jumpBack === undefined) {
				// Played to its end: its size is known now, whether or not the background count got there first.
				if (controller !== undefined && controller.progress.events === undefined) {
					controller.update({events: index, totalMs: firstTs === undefined || lastTs === undefined ? 0 : Math.max(0, lastTs - firstTs)});
				}

				return 'done';
			}

			// Back: the state starts again, and everything before the target goes out at once.
			restart = true;
			fastTo = jumpBack;
			fastToNewGame = false;
		}
	}

	do {
		passNumber++;
		for (const [index, file] of options.files.entries()) {
			try {
				if (await playFile(file, index, passNumber > 1 && index === 0) === 'aborted') {
					result.aborted = true;
					return result;
				}
			} catch (error) {
				// An unreadable file (missing, a directory, permissions) ends that file, not the replay.
				result.unreadableFiles++;
				bus.publish('problem', {kind: 'source', source: 'replay', ts: Date.now(), message: `cannot read ${file}: ${fileErrorText(error)}`});
			}
		}
	} while (options.loop === true && !signal?.aborted && result.events > 0);

	controller?.update({finished: {...result}});
	bus.publish('status', {
		source: 'replay',
		state: 'ended',
		ts: Date.now(),
		detail: `replay finished: ${result.events} events, ${result.badLines} bad lines${result.unreadableFiles > 0 ? `, ${result.unreadableFiles} unreadable files` : ''}`,
	});
	return result;
}
