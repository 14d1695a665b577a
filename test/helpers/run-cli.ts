import {spawn, type ChildProcessWithoutNullStreams} from 'node:child_process';
import {existsSync} from 'node:fs';
import path from 'node:path';
import {binPath, projectRoot} from './project.js';

type CliResult = {code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string};

/** The built command must exist: `npm test` builds first; alone, run `npm run build`. */
export function assertBuilt(): void {
	if (!existsSync(path.join(projectRoot, 'dist/rugs-tui.js'))) {
		throw new Error('dist/rugs-tui.js (the bundle bin/ runs) is missing: run `npm run build` first (npm test does)');
	}
}

/** Start `node bin/rugs-tui.js ARGS` with colour off and CI unset. */
export function startCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): ChildProcessWithoutNullStreams {
	assertBuilt();
	const childEnv: NodeJS.ProcessEnv = {...process.env, FORCE_COLOR: '0', ...env};
	delete childEnv['CI'];
	return spawn(process.execPath, [binPath, ...args], {cwd: projectRoot, env: childEnv});
}

/** Run the command to its end (killed, and the test failed, after `timeoutMs`). */
export async function runCli(args: readonly string[], {timeoutMs = 60_000, env = {}}: {timeoutMs?: number; env?: NodeJS.ProcessEnv} = {}): Promise<CliResult> {
	const child = startCli(args, env);
	let stdout = '';
	let stderr = '';
	child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
		stdout += chunk;
	});
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
		stderr += chunk;
	});
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`rugs-tui ${args.join(' ')} did not finish within ${timeoutMs} ms; stderr: ${stderr.slice(-2000)}`));
		}, timeoutMs);
		child.on('error', error => {
			clearTimeout(timer);
			reject(error);
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			resolve({code, signal, stdout, stderr});
		});
	});
}

/** Non-empty lines of a text. */
export function linesOf(text: string): string[] {
	return text.split('\n').filter(line => line !== '');
}
