import {maxOf} from '../verify/numbers.js';
import {verifyGame, type Verdict, type Verification} from '../verify/verify-game.js';
import type {GlobalSidebet} from '../protocol/events.js';
import {historyEntryOf, type CompactEntry, type GameCollector, type GameFacts} from './game-collector.js';

/**
One record per game seen in a set of recordings (`rugs-tui summarize`), from the
facts a GameCollector gathered. Pure.

Where the values come from:
- A game whose gameHistory entry was seen ("authoritative"): `rugTick` = length
  of its `prices` − 1, `rugPrice` = the last element of `prices`, `peak` =
  `peakMultiplier`, sidebets from `globalSidebets` (distinct bets, see
  SidebetCounts; the raw record counts beside them).
- An entry without `prices` (the 2026-02 feed sends none): `rugTick` is the
  length of the price path recomputed from the revealed seed — only when the
  seed's hash checks out, else the live rug tick, else null; `rugPrice` comes
  from the live rug frame when it was seen at that tick, else null; `peak` is
  still `peakMultiplier`; `verified.pricePath` is null (nothing recorded to
  compare with) and `verified.peak` says whether the recomputed path peaks at
  `peakMultiplier`.
- `rugged` is the entry's own flag (true when absent: gameHistory lists only
  finished games), else whether a live frame said rugged.
- A game seen only live (no entry): values from the live frames — the first
  rugged frame's tick (its partialPrices end tick) and price, the highest live
  price before it; sidebets and every verification field are null, since the
  seed was never revealed in the recording.

`ticksObserved` = the number of distinct ticks t of the game for which a live
gameStateUpdate frame of that game (active, before or at the rug) carried
`tickCount` t — the frames the recording actually holds, so `ticksObserved`
equal to `rugTick + 1` means no tick was missed. Ticks known only from
partialPrices, the presale and cooldown frames, and the frames the server sends
after the rug (tick N+1, N+2, repeating the rug price) do not count.

`trades` = distinct standard/newTrade events of the game seen (by trade id), so
partial when the recording covers part of the game; `seenLive` says whether any
live frame or trade of the game was seen at all.
*/

/**
Sidebets of a game, from its gameHistory entry's globalSidebets. The entry
lists two kinds of record: `placed` (startedAtTick, end) and `payout`
(startTick, endTick, payout), and on real games it lists payout records for
bets it has no placed record for (and placed records whose payout is not in
it yet). So the bets are counted as the union of both kinds, one bet per
(player, start tick):
- `placed`: distinct bets (= won + lost + unsettled);
- `won` / `lost`: distinct bets whose payout record says payout > 0 / = 0;
- `unsettled`: distinct bets without a payout record that gives a numeric payout;
- `placedRecords` / `payoutRecords`: the raw record counts of each kind, as
  the entry holds them (a bet may be listed more than once).
A record without a player id is keyed by its username; one without either, or
without a start tick, counts as a bet of its own. All null when no entry (or
no sidebet list) was seen.
*/
export type SidebetCounts = {
	placed: number | null;
	won: number | null;
	lost: number | null;
	unsettled: number | null;
	placedRecords: number | null;
	payoutRecords: number | null;
};

export type VerifiedFields = {
	seedHash: Verdict;
	pricePath: Verdict;
	liveTicks: Verdict;
	sidebets: Verdict;
	/** Only meaningful when the entry had no prices: the recomputed peak equals peakMultiplier. */
	peak: Verdict;
};

export type GameSummary = {
	gameId: string;
	rugged: boolean;
	rugTick: number | null;
	rugPrice: number | null;
	peak: number | null;
	ticksObserved: number;
	trades: number;
	sidebets: SidebetCounts;
	verified: VerifiedFields;
	/** The authoritative gameHistory entry was seen. */
	fromHistory: boolean;
	/** A live frame or trade of the game was seen. */
	seenLive: boolean;
	/** Arrival time of the first active frame at tick 0 (ISO, UTC), null when not seen. */
	startTime: string | null;
	/** gameHistory timestamp (server clock, about a second after the rug), ISO UTC; null without an entry. */
	endTime: string | null;
	/** Arrival times of the first and last live envelope of the game (ISO, UTC). */
	firstSeen: string | null;
	lastSeen: string | null;
	/** The hash announced during the game, else the one recorded in gameHistory. */
	serverSeedHash: string | null;
	gameVersion: string | null;
	/** Why a check failed or could not be made; conflicts found in the recording. */
	notes: string[];
};

