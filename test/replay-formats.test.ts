import {spawnSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {afterAll, describe, expect, test} from 'vitest';
import {createAppBus} from '../source/bus/app-bus.js';
import type {Envelope} from '../source/protocol/envelope.js';
import {readRecording, type RecordingItem} from '../source/sources/read-recording.js';
import {parseIsoTime} from '../source/sources/recording-format.js';
import {replay, type ReplayResult} from '../source/sources/replay.js';
import {capturePath, hasCaptures} from './helpers/captures.js';
import {trace} from './helpers/frames.js';
import {projectRoot} from './helpers/project.js';
import {collect, recordingText, tempFolder, testEnvelope, type Collected} from './helpers/own-recordings.js';

const folder = tempFolder();
afterAll(() => {
	folder.remove();
});

async function itemsOf(file: string): Promise<RecordingItem[]> {
	const items: RecordingItem[] = [];
	for await (const item of readRecording(file)) {
		items.push(item);
	}

	return items;
}

async function replayAll(files: string[]): Promise<Collected & {result: ReplayResult}> {
	const bus = createAppBus();
	const collected = collect(bus);
	const result = await replay(bus, {files, speed: 0});
	return {...collected, result};
}

/** The rule for naive ISO times: local time of the machine replaying. */
function local(year: number, month: number, day: number, hour: number, minute: number, second: number, fractionMs = 0): number {
	return new Date(year, month - 1, day, hour, minute, second).getTime() + fractionMs;
}

describe('recording formats', () => {
	test('the project\'s own envelope lines come back exactly', async () => {
		const envelopes = [
			testEnvelope(1, 1_765_577_818_624.285),
			testEnvelope(2, 1_765_577_818_900, 'standard/newTrade', [trace, {type: 'buy', qty: 1}]),
			{...testEnvelope(3, 1_765_577_819_000, 'ack', [{success: true}]), ackId: 146},
			{...testEnvelope(4, 1_765_577_819_100, 'buyOrder', [{amount: 0.001}]), direction: 'sent' as const, source: 'cdp' as const},
		];
		const file = folder.write('own.jsonl', recordingText(envelopes));
		expect(await itemsOf(file)).toStrictEqual(envelopes.map((envelope, index) => ({ok: true, envelope, line: index + 1})));
	});

	test('Python format A: synthetic connect line, one-argument payloads, [trace, payload] pairs, naive local ts', async () => {
		const file = folder.write('python-a.jsonl', [
			'{"seq": 1, "ts": "2025-12-12T17:16:58.624285", "event": "connect", "data": null}',
			'{"seq": 2, "ts": "2025-12-12T17:16:58.952637", "event": "gameStateUpdate", "data": {"gameId": "g", "tickCount": 4}}',
			`{"seq": 3, "ts": "2025-12-12T17:16:59.1", "event": "standard/newTrade", "data": [${JSON.stringify(trace)}, {"type": "sell", "qty": 2}]}`,
			'',
		].join('\n'));
		expect(await itemsOf(file)).toStrictEqual([
			{ok: true, line: 1, envelope: {seq: 1, ts: local(2025, 12, 12, 17, 16, 58, 624.285), source: 'replay', direction: 'received', event: 'connect', data: null}},
			{ok: true, line: 2, envelope: {seq: 2, ts: local(2025, 12, 12, 17, 16, 58, 952.637), source: 'replay', direction: 'received', event: 'gameStateUpdate', data: {gameId: 'g', tickCount: 4}}},
			{ok: true, line: 3, envelope: {seq: 3, ts: local(2025, 12, 12, 17, 16, 59, 100), source: 'replay', direction: 'received', event: 'standard/newTrade', data: {type: 'sell', qty: 2}, extra: [trace]}},
		]);
	});

	test('the lossy CDP variant: trace-only data means payload unavailable (data null, trace in extra); sent events keep their direction', async () => {
		const file = folder.write('cdp.jsonl', [
			'{"seq": 1, "ts": "2025-12-15T05:39:20.267811+00:00", "event": "chatHistory", "data": null, "source": "cdp_intercept", "direction": "sent"}',
			`{"seq": 170, "ts": "2025-12-15T05:39:29.248702+00:00", "event": "standard/newTrade", "data": ${JSON.stringify(trace)}, "source": "cdp_intercept", "direction": "received"}`,
			'{"seq": 171, "ts": "2025-12-15T05:39:29.3Z", "event": "playerUpdate", "data": {"cash": 0.35}, "source": "cdp_intercept", "direction": "received"}',
		].join('\n'));
		expect(await itemsOf(file)).toStrictEqual([
			{ok: true, line: 1, envelope: {seq: 1, ts: Date.UTC(2025, 11, 15, 5, 39, 20) + 267.811, source: 'cdp', direction: 'sent', event: 'chatHistory', data: null}},
			{ok: true, line: 2, envelope: {seq: 170, ts: Date.UTC(2025, 11, 15, 5, 39, 29) + 248.702, source: 'cdp', direction: 'received', event: 'standard/newTrade', data: null, extra: [trace]}},
			{ok: true, line: 3, envelope: {seq: 171, ts: Date.UTC(2025, 11, 15, 5, 39, 29) + 300, source: 'cdp', direction: 'received', event: 'playerUpdate', data: {cash: 0.35}}},
		]);
	});

	test('{timestamp, event_type, data}: ISO with and without offset, epoch seconds and epoch milliseconds', async () => {
		const file = folder.write('timestamp.jsonl', [
			'{"timestamp": "2026-02-06T08:04:19.440Z", "event_type": "gameStateUpdate", "data": {"gameId": "g"}}',
			'{"timestamp": "2026-02-06T03:04:19.5-05:00", "event_type": "gameStateUpdate", "data": {"gameId": "g"}}',
			'{"timestamp": "2026-02-06 08:04:20", "event_type": "gameStateUpdate", "data": {"gameId": "g"}}',
			'{"timestamp": 1770365059.25, "event_type": "gameStateUpdate", "data": {"gameId": "g"}}',
			`{"timestamp": 1770365059440, "event_type": "standard/newTrade", "data": [${JSON.stringify(trace)}, {"type": "buy"}]}`,
		].join('\n'));
		const items = await itemsOf(file);
		expect(items.map(item => item.ok && item.envelope.ts)).toStrictEqual([
			Date.UTC(2026, 1, 6, 8, 4, 19) + 440,
			Date.UTC(2026, 1, 6, 8, 4, 19) + 500,
			local(2026, 2, 6, 8, 4, 20),
			1_770_365_059_250,
			1_770_365_059_440,
		]);
		// No seq field: the line number stands in.
		expect(items.map(item => item.ok && item.envelope.seq)).toStrictEqual([1, 2, 3, 4, 5]);
		expect(items[4]).toMatchObject({ok: true, envelope: {event: 'standard/newTrade', data: {type: 'buy'}, extra: [trace]}});
	});

	test('a pretty-printed JSON array of records', async () => {
		const envelopes = [testEnvelope(1, 1000), testEnvelope(2, 2000)];
		const file = folder.write('array.json', `${JSON.stringify([...envelopes, {nope: true}], undefined, 2)}\n`);
		expect(await itemsOf(file)).toStrictEqual([
			{ok: true, line: 1, envelope: envelopes[0]},
			{ok: true, line: 2, envelope: envelopes[1]},
			{ok: false, line: 3, reason: 'not a recognised recording format (need an envelope, {seq, ts, event, data}, {timestamp, event_type, data} or REPLAYER tick records)'},
		]);
	});

	test('a pretty-printed single record', async () => {
		const file = folder.write('single.json', JSON.stringify({seq: 192, ts: '2025-12-17T21:35:05.644723', event: 'gameStatePlayerUpdate', data: {gameId: 'g'}}, undefined, 2));
		expect(await itemsOf(file)).toStrictEqual([
			{ok: true, line: 1, envelope: {seq: 192, ts: local(2025, 12, 17, 21, 35, 5, 644.723), source: 'replay', direction: 'received', event: 'gameStatePlayerUpdate', data: {gameId: 'g'}}},
		]);
	});

	test('a pretty-printed object of named samples (key-samples style), numbered in document order', async () => {
		const file = folder.write('samples.json', JSON.stringify({
			'01_cooldown': {_meta: {index: 1}, event_type: 'gameStateUpdate', timestamp_ms: 1_770_365_059_440, data: {gameId: 'g', cooldownTimer: 14_900}},
			'02_broken': {_meta: {index: 2}, data: {}},
			'03_trade': {_meta: {index: 3}, event_type: 'standard/newTrade', timestamp_ms: 1_770_365_083_429, data: {type: 'buy'}},
		}, undefined, 2));
		const items = await itemsOf(file);
		expect(items).toStrictEqual([
			{ok: true, line: 1, envelope: {seq: 1, ts: 1_770_365_059_440, source: 'replay', direction: 'received', event: 'gameStateUpdate', data: {gameId: 'g', cooldownTimer: 14_900}}},
			{ok: false, line: 2, reason: 'not a recognised recording format (need an envelope, {seq, ts, event, data}, {timestamp, event_type, data} or REPLAYER tick records)'},
			{ok: true, line: 3, envelope: {seq: 3, ts: 1_770_365_083_429, source: 'replay', direction: 'received', event: 'standard/newTrade', data: {type: 'buy'}}},
		]);
	});

	test('a broken JSON document is one clear problem', async () => {
		const file = folder.write('broken.json', '[\n  {"seq": 1,\n');
		const [item, ...rest] = await itemsOf(file);
		expect(rest).toHaveLength(0);
		expect(item).toMatchObject({ok: false, line: 1});
		expect((item as {reason: string}).reason).toMatch(/^invalid JSON document \(/);
	});

	test('a byte-order mark, CRLF line ends and blank lines do not cost a record or shift line numbers', async () => {
		const [a, b] = [testEnvelope(1, 1000), testEnvelope(2, 2000)];
		const file = folder.write('bom.jsonl', `\uFEFF${JSON.stringify(a)}\r\n\r\n${JSON.stringify(b)}\r\n`);
		expect(await itemsOf(file)).toStrictEqual([{ok: true, line: 1, envelope: a}, {ok: true, line: 3, envelope: b}]);
	});
});

describe('naive ISO times are local time', () => {
	test('parseIsoTime follows the same rule as new Date(y, m, d, …)', () => {
		expect(parseIsoTime('2025-12-12T17:16:58.624285')).toBe(local(2025, 12, 12, 17, 16, 58, 624.285));
		expect(parseIsoTime('2025-12-12T17:16:58Z')).toBe(Date.UTC(2025, 11, 12, 17, 16, 58));
		expect(parseIsoTime('2025-12-12T17:16:58+0530')).toBe(Date.UTC(2025, 11, 12, 11, 46, 58));
		expect(parseIsoTime('12/12/2025 17:16')).toBeUndefined();
		expect(parseIsoTime('2025-13-45T99:99:99')).toBeDefined(); // Date arithmetic rolls over; the record still replays in order.
	});

	const built = path.join(projectRoot, 'dist/sources/recording-format.js');
	test.each([
		['America/New_York', Date.UTC(2025, 11, 12, 22, 16, 58) + 624.285],
		['Asia/Kolkata', Date.UTC(2025, 11, 12, 11, 46, 58) + 624.285],
		['UTC', Date.UTC(2025, 11, 12, 17, 16, 58) + 624.285],
	])('in a process with TZ=%s', (zone, expected) => {
		expect(existsSync(built), 'run `npm run build` first (npm test does)').toBe(true);
		const code = `import {parseIsoTime} from ${JSON.stringify(pathToFileURL(built).href)}; process.stdout.write(String(parseIsoTime('2025-12-12T17:16:58.624285')));`;
		const child = spawnSync(process.execPath, ['--input-type=module', '-e', code], {env: {...process.env, TZ: zone}, encoding: 'utf8', timeout: 20_000});
		expect(child.stderr).toBe('');
		expect(Number(child.stdout)).toBe(expected);
	});
});

describe('bad input is reported with file:line and skipped; the replay goes on', () => {
	test('bad lines of every kind', async () => {
		const good = [testEnvelope(1, 1000), testEnvelope(5, 5000), testEnvelope(8, 8000)];
		const file = folder.write('bad-lines.jsonl', [
			JSON.stringify(good[0]),
			'{"seq": 2, "ts": ',
			'[1, 2, 3]',
			'{"hello": "world"}',
			JSON.stringify(good[1]),
			'{"seq": 6, "ts": "yesterday", "event": "gameStateUpdate", "data": {}}',
			'{"seq": 7, "ts": "2025-12-12T17:16:58", "event": "", "data": {}}',
			JSON.stringify(good[2]),
		].join('\n'));
		const {envelopes, problems, result} = await replayAll([file]);
		expect(envelopes).toStrictEqual(good);
		expect(problems.map(problem => [problem.kind, problem.source, problem.message.replace(/ \(.*\)$/, ' (…)')])).toStrictEqual([
			['line', 'replay', `${file}:2: invalid JSON (…)`],
			['line', 'replay', `${file}:3: not a JSON object`],
			['line', 'replay', `${file}:4: not a recognised recording format (…)`],
			['line', 'replay', `${file}:6: no readable timestamp`],
			['line', 'replay', `${file}:7: no event name`],
		]);
		expect(result).toStrictEqual({events: 3, badLines: 5, unreadableFiles: 0, aborted: false});
	});

	test('a truncated last line (a recorder killed mid-write) is reported; everything before it replays', async () => {
		const good = [testEnvelope(1, 1000), testEnvelope(2, 2000)];
		const whole = JSON.stringify(testEnvelope(3, 3000));
		const file = folder.write('truncated.jsonl', `${recordingText(good)}${whole.slice(0, -9)}`);
		const {envelopes, problems, result} = await replayAll([file]);
		expect(envelopes).toStrictEqual(good);
		expect(problems).toHaveLength(1);
		expect(problems[0]!.message).toMatch(new RegExp(`^${file.replaceAll(/[.*+?^${}()|[\]\\/]/g, String.raw`\$&`)}:3: invalid JSON`));
		expect(result.badLines).toBe(1);
	});

	test('a missing file is a clear problem, not a crash, and the other files still play', async () => {
		const missing = path.join(folder.dir, 'does-not-exist.jsonl');
		const good = folder.write('after-missing.jsonl', recordingText([testEnvelope(1, 1000)]));
		const {envelopes, problems, statuses, result} = await replayAll([missing, folder.dir, good]);
		expect(problems.map(problem => [problem.kind, problem.message])).toStrictEqual([
			['source', `cannot read ${missing}: no such file`],
			['source', `cannot read ${folder.dir}: is a directory, not a recording`],
		]);
		expect(envelopes).toHaveLength(1);
		expect(result).toStrictEqual({events: 1, badLines: 0, unreadableFiles: 2, aborted: false});
		expect(statuses.at(-1)).toMatchObject({source: 'replay', state: 'ended', detail: 'replay finished: 1 events, 0 bad lines, 2 unreadable files'});
	});

	test('status: connecting, then connected for each file, then ended with the counts', async () => {
		const a = folder.write('status-a.jsonl', recordingText([testEnvelope(1, 1000)]));
		const b = folder.write('status-b.jsonl', `${recordingText([testEnvelope(1, 1000)])}oops\n`);
		const {statuses} = await replayAll([a, b]);
		expect(statuses.map(({state, detail}) => [state, detail])).toStrictEqual([
			['connecting', `${a}, ${b}`],
			['connected', a],
			['connected', b],
			['ended', 'replay finished: 2 events, 1 bad lines'],
		]);
	});
});

describe.skipIf(!hasCaptures)('the shared captures replay', () => {
	test.each([
		['public-feed-socketio-client-2025-12-12.jsonl', 452, 0],
		['auth-browser-cdp-2025-12-15.jsonl', 419, 0],
		['public-feed-key-samples-2026-02-06.json', 11, 0],
		['auth-gameStatePlayerUpdate-sample-2025-12-17.json', 1, 0],
		// REPLAYER's derived ticks: 1,459 tick records become gameStateUpdates; its game_start / game_end markers carry no event.
		['derived-ticks-long-game-2025-11-02.jsonl', 1459, 0],
		// Not events: every line is reported, none crashes the replay.
		['devtools-console-frames-2025-08-10.txt', 0, 517],
	])('%s: %i events, %i bad lines', async (name, events, badLines) => {
		const {envelopes, problems, result} = await replayAll([capturePath(name)]);
		expect(result).toStrictEqual({events, badLines, unreadableFiles: 0, aborted: false});
		expect(envelopes).toHaveLength(events);
		expect(problems).toHaveLength(badLines);
		for (const problem of problems) {
			expect(problem.message).toMatch(new RegExp(String.raw`^${capturePath(name).replaceAll(/[.*+?^${}()|[\]\\/]/g, String.raw`\$&`)}:\d+: `));
		}
	});

	test('the public feed: names, payloads and trade pairs as recorded', async () => {
		const {envelopes} = await replayAll([capturePath('public-feed-socketio-client-2025-12-12.jsonl')]);
		expect(envelopes[0]).toMatchObject({seq: 1, event: 'connect', data: null});
		const trades = envelopes.filter((envelope: Envelope) => envelope.event === 'standard/newTrade');
		expect(trades).toHaveLength(31);
		for (const trade of trades) {
			expect(trade.extra).toHaveLength(1);
			expect(trade.extra![0]).toMatchObject({__trace: true});
			expect(trade.data).toMatchObject({gameId: expect.any(String) as unknown, type: expect.any(String) as unknown});
		}

		// Recorded in order: ts never goes back in this capture.
		for (let index = 1; index < envelopes.length; index++) {
			expect(envelopes[index]!.ts).toBeGreaterThanOrEqual(envelopes[index - 1]!.ts);
		}
	});

	test('the CDP capture: its 14 trades are trace-only (payload unavailable), sent requests keep their direction', async () => {
		const {envelopes} = await replayAll([capturePath('auth-browser-cdp-2025-12-15.jsonl')]);
		const trades = envelopes.filter(envelope => envelope.event === 'standard/newTrade');
		expect(trades).toHaveLength(14);
		expect(trades.every(trade => trade.data === null && trade.source === 'cdp' && (trade.extra?.[0] as {__trace?: boolean}).__trace === true)).toBe(true);
		expect(envelopes.filter(envelope => envelope.direction === 'sent').map(envelope => envelope.event).toSorted()).toStrictEqual(['authenticate', 'chatHistory', 'chatHistory', 'checkUsername', 'getLeaderboard', 'getPlayerCosmetics', 'getPlayerLeaderboardPosition']);
	});
});
