import path from 'node:path';
import {PassThrough} from 'node:stream';
import stringWidth from 'string-width';
import {afterAll, afterEach, describe, expect, test} from 'vitest';
import {cleanup} from 'ink-testing-library';
import {LiveStats} from '../source/analyze/live-stats.js';
import {statsOfFiles} from '../source/app/run-stats.js';
import {generateSession} from '../source/sim/generate-session.js';
import type {Envelope} from '../source/protocol/envelope.js';
import {createState} from '../source/state/reducer.js';
import {statsPaneLines} from '../source/ui/components/StatsPane.js';
import {count, utcMinute} from '../source/ui/format.js';
import {plainText} from '../source/ui/segments.js';
import {followSession} from './helpers/live-stats.js';
import {linesWith, mountApp} from './helpers/ui.js';
import {makeTempDir, writeRecording} from './helpers/recordings.js';

/** The pane's text for a report at a width (and height). */
function paneText(report: ReturnType<LiveStats['report']>, width: number, height?: number): string {
	return plainText(statsPaneLines({report}, width, height));
}

function liveReportOf(envelopes: Iterable<Envelope>) {
	const {live, state} = followSession(envelopes);
	return live.report(state);
}

/** A number written as a percentage in the pane, back as a fraction. */
function percentAfter(text: string, label: RegExp): number {
	const match = label.exec(text);
	expect(match, `${String(label)} in\n${text}`).not.toBeNull();
	return Number(match![1]) / 100;
}

afterEach(() => {
	cleanup();
});

describe('the Stats pane', () => {
	const temporary = makeTempDir('rugs-stats-pane-');
	afterAll(() => {
		temporary.remove();
	});

	const envelopes = [...generateSession({games: 60, seed: 'stats-pane'})];
	const file = writeRecording(path.join(temporary.dir, 'session.jsonl'), envelopes);
	const report = liveReportOf(envelopes);

	test('shows the figures rugs-tui stats computes for the same games', async () => {
		const {report: offline} = await statsOfFiles([file], {stderr: new PassThrough()}, 'test');
		expect(report.games).toBe(offline.games);
		expect(report.games).toBeGreaterThanOrEqual(30);
		const text = paneText(report, 76);
		expect(text).toMatch(new RegExp(String.raw`games\s+${offline.games} finished`));
		const {min, p10, median, p90, max} = offline.rugTick;
		expect(text).toMatch(new RegExp(String.raw`min ${min!}\s+p10 ${p10!}\s+med(ian)? ${median!}\s+p90 ${p90!}\s+max ${max!}`));
		for (const [tick, figures] of Object.entries(offline.survival)) {
			const shown = percentAfter(text, new RegExp(String.raw`>${tick}\s+(\d+\.\d)%`));
			expect(Math.abs(shown - figures.empirical!)).toBeLessThanOrEqual(0.0005);
		}

		expect(Math.abs(percentAfter(text, /instarug\s+(\d+\.\d)%/) - offline.instarug!)).toBeLessThanOrEqual(0.0005);
		expect(Math.abs(percentAfter(text, /sidebets\s+hit\s+(\d+\.\d)%/) - offline.sidebets.hitRate!)).toBeLessThanOrEqual(0.0005);
		expect(text).toContain(`${count(offline.sidebets.settled)} settled, ${count(offline.sidebets.won)} won`);
		expect(text).toMatch(/model\s+hit 18\.2%\s+EV -0\.092/);
		// The verdict names the test's result with its p-value.
		expect(linesWith(text, 'verdict')[0]).toMatch(/p = \d/);
		expect(text).not.toContain('too few games');
	});

	test('below 30 games it says "too few games" and makes no verdict', () => {
		const few = liveReportOf([...generateSession({games: 5, seed: 'stats-pane-few'})]);
		expect(few.games).toBeLessThan(30);
		const text = paneText(few, 70);
		expect(linesWith(text, 'verdict')[0]).toMatch(new RegExp(String.raw`too few games \(${few.games} of 30\)`));
		expect(text).not.toMatch(/p = \d/);
	});

	test('with no games yet it still shows the model', () => {
		const none = new LiveStats().report(createState());
		const text = paneText(none, 70);
		expect(text).toContain('none finished yet');
		expect(text).toMatch(/model\s+77\.8%\s+60\.6%\s+36\.7%\s+8\.2%/);
		expect(text).toContain('18.2%');
	});

	test('at every width from 20 to 90 cells no line is wider than the pane and no number is cut', () => {
		// Every number the pane can show at full width; a narrow pane shows some of them, never part of one.
		const full = paneText(report, 200);
		// (and the short form of the date, which a narrow pane uses).
		const number = /-?\d[\d,]*(?:\.\d+)?/g;
		const numbers = new Set([...full.match(number)!, ...utcMinute(report.since, true).match(number)!]);
		for (let width = 20; width <= 90; width++) {
			const text = paneText(report, width);
			for (const line of text.split('\n')) {
				expect(stringWidth(line), `width ${width}: ${line}`).toBeLessThanOrEqual(width);
				expect(line, `width ${width}`).not.toMatch(/\d…/);
				for (const shown of line.match(number) ?? []) {
					expect(numbers, `width ${width}: "${shown}" in "${line}"`).toContain(shown);
				}
			}
		}
	});

	test('a short pane keeps the most useful lines: games, the verdict, the rug tick, a bet now', () => {
		const text = paneText(report, 70, 4);
		const lines = text.split('\n');
		expect(lines).toHaveLength(4);
		expect(lines[0]).toMatch(/^games/);
		expect(text).toMatch(/verdict/);
		expect(text).toMatch(/rug tick/);
		expect(text).toMatch(/bet now/);
	});

	test('in the app: beside the trade tape at 120×40, behind key 6 at 80×24, maximised by 6 again', async () => {
		const wide = mountApp(envelopes, {size: {columns: 120, rows: 40}});
		const frame = wide.text();
		const row = linesWith(frame, '5 Trades')[0]!;
		expect(row).toContain('6 Stats');
		cleanup();

		const compact = mountApp(envelopes, {size: {columns: 80, rows: 24}});
		await compact.press('6');
		const shown = await compact.waitFor(text => text.includes('6 Stats'));
		expect(shown).toMatch(/verdict/);
		await compact.press('6');
		const maximised = await compact.waitFor(text => text.startsWith('╭─[6 Stats]'));
		expect(maximised).toMatch(/survival/);
		for (const line of maximised.split('\n')) {
			expect(stringWidth(line)).toBeLessThanOrEqual(80);
		}
	});
});
