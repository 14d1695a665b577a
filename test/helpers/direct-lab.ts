import {afterEach} from 'vitest';
import {createDirectSource, type DirectSource, type DirectSourceOptions} from '../../source/sources/direct.js';
import type {BusRecorder} from './bus-recorder.js';
import {startSocketServer, type TestServer, type TestServerOptions} from './socket-server.js';

/** Quick retries, so tests spend no time waiting; the schedule itself is tested in direct-backoff. */
export const quickRetries = {backoff: {minMs: 20, maxMs: 100}} satisfies Partial<DirectSourceOptions>;

type DirectLab = {
	/** Run `cleanup` after the current test (last registered, first run). */
	defer(cleanup: () => Promise<unknown>): void;
	/** A real socket.io server on 127.0.0.1, closed after the test. */
	serve(options?: TestServerOptions): Promise<TestServer>;
	/** The direct source on `recorder`'s bus, started now and stopped after the test. */
	connect(recorder: BusRecorder, options: DirectSourceOptions): DirectSource;
};

/** What the direct-source tests share: servers and sources that are closed after each test. Call at module level. */
export function setUpDirectLab(): DirectLab {
	const cleanups: Array<() => Promise<unknown>> = [];
	afterEach(async () => {
		for (const cleanup of cleanups.splice(0).toReversed()) {
			await cleanup();
		}
	});
	const defer = (cleanup: () => Promise<unknown>) => {
		cleanups.push(cleanup);
	};

	return {
		defer,
		async serve(options = {}) {
			const server = await startSocketServer(options);
			defer(async () => server.close());
			return server;
		},
		connect(recorder, options) {
			const source = createDirectSource(recorder.bus, options);
			defer(async () => source.stop());
			source.start();
			return source;
		},
	};
}
