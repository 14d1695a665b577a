import path from 'node:path';
import {PassThrough} from 'node:stream';
import {afterAll, describe, expect, test} from 'vitest';
import {LiveStats} from '../source/analyze/live-stats.js';
import {modelSidebetWin} from '../source/analyze/stats.js';
import {statsOfFiles} from '../source/app/run-stats.js';
import {seedHistory, checkHistoryFiles} from '../source/app/history-seed.js';
import {createAppBus} from '../source/bus/app-bus.js';
import type {Envelope} from '../source/protocol/envelope.js';
import {generateSession} from '../source/sim/generate-session.js';
import {createState, reduce} from '../source/state/reducer.js';
import type {FinishedGame, GameState} from '../source/state/types.js';
import {MonitorStore} from '../source/ui/store.js';
import {followSession} from './helpers/live-stats.js';
import {makeTempDir, writeRecording} from './helpers/recordings.js';

function finished(id: string, rugTick: number, fromHistory: boolean, extra: Partial<FinishedGame> = {}): FinishedGame {
	return {id, rugTick, rugPrice: 0.01, peak: 2, timestamp: 1_765_000_000_000, fromHistory, sidebets: fromHistory ? {placed: 1, won: 1, lost: 0} : undefined, verification: undefined, ...extra};
}

function withHistory(state: GameState, history: FinishedGame[]): GameState {
	return {...state, history};
}

describe('the live statistics follow the monitor’s state', () => {
	const temporary = makeTempDir('rugs-live-stats-');
	afterAll(() => {
		temporary.remove();
	});

	const envelopes = [...generateSession({games: 150, seed: 'live-stats'})];
	const file = writeRecording(path.join(temporary.dir, 'session.jsonl'), envelopes);

	test('after a session, the same games and figures as rugs-tui stats on its recording', async () => {
		const {live, state} = followSession(envelopes);
		const offline = await statsOfFiles([file], {stderr: new PassThrough()}, 'test');
		const report = live.report(state);
		expect(report.games).toBe(offline.report.games);
		expect(report.games).toBe(160);
		const {live: _live, seeded, ...figures} = report;
		expect(seeded).toBe(0);
		expect(figures).toEqual(offline.report);
	});

	test('incremental: a frame that finishes no game changes nothing, and the report is the same object', () => {
		const live = new LiveStats();
		let state = createState();
		let versions = 0;
		let last = live.version;
		for (const envelope of envelopes.slice(0, 5000)) {
			state = reduce(state, envelope);
			live.observe(state);
			if (live.version !== last) {
				versions++;
				last = live.version;
			}
		}

		// Only frames that bring finished games move it: far fewer than the frames.
		expect(versions).toBeGreaterThan(0);
		expect(versions).toBeLessThan(100);
		const report = live.report(state);
		live.observe(state);
		expect(live.report(state)).toBe(report);
	});

	test('bounded: over 2,000 games only the window of recent ids is remembered', () => {
		const live = new LiveStats({windowSize: 50});
		let state = createState();
		for (let index = 0; index < 2000; index++) {
			state = withHistory(state, [finished(`g${index}`, 1 + (index % 300), true), ...state.history].slice(0, 50));
			live.observe(state);
		}

		expect(live.games).toBe(2000);
		expect(live.remembered).toBe(50);
		expect(live.report().rugTick.max).toBe(300);
	});

	test('a game counted live is replaced by its gameHistory entry; never twice, never the other way', () => {
		const live = new LiveStats();
		let state = withHistory(createState(), [finished('a', 50, false, {peak: 1.2})]);
		live.observe(state);
		expect(live.report().rugTick.max).toBe(50);
		state = withHistory(state, [finished('a', 52, true, {peak: 3})]);
		live.observe(state);
		let report = live.report();
		expect(report.games).toBe(1);
		expect(report.rugTick.max).toBe(52);
		expect(report.reached['2']).toBe(1);
		expect(report.sidebets.settled).toBe(1);
		// A later live view of the same game does not undo the entry.
		state = withHistory(state, [finished('a', 50, false)]);
		live.observe(state);
		report = live.report();
		expect(report.rugTick.max).toBe(52);
		expect(report.games).toBe(1);
	});

	test('the live game’s sidebet odds ride along', () => {
		const live = new LiveStats();
		let state = createState();
		let seen = false;
		for (const envelope of envelopes.slice(0, 3000)) {
			state = reduce(state, envelope);
			const report = live.report(state);
			if (state.game?.phase === 'ACTIVE' && state.game.rugTick === undefined) {
				expect(report.live).toEqual({gameId: state.game.id, tick: state.game.tick, winChance: modelSidebetWin(state.game.tick), evPerSol: (5 * modelSidebetWin(state.game.tick)) - 1});
				seen = true;
			} else if (state.game?.rugTick !== undefined) {
				expect(report.live).toBeUndefined();
			}
		}

		expect(seen).toBe(true);
	});

	test('--history: the recordings’ games on the first frame, not counted again when the feed lists them', async () => {
		const live = new LiveStats();
		const stderr = new PassThrough();
		let said = '';
		stderr.on('data', (chunk: Uint8Array) => {
			said += String(chunk);
		});
		const counted = await seedHistory(live, [file], stderr);
		expect(counted).toBe(160);
		expect(said).toContain('rugs-tui --history: 160 finished games from 1 of 1 files');
		expect(live.report().seeded).toBe(160);
		// The same session arriving live (its gameHistory lists the same ids): nothing new.
		let state = createState();
		for (const envelope of envelopes.slice(-20_000)) {
			state = reduce(state, envelope);
			live.observe(state);
		}

		expect(live.games).toBe(160);
	});

	test('--history files are checked before anything starts', () => {
		expect(checkHistoryFiles([file])).toBeUndefined();
		expect(checkHistoryFiles([path.join(temporary.dir, 'nope.jsonl')])).toBe(`--history ${path.join(temporary.dir, 'nope.jsonl')}: no such file`);
		expect(checkHistoryFiles([temporary.dir])).toMatch(/is a directory/);
	});
});

describe('the store keeps the live statistics and shows alerts', () => {
	test('snapshots carry the statistics; alerts stay 10 s, and a newer one counts the earlier', () => {
		let now = 1000;
		const bus = createAppBus();
		const liveStats = new LiveStats();
		const seen: Array<[number, string]> = [];
		const store = new MonitorStore(bus, {
			now: () => now,
			liveStats,
			onState(previous, next, envelope) {
				seen.push([envelope.seq, next === previous ? 'same' : 'changed']);
			},
		});
		const envelopes: Envelope[] = [...generateSession({games: 3, seed: 'store'})];
		for (const envelope of envelopes) {
			bus.publish('envelope', envelope);
		}

		expect(seen).toHaveLength(envelopes.length);
		expect(store.snapshot().liveStats?.games).toBe(13);
		expect(store.snapshot().alert).toBeUndefined();
		const before = store.version;
		store.showAlert('rug: rugged at tick 12, peak 1.30x');
		expect(store.version).toBeGreaterThan(before);
		now += 4000;
		store.showAlert('price>=2: multiplier 2.01x at tick 40 (≥ 2x)');
		expect(store.snapshot().alert).toEqual({text: 'price>=2: multiplier 2.01x at tick 40 (≥ 2x)', count: 2});
		now += 9999;
		expect(store.snapshot().alert?.count).toBe(2);
		now += 1;
		expect(store.snapshot().alert).toBeUndefined();
		store.showAlert('unfair: provably-fair check FAILED');
		expect(store.snapshot().alert?.count).toBe(1);
		store.close();
	});
});
