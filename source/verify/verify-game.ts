import {createHash} from 'node:crypto';
import type {GameHistoryEntry, GlobalSidebet} from '../protocol/events.js';
import {maxOf} from './numbers.js';
import {parseVersion, pricePath} from './price-path.js';

/** Each check is true (holds), false (broken) or null (cannot be checked with what was seen). */
export type Verdict = boolean | null;

export type Verification = {
	/** SHA-256 of the revealed serverSeed equals the announced and recorded hashes. */
	seedHash: Verdict;
	/** The recomputed path equals gameHistory.prices except the last (rug) element. */
	pricePath: Verdict;
	/** Every live price seen at tick t equals the recomputed price at t. */
	liveTicks: Verdict;
	/** Every sidebet payout agrees with "wins iff rug tick ≤ end tick". */
	sidebets: Verdict;
	/**
	peakMultiplier equals the maximum of the path recomputed from the seed;
	checked whenever the entry reveals its serverSeed (with an id) and carries
	a peakMultiplier, with or without prices. Null otherwise, with a note
	saying which of the two is missing.
	*/
	peak: Verdict;
	/** Rug tick from the recorded prices, else from the recomputed path when the seed hash holds. */
	rugTick: number | null;
	/** What failed or could not be checked, one short line each. */
	notes: string[];
};

export type VerifyInput = {
	/** The serverSeedHash announced in provablyFair while the game ran, when it was seen. */
	announcedHash?: string;
	/**
	Every distinct serverSeedHash announced for this game (a recording may show
	more than one if the feed was tampered with): each must match the seed.
	*/
	announcedHashes?: readonly string[];
	/** Live prices by tick (NaN where no price was seen). */
	livePrices?: readonly number[];
	/**
	Live prices as (tick, price) observations, several per tick allowed: a tick
	seen with two different prices cannot match the seeded path at both.
	*/
	liveSamples?: ReadonlyArray<readonly [tick: number, price: number]>;
};

/** Overall mark for a game: false if any check failed, true if at least one held and none failed. */
export function overallVerdict(verification: Verification): Verdict {
	const verdicts = new Set([verification.seedHash, verification.pricePath, verification.liveTicks, verification.sidebets, verification.peak]);
	if (verdicts.has(false)) {
		return false;
	}

	return verdicts.has(true) ? true : null;
}

