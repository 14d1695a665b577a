import {describe, expect, test} from 'vitest';
import type {GameHistoryEntry} from '../source/protocol/events.js';
import {readRecording} from '../source/sources/read-recording.js';
import {pricePath} from '../source/verify/price-path.js';
import {overallVerdict, sha256Hex, verifyGame} from '../source/verify/verify-game.js';
import {captureFiles, hasCaptures} from './helpers/captures.js';

/** Every gameHistory entry in the captures, first occurrence of each id. */
async function capturedEntries(): Promise<Map<string, GameHistoryEntry>> {
	const entries = new Map<string, GameHistoryEntry>();
	for (const file of [...captureFiles('.jsonl'), ...captureFiles('.json')]) {
		for await (const item of readRecording(file)) {
			if (!item.ok) {
				continue;
			}

			const history = (item.envelope.data as {gameHistory?: unknown} | null)?.gameHistory;
			if (!Array.isArray(history)) {
				continue;
			}

			for (const entry of history as GameHistoryEntry[]) {
				if (typeof entry.id === 'string' && !entries.has(entry.id)) {
					entries.set(entry.id, entry);
				}
			}
		}
	}

	return entries;
}

describe.skipIf(!hasCaptures)('provably-fair verification of the captured games', async () => {
	const entries = hasCaptures ? await capturedEntries() : new Map<string, GameHistoryEntry>();
	const withPrices = [...entries.values()].filter(entry => Array.isArray(entry.prices));
	const withoutPrices = [...entries.values()].filter(entry => !Array.isArray(entry.prices));

	test('the captures hold the 23 games with full price arrays and 10 without', () => {
		expect(withPrices).toHaveLength(23);
		expect(withoutPrices).toHaveLength(10);
	});

	test.each(withPrices.map(entry => [entry.id!, entry] as const))('%s: seed hash, whole price path, peak and sidebets verify', (_id, entry) => {
		const verification = verifyGame(entry);
		expect(verification.notes).toEqual([]);
		expect(verification).toMatchObject({seedHash: true, pricePath: true, sidebets: true, liveTicks: null, rugTick: entry.prices!.length - 1});
		expect(overallVerdict(verification)).toBe(true);
		// The facts behind the verdicts, checked independently of verifyGame.
		const path = pricePath(entry.provablyFair!.serverSeed!, entry.id!);
		expect(path).toEqual(entry.prices!.slice(0, -1));
		expect(Math.max(...path)).toBe(entry.peakMultiplier);
		expect(sha256Hex(entry.provablyFair!.serverSeed!)).toBe(entry.provablyFair!.serverSeedHash);
	});

	test.each(withoutPrices.map(entry => [entry.id!, entry] as const))('%s (no prices): seed hash and peak verify, rug tick from the seed', (_id, entry) => {
		const verification = verifyGame(entry);
		expect(verification).toMatchObject({seedHash: true, pricePath: null, peak: true, sidebets: true});
		expect(verification.rugTick).toBe(pricePath(entry.provablyFair!.serverSeed!, entry.id!).length);
	});

	test('a live price series taken from the recorded prices verifies, one changed live price does not', () => {
		const entry = withPrices.find(item => item.prices!.length > 100)!;
		const live = [...entry.prices!];
		expect(verifyGame(entry, {livePrices: live}).liveTicks).toBe(true);
		live[50] = live[50]! * 1.000_000_1;
		const verification = verifyGame(entry, {livePrices: live});
		expect(verification.liveTicks).toBe(false);
		expect(verification.notes.join(' ')).toContain('tick 50');
	});
});
