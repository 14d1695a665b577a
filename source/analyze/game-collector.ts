import type {Envelope} from '../protocol/envelope.js';
import type {GameHistoryEntry, GlobalSidebet} from '../protocol/events.js';
import {maxTick} from '../state/game.js';
import {phaseOf} from '../state/phase.js';
import {asRecord, list, num, str, tickOf, type Rec} from '../protocol/read.js';

/**
What a recording shows about each game, gathered envelope by envelope for
`summarize` and `export`: pure accumulation (no I/O, no clock), deduplicated by
game id across frames and files. It keeps only what those commands need —
live prices by tick, per-tick counters, trade ids, and a compact copy of each
distinct gameHistory entry — so memory grows with games × ticks, not with the
size of the recording (gameHistory frames are 300–500 KB each).

Only `received` envelopes count: requests the page sent say nothing about a game.
*/

/** The parts of a gameHistory entry that summarize, export and verification read. */
export type CompactEntry = {
	id: string;
	timestamp: number | undefined;
	prices: number[] | undefined;
	/** The raw `prices` value when it was present but not a list of numbers (verification reports it). */
	badPrices: unknown;
	peakMultiplier: number | undefined;
	rugged: boolean | undefined;
	serverSeed: string | undefined;
	serverSeedHash: string | undefined;
	gameVersion: string | undefined;
	/**
	The sidebet records (placed and payout), with the fields summarize and
	export read, each of the right type or absent; undefined when the entry had
	no list.
	*/
	sidebets: GlobalSidebet[] | undefined;
};

/** One trade as export writes it (standard/newTrade payload fields of the right type, or undefined). */
export type TradeRecord = {
	id: string | undefined;
	gameId: string;
	/** The trade's own tick (tickIndex). */
	tick: number | undefined;
	playerId: string | undefined;
	username: string | undefined;
	type: string | undefined;
	qty: number | undefined;
	price: number | undefined;
	amount: number | undefined;
	/** Arrival time of the trade event, epoch ms. */
	ts: number;
};

export type TickCounters = {tradeCount?: number; connectedPlayers?: number};

export type GameFacts = {
	id: string;
	/**
	Order of first appearance in the input; a gameHistory list counts oldest
	game first, before the frame's own game (which is newer than all of them).
	*/
	order: number;
	/** A gameStateUpdate or trade of this game was seen (not only its gameHistory entry). */
	seenLive: boolean;
	/** Arrival time of the first and last live envelope of this game, epoch ms. */
	firstTs: number | undefined;
	lastTs: number | undefined;
	/** Arrival time of the first active frame at tick 0 (the start of play). */
	startTs: number | undefined;
	/** Distinct serverSeedHash values announced in this game's frames, in order seen. */
	announcedHashes: string[];
	gameVersion: string | undefined;
	/** tickCount of every active frame before the rug. */
	liveTicks: Set<number>;
	/** First live price seen at each tick (frame price at tickCount, partialPrices values, old full `prices`). */
	livePrices: Map<number, number>;
	/** Later live prices at a tick that differ from the first one seen there. */
	conflicts: Array<[tick: number, price: number]>;
	/** tradeCount and connectedPlayers last seen at each live tick. */
	counters: Map<number, TickCounters>;
	/**
	The rug as the live frames showed it. After the rug the server sends more
	frames (tick N+1, N+2, with gameHistory) repeating the rug price; their
	partialPrices still end at the rug tick N, which is taken when present.
	*/
	liveRug: {tick: number; price: number | undefined} | undefined;
	tradeIds: Set<string>;
	/** Trades of this game that carried no id (counted, cannot be deduplicated). */
	tradesWithoutId: number;
	/** Every distinct trade (the first seen of each id) and every trade without an id, in arrival order. */
	trades: TradeRecord[];
	/** Distinct gameHistory entries for this id: normally one; more means the feed contradicted itself. */
	entries: CompactEntry[];
};

type CollectorStats = {
	envelopes: number;
	gameStateUpdates: number;
	trades: number;
	/** Trades whose payload a lossy recorder did not keep: not counted for any game. */
	tradesWithoutPayload: number;
	framesWithoutGameId: number;
	historyEntries: number;
	historyEntriesWithoutId: number;
};

