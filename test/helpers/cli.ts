import {spawn, type ChildProcess, type SpawnOptions} from 'node:child_process';
import {binPath} from './project.js';

export type CliRun = {
	child: ChildProcess;
	/** Everything written so far. */
	stdout: () => string;
	stderr: () => string;
	/** Resolves with the exit code (or the signal's name) once the process has exited. */
	exited: Promise<{code: number | null; signal: NodeJS.Signals | null}>;
};

/**
Start the built command (`node bin/rugs-tui.js …`) as a real child process.
Callers must let it exit or kill it (tests do, in finally blocks).
*/
export function startCli(args: readonly string[], options: SpawnOptions & {stdoutToNull?: boolean} = {}): CliRun {
	const {stdoutToNull, ...spawnOptions} = options;
	const child = spawn(process.execPath, [binPath, ...args], {
		stdio: ['ignore', stdoutToNull === true ? 'ignore' : 'pipe', 'pipe'],
		...spawnOptions,
		env: {...process.env, CI: undefined, ...spawnOptions.env},
	});
	let out = '';
	let error = '';
	child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
		out += chunk;
	});
	child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
		error += chunk;
	});
	const exited = new Promise<{code: number | null; signal: NodeJS.Signals | null}>(resolve => {
		child.once('close', (code, signal) => {
			resolve({code, signal});
		});
	});
	return {child, stdout: () => out, stderr: () => error, exited};
}

/** Run to completion. */
export async function runCli(args: readonly string[], options: SpawnOptions & {stdoutToNull?: boolean} = {}): Promise<{code: number | null; stdout: string; stderr: string}> {
	const run = startCli(args, options);
	const {code} = await run.exited;
	return {code, stdout: run.stdout(), stderr: run.stderr()};
}

/** Kill a child that may still be running (cleanup). */
export function stopCli(run: CliRun | undefined): void {
	if (run?.child.exitCode === null && run.child.signalCode === null) {
		run.child.kill('SIGKILL');
	}
}
