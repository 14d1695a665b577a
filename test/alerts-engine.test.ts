import {describe, expect, test} from 'vitest';
import {parseRule, parseRules, ruleHelp, type AlertRule} from '../source/analyze/alert-rules.js';
import {AlertEngine, alertText, type Alert} from '../source/analyze/alerts.js';
import {alertJsonLine, notificationBytes} from '../source/app/alert-watch.js';
import type {Envelope} from '../source/protocol/envelope.js';
import {cleanText} from '../source/protocol/untrusted-text.js';
import {createState, reduce} from '../source/state/reducer.js';
import {alertFeed, seedPeakingAbove} from './helpers/alert-feed.js';
import {FeedBuilder} from './helpers/game-feed.js';

function rules(...texts: string[]): AlertRule[] {
	const parsed = parseRules(texts);
	if ('error' in parsed) {
		throw new Error(parsed.error);
	}

	return parsed.rules;
}

/** Every alert the engine raises over the envelopes. */
function alertsOver(envelopes: readonly Envelope[], engine: AlertEngine): Alert[] {
	let state = createState();
	const alerts: Alert[] = [];
	for (const envelope of envelopes) {
		const next = reduce(state, envelope);
		alerts.push(...engine.observe(state, next, envelope));
		state = next;
	}

	return alerts;
}

describe('alert rules', () => {
	test('the five kinds, written canonically', () => {
		expect(parseRule('price>=2')).toEqual({kind: 'price', threshold: 2, text: 'price>=2'});
		expect(parseRule(' price >= 1.50x ')).toEqual({kind: 'price', threshold: 1.5, text: 'price>=1.5'});
		expect(parseRule('RUG')).toEqual({kind: 'rug', text: 'rug'});
		expect(parseRule('unfair')).toEqual({kind: 'unfair', text: 'unfair'});
		expect(parseRule('player:Bob Smith')).toEqual({kind: 'player', name: 'Bob Smith', text: 'player:Bob Smith'});
		expect(parseRule('silent:30')).toEqual({kind: 'silent', seconds: 30, text: 'silent:30'});
		expect(parseRule('silent:2.5s')).toEqual({kind: 'silent', seconds: 2.5, text: 'silent:2.5'});
	});

	test('malformed rules say what a rule looks like', () => {
		for (const bad of ['price>=', 'price>=abc', 'price>=0', 'price>=-1', 'price>=Infinity', 'player:', 'silent:', 'silent:0', 'silent:x', 'rugs', 'price<=2', '']) {
			const result = parseRule(bad);
			expect('error' in result, bad).toBe(true);
			expect((result as {error: string}).error, bad).toContain(ruleHelp);
		}
	});

	test('duplicates count once; the first error stops the list', () => {
		expect(rules('rug', 'rug', 'price>=2', 'price>=2.0')).toHaveLength(2);
		expect(parseRules(['rug', 'nope', 'unfair'])).toEqual({error: `"nope" is not a rule: ${ruleHelp}`});
	});
});

