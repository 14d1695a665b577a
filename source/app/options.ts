import {accessSync, constants, statSync} from 'node:fs';
import {defaultDirCodec, recordCodecs, type RecordCodec} from '../record/record-codec.js';
import {parseRules, type AlertRule} from '../analyze/alert-rules.js';
import {defaultMaxFileMb} from '../record/record-files.js';
import {defaultFps, maxFps, minFps} from '../ui/frame-rate.js';
import {classifyHost} from '../sources/cdp-address.js';
import type {FlagValues} from './cli-flags.js';

/**
The monitor's options, checked once: every problem with the command line is
reported with what to do, before anything connects.
*/

export type SourceChoice = 'auto' | 'direct' | 'cdp' | 'replay' | 'demo';
const sourceChoices: readonly SourceChoice[] = ['auto', 'direct', 'cdp', 'replay', 'demo'];

export const defaultUrl = 'https://backend.rugs.fun?frontend-version=1.0';
export const defaultCdp = '127.0.0.1:9222';
/** Size at which `--record-dir` starts the next file of the day, in MB: the recorder's own default. */
export const defaultRecordMaxMb = defaultMaxFileMb;

export type Options = {
	source: SourceChoice;
	replayFiles: string[];
	speed: number;
	loop: boolean;
	json: boolean;
	events: Set<string> | undefined;
	recordFile: string | undefined;
	recordDir: string | undefined;
	recordMaxMb: number;
	/** How `--record-dir` stores its files (`--record FILE`: the suffix decides). */
	recordCompress: RecordCodec;
	player: string | undefined;
	fps: number;
	color: boolean;
	url: string;
	maxReconnects: number | undefined;
	cdpHost: string;
	cdpPort: number;
	target: string;
	reload: boolean;
	launch: boolean;
	allowRemoteCdp: boolean;
	redact: boolean;
	/** `--alert RULE`s (analyze/alert-rules.ts); `--no-bell`, `--notify`; `--history FILE`s seeding the statistics. */
	alerts: AlertRule[];
	bell: boolean;
	notify: boolean;
	historyFiles: string[];
};

/** The flags as the command line gave them (./cli-args.ts, camel-cased), `--out` and the rest included: they are ignored here. */
export type RawFlags = FlagValues;

type ParsedOptions = {ok: true; options: Options} | {ok: false; error: string};

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

function isLoopbackHost(host: string): boolean {
	return loopbackHosts.has(host.toLowerCase()) || /^127(?:\.\d{1,3}){3}$/.test(host);
}

const cdpForm = 'expected [HOST:]PORT, for example 9222 or 127.0.0.1:9222';

/** A host given without a port: a name with a dot, `localhost`, or an IPv6 address in brackets (`notaport` is none of them). */
function looksLikeHost(text: string): boolean {
	return text.includes('.') || text.toLowerCase() === 'localhost' || /^\[[^\]]+]$/.test(text);
}

/**
`[HOST:]PORT` as --help says, or a HOST alone (port 9222) when it is
recognisably one; undefined or empty for the default 127.0.0.1:9222. A string
is the error.
*/
export function parseCdpAddress(value: string | undefined): {host: string; port: number} | string {
	const text = (value ?? '').trim() || defaultCdp;
	let host = '127.0.0.1';
	let portText = '9222';
	const bracketed = /^(\[[^\]]*])(?::(.*))?$/.exec(text);
	if (bracketed !== null) {
		host = bracketed[1]!;
		portText = bracketed[2] ?? portText;
	} else if (text.includes(':')) {
		const colon = text.lastIndexOf(':');
		host = text.slice(0, colon);
		portText = text.slice(colon + 1);
		if (host.includes(':')) {
			return `--cdp ${text}: put an IPv6 address in brackets, for example [::1]:9222`;
		}

		if (host === '') {
			return `--cdp ${text}: no host before the colon; ${cdpForm}`;
		}
	} else if (/^\d+$/.test(text)) {
		portText = text;
	} else if (looksLikeHost(text)) {
		host = text;
	} else {
		return `--cdp ${text}: not a port; ${cdpForm} (a host alone needs a dot, or give HOST:PORT)`;
	}

	if (!/^\d+$/.test(portText)) {
		return `--cdp ${text}: ${portText === '' ? 'no port after the colon' : `${portText} is not a port`}; ${cdpForm}`;
	}

	const port = Number(portText);
	if (!Number.isInteger(port) || port < 1 || port > 65_535) {
		return `--cdp ${text}: port must be 1–65535`;
	}

	return {host, port};
}

