import {readdirSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {FrameDecoder} from '../source/protocol/frame-decoder.js';
import {envelopeFromPacket} from '../source/protocol/packet-envelope.js';
import {cleanText} from '../source/protocol/untrusted-text.js';
import {readRecording, type RecordingItem} from '../source/sources/read-recording.js';
import {wireFrame, generateSession} from '../source/sim/generate-session.js';
import {hostileMessages, hostileUsernames} from '../source/sim/players.js';
import {buildFixtures, fixtureSessions, malformedLines} from '../scripts/make-fixtures.js';
import {createState, reduce} from '../source/state/reducer.js';
import {pricePath} from '../source/verify/price-path.js';
import type {Envelope} from '../source/protocol/envelope.js';
import {fixturesDir} from './helpers/project.js';
import type {Frame} from './helpers/sessions.js';

const fixtures = buildFixtures();

async function read(name: string): Promise<RecordingItem[]> {
	const items: RecordingItem[] = [];
	for await (const item of readRecording(path.join(fixturesDir, name))) {
		items.push(item);
	}

	return items;
}

async function envelopes(name: string): Promise<Envelope[]> {
	const items = await read(name);
	return items.flatMap(item => (item.ok ? [item.envelope] : []));
}

describe('the committed fixtures are what the generator writes', () => {
	test.each(fixtures.map(fixture => [fixture.name, fixture.content]))('%s', (name, content) => {
		const committed = readFileSync(path.join(fixturesDir, name), 'utf8');
		// On a mismatch: run `npm run fixtures` and commit the result.
		expect(committed === content).toBe(true);
	});

	test('the folder stays small: under 2 MB in all, each session under 1 MB', () => {
		let total = 0;
		for (const name of readdirSync(fixturesDir)) {
			const {size} = statSync(path.join(fixturesDir, name));
			total += size;
			if (name.endsWith('.jsonl')) {
				expect(size, name).toBeLessThan(1_000_000);
			}
		}

		expect(total).toBeLessThan(2_000_000);
	});

	test('the README describes every file, and every line of malformed.jsonl in order', () => {
		const readme = readFileSync(path.join(fixturesDir, 'README.md'), 'utf8');
		expect(readme).toContain('npm run fixtures');
		for (const fixture of fixtures) {
			expect(readme).toContain(`\`${fixture.name}\``);
		}

		const lines = malformedLines([...generateSession(fixtureSessions.session)]);
		for (const [index, {what}] of lines.entries()) {
			expect(readme).toContain(`| ${index + 1} | ${what} |`);
		}
	});
});

describe('session.jsonl', () => {
	test('the state reducer reaches every phase, the right rug tick and peak, and verifies the game', async () => {
		const session = await envelopes('session.jsonl');
		let state = createState();
		const phases = new Set<string>();
		for (const envelope of session) {
			state = reduce(state, envelope);
			if (state.game?.phase !== undefined) {
				phases.add(state.game.phase);
			}
		}

		expect([...phases]).toEqual(['COOLDOWN', 'PRESALE', 'ACTIVE', 'RUGGED']);
		expect(state.stats).toMatchObject({internalErrors: 0, fieldErrors: 0, unknownEvents: 0});
		const rugFrame = session.find(envelope => (envelope.data as Frame)['rugged'] === true)!;
		const gameId = (rugFrame.data as Frame)['gameId'] as string;
		const finished = state.history.find(game => game.id === gameId)!;
		const entry = ((session.at(-1)!.data as Frame)['gameHistory'] as Frame[])[0]!;
		const path = pricePath((entry['provablyFair'] as Frame)['serverSeed'] as string, gameId);
		expect(finished).toMatchObject({rugTick: path.length, peak: Math.max(...path), fromHistory: true});
		expect((rugFrame.data as Frame)['tickCount']).toBe(path.length);
		expect(finished.verification).toMatchObject({seedHash: true, pricePath: true, liveTicks: true, sidebets: true});
		expect(finished.sidebets!.won).toBeGreaterThan(0);
		expect(finished.sidebets!.lost).toBeGreaterThan(0);
		expect(state.trades.length).toBeGreaterThan(0);
	});

	test('two-argument trades: the payload in data, the trace in extra — through the wire and the frame decoder too', async () => {
		const session = await envelopes('session.jsonl');
		const decoder = new FrameDecoder();
		const trades = session.filter(envelope => envelope.event === 'standard/newTrade');
		expect(trades.length).toBeGreaterThan(0);
		for (const envelope of session) {
			const [packet] = decoder.decodeText(wireFrame(envelope));
			const decoded = envelopeFromPacket(packet!, envelope);
			expect(decoded).toEqual(envelope);
		}

		for (const trade of trades) {
			expect((trade.data as Frame)['gameId']).toMatch(/^\d{8}-[\da-f]{16}$/);
			expect((trade.extra![0] as Frame)['__trace']).toBe(true);
		}
	});

	test('the two Python recorder formats read back to the same events, payloads and cadence', async () => {
		const session = await envelopes('session.jsonl');
		for (const name of ['session.seq-ts-event-data.jsonl', 'session.timestamp-event_type-data.jsonl']) {
			const items = await read(name);
			expect(items.every(item => item.ok), name).toBe(true);
			const replayed = items.flatMap(item => (item.ok ? [item.envelope] : [])).filter(envelope => envelope.event !== 'connect');
			expect(replayed.map(envelope => [envelope.event, envelope.data, envelope.extra])).toEqual(session.map(envelope => [envelope.event, envelope.data, envelope.extra]));
			// Naive local times shift with the reader's zone: compare the gaps.
			const gaps = (list: Envelope[]) => list.slice(1).map((envelope, index) => envelope.ts - list[index]!.ts);
			expect(gaps(replayed)).toEqual(gaps(session));
		}

		const [first] = await read('session.seq-ts-event-data.jsonl');
		expect(first).toMatchObject({ok: true, envelope: {event: 'connect', data: null}});
	});
});

describe('malformed.jsonl', () => {
	test('bad lines are reported with their numbers; every good line is read, up to the last', async () => {
		const items = await read('malformed.jsonl');
		expect(items.filter(item => !item.ok).map(item => item.line)).toEqual([2, 5, 9, 10, 11]);
		expect(items.filter(item => item.ok).map(item => item.line)).toEqual([1, 3, 4, 7, 8, 12, 13]);
		const last = items.at(-1)!;
		expect(last.ok && (last.envelope.data as Frame)['rugged']).toBe(true);
		const lossy = items.find(item => item.line === 7)!;
		expect(lossy.ok && lossy.envelope).toMatchObject({event: 'standard/newTrade', data: null, source: 'cdp'});
	});

	test('the reducer survives the whole file and counts what was wrong', async () => {
		let state = createState();
		for (const envelope of await envelopes('malformed.jsonl')) {
			state = reduce(state, envelope);
		}

		expect(state.stats.internalErrors).toBe(0);
		expect(state.stats.fieldErrors).toBeGreaterThan(0);
		expect(state.stats.unknownEvents).toBe(1);
		expect(state.game?.phase).toBe('RUGGED');
	});
});

describe('session-auth.jsonl', () => {
	test('the logged-in user\'s events, their requests and the server\'s acks', async () => {
		const session = await envelopes('session-auth.jsonl');
		const status = session.find(envelope => envelope.event === 'usernameStatus')!;
		expect(status.extra).toHaveLength(1);
		const user = status.data as Frame;
		expect(user).toMatchObject({hasUsername: true, username: expect.any(String) as string});
		expect(session.every(envelope => envelope.source === 'cdp')).toBe(true);

		const updates = session.filter(envelope => envelope.event === 'gameStatePlayerUpdate');
		const frames = session.filter(envelope => envelope.event === 'gameStateUpdate');
		expect(updates.length).toBeGreaterThan(frames.length * 0.9);
		const withEntry = updates.filter(envelope => (envelope.data as Frame)['leaderboardEntry'] !== undefined);
		expect(withEntry.length).toBeGreaterThan(0);
		expect((withEntry[0]!.data as Frame)['leaderboardEntry']).toMatchObject({id: user['id'], username: user['username']});

		const mine = session.filter(envelope => envelope.event === 'standard/newTrade' && (envelope.data as Frame)['playerId'] === user['id']);
		expect(mine.map(envelope => (envelope.data as Frame)['type'])).toEqual(['buy', 'sell']);
		for (const event of ['currentSidebet', 'currentSidebetResult']) {
			const found = session.filter(envelope => envelope.event === event);
			expect(found, event).toHaveLength(1);
			expect(found[0]!.extra, event).toHaveLength(1);
			expect(found[0]!.data, event).toMatchObject({playerId: user['id'], endTick: expect.any(Number) as number, startTick: expect.any(Number) as number});
		}

		const sent = session.filter(envelope => envelope.direction === 'sent');
		expect(sent.map(envelope => envelope.event).toSorted()).toEqual(['buyOrder', 'requestSidebet']);
		for (const request of sent) {
			const ack = session.find(envelope => envelope.event === 'ack' && envelope.ackId === request.ackId);
			expect(ack, `ack for ${request.event}`).toMatchObject({direction: 'received', data: {success: true}});
			expect(ack!.seq).toBeGreaterThan(request.seq);
		}
	});

	test('the reducer shows the user\'s position and their own sidebet', async () => {
		let state = createState();
		for (const envelope of await envelopes('session-auth.jsonl')) {
			state = reduce(state, envelope);
		}

		expect(state.stats).toMatchObject({internalErrors: 0, fieldErrors: 0, unknownEvents: 0});
		expect(state.username).toBeDefined();
		expect(state.position).toBeDefined();
		// One bet of the user's (the reducer may list it under more than one row key).
		const mine = state.sidebets.filter(bet => bet.mine);
		expect(mine.length).toBeGreaterThan(0);
		expect(new Set(mine.map(bet => `${bet.gameId}:${bet.startTick}`)).size).toBe(1);
		expect(mine.every(bet => bet.outcome === 'won' || bet.outcome === 'lost')).toBe(true);
	});
});

describe('hostile-names.jsonl', () => {
	test('hostile names trade, sit on the leaderboard and chat; cleanText leaves nothing that acts on a terminal', async () => {
		const session = await envelopes('hostile-names.jsonl');
		const text = JSON.stringify(session);
		const names = new Set<string>();
		for (const envelope of session) {
			const data = envelope.data as Frame;
			for (const entry of (data['leaderboard'] as Frame[] | undefined) ?? []) {
				names.add(entry['username'] as string);
			}

			if (typeof data['username'] === 'string') {
				names.add(data['username']);
			}
		}

		const hostile = [...names].filter(name => hostileUsernames.includes(name));
		expect(hostile.length).toBeGreaterThanOrEqual(3);
		expect(text).toContain(String.raw`\u001b[`);
		const chat = session.filter(envelope => envelope.event === 'newChatMessage').map(envelope => (envelope.data as Frame)['message'] as string);
		expect(chat.some(message => hostileMessages.includes(message))).toBe(true);
		for (const value of [...names, ...chat]) {
			// eslint-disable-next-line no-control-regex -- control characters are what the check looks for
			expect(cleanText(value)).not.toMatch(/[\u0000-\u001F\u007F-\u009F\u202A-\u202E]/);
		}
	});
});
