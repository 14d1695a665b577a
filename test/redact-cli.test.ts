import {mkdtemp, readFile, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, expect, test} from 'vitest';
import {authEvents} from '../source/protocol/redact.js';
import {fixturesDir} from './helpers/project.js';
import {runCli} from './helpers/cli.js';

/**
`--redact` through the real CLI: the logged-in fixture session replayed to
`--json` and `--record` at once. Neither output may hold an auth event, a
player id or a username; both must agree with each other, and keep the game.
*/

let dir: string;

beforeAll(async () => {
	dir = await mkdtemp(path.join(os.tmpdir(), 'rugs-tui-redact-'));
});

afterAll(async () => {
	await rm(dir, {recursive: true, force: true});
});

type Line = {event: string; direction: string; data: unknown; extra?: unknown[]; seq: number};

function parse(text: string): Line[] {
	return text.split('\n').filter(line => line !== '').map(line => JSON.parse(line) as Line);
}

test('--redact on --json and --record: no auth events, player ids or usernames; the game intact', async () => {
	const input = path.join(fixturesDir, 'session-auth.jsonl');
	const inputText = await readFile(input, 'utf8');
	const original = parse(inputText);
	const usernames = new Set([...inputText.matchAll(/"username":"([^"]+)"/g)].map(match => match[1]!));
	expect(usernames.size).toBeGreaterThan(3);
	expect(original.some(line => authEvents.has(line.event))).toBe(true);

	const recording = path.join(dir, 'redacted.jsonl');
	const run = await runCli(['--replay', input, '--speed', '0', '--json', '--redact', '--record', recording]);
	expect(run.code).toBe(0);
	const recorded = await readFile(recording, 'utf8');

	for (const text of [run.stdout, recorded]) {
		const lines = parse(text);
		expect(lines.length).toBeGreaterThan(300);
		expect(lines.some(line => authEvents.has(line.event))).toBe(false);
		expect(text).not.toContain('did:privy');
		expect([...usernames].filter(name => text.includes(`"${name}"`))).toEqual([]);
		// Every gameStateUpdate survives with its game fields.
		const updatesIn = original.filter(line => line.event === 'gameStateUpdate');
		const updatesOut = lines.filter(line => line.event === 'gameStateUpdate');
		expect(updatesOut.map(line => (line.data as {gameId?: string; tickCount?: number; price?: number}))
			.map(({gameId, tickCount, price}) => ({gameId, tickCount, price})))
			.toEqual(updatesIn.map(line => (line.data as {gameId?: string; tickCount?: number; price?: number})).map(({gameId, tickCount, price}) => ({gameId, tickCount, price})));
	}

	// One pseudonym per player, the same on stdout and in the recording (one process, one key).
	const names = (text: string) => [...text.matchAll(/"username":"(anon-[\da-f]{10})"/g)].map(match => match[1]);
	expect(names(run.stdout)).toEqual(names(recorded));
	expect(new Set(names(run.stdout)).size).toBe(usernames.size);
});

test('without --redact, nothing is changed', async () => {
	const input = path.join(fixturesDir, 'session-auth.jsonl');
	const run = await runCli(['--replay', input, '--speed', '0', '--json']);
	expect(run.code).toBe(0);
	expect(run.stdout).toContain('did:privy');
	expect(parse(run.stdout).map(line => line.event)).toEqual(parse(await readFile(input, 'utf8')).map(line => line.event));
});
