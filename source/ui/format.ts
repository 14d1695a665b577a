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

/** Cut `text` to at most `width` cells, ending with '…' when cut. Never splits a grapheme. */
export function truncate(text: string, width: number): string {
	if (width <= 0) {
		return '';
	}

	if (stringWidth(text) <= width) {
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

	return `${result}…`;
}

/** Exactly `width` cells: truncated, then padded with spaces on the right (or left with `align: 'right'`). */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
	const cut = truncate(text, width);
	const pad = ' '.repeat(Math.max(0, width - stringWidth(cut)));
	return align === 'left' ? cut + pad : pad + cut;
}

/** 1234567 → "1,234,567" (toLocaleString is far slower, and this runs for every number of every frame). */
export function thousands(value: number): string {
	const whole = Math.round(Math.abs(value)).toString();
	let grouped = '';
	for (let end = whole.length; end > 0; end -= 3) {
		grouped = end - 3 > 0 ? `,${whole.slice(end - 3, end)}${grouped}` : `${whole.slice(0, end)}${grouped}`;
	}

	return value < 0 && grouped !== '0' ? `-${grouped}` : grouped;
}

/** Significant digits that keep small SOL amounts and multipliers readable. */
function compact(value: number, digits: number): string {
	const abs = Math.abs(value);
	if (abs === 0) {
		return '0';
	}

	if (abs >= 10 ** digits) {
		return thousands(value);
	}

	if (abs >= 1) {
		return value.toFixed(Math.max(0, digits - 1 - Math.floor(Math.log10(abs))));
	}

	return Number(value.toPrecision(digits - 1)).toString();
}

/** A price multiplier: 1.00x, 23.4x, 0.0051x. */
export function multiplier(value: number | undefined): string {
	if (value === undefined || !Number.isFinite(value)) {
		return '–';
	}

	if (value >= 1000) {
		return `${thousands(value)}x`;
	}

	return value >= 0.1 ? `${value.toFixed(value >= 100 ? 1 : 2)}x` : `${Number(value.toPrecision(2))}x`;
}

/** A SOL amount or token quantity with about four significant digits. */
export function amount(value: number | undefined): string {
	return value === undefined || !Number.isFinite(value) ? '–' : compact(value, 4);
}

/** A signed SOL amount: +0.0123, -0.5. */
export function signedAmount(value: number | undefined): string {
	if (value === undefined || !Number.isFinite(value)) {
		return '–';
	}

	return value > 0 ? `+${compact(value, 4)}` : compact(value, 4);
}

export function percent(value: number | undefined): string {
	if (value === undefined || !Number.isFinite(value)) {
		return '–';
	}

	const text = Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(1);
	return value > 0 ? `+${text}%` : `${text}%`;
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

/** A long id or hash shortened to its start and end: 20251212-6114…4b71. */
export function shortId(value: string | undefined, width: number): string {
	if (value === undefined || value === '') {
		return '–';
	}

	const text = safe(value, 128);
	if (stringWidth(text) <= width || width < 7) {
		return truncate(text, width);
	}

	const tail = Math.floor((width - 1) / 3);
	return `${text.slice(0, width - 1 - tail)}…${text.slice(-tail)}`;
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
