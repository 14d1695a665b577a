import {setImmediate as yieldToLoop} from 'node:timers/promises';
import type {AppBus} from '../bus/app-bus.js';
import {problemText, readRecording} from './read-recording.js';
import {sleepFor} from './timer-delay.js';

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
};

export type ReplayResult = {events: number; badLines: number; unreadableFiles: number; aborted: boolean};

/** How many envelopes go out back to back at full speed before yielding to the event loop. */
const burst = 64;

async function sleepUnlessAborted(ms: number, signal?: AbortSignal): Promise<void> {
	// Any length: a gap over 24.8 days (or Infinity, at --speed 1e-308) waits in timer-sized steps.
	await sleepFor(ms, signal);
}

/** Why a recording could not be read, in words. */
function readError(error: unknown): string {
	// No code (not a system error) reads as '', which no case matches.
	const code = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
	switch (code) {
		case 'ENOENT': {
			return 'no such file';
		}

		case 'EISDIR': {
			return 'is a directory, not a recording';
		}

		case 'EACCES':
		case 'EPERM': {
			return 'permission denied';
		}

		default: {
			return error instanceof Error ? error.message : String(error);
		}
	}
}

/**
Play recordings onto the bus at their recorded cadence (scaled by `speed`).
A bad line is reported as a problem with its file and line number, and skipped;
the replay goes on. Timing follows each envelope's own `ts`, measured from the
start of its file, so a slow consumer never makes the replay drift.
*/
export async function replay(bus: AppBus, options: ReplayOptions): Promise<ReplayResult> {
	const now = options.now ?? (() => performance.now());
	const wait = options.sleep ?? sleepUnlessAborted;
	const {signal, speed} = options;
	const result: ReplayResult = {events: 0, badLines: 0, unreadableFiles: 0, aborted: false};
	bus.publish('status', {source: 'replay', state: 'connecting', ts: Date.now(), detail: options.files.join(', ')});

	let pass = 0;
	do {
		pass++;
		for (const [index, file] of options.files.entries()) {
			if (pass > 1 && index === 0) {
				// The same games again: a consumer must not take them for stale frames of games it has seen.
				bus.publish('status', {source: 'replay', state: 'connected', ts: Date.now(), detail: `${file} (pass ${pass})`, restart: true});
			} else {
				bus.publish('status', {source: 'replay', state: 'connected', ts: Date.now(), detail: file});
			}

			let startWall: number | undefined;
			let startTs: number | undefined;
			let sinceYield = 0;
			try {
				for await (const item of readRecording(file, {signal})) {
					if (signal?.aborted) {
						result.aborted = true;
						return result;
					}

					if (!item.ok) {
						result.badLines++;
						bus.publish('problem', {kind: 'line', source: 'replay', ts: Date.now(), message: problemText(file, item)});
						continue;
					}

					const {envelope} = item;
					let slept = false;
					if (speed > 0) {
						startWall ??= now();
						startTs ??= envelope.ts;
						const due = startWall + ((envelope.ts - startTs) / speed);
						const delay = due - now();
						if (delay > 1) {
							await wait(delay, signal);
							slept = true;
							if (signal?.aborted) {
								result.aborted = true;
								return result;
							}
						}
					}

					// Also at speeds so high that no wait is due: never starve the event loop (rendering, Ctrl-C).
					if (slept) {
						sinceYield = 0;
					} else if (++sinceYield >= burst) {
						sinceYield = 0;
						await yieldToLoop();
					}

					const pending = options.ready?.();
					if (pending !== undefined) {
						await pending;
						if (signal?.aborted) {
							result.aborted = true;
							return result;
						}
					}

					result.events++;
					bus.publish('envelope', envelope);
				}
			} catch (error) {
				// An unreadable file (missing, a directory, permissions) ends that file, not the replay.
				result.unreadableFiles++;
				bus.publish('problem', {kind: 'source', source: 'replay', ts: Date.now(), message: `cannot read ${file}: ${readError(error)}`});
			}
		}
	} while (options.loop === true && !signal?.aborted && result.events > 0);

	bus.publish('status', {
		source: 'replay',
		state: 'ended',
		ts: Date.now(),
		detail: `replay finished: ${result.events} events, ${result.badLines} bad lines${result.unreadableFiles > 0 ? `, ${result.unreadableFiles} unreadable files` : ''}`,
	});
	return result;
}
