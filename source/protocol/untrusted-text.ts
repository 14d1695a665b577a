import stripAnsi from 'strip-ansi';

/**
Text from the feed (usernames, chat, trade types…) is untrusted: it must never
reach the terminal with escape sequences or control characters in it. A
username such as `ESC[2J` would otherwise clear the user's screen.
*/

// C0 controls (tab and newline included: one line per field), DEL, C1 controls,
// and the bidirectional overrides that can reorder what follows them on screen.
// eslint-disable-next-line no-control-regex -- finding control characters is what it is for
const unsafeCharacters = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;
// Unpaired UTF-16 surrogates render as garbage and break width calculations.
const loneSurrogates = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Clean one untrusted value for display; non-strings yield ''. */
export function cleanText(value: unknown, maxLength = 200): string {
	if (typeof value !== 'string' || value.length === 0) {
		return '';
	}

	let text = value.length > maxLength * 4 ? value.slice(0, maxLength * 4) : value;
	// Fast path: nothing that could be an escape or control character.
	// eslint-disable-next-line no-control-regex -- finding control characters is what it is for
	if (/[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\uD800-\uDFFF]/.test(text)) {
		text = stripAnsi(text).replaceAll(unsafeCharacters, '').replaceAll(loneSurrogates, '\uFFFD');
	}

	if (text.length <= maxLength) {
		return text;
	}

	let end = maxLength - 1;
	// eslint-disable-next-line unicorn/prefer-code-point -- the code unit: a high surrogate here is half a pair, which codePointAt would read whole
	const last = text.charCodeAt(end - 1);
	if (last >= 0xD8_00 && last <= 0xDB_FF) {
		end--; // Do not cut a surrogate pair in half.
	}

	return `${text.slice(0, end)}…`;
}