/** At most this many distinct announced hashes or history variants are kept per game. */
const maxVariants = 8;

const sidebetStrings = ['id', 'playerId', 'username'] as const;
const sidebetNumbers = ['betAmount', 'xPayout', 'startedAtTick', 'end', 'startTick', 'endTick', 'payout', 'profit', 'timestamp'] as const;

function compactSidebets(value: unknown): GlobalSidebet[] | undefined {
	const records = list(value);
	if (records === undefined) {
		return undefined;
	}

	const result: GlobalSidebet[] = [];
	for (const item of records) {
		const record = asRecord(item);
		const type = record?.['type'];
		if (record === undefined || (type !== 'placed' && type !== 'payout')) {
			continue;
		}

		const compact: GlobalSidebet = {type};
		for (const key of sidebetStrings) {
			const text = str(record[key]);
			if (text !== undefined) {
				compact[key] = text;
			}
		}

		for (const key of sidebetNumbers) {
			const number = num(record[key]);
			if (number !== undefined) {
				compact[key] = number;
			} else if ((key === 'endTick' || key === 'payout') && key in record) {
				// Kept as sent: verification reports a payout record whose endTick or payout is not a number.
				compact[key] = record[key] as number;
			}
		}

		result.push(compact);
	}

	return result;
}

function finitePrices(value: unknown): number[] | undefined {
	const prices = list(value);
	return prices !== undefined && prices.length > 0 && prices.every(price => num(price) !== undefined) ? prices as number[] : undefined;
}

function compactEntry(record: Rec, id: string): CompactEntry {
	const fair = asRecord(record['provablyFair']);
	const prices = finitePrices(record['prices']);
	const seed = str(fair?.['serverSeed']);
	return {
		id,
		timestamp: num(record['timestamp']),
		prices,
		badPrices: prices === undefined && record['prices'] !== undefined && record['prices'] !== null ? record['prices'] : undefined,
		peakMultiplier: num(record['peakMultiplier']),
		rugged: typeof record['rugged'] === 'boolean' ? record['rugged'] : undefined,
		serverSeed: seed === '' ? undefined : seed,
		serverSeedHash: str(fair?.['serverSeedHash']),
		gameVersion: str(record['gameVersion']),
		sidebets: compactSidebets(record['globalSidebets']),
	};
}

/** The entry in the shape verifyGame reads. */
export function historyEntryOf(entry: CompactEntry): GameHistoryEntry {
	return {
		id: entry.id,
		timestamp: entry.timestamp,
		prices: entry.prices ?? entry.badPrices as number[] | undefined,
		peakMultiplier: entry.peakMultiplier,
		rugged: entry.rugged,
		globalSidebets: entry.sidebets,
		provablyFair: {serverSeed: entry.serverSeed, serverSeedHash: entry.serverSeedHash},
		gameVersion: entry.gameVersion,
	};
}

function sameList<T>(a: readonly T[] | undefined, b: readonly T[] | undefined, same: (x: T, y: T) => boolean): boolean {
	if (a === undefined || b === undefined) {
		return true;
	}

	if (a.length !== b.length) {
		return false;
	}

	for (const [index, item] of a.entries()) {
		if (!same(item, b[index]!)) {
			return false;
		}
	}

	return true;
}

function sameValue<T>(a: T | undefined, b: T | undefined): boolean {
	return a === undefined || b === undefined || a === b;
}

/** Two entries agree when every field both carry is equal (one may lack prices or sidebets). */
function agree(a: CompactEntry, b: CompactEntry): boolean {
	return sameValue(a.timestamp, b.timestamp)
		&& sameValue(a.peakMultiplier, b.peakMultiplier)
		&& sameValue(a.rugged, b.rugged)
		&& sameValue(a.serverSeed, b.serverSeed)
		&& sameValue(a.serverSeedHash, b.serverSeedHash)
		&& sameValue(a.gameVersion, b.gameVersion)
		&& (a.badPrices === undefined) === (b.badPrices === undefined)
		&& sameList(a.prices, b.prices, (x, y) => x === y)
		&& sameList(a.sidebets, b.sidebets, (x, y) => x.type === y.type && x.endTick === y.endTick && x.payout === y.payout);
}

