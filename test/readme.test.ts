import {readFileSync} from 'node:fs';
import path from 'node:path';
import {expect, test} from 'vitest';
import {projectRoot} from './helpers/project.js';
import {runCli} from './helpers/cli.js';

const readme = readFileSync(path.join(projectRoot, 'README.md'), 'utf8');

test('the README quick start is exactly the two commands', () => {
	const quickStart = /## Quick start\n\n```sh\n([\s\S]*?)```/.exec(readme)?.[1];
	expect(quickStart).toBe('npm install && npm start\nnpm test\n');
});

test('the README lists every flag of --help, with the same words', async () => {
	const help = await runCli(['--help']);
	expect(help.code).toBe(0);
	const flags = [...new Set(help.stdout.match(/--[a-z][a-z-]+/g))];
	expect(flags.length).toBeGreaterThan(20);
	for (const flag of flags) {
		expect(readme, flag).toContain(flag);
	}

	// The Flags section is the help text itself, so the two cannot drift apart.
	const block = /## Flags\n\n```\n([\s\S]*?)```/.exec(readme)?.[1];
	const helpBody = help.stdout.slice(help.stdout.indexOf('  Usage'));
	expect(block?.trimEnd()).toBe(helpBody.trimEnd());
});
