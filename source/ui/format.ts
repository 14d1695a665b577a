import stringWidth from 'string-width';
import {cleanText} from '../protocol/untrusted-text.js';
import type {RecordingInfo} from './store.js';

/**
Pure formatting for the panes. Everything here works in terminal cells
(display width), not string length: a username full of wide characters or
emoji must not push a column out of line.
*/

const segmenter = new Intl.Segmenter();

/** Untrusted text made safe for the terminal (escape sequences and control characters removed). */
export function safe(value: unknown, maxLength = 200): string {
	return cleanText(value, maxLength);
}

/**
Characters the panes draw that always take one cell: printable ASCII and
Latin-1, dashes and ellipsis, ←↑→↓, box drawing and blocks (the chart, the
progress bars), ▲ ▼, ✓ ✕ ✗. A string of only these is as wide as it is long,
without string-width's grapheme walk (tested against string-width).
*/
export const singleCellCharacters = /^[\u0020-\u007E\u00A0-\u00AC\u00AE-\u00FF\u2010-\u2027\u2190-\u2193\u2500-\u259F\u25B2\u25BC\u2713\u2715\u2717]*$/;

/** Display width in terminal cells. */
export function widthOf(text: string): number {
	return singleCellCharacters.test(text) ? text.length : stringWidth(text);
}

/**
A number at the end of kept text when the cut falls in or right after it:
the digits go too, so what is left never shows part of a number (a cut "2.0…"
of 2.05x would read as 2.0).
*/
const numberAtEnd = /[-+]?\d[\d.,]*$/;

/**
Cut `text` to at most `width` cells, ending with '…' when cut. Never splits a
grapheme, and never cuts a number: when the cut would fall after a digit,
the whole number before it goes as well.
*/
export function truncate(text: string, width: number): string {
	if (width <= 0) {
		return '';
	}

	if (widthOf(text) <= width) {
		return text;
	}

	let result = '';
	let used = 0;
	for (const {segment} of segmenter.segment(text)) {
		const cells = stringWidth(segment);
		if (used + cells > width - 1) {
			break;
		}

		result += segment;
		used += cells;
	}

	// A number joined to one before it (2025-12, 1.5-2.0) is one number to cut away.
	while (/\d[.,]?$/.test(result)) {
		result = result.replace(numberAtEnd, '');
	}

	return `${result}…`;
}

/** Exactly `width` cells: truncated, then padded with spaces on the right (or left with `align: 'right'`). */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
	const cut = truncate(text, width);
	const pad = ' '.repeat(Math.max(0, width - stringWidth(cut)));
	return align === 'left' ? cut + pad : pad + cut;
}

/** 1234567 → "1,234,567" (toLocaleString is far slower, and this runs for every number of every frame). */
function thousands(value: number): string {
	const whole = Math.round(Math.abs(value)).toString();
	let grouped = '';
	for (let end = whole.length; end > 0; end -= 3) {
		grouped = end - 3 > 0 ? `,${whole.slice(end - 3, end)}${grouped}` : `${whole.slice(0, end)}${grouped}`;
	}

	return value < 0 && grouped !== '0' ? `-${grouped}` : grouped;
}

/*
Numbers: one formatter per kind of quantity (multiplier, SOL amount, token
quantity, percent, tick, time). Each gives the same number of decimals for
every value of its kind in the ranges the game uses, so numbers stacked in a
column line up when right-aligned; tiny values follow one rule per kind
instead of growing digits. Undefined or not finite reads '–'.
*/

const missing = '–';

function finite(value: number | undefined): value is number {
	return value !== undefined && Number.isFinite(value);
}

/**
A price multiplier: 2 decimals (1.00x, 23.46x), 1 from 100x (123.4x), whole
with separators from 1,000x. Below 0.1x (rug prices, 0.002–0.02) 2 significant
digits (0.0051x), since 0.00x would say nothing. `decimals` fixes the
decimals of a column instead (values too small for them read <0.01x).
*/
export function multiplier(value: number | undefined, decimals?: number): string {
	if (!finite(value)) {
		return missing;
	}

	if (Math.abs(value) >= 1000) {
		return `${thousands(value)}x`;
	}

	if (decimals !== undefined) {
		const text = value.toFixed(decimals);
		return value > 0 && Number(text) === 0 ? `<${(10 ** -decimals).toFixed(decimals)}x` : `${text}x`;
	}

	if (value >= 0.1 || value <= 0) {
		return `${value.toFixed(Math.abs(value) >= 100 ? 1 : 2)}x`;
	}

	return `${Number(value.toPrecision(2))}x`;
}

