import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {afterAll, describe, expect, test} from 'vitest';
import {parseCsv} from '../source/analyze/csv.js';
import {makeEnvelope, type Envelope} from '../source/protocol/envelope.js';
import {gameCycle, seedForLength} from '../source/sim/game-cycle.js';
import {maxOf} from '../source/verify/numbers.js';
import {verifyGame} from '../source/verify/verify-game.js';
import {runCli} from './helpers/cli.js';
import {projectRoot} from './helpers/project.js';
import {makeTempDir, writeRecording} from './helpers/recordings.js';

/**
Issue 14, "one bad record never costs the rest", as a class: data of unbounded
length (a gameHistory entry of 130,000 prices without peakMultiplier, a
200,000-price entry with a seed, a 5,000-entry history) goes through summarize,
export and verification without a spread of it on the call stack, and the good
games in the same file come out whole. A scan of the readers' sources keeps the
pattern out.
*/

const folder = makeTempDir('rugs-unbounded-');
afterAll(() => {
	folder.remove();
});

/** 13 complete games, one after the other, then one frame whose gameHistory holds `entries`. */
function recordingWith(entries: ReadonlyArray<Record<string, unknown>>): {envelopes: Envelope[]; ids: string[]} {
	const envelopes: Envelope[] = [];
	const ids: string[] = [];
	let seq = 1;
	let startTs = Date.UTC(2025, 11, 12, 22);
	for (let index = 0; index < 13; index++) {
		const id = `20251212-${index.toString(16).padStart(16, '0')}`;
		const game = gameCycle({gameId: id, serverSeed: seedForLength(id, 20, 40, `good-${index}`), seq, startTs});
		envelopes.push(...game.envelopes);
		ids.push(id);
		seq = game.nextSeq;
		startTs = game.endTs + 100;
	}

	envelopes.push(makeEnvelope({seq, ts: startTs, source: 'replay', direction: 'received', event: 'gameStateUpdate', args: [{gameId: '20251212-ffffffffffffffff', cooldownTimer: 15_000, gameHistory: entries}]}));
	return {envelopes, ids};
}

function hugePrices(length: number): number[] {
	const prices: number[] = [];
	for (let tick = 0; tick < length; tick++) {
		prices.push(1 + (Math.sin(tick / 97) / 2));
	}

	return prices;
}

describe('an entry of 130,000 prices (no peakMultiplier) among 13 good games', () => {
	const prices = hugePrices(130_000);
	const {envelopes, ids} = recordingWith([{id: 'huge-game', timestamp: Date.UTC(2025, 11, 13), prices, rugged: true}]);
	const file = writeRecording(path.join(folder.dir, 'huge.jsonl'), envelopes);
	// Computed here by a plain loop: every price but the last (the rug price).
	let expectedPeak = 0;
	for (let tick = 0; tick < prices.length - 1; tick++) {
		expectedPeak = Math.max(expectedPeak, prices[tick]!);
	}

	test('summarize prints all 14 games (the huge one with its peak), exit 0', async () => {
		const {code, stdout, stderr} = await runCli(['summarize', file]);
		expect(stderr).not.toMatch(/Maximum call stack|RangeError/);
		expect(code).toBe(0);
		const games = stdout.split('\n').filter(line => line !== '').map(line => JSON.parse(line) as {gameId: string; rugTick: number | null; peak: number | null; verified: {pricePath: boolean | null}});
		expect(games.map(game => game.gameId).toSorted()).toStrictEqual([...ids, 'huge-game', '20251212-ffffffffffffffff'].toSorted());
		expect(games.find(game => game.gameId === 'huge-game')).toMatchObject({rugTick: 129_999, peak: expectedPeak});
		expect(games.filter(game => ids.includes(game.gameId)).every(game => game.verified.pricePath === true)).toBe(true);
	}, 60_000);

	test('export writes every game and the huge game\'s 130,000 ticks, exit 0', async () => {
		const out = path.join(folder.dir, 'out');
		const {code, stderr} = await runCli(['export', file, '--out', out]);
		expect(stderr).not.toMatch(/Maximum call stack|RangeError/);
		expect(code).toBe(0);
		const rows = parseCsv(readFileSync(path.join(out, 'games.csv'), 'utf8'));
		expect(rows).toHaveLength(1 + 15);
		const huge = rows.find(row => row[0] === 'huge-game')!;
		const ticksFile = huge.at(-1)!;
		const ticks = parseCsv(readFileSync(path.join(out, ticksFile), 'utf8'));
		expect(ticks).toHaveLength(1 + 130_000);
		expect(Number(ticks.at(-1)![1])).toBe(prices.at(-1));
		expect(readdirSync(path.join(out, 'ticks'))).toHaveLength(14);
	}, 60_000);
});

describe('verification of unbounded input', () => {
	test('a 200,000-price entry with a seed: the path check fails cleanly, nothing throws', () => {
		const id = '20251212-0123456789abcdef';
		const serverSeed = seedForLength(id, 50, 60, 'verify');
		const result = verifyGame({id, prices: hugePrices(200_000), provablyFair: {serverSeed}, peakMultiplier: 3}, {liveSamples: Array.from({length: 200_000}, (_, tick) => [tick, 1] as const)});
		expect(result).toMatchObject({pricePath: false, liveTicks: false, rugTick: 199_999});
	});

	test('maxOf: any length, NaN skipped, nothing for nothing', () => {
		const values = hugePrices(1_000_000);
		values[765_432] = 9;
		expect(maxOf(values)).toBe(9);
		expect(maxOf([Number.NaN, -2, -1])).toBe(-1);
		expect(maxOf([])).toBeUndefined();
		expect(maxOf(new Map([[3, 0], [7, 0]]).keys())).toBe(7);
	});

	test('a gameHistory of 5,000 entries in one frame: every game summarized', async () => {
		const entries = Array.from({length: 5000}, (_, index) => ({id: `old-${index}`, timestamp: 1_765_000_000_000 + index, prices: [1, 1.5, 0.01], rugged: true}));
		const file = writeRecording(path.join(folder.dir, 'many.jsonl'), recordingWith(entries).envelopes);
		const {code, stdout} = await runCli(['summarize', file]);
		expect(code).toBe(0);
		expect(stdout.split('\n').filter(line => line !== '')).toHaveLength(13 + 5000 + 1);
	}, 60_000);
});

describe('the readers hold no spread of unbounded data', () => {
	// Every call that takes its arguments from an array put on the stack.
	const spreadCall = /(?:Math\.(?:max|min)|\.push|\.unshift|\.concat|String\.fromCharCode|String\.fromCodePoint|\.splice)\(\s*(?:[^()]*,\s*)?\.\.\.|\.apply\(/;
	const readers = ['source/analyze', 'source/verify', 'source/sources/read-recording.ts', 'source/sources/recording-bytes.ts', 'source/sources/recording-lines.ts', 'source/sources/recording-format.ts', 'source/app/read-inputs.ts', 'source/app/run-summarize.ts', 'source/app/run-export.ts'];
	const files = readers.flatMap(entry => (entry.endsWith('.ts') ? [entry] : readdirSync(path.join(projectRoot, entry)).filter(name => name.endsWith('.ts')).map(name => `${entry}/${name}`)));
	test.each(files)('%s', file => {
		const lines = readFileSync(path.join(projectRoot, file), 'utf8').split('\n');
		const offending = lines.map((line, index) => [index + 1, line] as const).filter(([, line]) => spreadCall.test(line) && !line.trimStart().startsWith('//') && !line.trimStart().startsWith('*'));
		expect(offending).toStrictEqual([]);
	});
});
