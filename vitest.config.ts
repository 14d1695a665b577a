import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.{ts,tsx}'],
		testTimeout: 30_000,
		hookTimeout: 60_000,
		// Integration tests start servers, terminals and browsers: keep the 2-core CI machine unhurried.
		maxWorkers: 2,
		fileParallelism: true,
	},
});
