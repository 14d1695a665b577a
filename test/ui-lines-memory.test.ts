import {execFile} from 'node:child_process';
import path from 'node:path';
import {expect, test} from 'vitest';
import {projectRoot} from './helpers/project.js';

/**
Ink caches the size of every distinct text it measures, forever. Drawing new
text several times a second for a day would grow the monitor by gigabytes;
Lines measures only blanks of the pane's size (ui/ink-patches). 1,000 frames
of new content used to add ~3.7 MB of heap; now the growth must stay within
GC noise. With RUGS_TUI_INK_PATCHES=0 Lines hands Ink its real text, and the
growth is back: the switch reaches Lines, and the patch is still needed.
*/

async function heapGrowth(patches: '0' | '1', frames: number, warmUp: number): Promise<number> {
	const stdout = await new Promise<string>((resolve, reject) => {
		execFile(process.execPath, ['--expose-gc', path.join(projectRoot, 'test/helpers/lines-heap.mjs'), String(frames), String(warmUp)], {
			cwd: projectRoot,
			env: {...process.env, NODE_ENV: 'production', RUGS_TUI_INK_PATCHES: patches},
			timeout: 120_000,
		}, (error, output) => {
			if (error) {
				reject(new Error(`lines-heap.mjs failed: ${error.message}`, {cause: error}));
			} else {
				resolve(output);
			}
		});
	});
	const growth = Number(stdout.trim());
	expect(Number.isFinite(growth)).toBe(true);
	return growth;
}

test('redrawing new content thousands of times does not grow the heap (and does with the patches off)', async () => {
	const [on, off] = await Promise.all([heapGrowth('1', 1500, 500), heapGrowth('0', 650, 50)]);
	expect(on).toBeLessThan(1.5 * 1024 * 1024);
	// 600 frames of new text measured by Ink: about 3 KB each stays in its cache.
	expect(off).toBeGreaterThan(1024 * 1024);
}, 150_000);
