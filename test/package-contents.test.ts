import {execFileSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {projectRoot} from './helpers/project.js';

/**
What `npm pack` would ship: the command (bin and the startup bundle that
scripts/bundle.js makes from tsc's dist/) with its docs and fixtures, and
nothing of the development house — no benchmark, no dev script (fixture
maker, readme generator), no test, no TypeScript source, no unbundled dist.
*/

/** The relative imports of a bundled file (static and dynamic), as package paths. */
function relativeImports(file: string): string[] {
	const text = readFileSync(path.join(projectRoot, file), 'utf8');
	const found = new Set<string>();
	// Rolldown writes static imports at the start of a line (`import {a} from "./chunks/x.js";`) and dynamic ones as
	// `import("./chunks/x.js")` with double quotes; text in comments and strings of bundled packages is neither.
	const patterns = [/^import\b[^;\n]*?\bfrom "(\.{1,2}\/[^"]+\.js)";/gm, /^import "(\.{1,2}\/[^"]+\.js)";/gm, /\bimport\("(\.{1,2}\/[^"]+\.js)"\)/g];
	for (const pattern of patterns) {
		for (const match of text.matchAll(pattern)) {
			found.add(path.posix.normalize(path.posix.join(path.posix.dirname(file), match[1]!)));
		}
	}

	return [...found];
}

type PackEntry = {path: string; size: number};

function packedFiles(): string[] {
	// --ignore-scripts: the tests run after the build; pack must not build again.
	const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {cwd: projectRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']});
	const [result] = JSON.parse(output) as Array<{files: PackEntry[]}>;
	return result!.files.map(file => file.path);
}

describe('the package', () => {
	const files = packedFiles();

	test('ships the command: the bin shim, the bundle it runs, README, LICENSE', () => {
		const shim = readFileSync(path.join(projectRoot, 'bin/rugs-tui.js'), 'utf8');
		expect(shim).toContain(String.raw`import('../dist/rugs-tui.js')`);
		for (const needed of ['bin/rugs-tui.js', 'dist/rugs-tui.js', 'README.md', 'LICENSE', 'package.json']) {
			expect(files).toContain(needed);
		}
	});

	test('ships no benchmark, dev script, test or TypeScript source', () => {
		const forbidden = files.filter(file => /^(bench|scripts|test|source)\//.test(file)
			|| /(^|\/)bench(\/|$)/.test(file)
			|| /make-fixtures|readme-keys|\.test\.|\.tsx?$/.test(file.replace(/\.d\.ts$/, '.d')));
		expect(forbidden).toEqual([]);
	});

	test('the bundle is whole and nothing else of dist/ ships: every chunk is reached from the entry, every import it makes is packed', () => {
		const shipped = files.filter(file => file.startsWith('dist/'));
		expect(shipped.every(file => file === 'dist/rugs-tui.js' || /^dist\/chunks\/[^/]+\.js$/.test(file)), shipped.join(', ')).toBe(true);
		const reached = new Set<string>();
		const missing: string[] = [];
		const queue = ['dist/rugs-tui.js'];
		for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
			if (reached.has(file)) {
				continue;
			}

			if (!files.includes(file)) {
				missing.push(file);
				continue;
			}

			reached.add(file);
			queue.push(...relativeImports(file));
		}

		expect(missing).toEqual([]);
		// Several modes, several chunks: the TUI's, the JSON writer's, each source's, each offline command's.
		expect(reached.size).toBeGreaterThan(10);
		expect(shipped.filter(file => !reached.has(file))).toEqual([]);
	});
});
