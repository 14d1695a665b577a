import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import type {Envelope} from '../../source/protocol/envelope.js';

/** A fresh temporary folder; remove it with the returned function (in afterAll/finally). */
// eslint-disable-next-line unicorn/prevent-abbreviations -- the name the tests import (record-*, export-csv, fuzz-*); a rename has to change them all together
export function makeTempDir(prefix = 'rugs-record-'): {dir: string; remove: () => void} {
	const dir = mkdtempSync(path.join(tmpdir(), prefix));
	return {
		dir,
		remove() {
			rmSync(dir, {recursive: true, force: true});
		},
	};
}

/** The lines a recording of these envelopes holds (the project's own format). */
export function envelopeLines(envelopes: readonly Envelope[]): string[] {
	return envelopes.map(envelope => JSON.stringify(envelope));
}

export function writeRecording(file: string, envelopes: readonly Envelope[]): string {
	writeFileSync(file, envelopeLines(envelopes).map(line => `${line}\n`).join(''));
	return file;
}

/** Non-empty lines of a text, and whether the text ends mid-line. */
export function splitLines(text: string): {complete: string[]; partial: string | undefined} {
	const parts = text.split('\n');
	const last = parts.pop();
	return {complete: parts.filter(line => line !== ''), partial: last === '' ? undefined : last};
}