export function sha256Hex(text: string): string {
	return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** A short, printable excerpt of an untrusted hash for a note. */
function excerpt(hash: string): string {
	return JSON.stringify(hash.slice(0, 12)) + (hash.length > 12 ? '…' : '');
}

function checkSeedHash(seed: string | undefined, recorded: string | undefined, announced: readonly string[], notes: string[]): Verdict {
	if (seed === undefined) {
		notes.push('no serverSeed revealed');
		return null;
	}

	if (recorded === undefined && announced.length === 0) {
		notes.push('no serverSeedHash to compare with');
		return null;
	}

	const actual = sha256Hex(seed);
	let verdict = true;
	if (recorded !== undefined && recorded.toLowerCase() !== actual) {
		notes.push(`sha256(serverSeed) ${actual.slice(0, 12)}… ≠ recorded hash ${excerpt(recorded)}`);
		verdict = false;
	}

	for (const hash of announced) {
		if (hash.toLowerCase() !== actual) {
			notes.push(`sha256(serverSeed) ${actual.slice(0, 12)}… ≠ hash announced during the game ${excerpt(hash)}`);
			verdict = false;
		}
	}

	return verdict;
}

function checkPath(path: readonly number[], prices: readonly number[], notes: string[]): boolean {
	const seeded = prices.length - 1;
	if (path.length !== seeded) {
		notes.push(`recomputed path rugs at tick ${path.length}, recorded prices rug at tick ${seeded}`);
		return false;
	}

	for (let tick = 0; tick < seeded; tick++) {
		if (path[tick] !== prices[tick]) {
			notes.push(`price at tick ${tick}: recomputed ${path[tick]}, recorded ${prices[tick]}`);
			return false;
		}
	}

	return true;
}

function checkPeak(path: readonly number[] | undefined, peakMultiplier: number | undefined, notes: string[]): Verdict {
	if (path === undefined) {
		// The reason (no seed or no id) is already noted for the price path.
		return null;
	}

	if (peakMultiplier === undefined) {
		notes.push('no peakMultiplier to compare the recomputed peak with');
		return null;
	}

	const peak = maxOf(path);
	if (peak !== peakMultiplier) {
		notes.push(`recomputed peak ${peak} ≠ peakMultiplier ${peakMultiplier}`);
		return false;
	}

	return true;
}

function * observations(input: VerifyInput): Generator<readonly [number, number]> {
	if (input.livePrices !== undefined) {
		yield * input.livePrices.entries();
	}

	if (input.liveSamples !== undefined) {
		yield * input.liveSamples;
	}
}

function checkLive(path: readonly number[], rugPrice: number | undefined, live: Iterable<readonly [number, number]>, notes: string[]): Verdict {
	let compared = 0;
	for (const [tick, price] of live) {
		if (!Number.isFinite(price) || !Number.isInteger(tick) || tick < 0) {
			continue;
		}

		if (tick > path.length) {
			// The frames after the rug (tick N+1, N+2, carrying gameHistory) repeat the rug price;
			// anything else after the seeded rug tick means the game ran longer than its seed says.
			if (rugPrice !== undefined && price === rugPrice) {
				continue;
			}

			notes.push(`live price ${price} at tick ${tick}, after the rug at tick ${path.length}`);
			return false;
		}

		// At the rug tick the live price is the rug price, which the seed does not determine.
		const expected = tick < path.length ? path[tick] : rugPrice;
		if (expected === undefined) {
			continue;
		}

		compared++;
		if (price !== expected) {
			notes.push(`live price at tick ${tick}: ${price}, recomputed ${expected}`);
			return false;
		}
	}

	if (compared === 0) {
		notes.push('no live prices seen');
		return null;
	}

	return true;
}

function checkSidebets(records: readonly unknown[], rugTick: number, notes: string[]): Verdict {
	let checked = 0;
	let unreadable = 0;
	for (const item of records) {
		const record = typeof item === 'object' && item !== null ? item as GlobalSidebet : undefined;
		if (record?.type !== 'payout') {
			continue;
		}

		if (typeof record.endTick !== 'number' || !Number.isFinite(record.endTick) || typeof record.payout !== 'number' || !Number.isFinite(record.payout)) {
			// Not evidence either way; said so rather than silently passed over.
			unreadable++;
			continue;
		}

		checked++;
		const shouldWin = rugTick <= record.endTick;
		const won = record.payout > 0;
		if (shouldWin !== won) {
			notes.push(`sidebet ending at tick ${record.endTick} ${won ? 'won' : 'lost'} but the rug came at tick ${rugTick}`);
			return false;
		}
	}

	if (unreadable > 0) {
		notes.push(`${unreadable} sidebet payout record${unreadable === 1 ? '' : 's'} without a numeric endTick and payout, not checked`);
	}

	return checked === 0 ? null : true;
}

function finiteNumbers(value: unknown): number[] | undefined {
	return Array.isArray(value) && value.length > 0 && value.every(item => typeof item === 'number' && Number.isFinite(item)) ? value as number[] : undefined;
}

function announcedList(input: VerifyInput): string[] {
	const all = [input.announcedHash, ...(input.announcedHashes ?? [])].filter((hash): hash is string => typeof hash === 'string' && hash !== '');
	return [...new Set(all.map(hash => hash.toLowerCase()))];
}

/**
Check one finished game against its revealed seed. Pure; never throws on
malformed input: a field of the wrong type is either "cannot be checked"
(null, when it is absent) or a failed check (false, when it is present but
unusable, such as a `prices` array holding a string).
*/
export function verifyGame(entryValue: GameHistoryEntry, input: VerifyInput = {}): Verification {
	const notes: string[] = [];
	const entry: GameHistoryEntry = typeof entryValue === 'object' && entryValue !== null ? entryValue : {};
	const fair = typeof entry.provablyFair === 'object' && entry.provablyFair !== null ? entry.provablyFair : {};
	const seed = typeof fair.serverSeed === 'string' && fair.serverSeed.length > 0 ? fair.serverSeed : undefined;
	const recordedHash = typeof fair.serverSeedHash === 'string' ? fair.serverSeedHash : undefined;
	const prices = finiteNumbers(entry.prices);
	const malformedPrices = prices === undefined && entry.prices !== undefined && entry.prices !== null;
	const peakMultiplier = typeof entry.peakMultiplier === 'number' && Number.isFinite(entry.peakMultiplier) ? entry.peakMultiplier : undefined;
	const gameId = typeof entry.id === 'string' ? entry.id : undefined;

	const seedHash = checkSeedHash(seed, recordedHash, announcedList(input), notes);
	const path = seed !== undefined && gameId !== undefined ? pricePath(seed, gameId, parseVersion(entry.gameVersion)) : undefined;

	let pricePathVerdict: Verdict = null;
	if (malformedPrices) {
		notes.push('gameHistory prices is not a list of numbers');
		pricePathVerdict = false;
	}

	if (path === undefined) {
		notes.push('price path not recomputable without serverSeed and id');
	} else if (prices === undefined) {
		if (!malformedPrices) {
			notes.push('no recorded prices to compare with');
		}
	} else {
		pricePathVerdict = checkPath(path, prices, notes);
	}

	const peak = checkPeak(path, peakMultiplier, notes);

	const rugTick = prices === undefined ? (path !== undefined && seedHash === true ? path.length : null) : prices.length - 1;
	const liveTicks = path === undefined || (input.livePrices === undefined && input.liveSamples === undefined)
		? null
		: checkLive(path, prices?.at(-1), observations(input), notes);
	const sidebets = rugTick === null || !Array.isArray(entry.globalSidebets)
		? null
		: checkSidebets(entry.globalSidebets, rugTick, notes);

	return {seedHash, pricePath: pricePathVerdict, liveTicks, sidebets, peak, rugTick, notes};
}
