/*
The startup bundle: `dist/rugs-tui.js` and its chunks in `dist/chunks/`, made
from tsc's output (`dist/cli.js` and what it imports) by rolldown, and what
bin/rugs-tui.js runs.

Why: Node 20 loads an ES module graph file by file, and most of a cold start
went there. Ink alone opens about 480 files; 416 of them are es-toolkit's
`compat` barrel, imported for one function (throttle). Unbundled, the first
frame of `--demo` came 0.54 s after spawn; bundled, the same code loads in a
few files (see `npm run bench -- startup`). Node 22's module compile cache
would not help Node 20, and a resolve hook costs more than it saves.

What stays the same: every dynamic import in source/ is a chunk of its own,
so a mode still loads only the code it needs (--version and --help load the
entry chunk alone; the TUI loads React and Ink; --json does not). Third-party
packages are bundled from node_modules as installed; nothing is fetched.

One patch needs care: ui/ink-patches/output-cache.ts patches Ink's Output
class, which Ink does not export, so unbundled it imports the file beside
Ink's entry by URL. In the bundle that would load a second copy of the class,
not the one the bundled Ink draws with; `ink-output.ts` is replaced here by a
module that imports the very file the bundle holds.
*/
import {readFileSync, rmSync} from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import {fileURLToPath} from 'node:url';
import {build} from 'rolldown';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Ink exports only its index (build/index.js): its folder is two levels up from that.
const inkDirectory = path.resolve(path.dirname(fileURLToPath(import.meta.resolve('ink'))), '..');
const inkOutputFile = path.join(inkDirectory, 'build', 'output.js');
const inkVersion = String(JSON.parse(readFileSync(path.join(inkDirectory, 'package.json'), 'utf8')).version);
const inkOutputShim = path.join(root, 'dist', 'ui', 'ink-patches', 'ink-output.js');

/** The bundle's ink-output module: Ink's own Output class from the bundled file, and the version bundled. */
const bundledInkOutput = {
	name: 'rugs-tui:bundled-ink-output',
	load(id) {
		if (path.resolve(id) !== inkOutputShim) {
			return undefined;
		}

		return [
			`import Output from ${JSON.stringify(inkOutputFile)};`,
			'export async function inkOutputModule() { return {default: Output}; }',
			`export function inkVersion() { return ${JSON.stringify(inkVersion)}; }`,
		].join('\n');
	},
};

const started = performance.now();
// Chunk names carry a content hash: clear the last build's, or they pile up.
rmSync(path.join(root, 'dist', 'chunks'), {recursive: true, force: true});
await build({
	input: {'rugs-tui': path.join(root, 'dist', 'cli.js')},
	platform: 'node',
	plugins: [bundledInkOutput],
	// Packages that hold optional native add-ons (ws: bufferutil, utf-8-validate) look for them at run time, as unbundled.
	external: ['bufferutil', 'utf-8-validate', 'react-devtools-core'],
	logLevel: 'warn',
	output: {
		dir: path.join(root, 'dist'),
		format: 'esm',
		entryFileNames: '[name].js',
		chunkFileNames: 'chunks/[name]-[hash].js',
		sourcemap: false,
	},
});
process.stdout.write(`bundle: dist/rugs-tui.js and dist/chunks/ in ${Math.round(performance.now() - started)} ms\n`);
