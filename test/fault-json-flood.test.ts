import {spawn, type ChildProcess} from 'node:child_process';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterEach, describe, expect, test} from 'vitest';
import {spawnCli} from './helpers/cli.js';

/**
`--json` from a live source flooding at 130,000 events a second, piped to a
reader that takes 1 MB a second: events past the 64 MiB output limit are
dropped and counted, and the process holds that limit's worth, not four to six
times it. The text waiting used to sit in the stdout socket as one JS string
and one write request per line, written out in a writev that copied it all
again (RSS 360–430 MB here, 280–590 MB in the report); now it waits in the
writer in 256 KB chunks of UTF-8 bytes (RSS about 150–200 MB, flat; as joined
strings it climbed to 300–330 MB before a full GC). Real processes: a flooding
Socket.IO server of its own, the CLI, and a slow reader on a real pipe.
*/

const helpers = path.join(path.dirname(fileURLToPath(import.meta.url)), 'helpers');
const children: ChildProcess[] = [];

afterEach(() => {
	for (const child of children.splice(0)) {
		if (child.exitCode === null && child.signalCode === null) {
			child.kill('SIGKILL');
		}
	}
});

function rssMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
	const match = new RegExp(String.raw`^${field}:\s+(\d+) kB$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
	return Number(match![1]) / 1024;
}

describe.skipIf(process.platform !== 'linux')('--json under a 130,000 events/s flood to a slow reader', () => {
	test('memory stays near the 64 MiB output limit; the drops are counted; Ctrl-C ends it', async () => {
		const server = spawn(process.execPath, [path.join(helpers, 'flood-server.mjs'), '130000'], {stdio: ['ignore', 'pipe', 'ignore']});
		children.push(server);
		const port = await new Promise<string>(resolve => {
			server.stdout.setEncoding('utf8').once('data', (chunk: string) => {
				resolve(chunk.trim());
			});
		});
		const cli = spawnCli(['--source', 'direct', '--url', `http://127.0.0.1:${port}`, '--json']);
		children.push(cli);
		let stderr = '';
		cli.stderr.setEncoding('utf8').on('data', (chunk: string) => {
			stderr += chunk;
		});
		// The slow reader: 100 KB every 100 ms from a real pipe.
		let read = 0;
		cli.stdout.pause();
		const reader = setInterval(() => {
			let budget = 100_000;
			for (let chunk = cli.stdout.read() as Buffer | null; chunk !== null && budget > 0; chunk = cli.stdout.read() as Buffer | null) {
				read += chunk.length;
				budget -= chunk.length;
			}
		}, 100);
		const samples: number[] = [];
		try {
			for (let second = 0; second < 25; second++) {
				await new Promise(resolve => {
					setTimeout(resolve, 1000);
				});
				samples.push(rssMb(cli.pid!, 'VmRSS'));
			}

			const peak = rssMb(cli.pid!, 'VmHWM');
			cli.kill('SIGINT');
			const code = await new Promise<number | null>(resolve => {
				cli.once('close', resolve);
			});
			process.stderr.write(`fault-json-flood: RSS ${samples.map(mb => Math.round(mb)).join(' ')} MB, peak ${Math.round(peak)} MB; the reader took ${(read / 1e6).toFixed(0)} MB\n`);
			expect(stderr).toMatch(/"stdout is not keeping up with the live feed: dropping events/);
			expect(stderr).toMatch(/rugs-tui: \d+ events dropped from stdout, which did not keep up with the live feed\n$/);
			expect(code).toBe(130);
			// 64 MiB of queued text over a process of about 90 MB, with room for a loaded machine.
			expect(peak).toBeLessThan(250);
		} finally {
			clearInterval(reader);
		}
	}, 90_000);
});