/** Everything a summary was computed from, for export (its tick series needs the entry and the facts). */
export type SummarizedGame = {
	summary: GameSummary;
	facts: GameFacts;
	/** The entry the values were taken from (the first seen with prices, else the first). */
	entry: CompactEntry | undefined;
	verification: Verification | undefined;
};

const unknownVerdicts: VerifiedFields = {seedHash: null, pricePath: null, liveTicks: null, sidebets: null, peak: null};

/** false if any is false, else true if any is true, else null. */
export function combineVerdicts(verdicts: readonly Verdict[]): Verdict {
	if (verdicts.includes(false)) {
		return false;
	}

	return verdicts.includes(true) ? true : null;
}

function iso(ms: number | undefined): string | null {
	if (ms === undefined || !Number.isFinite(ms)) {
		return null;
	}

	const date = new Date(ms);
	return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** Which bet a sidebet record belongs to: player and start tick (see SidebetCounts). */
function sidebetKey(record: GlobalSidebet, index: number): string {
	const player = record.playerId ?? (typeof record.username === 'string' ? `name:${record.username}` : undefined);
	const start = record.type === 'placed' ? record.startedAtTick : record.startTick;
	return player === undefined || typeof start !== 'number' ? `record:${index}` : `${player}\u0000${start}`;
}

type SidebetBet = {
	key: string;
	placed: GlobalSidebet | undefined;
	/** The first payout record of the bet with a numeric payout, else its first payout record. */
	payout: GlobalSidebet | undefined;
	outcome: 'won' | 'lost' | 'unsettled';
};

/** The distinct bets of an entry's sidebet records, in the order first listed. */
export function sidebetBets(records: readonly GlobalSidebet[]): SidebetBet[] {
	const bets = new Map<string, SidebetBet>();
	for (const [index, record] of records.entries()) {
		const key = sidebetKey(record, index);
		let bet = bets.get(key);
		if (bet === undefined) {
			bet = {key, placed: undefined, payout: undefined, outcome: 'unsettled'};
			bets.set(key, bet);
		}

		if (record.type === 'placed') {
			bet.placed ??= record;
		} else if (bet.payout === undefined || (typeof bet.payout.payout !== 'number' && typeof record.payout === 'number')) {
			bet.payout = record;
		}
	}

	for (const bet of bets.values()) {
		const payout = bet.payout?.payout;
		if (typeof payout === 'number' && Number.isFinite(payout)) {
			bet.outcome = payout > 0 ? 'won' : 'lost';
		}
	}

	return [...bets.values()];
}

function sidebetCounts(entry: CompactEntry | undefined): SidebetCounts {
	if (entry?.sidebets === undefined) {
		return {placed: null, won: null, lost: null, unsettled: null, placedRecords: null, payoutRecords: null};
	}

	const bets = sidebetBets(entry.sidebets);
	const count = (outcome: SidebetBet['outcome']) => bets.filter(bet => bet.outcome === outcome).length;
	return {
		placed: bets.length,
		won: count('won'),
		lost: count('lost'),
		unsettled: count('unsettled'),
		placedRecords: entry.sidebets.filter(record => record.type === 'placed').length,
		payoutRecords: entry.sidebets.filter(record => record.type === 'payout').length,
	};
}

/** Live observations as (tick, price) pairs, conflicting ones included. */
function liveSamples(facts: GameFacts): Array<[number, number]> {
	return [...facts.livePrices.entries(), ...facts.conflicts];
}

function verify(facts: GameFacts): {verification: Verification | undefined; notes: string[]} {
	if (facts.entries.length === 0) {
		return {verification: undefined, notes: ['no gameHistory entry seen: the seed was not revealed in this recording']};
	}

	const samples = liveSamples(facts);
	const results = facts.entries.map(entry => verifyGame(historyEntryOf(entry), {announcedHashes: facts.announcedHashes, liveSamples: samples}));
	const first = results[0]!;
	if (results.length === 1) {
		return {verification: first, notes: first.notes};
	}

	// The feed sent different entries for one game: report each one's verdicts, the worst wins.
	const pick = (key: 'seedHash' | 'pricePath' | 'liveTicks' | 'sidebets' | 'peak') => combineVerdicts(results.map(result => result[key]));
	const notes = [`${results.length} different gameHistory entries were recorded for this game`, ...new Set(results.flatMap(result => result.notes))];
	return {
		verification: {seedHash: pick('seedHash'), pricePath: pick('pricePath'), liveTicks: pick('liveTicks'), sidebets: pick('sidebets'), peak: pick('peak'), rugTick: first.rugTick, notes},
		notes,
	};
}

function ticksObserved(facts: GameFacts, rugTick: number | null): number {
	let count = 0;
	for (const tick of facts.liveTicks) {
		if (rugTick === null || tick < rugTick) {
			count++;
		}
	}

	const rug = facts.liveRug;
	if (rug !== undefined && (rugTick === null || rug.tick === rugTick)) {
		count++;
	} else if (rugTick !== null && facts.liveTicks.has(rugTick)) {
		// The rug tick was seen in a frame that did not (yet) say rugged.
		count++;
	}

	return count;
}

function livePeak(facts: GameFacts): number | null {
	let peak: number | undefined;
	for (const [tick, price] of facts.livePrices) {
		if (facts.liveRug !== undefined && tick >= facts.liveRug.tick) {
			continue;
		}

		peak = peak === undefined ? price : Math.max(peak, price);
	}

	return peak ?? null;
}

/** The entry values are taken from: the first with prices, else the first. */
function preferredEntry(facts: GameFacts): CompactEntry | undefined {
	return facts.entries.find(entry => entry.prices !== undefined) ?? facts.entries[0];
}

function summarizeGame(facts: GameFacts): SummarizedGame {
	const entry = preferredEntry(facts);
	const {verification, notes} = verify(facts);
	let rugTick: number | null;
	let rugPrice: number | null;
	let peak: number | null;
	if (entry?.prices === undefined) {
		rugTick = verification?.rugTick ?? facts.liveRug?.tick ?? null;
		rugPrice = facts.liveRug?.tick === rugTick ? facts.liveRug.price ?? null : null;
		peak = entry?.peakMultiplier ?? livePeak(facts);
	} else {
		rugTick = entry.prices.length - 1;
		rugPrice = entry.prices.at(-1) ?? null;
		peak = entry.peakMultiplier ?? (entry.prices.length > 1 ? maxOf(entry.prices.slice(0, -1)) ?? null : null);
	}

	const rugged = entry === undefined ? facts.liveRug !== undefined : entry.rugged ?? true;
	const summary: GameSummary = {
		gameId: facts.id,
		rugged,
		rugTick,
		rugPrice,
		peak,
		ticksObserved: ticksObserved(facts, rugTick),
		trades: facts.tradeIds.size + facts.tradesWithoutId,
		sidebets: sidebetCounts(entry),
		verified: verification === undefined
			? {...unknownVerdicts}
			: {seedHash: verification.seedHash, pricePath: verification.pricePath, liveTicks: verification.liveTicks, sidebets: verification.sidebets, peak: verification.peak},
		fromHistory: entry !== undefined,
		seenLive: facts.seenLive,
		startTime: iso(facts.startTs),
		endTime: iso(entry?.timestamp),
		firstSeen: iso(facts.firstTs),
		lastSeen: iso(facts.lastTs),
		serverSeedHash: facts.announcedHashes[0] ?? entry?.serverSeedHash ?? null,
		gameVersion: entry?.gameVersion ?? facts.gameVersion ?? null,
		notes,
	};
	return {summary, facts, entry, verification};
}

/**
Every game, in a deterministic order: the order of first appearance in the
input (files in the order given; within a gameHistory list, oldest first),
which is the order the games were played when the files are given in time
order. Clocks are not compared: arrival times of the Python recorders are naive
local times, and mixing them with the server's gameHistory timestamps would
misplace games by hours.
*/
export function summarizeAll(collector: GameCollector): SummarizedGame[] {
	return [...collector.games.values()]
		.toSorted((a, b) => a.order - b.order)
		.map(facts => summarizeGame(facts));
}
