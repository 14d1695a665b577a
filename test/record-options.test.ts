import {describe, expect, test} from 'vitest';
import {parseArguments} from '../source/app/cli-args.js';
import {parseOptions} from '../source/app/options.js';
import {runCli} from './helpers/cli.js';

/* --record-compress: how --record-dir stores its files; --record FILE is decided by its name. */

describe('--record-compress', () => {
	test('gzip by default for --record-dir; brotli and none on request', () => {
		expect(parseOptions({replay: ['x'], recordDir: 'd'})).toMatchObject({ok: true, options: {recordCompress: 'gzip'}});
		expect(parseOptions({replay: ['x'], recordDir: 'd', recordCompress: 'brotli'})).toMatchObject({ok: true, options: {recordCompress: 'brotli'}});
		expect(parseOptions({replay: ['x'], recordDir: 'd', recordCompress: 'none'})).toMatchObject({ok: true, options: {recordCompress: 'none'}});
	});

	test('anything else, or with --record FILE, is a usage error that says what to do', () => {
		expect(parseOptions({replay: ['x'], recordDir: 'd', recordCompress: 'zip'})).toEqual({ok: false, error: '--record-compress zip: expected one of gzip, brotli, none (default gzip)'});
		expect(parseOptions({replay: ['x'], record: 'f.jsonl', recordCompress: 'gzip'})).toEqual({ok: false, error: '--record-compress only applies to --record-dir (with --record FILE the name decides: FILE.jsonl.gz, FILE.jsonl.br or plain)'});
		expect(parseArguments(['--record-dir', 'd', '--record-compress'])).toEqual({ok: false, error: '--record-compress needs a value (KIND) (see rugs-tui --help)'});
	});

	test('the command refuses a bad value with exit 2 before anything starts', async () => {
		const run = await runCli(['--demo', '--json', '--record-dir', 'nowhere', '--record-compress', 'lz4']);
		expect(run.code).toBe(2);
		expect(run.stderr).toBe('rugs-tui: --record-compress lz4: expected one of gzip, brotli, none (default gzip)\n');
		expect(run.stdout).toBe('');
	});
});
