import {setTimeout as sleep} from 'node:timers/promises';

/**
Wait until a condition holds, checking every few milliseconds, up to a
timeout: tests wait for what they need, never for a fixed time.
*/
export async function waitFor<T>(check: () => T | undefined | false | Promise<T | undefined | false>, options: {timeoutMs?: number; what?: string} = {}): Promise<T> {
	const deadline = Date.now() + (options.timeoutMs ?? 15_000);
	for (;;) {
		const value = await check();
		if (value !== undefined && value !== false) {
			return value;
		}

		if (Date.now() > deadline) {
			throw new Error(`timed out waiting for ${options.what ?? 'a condition'}`);
		}

		await sleep(10);
	}
}
