import type {FinishedGame} from '../state/types.js';
import type {GameSummary} from './summarize.js';
import type {GameSample} from './stats.js';

/**
The games the statistics count, from the two places games come from: the
summaries `rugs-tui summarize` prints (the offline command and `--history`),
and the monitor's own finished games. A game counts once it has rugged and its
rug tick is known; its values are the summary's (gameHistory first, live
frames otherwise), so `stats` and `summarize` agree on every game.
*/

function time(iso: string | null): number | undefined {
	if (iso === null) {
		return undefined;
	}

	const ms = Date.parse(iso);
	return Number.isFinite(ms) ? ms : undefined;
}

function sidebetsOf(counts: {won: number | null; lost: number | null} | undefined): GameSample['sidebets'] {
	return counts === undefined || counts.won === null || counts.lost === null ? undefined : {won: counts.won, lost: counts.lost};
}

export function sampleFromSummary(summary: GameSummary): GameSample | undefined {
	if (!summary.rugged || summary.rugTick === null) {
		return undefined;
	}

	return {
		id: summary.gameId,
		rugTick: summary.rugTick,
		peak: summary.peak ?? undefined,
		// When the game ended: the gameHistory stamp (server clock), else the last live frame's arrival.
		time: time(summary.endTime) ?? time(summary.lastSeen),
		sidebets: sidebetsOf(summary.sidebets),
	};
}

export function samplesFromSummaries(summaries: readonly GameSummary[]): GameSample[] {
	return summaries.map(summary => sampleFromSummary(summary)).filter(sample => sample !== undefined);
}

/** A finished game of the monitor's state, as the statistics count it (undefined until its rug tick is known). */
export function sampleFromFinished(game: FinishedGame): GameSample | undefined {
	if (game.rugTick === undefined) {
		return undefined;
	}

	return {
		id: game.id,
		rugTick: game.rugTick,
		peak: game.peak,
		time: game.timestamp,
		sidebets: sidebetsOf(game.sidebets),
	};
}
