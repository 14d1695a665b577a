import {execFileSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {projectRoot} from './helpers/project.js';

/**
What `npm pack` would ship: the command (bin, the compiled dist) with its
docs and fixtures, and nothing of the development house — no benchmark, no
dev script (fixture maker, readme generator), no test, no TypeScript source.
*/

type PackEntry = {path: string; size: number};

function packedFiles(): string[] {
	// --ignore-scripts: the tests run after the build; pack must not build again.
	const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {cwd: projectRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']});
	const [result] = JSON.parse(output) as Array<{files: PackEntry[]}>;
	return result!.files.map(file => file.path);
}

describe('the package', () => {
	const files = packedFiles();

	test('ships the command: the bin shim, the compiled entry point, README, LICENSE', () => {
		for (const needed of ['bin/rugs-tui.js', 'dist/cli.js', 'README.md', 'LICENSE', 'package.json']) {
			expect(files).toContain(needed);
		}
	});

	test('ships no benchmark, dev script, test or TypeScript source', () => {
		const forbidden = files.filter(file => /^(bench|scripts|test|source)\//.test(file)
			|| /(^|\/)bench(\/|$)/.test(file)
			|| /make-fixtures|readme-keys|\.test\.|\.tsx?$/.test(file.replace(/\.d\.ts$/, '.d')));
		expect(forbidden).toEqual([]);
	});

	test('every compiled file has its source (no stale output of a moved or deleted module)', () => {
		const compiled = files.filter(file => file.startsWith('dist/') && file.endsWith('.js'));
		expect(compiled.length).toBeGreaterThan(50);
		const orphans = compiled.filter(file => {
			const base = path.join(projectRoot, 'source', file.slice('dist/'.length, -'.js'.length));
			return !existsSync(`${base}.ts`) && !existsSync(`${base}.tsx`);
		});
		expect(orphans).toEqual([]);
	});
});
