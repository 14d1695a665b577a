import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import type {AppBus} from '../../source/bus/app-bus.js';
import type {Problem, SourceStatus} from '../../source/bus/messages.js';
import {makeEnvelope, type Envelope} from '../../source/protocol/envelope.js';

/**
Small recordings built inside the tests, in the project's own envelope format
(the format `--json` writes and `--replay` reads), in a temporary folder each
test file removes when it is done.
*/

/** A gameStateUpdate envelope as the replay source would produce it. */
export function testEnvelope(seq: number, ts: number, event = 'gameStateUpdate', args: unknown[] = [{gameId: '20251212-6114b2ff44ef4b71', tickCount: seq, price: 1 + (seq / 100)}]): Envelope {
	return makeEnvelope({seq, ts, source: 'replay', direction: 'received', event, args});
}

export function recordingText(envelopes: readonly Envelope[]): string {
	return envelopes.map(envelope => `${JSON.stringify(envelope)}\n`).join('');
}

type TemporaryFolder = {
	dir: string;
	/** Write a file in the folder and return its path. */
	write(name: string, content: string | Buffer): string;
	remove(): void;
};

// eslint-disable-next-line unicorn/prevent-abbreviations -- the name the tests import (cli-json, ndjson-writer, replay-*); a rename has to change them all together
export function tempFolder(prefix = 'rugs-tui-test-'): TemporaryFolder {
	const dir = mkdtempSync(path.join(tmpdir(), prefix));
	return {
		dir,
		write(name, content) {
			const file = path.join(dir, name);
			writeFileSync(file, content);
			return file;
		},
		remove() {
			rmSync(dir, {recursive: true, force: true});
		},
	};
}

export type Collected = {envelopes: Envelope[]; problems: Problem[]; statuses: SourceStatus[]};

/** Everything published on the bus, in order. */
export function collect(bus: AppBus): Collected {
	const collected: Collected = {envelopes: [], problems: [], statuses: []};
	bus.subscribe('envelope', envelope => {
		collected.envelopes.push(envelope);
	});
	bus.subscribe('problem', problem => {
		collected.problems.push(problem);
	});
	bus.subscribe('status', status => {
		collected.statuses.push(status);
	});
	return collected;
}