function fail(error: string): ParsedOptions {
	return {ok: false, error};
}

/** A number flag's value as the user will recognise it (the parser turns `--speed abc` into NaN). */
function shown(value: number | undefined): string {
	return value === undefined || Number.isNaN(value) ? '(not a number)' : String(value);
}

/** Each replay file must be a readable file; say which is not, before anything starts. */
export function checkReplayFiles(files: readonly string[]): string | undefined {
	for (const file of files) {
		if (file === '-') {
			// Standard input (readers: source/sources/recording-bytes.ts): there is nothing to stat, and it can be read once.
			if (files.filter(name => name === '-').length > 1) {
				return '--replay -: standard input can be read only once';
			}

			continue;
		}

		try {
			if (statSync(file).isDirectory()) {
				return `--replay ${file}: is a directory; give a recording file`;
			}

			accessSync(file, constants.R_OK);
		} catch (error) {
			const {code} = (error as NodeJS.ErrnoException);
			return code === 'ENOENT'
				? `--replay ${file}: no such file`
				: `--replay ${file}: cannot read it (${code ?? String(error)}); check the path and its permissions`;
		}
	}

	return undefined;
}

export function parseOptions(flags: RawFlags): ParsedOptions {
	// The command line refuses these first (cli-args.ts); callers that build flags themselves get the same rule.
	for (const [flag, value] of [['--source', flags.source], ['--url', flags.url], ['--cdp', flags.cdp], ['--target', flags.target], ['--player', flags.player], ['--events', flags.events]] as const) {
		if (value?.trim() === '') {
			return fail(`${flag}: an empty value (is a shell variable unset?); give one, or leave the flag out`);
		}
	}

	const replayFiles = flags.replay ?? [];
	if (replayFiles.some(file => file.trim() === '')) {
		// An unset $FILE must not quietly become the live feed.
		return fail('--replay: an empty file name (is a shell variable unset?); give a recording file');
	}

	let source = (flags.source ?? 'auto') as SourceChoice;
	if (!sourceChoices.includes(source)) {
		return fail(`--source ${flags.source}: expected one of ${sourceChoices.join(', ')}`);
	}

	if (flags.demo === true) {
		if (flags.source !== undefined && source !== 'demo') {
			return fail(`--demo cannot be combined with --source ${source}`);
		}

		source = 'demo';
	}

	if (replayFiles.length > 0) {
		if (flags.source !== undefined && source !== 'replay') {
			return fail(`--replay cannot be combined with --source ${source}`);
		}

		if (flags.demo === true) {
			return fail('--replay cannot be combined with --demo');
		}

		source = 'replay';
	} else if (source === 'replay') {
		return fail('--source replay needs --replay FILE');
	}

	if (flags.launch === true) {
		// --launch means watching the browser it launches: CDP, or auto (that browser first, direct as fallback).
		if (source !== 'cdp' && source !== 'auto') {
			return fail(`--launch watches the browser it starts, so it cannot be combined with ${flags.source === undefined ? `--${source}` : `--source ${source}`}`);
		}

		if (flags.cdp !== undefined) {
			return fail('--launch picks a free DevTools port itself: drop --cdp (or drop --launch to attach to a Chrome you started)');
		}

		if (flags.source === undefined) {
			source = 'cdp';
		}
	}

	if (flags.loop === true && replayFiles.includes('-')) {
		return fail('--loop cannot replay standard input again (--replay -): give a file to loop over');
	}

	const speed = flags.speed ?? 1;
	if (!Number.isFinite(speed) || speed < 0) {
		return fail(`--speed ${shown(flags.speed)}: expected a number ≥ 0 (1 = recorded cadence, 0 = as fast as possible)`);
	}

	const fps = flags.fps ?? defaultFps;
	if (!Number.isFinite(fps) || fps < minFps || fps > maxFps) {
		return fail(`--fps ${shown(flags.fps)}: expected ${minFps}–${maxFps}`);
	}

	const {maxReconnects} = flags;
	if (maxReconnects !== undefined && (!Number.isInteger(maxReconnects) || maxReconnects < 0)) {
		return fail(`--max-reconnects ${shown(maxReconnects)}: expected a whole number ≥ 0`);
	}

	if (flags.record !== undefined && flags.recordDir !== undefined) {
		return fail('--record and --record-dir cannot be combined: choose one file or one rotating directory');
	}

	if (flags.record === '' || flags.recordDir === '') {
		return fail(`${flags.record === '' ? '--record' : '--record-dir'}: expected a path, for example --record session.jsonl or --record-dir recordings`);
	}

	const recordMaxMb = flags.recordMaxMb ?? defaultRecordMaxMb;
	if (!Number.isFinite(recordMaxMb) || recordMaxMb <= 0) {
		return fail(`--record-max-mb ${shown(flags.recordMaxMb)}: expected a size in MB greater than 0 (default ${defaultRecordMaxMb})`);
	}

	if (flags.recordMaxMb !== undefined && flags.recordDir === undefined) {
		return fail('--record-max-mb only applies to --record-dir (a single --record file is never rotated)');
	}

	const recordCompress = (flags.recordCompress ?? defaultDirCodec) as RecordCodec;
	if (!recordCodecs.includes(recordCompress)) {
		return fail(`--record-compress ${flags.recordCompress}: expected one of ${recordCodecs.join(', ')} (default ${defaultDirCodec})`);
	}

	if (flags.recordCompress !== undefined && flags.recordDir === undefined) {
		return fail('--record-compress only applies to --record-dir (with --record FILE the name decides: FILE.jsonl.gz, FILE.jsonl.br or plain)');
	}

	const cdp = parseCdpAddress(flags.cdp);
	if (typeof cdp === 'string') {
		return fail(cdp);
	}

	// Text that only looks like an IP (127.999.999.999) is no address at all: refused before any lookup.
	const host = classifyHost(cdp.host);
	if (host.kind === 'invalid') {
		return fail(`--cdp ${cdp.host}: ${host.reason}`);
	}

	if (!isLoopbackHost(cdp.host) && flags.allowRemoteCdp !== true) {
		return fail(`--cdp ${cdp.host}: refusing a non-loopback DevTools host (CDP is full control of that browser); add --allow-remote-cdp if you mean it`);
	}

	const url = flags.url ?? defaultUrl;
	try {
		const parsed = new URL(url);
		if (!['http:', 'https:', 'ws:', 'wss:'].includes(parsed.protocol)) {
			return fail(`--url ${url}: expected an http(s) or ws(s) URL`);
		}
	} catch {
		return fail(`--url ${url}: not a valid URL`);
	}

	const events = flags.events === undefined
		? undefined
		: new Set(flags.events.split(',').map(name => name.trim()).filter(name => name !== ''));
	if (events?.size === 0) {
		return fail('--events: expected a comma-separated list of event names, for example gameStateUpdate,standard/newTrade');
	}

	const alerts = parseRules(flags.alert ?? []);
	if ('error' in alerts) {
		return fail(`--alert ${alerts.error}`);
	}

	const player = flags.player?.trim();
	return {
		ok: true,
		options: {
			source,
			replayFiles,
			speed,
			loop: flags.loop ?? false,
			json: flags.json ?? false,
			events,
			recordFile: flags.record,
			recordDir: flags.recordDir,
			recordMaxMb,
			recordCompress,
			player: player === '' ? undefined : player,
			fps,
			color: flags.noColor !== true,
			url,
			maxReconnects,
			cdpHost: cdp.host,
			cdpPort: cdp.port,
			target: flags.target ?? 'rugs.fun',
			reload: flags.reload ?? false,
			launch: flags.launch ?? false,
			allowRemoteCdp: flags.allowRemoteCdp ?? false,
			redact: flags.redact ?? false,
			alerts: alerts.rules,
			bell: flags.noBell !== true,
			notify: flags.notify ?? false,
			historyFiles: (flags.history ?? []).filter(file => file !== ''),
		},
	};
}
