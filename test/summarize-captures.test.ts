import {execFile} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {promisify} from 'node:util';
import {describe, expect, test} from 'vitest';
import type {GameSummary} from '../source/analyze/summarize.js';
import {readRecording} from '../source/sources/read-recording.js';
import {captureFiles, capturePath, hasCaptures} from './helpers/captures.js';
import {binPath} from './helpers/project.js';

// eslint-disable-next-line @typescript-eslint/strict-void-return -- promisify uses execFile's own promise form (util.promisify.custom, resolving {stdout, stderr}), not its ChildProcess return
const run = promisify(execFile);

/** Every game id a capture mentions, found without the code under test: frames, trades, gameHistory entries. */
async function gameIdsIn(files: readonly string[]): Promise<Set<string>> {
	const ids = new Set<string>();
	for (const file of files) {
		for await (const item of readRecording(file)) {
			if (!item.ok || item.envelope.direction !== 'received') {
				continue;
			}

			const data = item.envelope.data as {gameId?: unknown; gameHistory?: Array<{id?: unknown}>} | null;
			if (!['gameStateUpdate', 'standard/newTrade'].includes(item.envelope.event) || data === null) {
				continue;
			}

			if (typeof data.gameId === 'string') {
				ids.add(data.gameId);
			}

			for (const entry of data.gameHistory ?? []) {
				if (typeof entry.id === 'string') {
					ids.add(entry.id);
				}
			}
		}
	}

	return ids;
}

const fields = ['gameId', 'rugged', 'rugTick', 'rugPrice', 'peak', 'ticksObserved', 'trades', 'sidebets', 'verified'];

