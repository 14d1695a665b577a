import {readdirSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {projectRoot} from './helpers/project.js';

/**
The layers of source/ and the one direction imports may point: down. A layer
may import from its own folder and from any layer earlier in this list, never
from a later one. The tiers of ARCHITECTURE.md are protocol → bus → (verify,
state, sim, sources) → (record, analyze) → ui → app; inside a tier the order
below says which way the few sideways arrows go (state uses verify to check a
finished game; the demo source plays the simulator).
*/
const layers = ['protocol', 'bus', 'verify', 'state', 'sim', 'sources', 'record', 'analyze', 'ui', 'app', 'cli.tsx'] as const;

const sourceRoot = path.join(projectRoot, 'source');

function sourceFiles(folder: string): string[] {
	return readdirSync(folder).flatMap(name => {
		const full = path.join(folder, name);
		if (statSync(full).isDirectory()) {
			return sourceFiles(full);
		}

		return /\.tsx?$/.test(name) ? [full] : [];
	});
}

/** Every module specifier of a file: static imports and re-exports, and dynamic import(). */
export function importSpecifiers(text: string): string[] {
	const specifiers: string[] = [];
	const patterns = [/^\s*(?:import|export)\s[^'"]*?\sfrom\s*['"]([^'"]+)['"]/gm, /^\s*import\s*['"]([^'"]+)['"]/gm, /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g];
	for (const pattern of patterns) {
		for (const match of text.matchAll(pattern)) {
			specifiers.push(match[1]!);
		}
	}

	return specifiers;
}

/** The layer a path inside source/ belongs to: its first folder (or the file itself at the top). */
function layerOf(file: string): string {
	return path.relative(sourceRoot, file).split(path.sep)[0]!;
}

type Arrow = {file: string; specifier: string; from: string; to: string};

function arrows(): Arrow[] {
	const result: Arrow[] = [];
	for (const file of sourceFiles(sourceRoot)) {
		for (const specifier of importSpecifiers(readFileSync(file, 'utf8'))) {
			if (!specifier.startsWith('.')) {
				continue;
			}

			const target = path.resolve(path.dirname(file), specifier);
			const relative = path.relative(sourceRoot, target);
			result.push({file: path.relative(projectRoot, file), specifier, from: layerOf(file), to: relative.startsWith('..') ? `outside source/ (${relative})` : layerOf(target)});
		}
	}

	return result;
}

/** The arrows that point up the order (or out of source/), as readable lines. */
function violations(list: readonly Arrow[]): string[] {
	return list.filter(arrow => {
		const from = layers.indexOf(arrow.from as typeof layers[number]);
		const to = layers.indexOf(arrow.to as typeof layers[number]);
		return to === -1 || to > from;
	}).map(arrow => `${arrow.file}: ${arrow.from} → ${arrow.to} (${arrow.specifier})`);
}

describe('layers only point down', () => {
	const all = arrows();

	it('reads the import lines of every module (the check itself sees imports)', () => {
		expect(all.length).toBeGreaterThan(100);
		expect(importSpecifiers('import {a} from \'./a.js\';\nexport {b} from \'../b.js\';\nimport type {C} from "./c.js";\nconst d = await import(\'./d.js\');\nimport \'./e.js\';'))
			.toEqual(['./a.js', '../b.js', './c.js', './e.js', './d.js']);
	});

	it('knows every folder of source/ (a new layer must be placed in the order)', () => {
		const folders = readdirSync(sourceRoot).filter(name => statSync(path.join(sourceRoot, name)).isDirectory() || /\.tsx?$/.test(name));
		expect(folders.filter(name => !(layers as readonly string[]).includes(name))).toEqual([]);
	});

	it('no module imports from a later layer, or from outside source/', () => {
		expect(violations(all)).toEqual([]);
	});

	it('flags an upward or outward import, and lets a downward or same-layer one pass', () => {
		const arrow = (from: string, to: string): Arrow => ({file: `source/${from}/x.ts`, specifier: `../${to}/y.js`, from, to});
		expect(violations([arrow('state', 'ui'), arrow('protocol', 'bus'), arrow('ui', 'outside source/ (../bench/x.js)')])).toHaveLength(3);
		expect(violations([arrow('ui', 'state'), arrow('state', 'verify'), arrow('app', 'app'), arrow('cli.tsx', 'app')])).toEqual([]);
	});
});
