// Preloaded with `node --import` by the tmux test: on SIGUSR2 the process fails the way
// RUGS_TEST_FAULT says (an uncaught exception or an unhandled rejection), so the test can
// check that the TUI restores the terminal on those exit paths too.
process.on('SIGUSR2', () => {
	setImmediate(() => {
		if (process.env.RUGS_TEST_FAULT === 'rejection') {
			Promise.reject(new Error('injected unhandled rejection'));
			return;
		}

		throw new Error('injected uncaught exception');
	});
});