describe.skipIf(!hasCaptures)('rugs-tui summarize on every capture', async () => {
	// The DevTools text file holds no JSON records: it is there for the bad-line report.
	const files = [...captureFiles('.jsonl'), ...captureFiles('.json'), ...captureFiles('.txt')];
	const {stdout, stderr} = hasCaptures ? await run('node', [binPath, 'summarize', ...files], {maxBuffer: 64 * 1024 * 1024}) : {stdout: '', stderr: ''};
	const lines = stdout.split('\n').filter(line => line !== '');
	// The fields are what the first test checks; the type says what they hold.
	const games = lines.map(line => JSON.parse(line) as GameSummary);
	const byId = new Map(games.map(game => [game.gameId, game]));

	test('one line per distinct game, with every field', async () => {
		const expected = await gameIdsIn(files);
		expect(games.map(game => game.gameId).toSorted()).toEqual([...expected].toSorted());
		for (const game of games) {
			for (const field of fields) {
				expect(game, `${game.gameId} has ${field}`).toHaveProperty(field);
			}

			expect(Object.keys(game.sidebets)).toEqual(['placed', 'won', 'lost', 'unsettled', 'placedRecords', 'payoutRecords']);
			expect(Object.keys(game.verified)).toEqual(expect.arrayContaining(['seedHash', 'pricePath', 'liveTicks', 'sidebets']));
		}
	});

	test('all 23 games with full price arrays verify; the 10 without prices verify by seed hash and peak', () => {
		const withPath = games.filter(game => game.verified.pricePath === true);
		expect(withPath).toHaveLength(23);
		for (const game of withPath) {
			expect(game.verified).toMatchObject({seedHash: true, sidebets: true, peak: true});
		}

		const byPeak = games.filter(game => game.fromHistory && game.verified.pricePath === null);
		expect(byPeak).toHaveLength(10);
		for (const game of byPeak) {
			expect(game.verified).toMatchObject({seedHash: true, peak: true, sidebets: true});
			expect(Number.isInteger(game.rugTick)).toBe(true);
		}

		expect(games.some(game => Object.values(game.verified).includes(false))).toBe(false);
	});

	test('sidebets: distinct bets over both kinds of record, raw record counts beside them (counted here from the raw frames)', async () => {
		// Straight from the capture files: every distinct gameHistory entry's records, keyed (player, start tick).
		const expected = new Map<string, {bets: Map<string, string>; placedRecords: number; payoutRecords: number}>();
		for (const file of files.filter(name => name.endsWith('.jsonl'))) {
			for (const line of readFileSync(file, 'utf8').split('\n')) {
				const data = (line.trim() === '' ? undefined : (JSON.parse(line) as {data?: unknown}).data) as {gameHistory?: Array<{id: string; globalSidebets?: Array<Record<string, unknown>>}>} | undefined;
				for (const entry of (typeof data === 'object' && data !== null && !Array.isArray(data) ? data.gameHistory : undefined) ?? []) {
					if (expected.has(entry.id) || entry.globalSidebets === undefined) {
						continue;
					}

					const bets = new Map<string, string>();
					for (const record of entry.globalSidebets) {
						const key = `${String(record['playerId'])}/${String(record['type'] === 'placed' ? record['startedAtTick'] : record['startTick'])}`;
						if (record['type'] === 'payout') {
							bets.set(key, (record['payout'] as number) > 0 ? 'won' : 'lost');
						} else if (!bets.has(key)) {
							bets.set(key, 'unsettled');
						}
					}

					const placedRecords = entry.globalSidebets.filter(record => record['type'] === 'placed').length;
					expected.set(entry.id, {bets, placedRecords, payoutRecords: entry.globalSidebets.length - placedRecords});
				}
			}
		}

		expect(expected.size).toBeGreaterThanOrEqual(20);
		let fewerPlacedRecords = 0;
		for (const [id, {bets, placedRecords, payoutRecords}] of expected) {
			const outcomes = [...bets.values()];
			const count = (outcome: string) => outcomes.filter(value => value === outcome).length;
			const summary = byId.get(id)!;
			expect(summary.sidebets, id).toStrictEqual({placed: bets.size, won: count('won'), lost: count('lost'), unsettled: count('unsettled'), placedRecords, payoutRecords});
			// What the issue saw: the entry lists payouts for bets it has no placed record for. Counted as bets, placed ≥ won + lost.
			expect(summary.sidebets.placed!).toBeGreaterThanOrEqual(summary.sidebets.won! + summary.sidebets.lost!);
			fewerPlacedRecords += placedRecords < count('won') + count('lost') ? 1 : 0;
		}

		expect(fewerPlacedRecords).toBeGreaterThan(10);
	});

	test('the peak check: made on every game whose entry reveals its seed and peakMultiplier, and true on all of them', () => {
		const fromHistory = games.filter(game => game.fromHistory);
		expect(fromHistory).toHaveLength(33);
		expect(fromHistory.map(game => game.verified.peak)).toStrictEqual(fromHistory.map(() => true));
		// The others saw no entry, so no seed: said so.
		for (const game of games.filter(game => !game.fromHistory)) {
			expect(game.verified.peak).toBeNull();
			expect(game.notes).toContain('no gameHistory entry seen: the seed was not revealed in this recording');
		}
	});

	test('the games watched live: live ticks match the seeded path, counts from the frames', () => {
		expect(byId.get('20251212-6114b2ff44ef4b71')).toMatchObject({rugTick: 16, rugPrice: 0.020_000_000_000_000_018, ticksObserved: 17, trades: 3, seenLive: true, verified: {liveTicks: true}});
		expect(byId.get('20251212-6114b2ff44ef4b71')!.startTime).not.toBeNull();
		// The 2025-12-12 capture begins at tick 4 of this game.
		expect(byId.get('20251212-25dcb17086a24ad7')).toMatchObject({rugTick: 229, ticksObserved: 226, verified: {liveTicks: true, pricePath: true}});
		// The CDP capture kept no trade payloads (lossy recorder): 0 counted, and said on stderr.
		expect(byId.get('20251215-0229cacf684f458c')).toMatchObject({rugTick: 99, ticksObserved: 100, trades: 0, verified: {liveTicks: true}});
		expect(stderr).toMatch(/14 trades without payload \(lossy recorder\) not counted/);
	});

	test('a game seen only live (2026-02-06 key samples): live values, nothing verified', () => {
		expect(byId.get('20260206-003482fbeaae4ad5')).toMatchObject({
			rugged: true,
			rugTick: 255,
			rugPrice: 0.001_784_271_007_106_042_4,
			trades: 4,
			fromHistory: false,
			verified: {seedHash: null, pricePath: null, liveTicks: null, sidebets: null},
		});
	});

	test('games seen only in cooldown are listed, not rugged', () => {
		for (const id of ['20251212-6f491efbd808458b', '20251215-549f99ae78be4dec']) {
			expect(byId.get(id)).toMatchObject({rugged: false, rugTick: null, ticksObserved: 0});
		}
	});

	test('the file in a format rugs-tui does not read is reported with file:line, and the rest goes on', () => {
		expect(stderr).toMatch(/devtools-console-frames-2025-08-10\.txt:1: invalid JSON/);
		expect(stderr).toMatch(/devtools-console-frames-2025-08-10\.txt: \d+ more bad lines not shown/);
		expect(stderr).not.toMatch(/derived-ticks-long-game/);
	});

	test('the REPLAYER derived-ticks game: its rug tick, rug price and peak as its tick records show them', () => {
		// Computed here from the raw records, without the reader: the first tick record that says rugged is the rug;
		// the peak is the highest price of an active tick before it.
		const records = readFileSync(capturePath('derived-ticks-long-game-2025-11-02.jsonl'), 'utf8').split('\n').filter(line => line !== '')
			.map(line => JSON.parse(line) as {type: string; game_id: string; tick?: number; price?: number; active?: boolean; rugged?: boolean; peak_price?: number});
		const ticks = records.filter(record => record.type === 'tick');
		const rug = ticks.find(record => record.rugged === true)!;
		let peak = 0;
		const seen = new Set<number>();
		for (const record of ticks) {
			if (record.active === true && record.rugged !== true && record.tick! < rug.tick!) {
				peak = Math.max(peak, record.price!);
				seen.add(record.tick!);
			}
		}

		const end = records.find(record => record.type === 'game_end')!;
		expect(rug.tick).toBe(1308);
		expect(peak).toBe(end.peak_price);
		expect(byId.get(rug.game_id)).toMatchObject({
			rugged: true,
			rugTick: rug.tick,
			rugPrice: rug.price,
			peak,
			ticksObserved: seen.size + 1,
			fromHistory: false,
			seenLive: true,
			verified: {seedHash: null, pricePath: null, liveTicks: null, sidebets: null, peak: null},
		});
	});
});