/**
A fixed-decimals amount: `decimals` places below 100,000, whole with separators
above. A value that is not zero but rounds to zero at those decimals reads
<0.0001 (or -<0.0001): never a zero that is not one.
*/
function fixed(value: number, decimals: number, signed: boolean): string {
	const sign = value > 0 && signed ? '+' : '';
	if (Math.abs(value) >= 100_000) {
		return sign + thousands(value);
	}

	const text = value.toFixed(decimals);
	if (value !== 0 && Number(text) === 0) {
		const least = (10 ** -decimals).toFixed(decimals);
		return value > 0 ? `${sign}<${least}` : `-<${least}`;
	}

	// -0.0000 is not a loss.
	return Number(text) === 0 ? (0).toFixed(decimals) : sign + text;
}

/**
Decimals of SOL amounts where the whole line is about one position (PnL of a
0.001 SOL bet moves in millionths) and in the tape and sidebet columns (bets
and trades start at 0.001 SOL).
*/
export const solDecimals = {position: 6, column: 4} as const;

/** A SOL amount with fixed decimals (default 4): 0.0010, 5.0000, <0.0001. */
export function sol(value: number | undefined, decimals: number = solDecimals.column): string {
	return finite(value) ? fixed(value, decimals, false) : missing;
}

/** A SOL amount with its sign: +0.012300, -0.000116, 0.000000. */
export function signedSol(value: number | undefined, decimals: number = solDecimals.column): string {
	return finite(value) ? fixed(value, decimals, true) : missing;
}

/** A token quantity (units worth 1 SOL at 1.00x), fixed decimals like SOL amounts. */
export function quantity(value: number | undefined, decimals = 4): string {
	return finite(value) ? fixed(value, decimals, false) : missing;
}

/** A percentage with its sign and one decimal (-11.6%, +400.0%); whole with separators from 1,000%. */
export function percent(value: number | undefined): string {
	if (!finite(value)) {
		return missing;
	}

	if (Math.abs(value) >= 1000) {
		return `${value > 0 ? '+' : ''}${thousands(value)}%`;
	}

	const text = value.toFixed(1);
	if (Number(text) === 0) {
		return '0.0%';
	}

	return value > 0 ? `+${text}%` : `${text}%`;
}

/**
A share of a whole (a fraction 0–1) as a percentage without a sign: 4.9%,
65% with `decimals` 0. Null (nothing to divide by) reads '–'. The statistics'
shares, where a sign would read as a change.
*/
export function share(fraction: number | null | undefined, decimals = 1): string {
	return fraction === null || fraction === undefined || !Number.isFinite(fraction) ? missing : `${(fraction * 100).toFixed(decimals)}%`;
}

