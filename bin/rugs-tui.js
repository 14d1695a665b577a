#!/usr/bin/env node
// Thin shim. Colour must be decided before anything loads chalk (Ink's chalk
// ignores NO_COLOR), so it is settled here, first.
if ('NO_COLOR' in process.env || process.argv.includes('--no-color')) {
	process.env.FORCE_COLOR = '0';
}

await import('../dist/cli.js');
