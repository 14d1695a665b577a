import {describe, expect, test} from 'vitest';
import {parseCommand} from '../source/app/commands.js';
import {defaultRecordMaxMb, parseOptions} from '../source/app/options.js';
import {runCli} from './helpers/cli.js';

describe('offline commands on the command line', () => {
	test('no command: the live monitor (and --out alone is a mistake)', () => {
		expect(parseCommand([], {json: false})).toBeUndefined();
		expect(parseCommand([], {out: 'x'})).toEqual({ok: false, error: expect.stringContaining('--out is for the export command') as string});
	});

	test('summarize and export with their files', () => {
		expect(parseCommand(['summarize', 'a.jsonl', 'b.jsonl'], {json: false, replay: []})).toEqual({ok: true, command: {name: 'summarize', files: ['a.jsonl', 'b.jsonl'], out: undefined}});
		expect(parseCommand(['export', 'a.jsonl'], {out: 'dir'})).toEqual({ok: true, command: {name: 'export', files: ['a.jsonl'], out: 'dir'}});
	});

	test('mistakes say what to do', () => {
		expect(parseCommand(['summarise', 'a'], {})).toMatchObject({ok: false, error: expect.stringContaining('unknown command "summarise": expected summarize or export') as string});
		expect(parseCommand(['session.jsonl'], {})).toMatchObject({ok: false, error: expect.stringContaining('rugs-tui --replay session.jsonl') as string});
		expect(parseCommand(['summarize'], {})).toMatchObject({ok: false, error: expect.stringContaining('rugs-tui summarize FILE...') as string});
		expect(parseCommand(['export', 'a'], {})).toMatchObject({ok: false, error: expect.stringContaining('export needs --out DIR') as string});
		expect(parseCommand(['summarize', 'a'], {out: 'x'})).toMatchObject({ok: false, error: expect.stringContaining('takes no --out') as string});
		expect(parseCommand(['summarize', 'a'], {json: true, recordDir: 'd'})).toMatchObject({ok: false, error: '--json, --record-dir are not used by summarize; see rugs-tui --help'});
	});
});

describe('export formats on the command line', () => {
	test('--format parquet and --partition date for export; mistakes say what to do', () => {
		expect(parseCommand(['export', 'a'], {out: 'd', format: 'parquet', partition: 'date'})).toEqual({ok: true, command: {name: 'export', files: ['a'], out: 'd', format: 'parquet', partition: 'date'}});
		expect(parseCommand(['export', 'a'], {out: 'd', format: 'csv'})).toEqual({ok: true, command: {name: 'export', files: ['a'], out: 'd', format: 'csv'}});
		expect(parseCommand(['export', 'a'], {out: 'd', format: 'xlsx'})).toEqual({ok: false, error: '--format xlsx: expected csv or parquet'});
		expect(parseCommand(['export', 'a'], {out: 'd', format: 'parquet', partition: 'hour'})).toMatchObject({ok: false, error: expect.stringContaining('--partition hour: expected date') as string});
		expect(parseCommand(['export', 'a'], {out: 'd', partition: 'date'})).toMatchObject({ok: false, error: expect.stringContaining('--partition date needs --format parquet') as string});
		expect(parseCommand(['summarize', 'a'], {format: 'parquet'})).toMatchObject({ok: false, error: expect.stringContaining('--format is for export') as string});
		expect(parseCommand([], {format: 'parquet'})).toMatchObject({ok: false, error: expect.stringContaining('--format is for the export command') as string});
	});
});

describe('recording options', () => {
	test('--record-max-mb: a default, only with --record-dir, a positive size', () => {
		const parsed = parseOptions({replay: ['x'], recordDir: 'd'});
		expect(parsed.ok && parsed.options.recordMaxMb).toBe(defaultRecordMaxMb);
		const small = parseOptions({replay: ['x'], recordDir: 'd', recordMaxMb: 0.5});
		expect(small.ok && small.options.recordMaxMb).toBe(0.5);
		expect(parseOptions({replay: ['x'], recordDir: 'd', recordMaxMb: 0})).toMatchObject({ok: false, error: expect.stringContaining('greater than 0') as string});
		expect(parseOptions({replay: ['x'], record: 'f', recordMaxMb: 10})).toMatchObject({ok: false, error: expect.stringContaining('only applies to --record-dir') as string});
		expect(parseOptions({replay: ['x'], record: ''})).toMatchObject({ok: false, error: expect.stringContaining('expected a path') as string});
	});

	test('--help lists the commands and the recording flags', async () => {
		const {stdout, code} = await runCli(['--help']);
		expect(code).toBe(0);
		for (const text of ['summarize FILE...', 'export FILE... --out DIR', '--record FILE', '--record-dir DIR', '--record-max-mb N', '--out DIR']) {
			expect(stdout).toContain(text);
		}
	});

	test('a usage mistake exits 2 with the message on stderr', async () => {
		const {stderr, code} = await runCli(['export', 'x.jsonl']);
		expect(code).toBe(2);
		expect(stderr).toBe('rugs-tui: export needs --out DIR: the folder that receives games.csv and ticks/\n');
	});
});
