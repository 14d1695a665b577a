import {readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import {keysEndMarker, keysStartMarker, withKeysBlock} from '../source/ui/keymap.js';

/**
`npm run readme:keys`: rewrite the key list in README.md (between the keys
markers) from the keymap table. test/ui-keymap.test.ts fails when they differ.
*/
const readmePath = path.resolve(process.argv[2] ?? 'README.md');
const readme = await readFile(readmePath, 'utf8');
const updated = withKeysBlock(readme);
if (updated === undefined) {
	process.stderr.write(`${readmePath}: no ${keysStartMarker} … ${keysEndMarker} block; add the two markers where the key list belongs, then run this again\n`);
	process.exitCode = 1;
} else if (updated === readme) {
	process.stdout.write(`${readmePath}: key list already up to date\n`);
} else {
	await writeFile(readmePath, updated);
	process.stdout.write(`${readmePath}: key list updated\n`);
}
