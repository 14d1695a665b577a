/*
Preloaded with `node --import` by test/cli-lazy-loading.test.ts: writes the URL
of every module the ESM loader loads, one a line, to the file named by
RUGS_TUI_MODULE_LOG. The same file is the hooks module: Node runs it again in
its hooks thread, where it records instead of registering.
*/
import {appendFileSync} from 'node:fs';
import {register} from 'node:module';
import {isMainThread} from 'node:worker_threads';

let logFile;

if (isMainThread && process.env.RUGS_TUI_MODULE_LOG) {
	register(import.meta.url, {data: process.env.RUGS_TUI_MODULE_LOG});
}

export function initialize(file) {
	logFile = file;
}

export async function load(url, context, nextLoad) {
	if (logFile !== undefined) {
		appendFileSync(logFile, `${url}\n`);
	}

	return nextLoad(url, context);
}