/** Fill what `base` lacks from an agreeing entry (a later frame may carry the prices an earlier one did not). */
function enrich(base: CompactEntry, other: CompactEntry): void {
	base.timestamp ??= other.timestamp;
	base.prices ??= other.prices;
	base.peakMultiplier ??= other.peakMultiplier;
	base.rugged ??= other.rugged;
	base.serverSeed ??= other.serverSeed;
	base.serverSeedHash ??= other.serverSeedHash;
	base.gameVersion ??= other.gameVersion;
	base.sidebets ??= other.sidebets;
}

export class GameCollector {
	readonly games = new Map<string, GameFacts>();
	readonly stats: CollectorStats = {
		envelopes: 0,
		gameStateUpdates: 0,
		trades: 0,
		tradesWithoutPayload: 0,
		framesWithoutGameId: 0,
		historyEntries: 0,
		historyEntriesWithoutId: 0,
	};

	add(envelope: Envelope): void {
		this.stats.envelopes++;
		if (envelope.direction !== 'received') {
			return;
		}

		if (envelope.event === 'gameStateUpdate') {
			this.stats.gameStateUpdates++;
			const frame = asRecord(envelope.data);
			if (frame !== undefined) {
				this.#frame(frame, envelope.ts);
			}
		} else if (envelope.event === 'standard/newTrade') {
			this.stats.trades++;
			this.#trade(envelope.data, envelope.ts);
		}
	}

	#game(id: string): GameFacts {
		let facts = this.games.get(id);
		if (facts === undefined) {
			facts = {
				id,
				order: this.games.size,
				seenLive: false,
				firstTs: undefined,
				lastTs: undefined,
				startTs: undefined,
				announcedHashes: [],
				gameVersion: undefined,
				liveTicks: new Set(),
				livePrices: new Map(),
				conflicts: [],
				counters: new Map(),
				liveRug: undefined,
				tradeIds: new Set(),
				tradesWithoutId: 0,
				trades: [],
				entries: [],
			};
			this.games.set(id, facts);
		}