describe('the alert engine on played games', () => {
	const {feed, games: [one, two]} = alertFeed();
	const first = {path: one!.path};
	const second = {path: two!.path};
	const alerts = alertsOver(feed.envelopes, new AlertEngine(rules('price>=1.5', 'rug', 'player:ALICE', 'unfair')));

	test('price>=X: once per game, at the first tick the multiplier reaches X', () => {
		const price = alerts.filter(alert => alert.rule === 'price>=1.5');
		const expected = [first.path.findIndex(value => value >= 1.5), second.path.findIndex(value => value >= 1.5)];
		expect(price.map(alert => [alert.gameId, alert.tick])).toEqual([['20251212-aaaaaaaaaaaaaaa1', expected[0]], ['20251212-aaaaaaaaaaaaaaa2', expected[1]]]);
		expect(price[0]?.detail).toBe(`multiplier ${first.path[expected[0]!]!.toFixed(2)}x at tick ${expected[0]} (≥ 1.5x)`);
	});

	test('rug: every rug, with its tick and peak', () => {
		const rugs = alerts.filter(alert => alert.rule === 'rug');
		expect(rugs.map(alert => alert.tick)).toEqual([one!.rugTick, two!.rugTick]);
		expect(rugs[0]?.detail).toBe(`rugged at tick ${one!.rugTick}, peak ${Math.max(...first.path).toFixed(2)}x`);
	});

	test('player:NAME: each trade by that player, in any case, and no one else’s', () => {
		const trades = alerts.filter(alert => alert.rule === 'player:ALICE');
		expect(trades.map(alert => alert.tick)).toEqual([3, 9]);
		expect(trades[0]?.detail).toMatch(/^Alice buy 0\.1 SOL qty 10 at \d+\.\d\dx \(tick 3\)$/);
		expect(trades[1]?.detail).toMatch(/^alice sell 0\.12 SOL qty 10 at/);
	});

	test('unfair: the tampered game, once, with the failed check; the fair one never', () => {
		const unfair = alerts.filter(alert => alert.rule === 'unfair');
		expect(unfair).toHaveLength(1);
		expect(unfair[0]).toMatchObject({gameId: '20251212-aaaaaaaaaaaaaaa2', tick: two!.rugTick});
		expect(unfair[0]?.detail).toMatch(/^provably-fair check FAILED: price at tick 20: recomputed [\d.]+, recorded [\d.]+$/);
	});

	test('alert times are the envelopes’ times', () => {
		const times = new Set(feed.envelopes.map(envelope => envelope.ts));
		for (const alert of alerts) {
			expect(times.has(alert.ts)).toBe(true);
		}
	});
});

describe('untrusted names and notes are cleaned', () => {
	test('a hostile player name reaches no alert text raw', () => {
		const feed = new FeedBuilder();
		const {seed} = seedPeakingAbove('20251212-bbbbbbbbbbbbbbb1', 1);
		const hostile = 'ev;il\u202E\u001B[2J\u0007\u001B]0;pwned\u0007';
		feed.game({gameId: '20251212-bbbbbbbbbbbbbbb1', seed, maxTicks: 10, trades: [{tick: 2, username: hostile, type: 'buy', qty: 1, amount: 0.01}]});
		// The rule names the player as the tape shows the name (cleaned by the reducer).
		const shown = cleanText(hostile, 32);
		expect(shown).toBe('ev;il');
		const alerts = alertsOver(feed.envelopes, new AlertEngine(rules(`player:${shown}`)));
		expect(alerts).toHaveLength(1);
		const text = alertText(alerts[0]!) + alertJsonLine(alerts[0]!) + notificationBytes(alerts[0]!);
		// eslint-disable-next-line no-control-regex -- looking for control characters is the point
		expect(alertText(alerts[0]!)).not.toMatch(/[\u0000-\u001F\u007F]/);
		expect(text).not.toContain('\u001B[2J');
		// The notification sequences carry the text between their own ESC ] … BEL and nothing else.
		const osc = notificationBytes(alerts[0]!);
		// eslint-disable-next-line no-control-regex -- the two sequences, whole
		expect(osc).toMatch(/^\u001B]9;rugs-tui: [^\u0000-\u001F]*\u0007\u001B]777;notify;rugs-tui;[^\u0000-\u001F;]*\u0007$/);
	});
});

describe('silent:S', () => {
	test('once per silence, again after the next event', () => {
		let now = 1_000_000;
		const engine = new AlertEngine(rules('silent:30'), {now: () => now});
		const state = createState();
		const envelope: Envelope = {seq: 1, ts: now, source: 'replay', direction: 'received', event: 'gameStateUpdate', data: {}};
		expect(engine.silenceCheckMs).toBe(1000);
		now += 29_999;
		expect(engine.checkSilence(state)).toEqual([]);
		now += 1;
		expect(engine.checkSilence(state)).toMatchObject([{rule: 'silent:30', detail: 'no event for 30 s', ts: now}]);
		now += 60_000;
		expect(engine.checkSilence(state)).toEqual([]);
		engine.observe(state, state, envelope);
		now += 30_000;
		expect(engine.checkSilence(state)).toHaveLength(1);
	});

	test('no silent rule: no timer needed', () => {
		expect(new AlertEngine(rules('rug')).silenceCheckMs).toBeUndefined();
	});
});
