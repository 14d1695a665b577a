import path from 'node:path';
import {afterAll, describe, expect, test} from 'vitest';
import {ruleHelp} from '../source/analyze/alert-rules.js';
import {alertFeed, fairId, tamperedId} from './helpers/alert-feed.js';
import {FeedBuilder} from './helpers/game-feed.js';
import {makeTempDir} from './helpers/recordings.js';
import {linesOf, runCli} from './helpers/cli.js';

type AlertLine = {type: string; rule: string; gameId: string | null; tick: number | null; ts: number; detail: string};

function alertsIn(stderr: string): AlertLine[] {
	return linesOf(stderr).map(line => JSON.parse(line) as {type: string}).filter(record => record.type === 'alert') as AlertLine[];
}

describe('alerts with --json: one JSON line each on stderr', () => {
	const temporary = makeTempDir('rugs-alerts-');
	afterAll(() => {
		temporary.remove();
	});

	const {feed, games: [fair, tampered]} = alertFeed();
	const file = feed.write(path.join(temporary.dir, 'two-games.jsonl'));

	test('price, rug, player and unfair on a replay, in order, with their fields; stdout stays the events', async () => {
		const result = await runCli(['--replay', file, '--speed', '0', '--json', '--alert', 'price>=1.5', '--alert', 'rug', '--alert', 'player:alice', '--alert', 'unfair']);
		expect(result.code).toBe(0);
		expect(linesOf(result.stdout)).toHaveLength(feed.envelopes.length);
		const alerts = alertsIn(result.stderr);
		for (const alert of alerts) {
			expect(Object.keys(alert)).toEqual(['type', 'rule', 'gameId', 'tick', 'ts', 'detail']);
		}

		const firstAt = (prices: readonly number[]) => prices.findIndex(price => price >= 1.5);
		expect(alerts.map(alert => [alert.rule, alert.gameId, alert.tick])).toEqual([
			['player:alice', fairId, 3],
			['player:alice', fairId, 9],
			...[['price>=1.5', fairId, firstAt(fair!.path)], ['rug', fairId, fair!.rugTick]].toSorted((a, b) => (a[2] as number) - (b[2] as number)),
			['price>=1.5', tamperedId, firstAt(tampered!.path)],
			['rug', tamperedId, tampered!.rugTick],
			['unfair', tamperedId, tampered!.rugTick],
		]);
		expect(alerts.at(-1)?.detail).toMatch(/^provably-fair check FAILED: price at tick 20: recomputed/);
		// Each alert carries the time of the envelope that set it off.
		const times = new Set(feed.envelopes.map(envelope => envelope.ts));
		expect(alerts.every(alert => times.has(alert.ts))).toBe(true);
	});

	test('without --alert, no alert lines', async () => {
		const result = await runCli(['--replay', file, '--speed', '0', '--json']);
		expect(result.code).toBe(0);
		expect(alertsIn(result.stderr)).toEqual([]);
	});

	test('silent:S: one alert in a 2.5 s gap of a replay at the recorded cadence', async () => {
		const gap = new FeedBuilder();
		gap.push('gameStateUpdate', {gameId: '20251212-gap', active: false, cooldownTimer: 15_000});
		gap.advance(2500).push('gameStateUpdate', {gameId: '20251212-gap', active: false, cooldownTimer: 12_500});
		gap.advance(100).push('gameStateUpdate', {gameId: '20251212-gap', active: false, cooldownTimer: 12_400});
		const gapFile = gap.write(path.join(temporary.dir, 'gap.jsonl'));
		const result = await runCli(['--replay', gapFile, '--json', '--alert', 'silent:1']);
		expect(result.code).toBe(0);
		const alerts = alertsIn(result.stderr);
		expect(alerts).toHaveLength(1);
		expect(alerts[0]).toMatchObject({rule: 'silent:1', gameId: '20251212-gap'});
		expect(alerts[0]?.detail).toMatch(/^no event for 1(\.\d)? s$/);
	});

	test('a malformed rule is a command-line error (exit 2) that says what a rule looks like', async () => {
		const bads = ['price>=abc', 'sometimes', 'player:', 'silent:-3'];
		const results = await Promise.all(bads.map(async bad => runCli(['--replay', file, '--json', '--alert', bad])));
		for (const [index, bad] of bads.entries()) {
			const result = results[index]!;
			expect(result.code, bad).toBe(2);
			expect(result.stderr, bad).toContain(ruleHelp);
			expect(result.stdout, bad).toBe('');
		}

		const missing = await runCli(['--replay', file, '--json', '--alert']);
		expect(missing.code).toBe(2);
		expect(missing.stderr).toContain('--alert needs a value');
	});
});