		return facts;
	}

	#seen(facts: GameFacts, ts: number): void {
		facts.seenLive = true;
		facts.firstTs = facts.firstTs === undefined ? ts : Math.min(facts.firstTs, ts);
		facts.lastTs = facts.lastTs === undefined ? ts : Math.max(facts.lastTs, ts);
	}

	#observe(facts: GameFacts, tick: number, price: number): void {
		const known = facts.livePrices.get(tick);
		if (known === undefined) {
			facts.livePrices.set(tick, price);
		} else if (known !== price && facts.conflicts.length < maxTick) {
			facts.conflicts.push([tick, price]);
		}
	}

	#frame(frame: Rec, ts: number): void {
		const history = list(frame['gameHistory']);
		if (history !== undefined) {
			// Newest first on the wire; taken oldest first so games are numbered in the order they were played.
			const byTime = history.map((item, index) => ({item, index, time: num(asRecord(item)?.['timestamp']) ?? Number.POSITIVE_INFINITY}));
			byTime.sort((a, b) => (a.time === b.time ? b.index - a.index : (a.time < b.time ? -1 : 1)));
			for (const {item} of byTime) {
				this.#history(item);
			}
		}

		const id = str(frame['gameId']);
		if (id === undefined || id === '') {
			this.stats.framesWithoutGameId++;
			return;
		}

		const facts = this.#game(id);
		this.#seen(facts, ts);
		const fair = asRecord(frame['provablyFair']);
		const hash = str(fair?.['serverSeedHash']);
		if (hash !== undefined && hash !== '' && !facts.announcedHashes.includes(hash) && facts.announcedHashes.length < maxVariants) {
			facts.announcedHashes.push(hash);
		}

		facts.gameVersion ??= str(frame['gameVersion']) ?? str(fair?.['version']);

		const tick = tickOf(frame['tickCount'], maxTick);
		const phase = phaseOf(frame);
		// Frames that say nothing about their phase but carry a tick are taken as live (older formats).
		const live = phase === 'ACTIVE' || phase === 'RUGGED' || (phase === undefined && tick !== undefined);
		if (!live) {
			return;
		}

		const partial = asRecord(frame['partialPrices']);
		const values = asRecord(partial?.['values']);
		if (values !== undefined) {
			for (const key of Object.keys(values)) {
				const valueTick = key === '' ? undefined : tickOf(Number(key), maxTick);
				const price = num(values[key]);
				if (valueTick !== undefined && price !== undefined) {
					this.#observe(facts, valueTick, price);
				}
			}
		}

		const oldPrices = list(frame['prices']);
		if (oldPrices !== undefined) {
			for (const [index, value] of oldPrices.entries()) {
				const price = num(value);
				if (price !== undefined && index <= maxTick) {
					this.#observe(facts, index, price);
				}
			}
		}

		const price = num(frame['price']);
		if (frame['rugged'] === true) {
			this.#rug(facts, frame, tick, price, partial, values);
			return;
		}

		if (tick === undefined) {
			return;
		}

		facts.liveTicks.add(tick);
		if (tick === 0) {
			facts.startTs = facts.startTs === undefined ? ts : Math.min(facts.startTs, ts);
		}

		if (price !== undefined) {
			this.#observe(facts, tick, price);
		}

		this.#count(facts, tick, frame);
	}

	#rug(facts: GameFacts, frame: Rec, tick: number | undefined, price: number | undefined, partial: Rec | undefined, values: Rec | undefined): void {
		const endTick = tickOf(partial?.['endTick'], maxTick);
		const rugTick = endTick ?? tick;
		if (rugTick === undefined || (facts.liveRug !== undefined && facts.liveRug.tick <= rugTick)) {
			return;
		}

		const rugPrice = num(values?.[String(rugTick)]) ?? (rugTick === tick ? price : undefined);
		facts.liveRug = {tick: rugTick, price: rugPrice};
		if (rugTick === tick) {
			// The rug frame itself: its price is the live price at the rug tick.
			if (price !== undefined) {
				this.#observe(facts, rugTick, price);
			}

			this.#count(facts, rugTick, frame);
		}
	}

	#count(facts: GameFacts, tick: number, frame: Rec): void {
		const tradeCount = num(frame['tradeCount']);
		const connectedPlayers = num(frame['connectedPlayers']);
		if (tradeCount === undefined && connectedPlayers === undefined) {
			return;
		}

		const counters = facts.counters.get(tick) ?? {};
		if (tradeCount !== undefined) {
			counters.tradeCount = tradeCount;
		}

		if (connectedPlayers !== undefined) {
			counters.connectedPlayers = connectedPlayers;
		}

		facts.counters.set(tick, counters);
	}

	#trade(data: unknown, ts: number): void {
		const trade = asRecord(data);
		if (trade === undefined) {
			this.stats.tradesWithoutPayload++;
			return;
		}

		const gameId = str(trade['gameId']);
		if (gameId === undefined || gameId === '') {
			this.stats.tradesWithoutPayload++;
			return;
		}

		const facts = this.#game(gameId);
		this.#seen(facts, ts);
		const id = str(trade['id']);
		if (id === undefined || id === '') {
			facts.tradesWithoutId++;
		} else if (facts.tradeIds.has(id)) {
			return;
		} else {
			facts.tradeIds.add(id);
		}

		facts.trades.push({
			id: id === '' ? undefined : id,
			gameId,
			tick: tickOf(trade['tickIndex'], maxTick),
			playerId: str(trade['playerId']),
			username: str(trade['username']),
			type: str(trade['type']),
			qty: num(trade['qty']),
			price: num(trade['price']),
			amount: num(trade['amount']),
			ts,
		});
	}

	#history(item: unknown): void {
		this.stats.historyEntries++;
		const record = asRecord(item);
		const id = str(record?.['id']);
		if (record === undefined || id === undefined || id === '') {
			this.stats.historyEntriesWithoutId++;
			return;
		}

		const facts = this.#game(id);
		const entry = compactEntry(record, id);
		const same = facts.entries.find(known => agree(known, entry));
		if (same !== undefined) {
			enrich(same, entry);
		} else if (facts.entries.length < maxVariants) {
			facts.entries.push(entry);
		}
	}
}
