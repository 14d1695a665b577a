import process from 'node:process';
import meow from 'meow';
import {parseOptions, checkArguments, checkReplayFiles, defaultFps, defaultUrl, defaultCdp} from './app/options.js';
import {runJson} from './app/run-json.js';

const help = `
	Usage
	  $ rugs-tui [options]                 live monitor (terminal UI)
	  $ rugs-tui --replay FILE [--json]    replay a recording

	Sources
	  --source auto|direct|cdp|replay|demo   where events come from (default auto)
	  --demo                 embedded demo feed (no network)
	  --replay FILE          replay a recording (repeat for several files)
	  --speed N              replay speed: 1 = recorded cadence, 0 = as fast as possible (default 1)
	  --loop                 start the replay again after the last file
	  --url URL              direct source URL (default ${defaultUrl})
	  --max-reconnects N     give up after N reconnection attempts (default unlimited)
	  --cdp [HOST:]PORT      Chrome DevTools address (default ${defaultCdp})
	  --target TEXT          attach to the tab whose URL contains TEXT (default rugs.fun)
	  --reload               reload the tab after attaching, for a clean start
	  --launch               start Chrome/Chromium with a fresh profile and open rugs.fun
	  --allow-remote-cdp     allow a non-loopback --cdp host

	Output
	  --json                 write every event as one JSON line on stdout (no UI)
	  --events a,b           keep only these event names
	  --record FILE          append every event to FILE as JSON lines
	  --record-dir DIR       record into DIR, one file per day, rotated by size
	  --redact               drop auth events and player identifiers from output and recordings

	Display
	  --player NAME          show NAME's position from the leaderboard
	  --fps N                redraw at most N times per second (default ${defaultFps})
	  --no-color             no colours (NO_COLOR is honoured too)

	  --help                 show this help
	  --version              show the version
`;

const cli = meow(help, {
	importMeta: import.meta,
	allowUnknownFlags: false,
	flags: {
		source: {type: 'string'},
		demo: {type: 'boolean'},
		replay: {type: 'string', isMultiple: true},
		speed: {type: 'number'},
		loop: {type: 'boolean'},
		url: {type: 'string'},
		maxReconnects: {type: 'number'},
		cdp: {type: 'string'},
		target: {type: 'string'},
		reload: {type: 'boolean'},
		launch: {type: 'boolean'},
		allowRemoteCdp: {type: 'boolean'},
		json: {type: 'boolean'},
		events: {type: 'string'},
		record: {type: 'string'},
		recordDir: {type: 'string'},
		redact: {type: 'boolean'},
		player: {type: 'string'},
		fps: {type: 'number'},
		color: {type: 'boolean', default: true},
	},
});

async function main(): Promise<number> {
	const parsed = parseOptions(cli.flags);
	const error = checkArguments(process.argv.slice(2), cli.input)
		?? (parsed.ok ? checkReplayFiles(parsed.options.replayFiles) : parsed.error);
	if (error !== undefined || !parsed.ok) {
		process.stderr.write(`rugs-tui: ${error ?? 'invalid options'}\n`);
		return 2;
	}

	const {options} = parsed;
	if (!options.json && process.stdout.isTTY !== true) {
		process.stderr.write('rugs-tui: stdout is not a terminal; writing events as JSON lines (as --json does)\n');
	}

	return runJson(options, {stdout: process.stdout, stderr: process.stderr});
}

try {
	const code = await main();
	if (code === 130 || code === 143) {
		// Ended by a signal: do not linger for output a stalled reader may never take.
		process.exit(code);
	}

	process.exitCode = code;
} catch (error) {
	process.stderr.write(`rugs-tui: ${error instanceof Error ? error.message : String(error)}\n`);
	process.exitCode = 1;
}
