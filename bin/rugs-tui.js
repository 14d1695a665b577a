#!/usr/bin/env node
// Thin shim. Colour must be decided before anything loads chalk (Ink's chalk
// ignores NO_COLOR), so it is settled here, first.
if ('NO_COLOR' in process.env || process.argv.includes('--no-color')) {
	process.env.FORCE_COLOR = '0';
}

// React and Ink check NODE_ENV when they load: without it they run their
// development builds (extra checks on every render, several times the CPU).
process.env.NODE_ENV ??= 'production';

await import('../dist/rugs-tui.js');
