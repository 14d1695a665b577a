import type {GameHistoryEntry} from '../protocol/events.js';
import {verifyGame} from '../verify/verify-game.js';
import {asRecord, list, num, str} from '../protocol/read.js';
import {maxTick} from './game.js';
import type {CurrentGame, FinishedGame, GameState} from './types.js';

function sidebetCounts(entry: GameHistoryEntry): FinishedGame['sidebets'] {
	const records = list(entry.globalSidebets);
	if (records === undefined) {
		return undefined;
	}

	let placed = 0;
	let won = 0;
	let lost = 0;
	for (const item of records) {
		const record = asRecord(item);
		if (record?.['type'] === 'placed') {
			placed++;
		} else if (record?.['type'] === 'payout') {
			const payout = num(record['payout']);
			if (payout !== undefined && payout > 0) {
				won++;
			} else if (payout === 0) {
				lost++;
			}
		}
	}

	return {placed, won, lost};
}

function livePricesFor(state: GameState, id: string): CurrentGame | undefined {
	if (state.game?.id === id) {
		return state.game;
	}

	return state.previousGame?.id === id ? state.previousGame : undefined;
}

function announcedHashFor(state: GameState, id: string): string | undefined {
	return state.announcedHashes.find(([gameId]) => gameId === id)?.[1];
}

/** Insert or replace a finished game, newest first, capped. */
export function upsertFinished(history: readonly FinishedGame[], game: FinishedGame, cap: number): readonly FinishedGame[] {
	const rest = history.filter(item => item.id !== game.id);
	const index = rest.findIndex(item => (item.timestamp ?? 0) < (game.timestamp ?? 0));
	const next = index === -1 ? [...rest, game] : [...rest.slice(0, index), game, ...rest.slice(index)];
	return next.length > cap ? next.slice(0, cap) : next;
}

/** A finished game as the live frames showed it, before (or without) its gameHistory entry. */
export function finishedFromLive(game: CurrentGame): FinishedGame {
	return {
		id: game.id,
		rugTick: game.rugTick,
		rugPrice: game.rugPrice,
		peak: game.peak,
		timestamp: game.lastTs,
		fromHistory: false,
		sidebets: undefined,
		verification: undefined,
	};
}

/** gameHistory entries one frame may bring: the first ones (the feed sends its 10 newest games, newest first). */
export const maxHistoryEntriesPerFrame = 100;
/** New games one frame may add, each verified once: more wait for the next frame (the feed repeats its history in about ten). */
export const maxVerificationsPerFrame = 10;
/** Verified keys remembered: more than one frame may bring, so a frame's games are never verified twice. */
const maxVerifiedKeys = 256;

/** A game is verified once per id and revealed seed (a seed that changes is checked again). */
function verificationKey(id: string, entry: GameHistoryEntry): string {
	const seed = asRecord(entry.provablyFair)?.['serverSeed'];
	return `${id}\n${typeof seed === 'string' ? seed : ''}`;
}

/**
Fold a gameHistory array (the last 10 finished games; the same game arrives in
about ten frames) into the state: each game is added once, verified against its
revealed seed with whatever the monitor saw live, and deduplicated by id.

The cost of a frame is bounded whatever it holds: only its first
`maxHistoryEntriesPerFrame` entries are looked at (the rest are counted in
`historyEntriesSkipped`), at most `maxVerificationsPerFrame` games are verified
(the others wait for a later frame), and a game whose id and seed were
verified already is not verified again, even once it has left the capped
history (an older game than all the kept ones is remembered in `verifiedGames`).
*/
export function absorbGameHistory(state: GameState, entries: unknown[]): GameState {
	let {history, game, previousGame, verifiedGames} = state;
	const limit = Math.min(entries.length, maxHistoryEntriesPerFrame);
	let verifications = 0;
	for (let index = 0; index < limit && verifications < maxVerificationsPerFrame; index++) {
		const entry = asRecord(entries[index]) as GameHistoryEntry | undefined;
		const id = str(entry?.id);
		if (entry === undefined || id === undefined) {
			continue;
		}

		if (history.some(known => known.id === id && known.fromHistory)) {
			continue;
		}

		const key = verificationKey(id, entry);
		if (verifiedGames.includes(key)) {
			continue;
		}

		verifications++;
		verifiedGames = [key, ...verifiedGames.slice(0, maxVerifiedKeys - 1)];
		const live = livePricesFor(state, id);
		const verification = verifyGame(entry, {
			announcedHash: announcedHashFor(state, id) ?? live?.serverSeedHash,
			livePrices: live?.prices,
			liveSamples: live?.replacedPrices,
		});
		const prices = list(entry.prices);
		const rugPrice = num(prices?.at(-1));
		// The rug tick is the last index of the recorded prices; an empty or absurdly long list says nothing.
		const recordedRug = prices !== undefined && prices.length > 0 && prices.length - 1 <= maxTick ? prices.length - 1 : undefined;
		const rugTick = recordedRug ?? verification.rugTick ?? undefined;
		const finished: FinishedGame = {
			id,
			rugTick,
			rugPrice,
			peak: num(entry.peakMultiplier),
			timestamp: num(entry.timestamp),
			fromHistory: true,
			sidebets: sidebetCounts(entry),
			verification,
		};
		history = upsertFinished(history, finished, state.config.maxHistory);

		// The authoritative rug tick and price correct what the live frames showed.
		if (game?.id === id && rugTick !== undefined) {
			game = {
				...game,
				rugTick,
				rugPrice: rugPrice ?? game.rugPrice,
				phase: 'RUGGED',
				tick: rugTick,
				price: rugPrice ?? game.price,
				prices: game.prices.length > rugTick + 1 ? game.prices.slice(0, rugTick + 1) : game.prices,
			};
		} else if (previousGame?.id === id && rugTick !== undefined) {
			previousGame = {...previousGame, rugTick, rugPrice: rugPrice ?? previousGame.rugPrice};
		}
	}

	const skipped = entries.length - limit;
	if (verifications === 0 && skipped === 0) {
		return state;
	}

	const {stats} = state;
	return {
		...state,
		history,
		game,
		previousGame,
		verifiedGames,
		stats: {...stats, gamesVerified: stats.gamesVerified + verifications, historyEntriesSkipped: stats.historyEntriesSkipped + skipped},
	};
}
