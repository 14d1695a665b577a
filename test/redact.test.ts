import {readFileSync} from 'node:fs';
import {describe, expect, test} from 'vitest';
import {makeEnvelope, type Envelope} from '../source/protocol/envelope.js';
import {isTraceObject} from '../source/protocol/events.js';
import {authEvents, createRedactor, redactEnvelope} from '../source/protocol/redact.js';
import {cdpCapture, hasCaptures, publicFeedCapture} from './helpers/captures.js';

function envelope(event: string, args: unknown[], more: {direction?: 'received' | 'sent'; ackId?: number; ns?: string} = {}): Envelope {
	return makeEnvelope({seq: 1, ts: 1, source: 'cdp', direction: more.direction ?? 'received', event, args, ackId: more.ackId, ns: more.ns});
}

function deepFreeze<T>(value: T): T {
	if (typeof value === 'object' && value !== null) {
		for (const item of Object.values(value)) {
			deepFreeze(item);
		}

		Object.freeze(value);
	}

	return value;
}

const trace = {__trace: true, traceparent: '00-1c995641e009e87229031ee3bdd317cb-f49b235078490b89-01'};

describe('redaction', () => {
	test.each([...authEvents, 'someFutureAuthThing', 'walletLinked'])('drops the auth event %s in both directions', event => {
		const redact = createRedactor({key: 'k'});
		expect(redact(envelope(event, [trace, {id: 'did:privy:me'}]))).toBeUndefined();
		expect(redact(envelope(event, [{id: 'did:privy:me'}], {direction: 'sent'}))).toBeUndefined();
	});

	test('keeps the game: an envelope without identifiers comes back as the same object', () => {
		const update = envelope('gameStateUpdate', [{gameId: '20251215-0229cacf684f458c', price: 1.23, tickCount: 9, prices: [1, 1.1], provablyFair: {serverSeedHash: 'ab46'}}]);
		expect(createRedactor({key: 'k'})(update)).toBe(update);
	});

	test('replaces player ids and usernames with stable pseudonyms, consistent across events', () => {
		const redact = createRedactor({key: 'k'});
		const trade = redact(envelope('standard/newTrade', [trace, {id: 'trade-uuid', gameId: 'g', playerId: 'did:privy:cmaos0abo03t9kz0mquf6fa4n', username: 'Zer02Her0', type: 'buy', price: 1.2, amount: 0.1}]));
		const board = redact(envelope('gameStateUpdate', [{gameId: 'g', leaderboard: [{id: 'did:privy:cmaos0abo03t9kz0mquf6fa4n', username: 'Zer02Her0', pnl: 0.5}, {id: 'did:privy:other', username: null, pnl: 0}]}]));
		const tradeData = trade?.data as Record<string, unknown>;
		const rows = (board?.data as {leaderboard: Array<Record<string, unknown>>}).leaderboard;

		expect(tradeData['playerId']).toMatch(/^did:redacted:[\da-f]{20}$/);
		expect(tradeData['username']).toMatch(/^anon-[\da-f]{10}$/);
		expect(rows[0]?.['id']).toBe(tradeData['playerId']);
		expect(rows[0]?.['username']).toBe(tradeData['username']);
		expect(rows[1]?.['id']).not.toBe(tradeData['playerId']);
		expect(rows[1]?.['username']).toBeNull();
		// Game data stays: trade id, game id, numbers.
		expect(tradeData).toMatchObject({id: 'trade-uuid', gameId: 'g', type: 'buy', price: 1.2, amount: 0.1});
		expect(rows[0]?.['pnl']).toBe(0.5);
		// Another key (another run) gives other pseudonyms: recordings cannot be joined on them.
		const other = createRedactor({key: 'other'})(envelope('standard/newTrade', [trace, {playerId: 'did:privy:cmaos0abo03t9kz0mquf6fa4n'}]));
		expect((other?.data as Record<string, unknown>)['playerId']).not.toBe(tradeData['playerId']);
	});

	test('blanks trace ids but keeps the [trace, payload] shape', () => {
		const result = createRedactor({key: 'k'})(envelope('standard/newTrade', [trace, {price: 1}]));
		expect(result?.extra).toHaveLength(1);
		expect(isTraceObject(result?.extra?.[0])).toBe(true);
		expect(JSON.stringify(result)).not.toContain('1c995641e009e87229031ee3bdd317cb');
	});

	test('removes credentials anywhere, and ids embedded in other strings', () => {
		const result = createRedactor({key: 'k'})(envelope('newChatMessage', [trace, {
			message: 'gm',
			playerId: 'did:privy:abc',
			replyTo: {key: 'did:privy:abc-1765577850155', username: 'Zyzco'},
			session: {accessToken: 'eyJhbGciOi', refresh_token: 'r', email: 'me@example.com', nested: [{jwt: 'x', keep: 1}]},
		}]));
		const text = JSON.stringify(result);
		for (const secret of ['eyJhbGciOi', '"r"', 'me@example.com', 'did:privy', 'Zyzco', '"x"']) {
			expect(text).not.toContain(secret);
		}

		expect(result?.data).toMatchObject({message: 'gm', session: {nested: [{keep: 1}]}, replyTo: {key: expect.stringMatching(/^did:redacted:[\da-f]+-1765577850155$/) as unknown}});
	});

	test('the page\'s CONNECT payload (which may hold credentials) is emptied; the server\'s is kept', () => {
		const redact = createRedactor({key: 'k'});
		expect(redact(envelope('connect', [{token: 'secret-token'}], {direction: 'sent'}))?.data).toBeNull();
		expect(redact(envelope('connect', [{sid: 'abc'}]))?.data).toEqual({sid: 'abc'});
	});

	test('the reply to a dropped request goes too; other replies are scrubbed and kept', () => {
		const redact = createRedactor({key: 'k'});
		expect(redact(envelope('authenticate', [{token: 't'}], {direction: 'sent', ackId: 7}))).toBeUndefined();
		expect(redact(envelope('buyOrder', [{amount: 0.001}], {direction: 'sent', ackId: 8}))).toBeDefined();
		expect(redact(envelope('ack', [{success: true, player: {id: 'did:privy:me', username: 'me', cash: 1}}], {ackId: 7}))).toBeUndefined();
		const reply = redact(envelope('ack', [{success: true, playerId: 'did:privy:me'}], {ackId: 8}));
		expect(reply?.data).toEqual({success: true, playerId: expect.stringMatching(/^did:redacted:/) as unknown});
		// The same ack id in another namespace is another request.
		expect(redact(envelope('ack', [{success: true}], {ackId: 7, ns: '/other'}))).toBeDefined();
	});

	test('never changes the envelope it was given', () => {
		const original = deepFreeze(envelope('gameStatePlayerUpdate', [{gameId: 'g', leaderboardEntry: {id: 'did:privy:me', username: 'me', pnl: 1}, rugpool: {playerEntries: [{playerId: 'did:privy:x', username: 'x'}]}}]));
		const snapshot = JSON.stringify(original);
		const result = redactEnvelope(original);
		expect(JSON.stringify(original)).toBe(snapshot);
		expect(result).not.toBe(original);
		expect(JSON.stringify(result)).not.toContain('did:privy');
		expect(Object.keys(result!)).toEqual(Object.keys(original));
	});

	test('redacting twice changes nothing more (a redacted recording replayed with --redact)', () => {
		const input = envelope('standard/newTrade', [trace, {playerId: 'did:privy:abc', username: 'alice', replyTo: {key: 'did:privy:abc-17'}}]);
		const once = createRedactor({key: 'k'})(input);
		expect(createRedactor({key: 'other'})(once!)).toEqual(once);
	});

	test('redactEnvelope keeps pseudonyms stable for the whole process', () => {
		const first = redactEnvelope(envelope('standard/newTrade', [{playerId: 'did:privy:same'}]));
		const second = redactEnvelope(envelope('standard/newTrade', [{playerId: 'did:privy:same'}]));
		expect(first?.data).toEqual(second?.data);
	});
});

