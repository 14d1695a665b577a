import {spawn, type ChildProcess, type ChildProcessWithoutNullStreams, type SpawnOptions} from 'node:child_process';
import {existsSync} from 'node:fs';
import path from 'node:path';
import {binPath, projectRoot} from './project.js';

/*
The one way tests run the built command (`node bin/rugs-tui.js …`) as a real
child process: in the project folder, colour off (FORCE_COLOR=0) and CI unset
(Ink prints only its last frame under CI), stdin /dev/null unless asked.
- spawnCli: the bare child, nothing attached, stdin a pipe (for tests of
  back-pressure that read stdout themselves, or that write stdin);
- startCli: the child with its output collected, and a promise of its exit;
- runCli: run it to its end, killed (and the test failed) after a timeout.
Tests that need a pty, a network namespace or a tmpfs spawn their own.
*/

type CliOptions = SpawnOptions & {
	/** stdout to /dev/null (startCli, runCli): for runs that write more than a test should hold. */
	stdoutToNull?: boolean;
	/** Another copy of the command's shim (the packed one) instead of the project's bin/rugs-tui.js. */
	bin?: string;
};

export type CliRun = {
	child: ChildProcess;
	/** Everything written so far. */
	stdout: () => string;
	stderr: () => string;
	/** Resolves with the exit code (or the signal) once the process has exited and its pipes are closed. */
	exited: Promise<{code: number | null; signal: NodeJS.Signals | null}>;
};

type CliResult = {code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string};

/** The built command must exist: `npm test` builds first; alone, run `npm run build`. */
export function assertBuilt(): void {
	if (!existsSync(path.join(projectRoot, 'dist/rugs-tui.js'))) {
		throw new Error('dist/rugs-tui.js (the bundle bin/ runs) is missing: run `npm run build` first (npm test does)');
	}
}

function spawnOptions(options: CliOptions): SpawnOptions {
	const {stdoutToNull, bin: _bin, ...rest} = options;
	const env: NodeJS.ProcessEnv = {...process.env, FORCE_COLOR: '0', ...rest.env};
	if (rest.env?.['CI'] === undefined) {
		delete env['CI'];
	}

	return {cwd: projectRoot, stdio: ['ignore', stdoutToNull === true ? 'ignore' : 'pipe', 'pipe'], ...rest, env};
}

/** The bare child: stdin, stdout and stderr are pipes nobody writes or reads yet. */
export function spawnCli(args: readonly string[], options: Omit<CliOptions, 'stdio' | 'stdoutToNull'> = {}): ChildProcessWithoutNullStreams {
	assertBuilt();
	return spawn(process.execPath, [options.bin ?? binPath, ...args], {...spawnOptions(options), stdio: 'pipe'});
}

/** Start the command with its output collected. Callers let it exit or stop it (stopCli, in a finally or afterEach). */
export function startCli(args: readonly string[], options: CliOptions = {}): CliRun {
	assertBuilt();
	const child = spawn(process.execPath, [options.bin ?? binPath, ...args], spawnOptions(options));
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

/** Run the command to its end; killed, and the promise rejected with its stderr, after `timeoutMs`. */
export async function runCli(args: readonly string[], {timeoutMs = 60_000, ...options}: CliOptions & {timeoutMs?: number} = {}): Promise<CliResult> {
	const run = startCli(args, options);
	let timer: NodeJS.Timeout | undefined;
	const timedOut = new Promise<never>((_resolve, reject) => {
		timer = setTimeout(() => {
			run.child.kill('SIGKILL');
			reject(new Error(`rugs-tui ${args.join(' ')} did not finish within ${timeoutMs} ms; stderr: ${run.stderr().slice(-2000)}`));
		}, timeoutMs);
	});
	const failed = new Promise<never>((_resolve, reject) => {
		run.child.once('error', reject);
	});
	try {
		const {code, signal} = await Promise.race([run.exited, timedOut, failed]);
		return {code, signal, stdout: run.stdout(), stderr: run.stderr()};
	} finally {
		clearTimeout(timer);
	}
}

/** Kill a child that may still be running (cleanup). */
export function stopCli(run: CliRun | undefined): void {
	if (run?.child.exitCode === null && run.child.signalCode === null) {
		run.child.kill('SIGKILL');
	}
}

/** Non-empty lines of a text. */
export function linesOf(text: string): string[] {
	return text.split('\n').filter(line => line !== '');
}
