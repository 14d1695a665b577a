import {existsSync} from 'node:fs';
import {mkdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {makeEnvelope, type Envelope} from '../source/protocol/envelope.js';
import {generateSession, type SessionOptions} from '../source/sim/generate-session.js';
import {connectRecord, eventTypeRecord, seqRecord} from '../source/sim/python-formats.js';

/**
The project's fixtures (`npm run fixtures`), all generated from its own seeded
simulator: no third-party data. A test regenerates them in memory and checks
they equal the committed files, so they cannot drift from the generator.
*/

export type Fixture = {name: string; content: string};

/** Small games, a short leaderboard and history: the files stay well under 1 MB each. */
const small: SessionOptions = {leaderboardSize: 2, historySize: 2, rugTicks: {min: 45, max: 60}, edgeSidebets: true};

/*
Seeds were picked (by trying fixture-<kind>-0, -1, …) so that each file shows
what it is for: the auth session has the user buying, selling, placing a
sidebet and getting its result; the hostile one has hostile chat, trades by
hostile players and several of them on one leaderboard.
*/
export const fixtureSessions = {
	session: {...small, seed: 'fixture-session', games: 1},
	auth: {...small, seed: 'fixture-auth-37', games: 1, authenticated: true, clientRequests: true, source: 'cdp'},
	hostile: {seed: 'fixture-hostile-9', games: 1, startAt: 'active', hostileNames: true, leaderboardSize: 8, historySize: 2, rugTicks: {min: 40, max: 60}},
} as const satisfies Record<string, SessionOptions>;

function jsonLines(lines: Iterable<string>): string {
	let text = '';
	for (const line of lines) {
		text += `${line}\n`;
	}

	return text;
}

function * envelopeLines(envelopes: Iterable<Envelope>): Generator<string> {
	for (const envelope of envelopes) {
		yield JSON.stringify(envelope);
	}
}

function * seqLines(envelopes: readonly Envelope[]): Generator<string> {
	yield connectRecord(envelopes[0]!.ts - 300);
	for (const [index, envelope] of envelopes.entries()) {
		yield seqRecord(envelope, index + 2);
	}
}

/**
Lines a reader must survive, each described in fixtures/README.md (keep the
two in step: the fixtures test checks the README lists every line).
*/
export function malformedLines(session: readonly Envelope[]): Array<{line: string; what: string}> {
	const cooldown = session.find(envelope => envelope.event === 'gameStateUpdate' && envelope.data !== null && typeof envelope.data === 'object' && !('gameHistory' in envelope.data))!;
	const trade = session.find(envelope => envelope.event === 'standard/newTrade')!;
	const rug = session.find(envelope => envelope.event === 'gameStateUpdate' && (envelope.data as Record<string, unknown>)['rugged'] === true)!;
	const cooldownLine = JSON.stringify(cooldown);
	const stamp = {seq: 0, ts: cooldown.ts, source: 'demo', direction: 'received'} as const;
	const wrongTypes = makeEnvelope({
		...stamp,
		seq: 3,
		event: 'gameStateUpdate',
		args: [{...(cooldown.data as Record<string, unknown>), cooldownTimer: '14900', connectedPlayers: null, leaderboard: {}}],
	});
	const lossyTrade = {seq: 7, ts: '2025-12-12T22:00:01.234567+00:00', event: 'standard/newTrade', data: trade.extra?.[0], source: 'cdp_intercept', direction: 'received'};
	return [
		{line: cooldownLine, what: 'valid: a cooldown gameStateUpdate envelope'},
		{line: cooldownLine.slice(0, Math.floor(cooldownLine.length / 2)), what: 'truncated JSON (the first half of line 1)'},
		{line: JSON.stringify(wrongTypes), what: 'valid envelope, wrong field types (cooldownTimer a string, connectedPlayers null, leaderboard an object)'},
		{line: JSON.stringify(makeEnvelope({...stamp, seq: 4, event: 'mysteryEvent', args: [{surprise: true}]})), what: 'valid envelope of an unknown event'},
		{line: '{"hello":"world","n":1}', what: 'valid JSON, but no known recording format'},
		{line: '', what: 'an empty line'},
		{line: JSON.stringify(lossyTrade), what: 'lossy CDP recorder line: a trade whose data is only the [trace] object (payload unavailable, not a trade)'},
		{line: JSON.stringify(makeEnvelope({...stamp, seq: 8, event: 'gameStateUpdate', args: ['not an object']})), what: 'valid envelope whose gameStateUpdate payload is a string'},
		{line: '[1,2,3]', what: 'valid JSON array, not an object'},
		{line: JSON.stringify({seq: 10, ts: 'yesterday', event: 'gameStateUpdate', data: {}}), what: '{seq, ts, event, data} with an unreadable timestamp'},
		{line: '\u0000\u0001\u0002 binary garbage \u001B[2J', what: 'control characters and an escape sequence, not JSON'},
		{line: JSON.stringify(trade), what: 'valid: a two-argument standard/newTrade envelope ([trace, payload])'},
		{line: JSON.stringify(rug), what: 'valid: the rug frame (rugged:true, active:true), last line'},
	];
}

export function buildFixtures(): Fixture[] {
	const session = [...generateSession(fixtureSessions.session)];
	const received = session.filter(envelope => envelope.direction === 'received');
	return [
		{name: 'session.jsonl', content: jsonLines(envelopeLines(session))},
		{name: 'session-auth.jsonl', content: jsonLines(envelopeLines(generateSession(fixtureSessions.auth)))},
		{name: 'session.seq-ts-event-data.jsonl', content: jsonLines(seqLines(received))},
		{name: 'session.timestamp-event_type-data.jsonl', content: jsonLines(received.map(envelope => eventTypeRecord(envelope)))},
		{name: 'malformed.jsonl', content: jsonLines(malformedLines(session).map(item => item.line))},
		{name: 'hostile-names.jsonl', content: jsonLines(envelopeLines(generateSession(fixtureSessions.hostile)))},
	];
}

/** The project's fixtures/ folder, found from this file whether it runs compiled (.build/scripts) or as source (scripts/). */
function projectFixtures(): string {
	let folder = path.dirname(fileURLToPath(import.meta.url));
	while (!existsSync(path.join(folder, 'package.json')) && path.dirname(folder) !== folder) {
		folder = path.dirname(folder);
	}

	return path.join(folder, 'fixtures');
}

const fixturesDirectory = projectFixtures();

async function main(): Promise<void> {
	await mkdir(fixturesDirectory, {recursive: true});
	for (const fixture of buildFixtures()) {
		await writeFile(path.join(fixturesDirectory, fixture.name), fixture.content);
		process.stdout.write(`${fixture.name}: ${(fixture.content.length / 1024).toFixed(0)} KB\n`);
	}
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
	await main();
}
