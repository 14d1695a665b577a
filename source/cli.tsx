import process from 'node:process';
import meow, {type AnyFlags} from 'meow';
import {parseCommand} from './app/commands.js';
import {resolveConfig} from './app/config-cli.js';
import {parseOptions, checkArguments, checkReplayFiles, defaultUrl, defaultCdp, defaultRecordMaxMb} from './app/options.js';
import {checkHistoryFiles} from './app/history-seed.js';
import {runExport} from './app/run-export.js';
import {runJson} from './app/run-json.js';
import {runStats} from './app/run-stats.js';
import {runSummarize} from './app/run-summarize.js';
import {runTui} from './app/run-tui.js';
import {defaultFps} from './ui/frame-rate.js';

const help = `
	Usage
	  $ rugs-tui [options]                 live monitor (terminal UI)
	  $ rugs-tui --replay FILE [--json]    replay a recording
	  $ rugs-tui summarize FILE...         one JSON line per game seen, with provably-fair checks
	  $ rugs-tui export FILE... --out DIR  games.csv and one tick series per game (CSV)
	  $ rugs-tui stats FILE... [--json]    rug ticks, peaks, survival and sidebets against the fairness model

	Sources
	  --source auto|direct|cdp|replay|demo   where events come from (default auto: your Chrome tab
	                         through CDP when one is open on rugs.fun, else the direct socket)
	  --demo                 embedded demo feed (no network)
	  --replay FILE          replay a recording (repeat for several files)
	  --speed N              replay speed: 1 = recorded cadence, 0 = as fast as possible (default 1)
	  --loop                 start the replay again after the last file (the monitor starts afresh)
	  --url URL              direct source URL (default ${defaultUrl})
	  --max-reconnects N     give up after N reconnection attempts (default unlimited)
	  --cdp [HOST:]PORT      Chrome DevTools address (default ${defaultCdp})
	  --target TEXT          attach to the tab whose URL contains TEXT (default rugs.fun)
	  --reload               reload the tab after attaching, for a clean start
	  --launch               start Chrome/Chromium (CHROME_PATH or the usual places) with a fresh
	                         temporary profile, open rugs.fun and watch it; closed and deleted on exit
	  --allow-remote-cdp     allow a non-loopback --cdp host (CDP is full control of that browser)

	Output
	  --json                 write every event as one JSON line on stdout (no UI)
	  --events a,b           keep only these event names
	  --record FILE          append every event to FILE as JSON lines (all events: --events does not filter it)
	  --record-dir DIR       record into DIR: rugs-YYYY-MM-DD.jsonl per UTC day, then -1, -2… by size
	  --record-max-mb N      with --record-dir: start the next file at N MB (default ${defaultRecordMaxMb})
	  --redact               for --json and recordings: drop auth events, replace player ids and
	                         usernames with per-run pseudonyms, strip credentials and trace ids

	Offline commands (read --record output and the Python recorders' formats)
	  --out DIR              export: folder for games.csv and ticks/<gameId>.csv

	Display
	  --player NAME          show NAME's position from the leaderboard
	  --fps N                redraw at most N times per second (default ${defaultFps})
	  --no-color             no colours (NO_COLOR is honoured too)
	  (in the monitor: 1-5 panes, p freeze, / filter trades, v provably fair, ? all keys, q quit)

	Alerts and statistics
	  --alert RULE           alert when RULE happens (repeat for several): price>=X (the multiplier
	                         reaches X, once a game), rug, player:NAME (a trade by NAME),
	                         unfair (a provably-fair check fails), silent:S (no event for S seconds)
	  --no-bell              alerts show in the status bar without ringing the terminal bell
	  --notify               alerts also send a desktop notification through the terminal (OSC 9/777)
	                         (with --json, each alert is one JSON line on stderr)
	  --history FILE         count the games of earlier recordings into the statistics (repeatable)

	Config file ($XDG_CONFIG_HOME/rugs-tui/config.json, else ~/.config/rugs-tui/config.json)
	  --config FILE          read the settings from FILE instead
	  --print-config         print the settings in force and where each came from, then exit
	  --save-config          write the settings in force (file and command line) to the file, then exit

	  --help                 show this help
	  --version              show the version
`;

const flags = {
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
	recordMaxMb: {type: 'number'},
	out: {type: 'string'},
	redact: {type: 'boolean'},
	player: {type: 'string'},
	fps: {type: 'number'},
	color: {type: 'boolean', default: true},
	alert: {type: 'string', isMultiple: true},
	bell: {type: 'boolean', default: true},
	notify: {type: 'boolean'},
	history: {type: 'string', isMultiple: true},
	config: {type: 'string'},
	printConfig: {type: 'boolean'},
	saveConfig: {type: 'boolean'},
} satisfies AnyFlags;

const cli = meow(help, {
	importMeta: import.meta,
	allowUnknownFlags: false,
	flags,
});

async function main(): Promise<number> {
	// A value flag without its value, for the monitor and the commands alike.
	const missingValue = checkArguments(process.argv.slice(2));
	if (missingValue !== undefined) {
		process.stderr.write(`rugs-tui: ${missingValue}\n`);
		return 2;
	}

	const {out, ...monitorFlags} = cli.flags;
	// color and bell default to true: only their --no- form would be a flag the commands do not take.
	const command = parseCommand(cli.input, {...monitorFlags, out, color: undefined, bell: undefined});
	if (command !== undefined) {
		if (!command.ok) {
			process.stderr.write(`rugs-tui: ${command.error}\n`);
			return 2;
		}

		const {name, files} = command.command;
		const io = {stdout: process.stdout, stderr: process.stderr};
		if (name === 'stats') {
			return runStats(files, io, {json: command.command.json === true});
		}

		return name === 'summarize' ? runSummarize(files, io) : runExport(files, command.command.out!, io);
	}

	// The config file's defaults under the command line's flags (app/config-file.ts); --print-config and --save-config end here.
	const resolved = resolveConfig({argv: process.argv.slice(2), specs: flags, cliFlags: monitorFlags, stdout: process.stdout, stderr: process.stderr});
	if (resolved.exit !== undefined) {
		return resolved.exit;
	}

	const parsed = parseOptions(resolved.flags);
	const error = parsed.ok ? checkReplayFiles(parsed.options.replayFiles) ?? checkHistoryFiles(parsed.options.historyFiles) : parsed.error;
	if (error !== undefined || !parsed.ok) {
		process.stderr.write(`rugs-tui: ${error ?? 'invalid options'}\n`);
		return 2;
	}

	const {options} = parsed;
	if (!options.json && process.stdout.isTTY) {
		const code = await runTui(options, {stdin: process.stdin, stdout: process.stdout, stderr: process.stderr});
		// The terminal is restored; a source that does not let go must not keep the process alive.
		setTimeout(() => {
			process.exit(code);
		}, 2000).unref();
		return code;
	}

	if (!options.json) {
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
