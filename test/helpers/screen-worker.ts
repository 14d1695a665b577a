import {Worker} from 'node:worker_threads';
import type {Problem, SourceStatus} from '../../source/bus/messages.js';
import type {Size} from '../../source/ui/layout.js';
import type {Step} from './feed-arbitraries.js';

export type ScreenInput = {
	steps: readonly Step[];
	problems?: ReadonlyArray<Pick<Problem, 'kind' | 'message'>>;
	status?: Omit<SourceStatus, 'source' | 'ts'>;
	size: Size;
	view?: 'app' | 'fair';
};

/**
Draws screens in a worker thread with a deadline: a render that does not
finish in time is a hang, and the worker is terminated and the test fails —
a synchronous endless loop in the main thread would stall the whole test run
(no timeout can interrupt it). Stop it in afterAll.
*/
export class ScreenWorker {
	#worker: Worker | undefined;
	#next = 0;

	async draw(input: ScreenInput, timeoutMs = 10_000): Promise<{output: string; internalErrors: number}> {
		this.#worker ??= new Worker(new URL('screen-worker.mjs', import.meta.url));
		const worker = this.#worker;
		const id = ++this.#next;
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => {
				worker.off('message', onMessage);
				this.#worker = undefined;
				void worker.terminate();
				reject(new Error(`drawing the screen did not finish within ${timeoutMs} ms: a hang`));
			}, timeoutMs);
			const onMessage = (message: {id: number; result?: {output: string; internalErrors: number}; error?: string}) => {
				if (message.id !== id) {
					return;
				}

				clearTimeout(timer);
				worker.off('message', onMessage);
				if (message.error === undefined) {
					resolve(message.result!);
				} else {
					// A render that threw may leave React and Ink in a state the next one should not inherit.
					this.#worker = undefined;
					void worker.terminate();
					reject(new Error(`drawing the screen threw: ${message.error}`));
				}
			};

			worker.on('message', onMessage);
			worker.postMessage({id, input});
		});
	}

	async stop(): Promise<void> {
		await this.#worker?.terminate();
		this.#worker = undefined;
	}
}
