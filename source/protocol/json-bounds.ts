import {cleanText} from './untrusted-text.js';
import {errorText} from './error-text.js';

/**
Bounds on the shape of feed JSON, checked before the work that shape makes costly.

JSON.parse reads nesting of any depth, but at a price per container far above
the price per byte of ordinary data: 16 MB of arrays nested 8 million deep take
about 2 s and 850 MB to parse, and every later walk of the value (the NDJSON
writer's stringify, the recorder's) costs more again. The feed itself nests 6
deep and holds about 2,500 arrays and objects per megabyte. So a frame (or a
recording line) may nest at most `maxJsonDepth` levels and hold at most
`maxJsonContainers` arrays and objects; anything beyond is bad input, rejected
and counted, before it reaches JSON.parse when that is where the cost is.

How, without paying a scan of the text on every frame (a string-aware scan in
JavaScript costs a quarter to a half of JSON.parse itself):

1. Text shorter than the depth bound cannot exceed it: nothing to do.
2. Count the `[` and `{` characters (String#indexOf, a native search): that
   count bounds both the depth and the number of containers from above
   (brackets inside strings only add to it). At most `maxJsonDepth`: proven
   within bounds. Nearly every frame of the feed ends here.
3. More than `maxJsonContainers`: the text could be the expensive kind, so it
   is scanned exactly (strings skipped) before any parse, and rejected if it
   nests too deep or holds too many containers.
4. In between, parsing is bounded (at most `maxJsonContainers` containers), so
   the text is parsed and the value walked (recursion stops at the depth bound).
*/

/** Deepest nesting accepted: the outermost array or object is level 1. The feed nests 6 deep. */
export const maxJsonDepth = 1000;
/** Most arrays and objects one text may hold; real frames hold about 2,500 per MB (and reach ~530 KB). */
export const maxJsonContainers = 65_536;

/** What the cheap look at the text decided. */
type DepthScreen =
	/** Within both bounds, proven from the text alone. */
	| 'ok'
	/** Parsing is bounded: parse, then check the value with `valueTooDeep`. */
	| 'check-value'
	/** Rejected: the reason, for an error report. */
	| {rejected: string};

const openBracket = 91;
const closeBracket = 93;
const openBrace = 123;
const closeBrace = 125;
const quote = 34;
const backslash = 92;

/** Rejection reasons, worded once. */
export function tooDeepReason(maxDepth = maxJsonDepth): string {
	return `nesting deeper than ${maxDepth} levels`;
}

function tooManyContainersReason(maxContainers = maxJsonContainers): string {
	return `more than ${maxContainers} arrays and objects`;
}

/** `[` plus `{` characters from `start`, counted up to `limit + 1`. */
function countOpenings(text: string, start: number, limit: number): number {
	let count = 0;
	for (let at = text.indexOf('[', start); at !== -1; at = text.indexOf('[', at + 1)) {
		if (++count > limit) {
			return count;
		}
	}

	for (let at = text.indexOf('{', start); at !== -1; at = text.indexOf('{', at + 1)) {
		if (++count > limit) {
			return count;
		}
	}

	return count;
}

/**
The exact structure of JSON text from `start`: brackets inside strings do not
count. Stops at the first bound exceeded; text that is not JSON may be reported
either way (JSON.parse would reject it anyway).
*/
export function scanJsonShape(text: string, start: number, maxDepth = maxJsonDepth, maxContainers = maxJsonContainers): string | undefined {
	const {length} = text;
	let depth = 0;
	let containers = 0;
	for (let at = start; at < length; at++) {
		// eslint-disable-next-line unicorn/prefer-code-point -- UTF-16 code units on purpose: the structure is ASCII
		const code = text.charCodeAt(at);
		switch (code) {
			case quote: {
				at = stringEnd(text, at);
				if (at === -1) {
					return undefined;
				}

				break;
			}

			case openBracket:
			case openBrace: {
				if (++depth > maxDepth) {
					return tooDeepReason(maxDepth);
				}

				if (++containers > maxContainers) {
					return tooManyContainersReason(maxContainers);
				}

				break;
			}

			case closeBracket:
			case closeBrace: {
				depth--;
				break;
			}

			default: {
				break;
			}
		}
	}

	return undefined;
}

