import {execFile} from 'node:child_process';
import path from 'node:path';
import {promisify} from 'node:util';
import {expect, test} from 'vitest';
import {projectRoot} from './helpers/project.js';

/**
Ink caches the size of every distinct text it measures, forever. Drawing new
text several times a second for a day would grow the monitor by gigabytes;
Lines measures only blanks of the pane's size. 1,000 frames of new content
used to add ~3.7 MB of heap; now the growth must stay within GC noise.
*/
test('redrawing new content thousands of times does not grow the heap', async () => {
	const {stdout} = await promisify(execFile)(process.execPath, ['--expose-gc', path.join(projectRoot, 'test/helpers/lines-heap.mjs'), '1500'], {
		cwd: projectRoot,
		env: {...process.env, NODE_ENV: 'production'},
		timeout: 120_000,
	});
	const growth = Number(stdout.trim());
	expect(Number.isFinite(growth)).toBe(true);
	expect(growth).toBeLessThan(1.5 * 1024 * 1024);
}, 150_000);