type CaptureLine = {event: string; direction?: 'received' | 'sent'; data: unknown};

function identifiersIn(value: unknown, found: Set<string>): Set<string> {
	if (Array.isArray(value)) {
		for (const item of value) {
			identifiersIn(item, found);
		}
	} else if (typeof value === 'object' && value !== null) {
		for (const [key, item] of Object.entries(value)) {
			if ((key === 'username' || key === 'discordUsername') && typeof item === 'string' && item !== '') {
				found.add(item);
			} else if (typeof item === 'string' && item.startsWith('did:')) {
				found.add(item);
			} else {
				identifiersIn(item, found);
			}
		}
	}

	return found;
}

describe.skipIf(!hasCaptures)('redacting the shared captures', () => {
	test.each([['logged-in CDP capture', cdpCapture], ['public feed capture', publicFeedCapture]])('%s: no player id or username survives, the game does', (_name, file) => {
		const lines = readFileSync(file, 'utf8').split('\n').filter(line => line !== '').map(line => JSON.parse(line) as CaptureLine);
		const redact = createRedactor({key: 'capture'});
		const input = lines.map((line, index) => makeEnvelope({seq: index + 1, ts: index, source: 'cdp', direction: line.direction ?? 'received', event: line.event, args: Array.isArray(line.data) ? line.data : [line.data]}));
		const output = input.map(item => redact(item)).filter((item): item is Envelope => item !== undefined);
		const identifiers = identifiersIn(lines.map(line => line.data), new Set());
		expect(identifiers.size).toBeGreaterThan(10);

		const text = output.map(item => JSON.stringify(item)).join('\n');
		const survivors = [...identifiers].filter(identifier => text.includes(`"${identifier}"`));
		expect(survivors).toEqual([]);
		expect(text).not.toMatch(/did:privy/);
		expect(output.some(item => authEvents.has(item.event))).toBe(false);

		// The game is intact: every gameStateUpdate keeps its prices, ticks and seeds.
		const updatesIn = input.filter(item => item.event === 'gameStateUpdate');
		const updatesOut = output.filter(item => item.event === 'gameStateUpdate');
		expect(updatesOut).toHaveLength(updatesIn.length);
		for (const [index, item] of updatesOut.entries()) {
			const before = updatesIn[index]!.data as Record<string, unknown>;
			const after = item.data as Record<string, unknown>;
			for (const key of ['gameId', 'price', 'tickCount', 'active', 'rugged', 'cooldownTimer', 'provablyFair']) {
				expect(after[key]).toEqual(before[key]);
			}

			const historyBefore = before['gameHistory'] as Array<Record<string, unknown>> | undefined;
			const historyAfter = after['gameHistory'] as Array<Record<string, unknown>> | undefined;
			expect(historyAfter?.map(game => [game['id'], game['prices'], game['provablyFair']])).toEqual(historyBefore?.map(game => [game['id'], game['prices'], game['provablyFair']]));
		}
	});
});