/** A moment to the minute, in UTC: "2025-12-12 22:04 UTC" (`short`: "12-12 22:04"), from an ISO string or epoch ms. */
export function utcMinute(value: string | number | null | undefined, short = false): string {
	if (value === null || value === undefined) {
		return missing;
	}

	const date = new Date(value);
	if (Number.isNaN(date.getTime())) {
		return missing;
	}

	const iso = date.toISOString();
	return short ? iso.slice(5, 16).replace('T', ' ') : `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

/** A tick number. */
export function tick(value: number | undefined): string {
	return finite(value) ? String(Math.trunc(value)) : missing;
}

/** A whole count with thousands separators. */
export function count(value: number | undefined): string {
	return value === undefined || !Number.isFinite(value) ? '–' : thousands(value);
}

/** An age or duration: 0.3s, 12s, 3m04s, 2h05m. */
export function duration(ms: number | undefined): string {
	if (ms === undefined || !Number.isFinite(ms)) {
		return '–';
	}

	const seconds = Math.max(0, ms) / 1000;
	if (seconds < 10) {
		return `${seconds.toFixed(1)}s`;
	}

	if (seconds < 60) {
		return `${Math.floor(seconds)}s`;
	}

	const minutes = Math.floor(seconds / 60);
	if (minutes < 60) {
		return `${minutes}m${String(Math.floor(seconds % 60)).padStart(2, '0')}s`;
	}

	return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

const two = (value: number) => String(value).padStart(2, '0');

/** A time of day, local: 17:18:04 (the problem log, a replay's recorded time). */
export function clock(ts: number | undefined): string {
	if (!finite(ts)) {
		return missing;
	}

	const date = new Date(ts);
	return Number.isNaN(date.getTime()) ? missing : `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

/** Played time of a replay: 0:32, 12:05, 1:02:03. */
export function playTime(ms: number | undefined): string {
	if (!finite(ms)) {
		return missing;
	}

	const seconds = Math.floor(Math.max(0, ms) / 1000);
	const hours = Math.floor(seconds / 3600);
	const minutes = Math.floor((seconds % 3600) / 60);
	const rest = `${two(seconds % 60)}`;
	return hours > 0 ? `${hours}:${two(minutes)}:${rest}` : `${minutes}:${rest}`;
}

/**
Events per second, whole. Everything the panes show is as coarse as it can
usefully be: a display that changes only when what it means changes lets the
frame clock skip frames (see display-key.ts).
*/
export function rate(value: number): string {
	return value > 0 && value < 1 ? '<1' : value.toFixed(0);
}

/** How long ago the last event came: "<1s" while the feed flows, then whole seconds. */
export function age(ms: number | undefined): string {
	if (ms === undefined || !Number.isFinite(ms)) {
		return '–';
	}

	return ms < 1000 ? '<1s' : duration(Math.floor(ms / 1000) * 1000).replace('.0s', 's');
}

/** A countdown in whole seconds, rounded up (10.1 s left reads 11s). */
export function countdownSeconds(ms: number | undefined): string {
	return ms === undefined || !Number.isFinite(ms) ? '–' : `${Math.ceil(Math.max(0, ms) / 1000)}s`;
}

/**
The mark where shortId took the middle out of an id: not '…', which means
"cut" and, after a digit, "a number was cut".
*/
export const elided = '‥';

/** A long id or hash shortened to its start and end: 20251212-6114‥4b71 (did:privy:cmai‥fu4). */
export function shortId(value: string | undefined, width: number): string {
	if (value === undefined || value === '') {
		return '–';
	}

	const text = safe(value, 128);
	if (stringWidth(text) <= width || width < 7) {
		return truncate(text, width);
	}

	// Cells, not code units: an id full of emoji or wide characters is cut
	// between graphemes and keeps to its width.
	const tailCells = Math.floor((width - 1) / 3);
	const parts = [...segmenter.segment(text)].map(({segment}) => segment);
	const tail = takeCells(parts.toReversed(), tailCells).toReversed();
	const head = takeCells(parts.slice(0, parts.length - tail.length), width - 1 - widthOf(tail.join('')));
	return `${head.join('')}${elided}${tail.join('')}`;
}

/** The leading graphemes of `parts` that fit in `cells`. */
function takeCells(parts: string[], cells: number): string[] {
	const kept: string[] = [];
	let used = 0;
	for (const part of parts) {
		const partCells = stringWidth(part);
		if (used + partCells > cells) {
			break;
		}

		kept.push(part);
		used += partCells;
	}

	return kept;
}

/** The recording in a few characters: its size, or that it is failing or dropping lines. */
export function recordingText(recording: RecordingInfo): string {
	if (recording.failures > 0) {
		return `rec FAILING (${recording.failures})`;
	}

	const megabytes = recording.bytes / 1e6;
	const size = megabytes >= 10 ? megabytes.toFixed(0) : megabytes.toFixed(1);
	return recording.dropped > 0 ? `rec ${size} MB, ${count(recording.dropped)} dropped` : `rec ${size} MB`;
}

/** A problem's message as the terminal shows it: in the status bar, the problem log (e) and the summary on stderr at exit. */
export function problemMessage(message: string): string {
	return safe(message, 300);
}

/** Where a live source connects, short: the host (and port) of a URL, or a DevTools host:port as it is. */
export function endpointText(endpoint: string | undefined): string | undefined {
	if (endpoint === undefined || endpoint === '') {
		return undefined;
	}

	try {
		return safe(new URL(endpoint).host, 64) || safe(endpoint, 64);
	} catch {
		return safe(endpoint, 64);
	}
}

/** A file name without its folders. */
export function baseName(file: string): string {
	return safe(file.split(/[/\\]/).at(-1) ?? file, 120);
}