/** Index of the quote that closes the string opened at `open`, or -1 when it never closes. */
function stringEnd(text: string, open: number): number {
	let at = open;
	for (;;) {
		at = text.indexOf('"', at + 1);
		if (at === -1) {
			return -1;
		}

		// Escaped when preceded by an odd number of backslashes.
		let slashes = 0;
		// eslint-disable-next-line unicorn/prefer-code-point -- UTF-16 code units on purpose: the escape is ASCII
		while (text.charCodeAt(at - 1 - slashes) === backslash) {
			slashes++;
		}

		if (slashes % 2 === 0) {
			return at;
		}
	}
}

/** The cheap look at JSON text from `start`, before it is parsed (see the module comment). */
export function screenJson(text: string, start = 0, maxDepth = maxJsonDepth, maxContainers = maxJsonContainers): DepthScreen {
	if (text.length - start <= maxDepth) {
		return 'ok';
	}

	const openings = countOpenings(text, start, maxContainers);
	if (openings <= maxDepth) {
		return 'ok';
	}

	if (openings <= maxContainers) {
		return 'check-value';
	}

	const rejected = scanJsonShape(text, start, maxDepth, maxContainers);
	return rejected === undefined ? 'ok' : {rejected};
}

/**
True when a parsed value nests deeper than `maxDepth` (the value itself is level 1).
Recursion is safe: it never goes deeper than `maxDepth` + 1 frames.
*/
export function valueTooDeep(value: unknown, maxDepth = maxJsonDepth): boolean {
	return typeof value === 'object' && value !== null && deeperThan(value, 1, maxDepth);
}

function deeperThan(container: object, depth: number, maxDepth: number): boolean {
	if (depth > maxDepth) {
		return true;
	}

	if (Array.isArray(container)) {
		for (const item of container as unknown[]) {
			if (typeof item === 'object' && item !== null && deeperThan(item, depth + 1, maxDepth)) {
				return true;
			}
		}

		return false;
	}

	for (const key of Object.keys(container)) {
		const item = (container as Record<string, unknown>)[key];
		if (typeof item === 'object' && item !== null && deeperThan(item, depth + 1, maxDepth)) {
			return true;
		}
	}

	return false;
}

/** Why JSON text was not turned into a value: beyond the bounds (`shape`), or not JSON (`syntax`). */
export class JsonRejection {
	constructor(readonly reason: string, readonly kind: 'shape' | 'syntax') {}
}

/**
JSON.parse of `text` from `start`, within the bounds: the value, or a
JsonRejection saying why not (too deep or too many containers, checked before
the parse wherever the parse itself would be the cost; or invalid JSON, with
JSON.parse's message). Never throws. For every reader of feed JSON: frames,
recording lines.
*/
export function parseBoundedJson(text: string, start = 0, maxDepth = maxJsonDepth, maxContainers = maxJsonContainers): unknown {
	const screen = screenJson(text, start, maxDepth, maxContainers);
	if (typeof screen === 'object') {
		return new JsonRejection(screen.rejected, 'shape');
	}

	let value: unknown;
	try {
		value = JSON.parse(start === 0 ? text : text.slice(start)) as unknown;
	} catch (error) {
		// JSON.parse quotes the text it failed on: feed text, so cleaned.
		return new JsonRejection(`invalid JSON: ${cleanText(errorText(error), 200)}`, 'syntax');
	}

	if (screen === 'check-value' && valueTooDeep(value, maxDepth)) {
		return new JsonRejection(tooDeepReason(maxDepth), 'shape');
	}

	return value;
}
