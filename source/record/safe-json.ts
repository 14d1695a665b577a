import {jsonLine} from './json-line.js';

/**
A JSON line that is safe to print on a terminal. JSON.stringify escapes C0
controls but leaves DEL, the C1 controls (U+009B is a one-character CSI on some
terminals), the bidirectional overrides and the line/paragraph separators as
they are; feed text is untrusted, so those are escaped too. The result is still
valid JSON and parses back to the same value.
*/

const unsafe = /[\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g;

export function safeJsonLine(value: unknown): string {
	return jsonLine(value).replaceAll(unsafe, char => String.raw`\u${char.codePointAt(0)!.toString(16).padStart(4, '0')}`);
}
