import {spawnSync} from 'node:child_process';
import {chmodSync, cpSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {binPath, projectRoot} from './project.js';

/**
The built command as another user can run it. A test that drops root (to get
a real EACCES) runs the CLI as uid 65534, which cannot reach a checkout under
a private folder (a clone inside `mktemp -d`, or /root, mode 700). Then a copy
of what the command needs — bin/, dist/ (the bundle holds every package it
runs: test/package-standalone.test.ts) and package.json — goes into a fresh
folder under the system temp folder, which that user can traverse. When even that is impossible (node itself is out of
reach, the temp folder is private), the test is skipped with the reason:
it never fails because of where the clone lives.
*/
type ReachableCommand =
	| {ok: true; bin: string; remove: () => void}
	| {ok: false; reason: string};

function canRun(uid: number, gid: number, bin: string): boolean {
	// The shim imports the bundle (dist/rugs-tui.js); --version runs it, reading package.json beside dist/.
	const probe = spawnSync(process.execPath, [bin, '--version'], {uid, gid, cwd: '/', stdio: 'ignore', timeout: 30_000});
	return probe.status === 0;
}

export function reachableCommand(uid: number, gid: number): ReachableCommand {
	if (canRun(uid, gid, binPath)) {
		return {ok: true, bin: binPath, remove() {/* The checkout itself: nothing to remove. */}};
	}

	if (spawnSync(process.execPath, ['-e', '0'], {uid, gid, cwd: '/', stdio: 'ignore'}).status !== 0) {
		return {ok: false, reason: `uid ${uid} cannot run node itself (${process.execPath})`};
	}

	const copy = mkdtempSync(path.join(tmpdir(), 'rugs-tui-reachable-'));
	const remove = () => {
		rmSync(copy, {recursive: true, force: true});
	};

	try {
		chmodSync(copy, 0o755);
		for (const part of ['bin', 'dist', 'package.json']) {
			cpSync(path.join(projectRoot, part), path.join(copy, part), {recursive: true});
		}
	} catch (error) {
		remove();
		return {ok: false, reason: `could not copy the command where uid ${uid} can reach it (${error instanceof Error ? error.message : String(error)})`};
	}

	const bin = path.join(copy, 'bin', 'rugs-tui.js');
	if (!canRun(uid, gid, bin)) {
		remove();
		return {ok: false, reason: `uid ${uid} cannot reach the checkout (${projectRoot}) nor a copy in ${tmpdir()}`};
	}

	return {ok: true, bin, remove};
}
