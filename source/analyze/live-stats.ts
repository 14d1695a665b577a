import type {FinishedGame, GameState} from '../state/types.js';
import {sampleFromFinished, sampleFromSummary} from './stats-samples.js';
import {computeStats, liveSidebetOdds, StatsAggregate, type GameSample, type StatsReport} from './stats.js';
import type {GameSummary} from './summarize.js';

/**
The statistics of the games the monitor has seen, kept up to date as they
finish: live games and every game of the gameHistory frames, deduplicated by
id, optionally seeded with the games of earlier recordings (`--history`).

Incremental and bounded. The store calls `observe` after every envelope; it
returns at once unless the state's finished-games list changed (the reducer
replaces that list only when a game finishes or a gameHistory entry is new),
and then looks at that list alone (at most 50 games). The counts live in a
StatsAggregate, whose size grows with distinct rug ticks, not with games; the
ids already counted are kept for the most recent `windowSize` games only. That
is enough to deduplicate: the feed's gameHistory lists the last 10 games, so a
game older than the window can no longer arrive (a seed's newest games are the
ones a live feed may still list, and they are the ones the window holds).

A game counted from its live frames is replaced by its gameHistory entry when
that arrives (the entry is authoritative, as in `summarize`); a game counted
from gameHistory is never replaced.
*/

export type LiveOdds = {gameId: string; tick: number; winChance: number; evPerSol: number};

export type LiveStatsReport = StatsReport & {
	/** What a sidebet placed now in the live game would win with (undefined between games). */
	live: LiveOdds | undefined;
	/** Games that came from `--history` recordings. */
	seeded: number;
};

type Counted = {sample: GameSample; fromHistory: boolean};

const defaultWindowSize = 4096;

function sameSample(a: GameSample, b: GameSample): boolean {
	return a.rugTick === b.rugTick && a.peak === b.peak && a.sidebets?.won === b.sidebets?.won && a.sidebets?.lost === b.sidebets?.lost;
}

export class LiveStats {
	readonly #aggregate = new StatsAggregate();
	readonly #counted = new Map<string, Counted>();
	readonly #windowSize: number;
	readonly #histogramCells: number | undefined;
	#lastHistory: readonly FinishedGame[] | undefined;
	#seeded = 0;
	#cachedStats: {version: number; report: StatsReport} | undefined;
	#cachedReport: {stats: StatsReport; live: LiveOdds | undefined; report: LiveStatsReport} | undefined;

	constructor(options: {windowSize?: number; histogramCells?: number} = {}) {
		this.#windowSize = Math.max(1, options.windowSize ?? defaultWindowSize);
		this.#histogramCells = options.histogramCells;
	}

	/** Bumped whenever a game is counted or replaced. */
	get version(): number {
		return this.#aggregate.version;
	}

	get games(): number {
		return this.#aggregate.games;
	}

	/** Ids remembered for deduplication (at most the window size). */
	get remembered(): number {
		return this.#counted.size;
	}

	/** Count the games of earlier recordings (summaries as `rugs-tui summarize` makes them). Returns how many were counted. */
	seed(summaries: Iterable<GameSummary>): number {
		let added = 0;
		for (const summary of summaries) {
			const sample = sampleFromSummary(summary);
			if (sample !== undefined && this.#count(sample, summary.fromHistory)) {
				added++;
			}
		}

		this.#seeded += added;
		return added;
	}

	/** Take in the state after an envelope: cheap unless a game finished or a gameHistory entry arrived. */
	observe(state: GameState): void {
		if (state.history === this.#lastHistory) {
			return;
		}

		this.#lastHistory = state.history;
		// Oldest first, so the window's order is the order the games were played.
		for (let index = state.history.length - 1; index >= 0; index--) {
			const game = state.history[index]!;
			const sample = sampleFromFinished(game);
			if (sample !== undefined) {
				this.#count(sample, game.fromHistory);
			}
		}
	}

	/** The statistics now, with the live game's sidebet odds; the same object while nothing changed. */
	report(state?: GameState): LiveStatsReport {
		const {version} = this.#aggregate;
		if (this.#cachedStats?.version !== version) {
			this.#cachedStats = {version, report: computeStats(this.#aggregate, {histogramCells: this.#histogramCells})};
		}

		const stats = this.#cachedStats.report;
		const game = state?.game;
		const odds = liveSidebetOdds(game);
		const live = odds === undefined || game === undefined ? undefined : {gameId: game.id, ...odds};
		const cached = this.#cachedReport;
		if (cached?.stats === stats && cached.live?.gameId === live?.gameId && cached.live?.tick === live?.tick && cached.live?.winChance === live?.winChance) {
			return cached.report;
		}

		const report = {...stats, live, seeded: this.#seeded};
		this.#cachedReport = {stats, live, report};
		return report;
	}

	/** Count a game, or replace its live figures by its gameHistory entry's; true when it is new. */
	#count(sample: GameSample, fromHistory: boolean): boolean {
		const known = this.#counted.get(sample.id);
		if (known === undefined) {
			this.#aggregate.add(sample);
			this.#remember(sample, fromHistory);
			return true;
		}

		if (!known.fromHistory && fromHistory) {
			if (!sameSample(known.sample, sample)) {
				this.#aggregate.remove(known.sample);
				this.#aggregate.add(sample);
			}

			this.#counted.delete(sample.id);
			this.#remember(sample, true);
		}

		return false;
	}

	#remember(sample: GameSample, fromHistory: boolean): void {
		this.#counted.set(sample.id, {sample, fromHistory});
		while (this.#counted.size > this.#windowSize) {
			this.#counted.delete(this.#counted.keys().next().value!);
		}
	}
}
