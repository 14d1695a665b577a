import fc from 'fast-check';
import {describe, expect, test} from 'vitest';
import {knownEventNames} from '../source/protocol/events.js';
import {checkPayload, describeIssue} from '../source/protocol/validate.js';
import {readRecording} from '../source/sources/read-recording.js';
import {capturePath, hasCaptures} from './helpers/captures.js';

describe('checkPayload: tolerant checks that count, never throw', () => {
	test('a well-formed payload has no issues', () => {
		expect(checkPayload('gameStateUpdate', {gameId: 'g', active: true, rugged: false, price: 1.2, tickCount: 4, leaderboard: [], partialPrices: {}})).toStrictEqual([]);
		expect(checkPayload('standard/newTrade', {id: 't', gameId: 'g', playerId: 'p', username: null, type: 'buy', price: 1, qty: 2, amount: 0.1, tickIndex: 3})).toStrictEqual([]);
	});

	test('a missing required field', () => {
		expect(checkPayload('standard/newTrade', {gameId: 'g'})).toStrictEqual([{event: 'standard/newTrade', field: 'type', problem: 'missing'}]);
	});

	test('wrong types, with what was expected and what came', () => {
		expect(checkPayload('gameStateUpdate', {gameId: 'g', price: '1.2', tickCount: null, active: 1, leaderboard: {}})).toStrictEqual([
			{event: 'gameStateUpdate', field: 'active', problem: 'wrong type', expected: 'boolean', got: 'number'},
			{event: 'gameStateUpdate', field: 'price', problem: 'wrong type', expected: 'number', got: 'string'},
			{event: 'gameStateUpdate', field: 'tickCount', problem: 'wrong type', expected: 'number', got: 'null'},
			{event: 'gameStateUpdate', field: 'leaderboard', problem: 'wrong type', expected: 'array', got: 'object'},
		]);
	});

	test('non-finite numbers are wrong, null is accepted only where the feed sends it', () => {
		expect(checkPayload('standard/newTrade', {gameId: 'g', type: 'buy', price: Number.NaN, username: null})).toStrictEqual([
			{event: 'standard/newTrade', field: 'price', problem: 'wrong type', expected: 'number', got: 'non-finite number'},
		]);
	});

	test('nested leaderboardEntry fields of gameStatePlayerUpdate', () => {
		expect(checkPayload('gameStatePlayerUpdate', {gameId: 'g', leaderboardEntry: {id: 'p', pnl: 'x', sideBet: null}})).toStrictEqual([
			{event: 'gameStatePlayerUpdate', field: 'leaderboardEntry.pnl', problem: 'wrong type', expected: 'number', got: 'string'},
		]);
	});

	test('gameStatePlayerUpdate without leaderboardEntry is normal (no position yet), not a problem', () => {
		// 184 of 184 such frames in the 2025-12-15 CDP capture have no leaderboardEntry.
		expect(checkPayload('gameStatePlayerUpdate', {gameId: 'g', rugpool: {}})).toStrictEqual([]);
	});

	test.each([['null', null], ['an array', []], ['a string', 'x'], ['a number', 3]])('payload that is %s', (_name, data) => {
		const [issue, ...rest] = checkPayload('gameStateUpdate', data);
		expect(rest).toHaveLength(0);
		expect(issue).toMatchObject({event: 'gameStateUpdate', field: '(payload)', problem: 'not an object'});
	});

	test('unknown events and unknown fields are not checked', () => {
		expect(checkPayload('rugRoyaleUpdate', 5)).toStrictEqual([]);
		expect(checkPayload('gameStateUpdate', {gameId: 'g', somethingNew: [1, 2]})).toStrictEqual([]);
	});

	test('never throws on any input, for any known or unknown event (property)', () => {
		const events = fc.oneof(fc.constantFrom(...knownEventNames), fc.string(), fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty'));
		const payload = fc.oneof(
			fc.anything({withNullPrototype: true, withBigInt: true, withDate: true, withMap: true, withTypedArray: true, withSparseArray: true}),
			fc.dictionary(fc.constantFrom('gameId', 'leaderboardEntry', 'price', 'type', '__proto__', 'constructor'), fc.anything({withNullPrototype: true})),
		);
		fc.assert(fc.property(events, payload, (event, data) => {
			const issues = checkPayload(event, data);
			expect(Array.isArray(issues)).toBe(true);
			for (const issue of issues) {
				expect(typeof describeIssue(issue)).toBe('string');
			}
		}), {numRuns: 3000});
	});

	test('describeIssue says what is wrong', () => {
		expect(describeIssue({event: 'standard/newTrade', field: 'type', problem: 'missing'})).toBe('standard/newTrade: field type is missing');
		expect(describeIssue({event: 'gameStateUpdate', field: 'price', problem: 'wrong type', expected: 'number', got: 'string'})).toBe('gameStateUpdate: field price is string, expected number');
		expect(describeIssue({event: 'playerUpdate', field: '(payload)', problem: 'not an object', got: 'null'})).toBe('playerUpdate: payload is null, expected an object');
	});
});

describe.skipIf(!hasCaptures)('the real captures pass the checks', () => {
	async function issuesIn(name: string): Promise<Map<string, number>> {
		const counts = new Map<string, number>();
		for await (const item of readRecording(capturePath(name))) {
			expect(item.ok).toBe(true);
			if (item.ok) {
				for (const issue of checkPayload(item.envelope.event, item.envelope.data)) {
					const text = describeIssue(issue);
					counts.set(text, (counts.get(text) ?? 0) + 1);
				}
			}
		}

		return counts;
	}

	test.each(['public-feed-socketio-client-2025-12-12.jsonl', 'public-feed-key-samples-2026-02-06.json', 'auth-gameStatePlayerUpdate-sample-2025-12-17.json'])('%s: no issues', async name => {
		expect([...await issuesIn(name)]).toStrictEqual([]);
	});

	test('auth-browser-cdp-2025-12-15.jsonl: only the payloads its lossy recorder did not keep', async () => {
		expect(Object.fromEntries(await issuesIn('auth-browser-cdp-2025-12-15.jsonl'))).toStrictEqual({
			'standard/newTrade: payload is null, expected an object': 14,
			'usernameStatus: payload is null, expected an object': 2,
			'newChatMessage: payload is null, expected an object': 1,
		});
	});
});
