import {readFileSync} from 'node:fs';

/*
Where the output-cache patch finds Ink's Output class, and which Ink this is.
Ink exports only its index, so the class is imported by URL from the file
beside it. The startup bundle (scripts/bundle.js) replaces this module with
one that imports the very file the bundle holds: a second copy loaded by URL
would be patched while the bundled Ink drew with the first.
*/

/** Ink's build/output.js, as a module. */
export async function inkOutputModule(): Promise<unknown> {
	return import(new URL('output.js', import.meta.resolve('ink')).href);
}

/** The version of the Ink found in node_modules, or 'unknown'. */
export function inkVersion(): string {
	try {
		const manifest = new URL('../package.json', import.meta.resolve('ink'));
		return String((JSON.parse(readFileSync(manifest, 'utf8')) as {version?: unknown}).version);
	} catch {
		return 'unknown';
	}
}
