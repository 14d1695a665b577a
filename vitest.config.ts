import os from 'node:os';
import path from 'node:path';
import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.{ts,tsx}'],
		testTimeout: 30_000,
		hookTimeout: 60_000,
		// Integration tests start servers, terminals and browsers: keep the 2-core CI machine unhurried.
		maxWorkers: 2,
		fileParallelism: true,
		env: {
			// The developer's own ~/.config/rugs-tui/config.json must not change what a test sees: every
			// command a test starts (they inherit this) finds no config file unless the test writes one.
			XDG_CONFIG_HOME: path.join(os.tmpdir(), `rugs-tui-test-config-${process.pid}-absent`),
		},
	},
});
