import fc from 'fast-check';
import {describe, expect, test} from 'vitest';
import {cleanText} from '../source/protocol/untrusted-text.js';

// eslint-disable-next-line no-control-regex -- control characters are what the check looks for
const unsafe = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('cleanText: feed text made safe for the terminal', () => {
	test.each([
		['clear-screen escape', 'a\u001B[2Jb', 'ab'],
		['colour escape', '\u001B[31mred\u001B[0m', 'red'],
		['window-title OSC', '\u001B]0;pwned\u0007name', 'name'],
		['hyperlink OSC 8', '\u001B]8;;https://example.com\u001B\\link\u001B]8;;\u001B\\', 'link'],
		['C1 CSI', 'x\u009B2Jy', 'xy'],
		['bare ESC and BEL', 'a\u001Bb\u0007c', 'abc'],
		['newline, tab, carriage return', 'one\ntwo\tthree\rfour', 'onetwothreefour'],
		['bidi override', 'abc\u202Edcba\u2066x\u2069', 'abcdcbax'],
		['lone surrogates', 'a\uD800b\uDC00c', 'a\uFFFDb\uFFFDc'],
		['emoji kept whole', 'gm 🚀🚀', 'gm 🚀🚀'],
		['plain text untouched', 'Dutch', 'Dutch'],
	])('%s', (_name, input, expected) => {
		expect(cleanText(input)).toBe(expected);
	});

	test.each([[undefined], [null], [42], [{}], [['a']], ['']])('non-text %j gives an empty string', value => {
		expect(cleanText(value)).toBe('');
	});

	test('long text is cut with an ellipsis, never inside a surrogate pair', () => {
		expect(cleanText('abcdefghij', 5)).toBe('abcd…');
		expect(cleanText('abc🚀defgh', 5)).toBe('abc…');
		expect(cleanText('🚀🚀🚀🚀', 4)).toBe('🚀…');
	});

	test('no control, escape, bidi or lone surrogate survives, and the length limit holds (property)', () => {
		const hostile = fc.array(fc.oneof(
			fc.string({unit: 'binary'}),
			fc.constantFrom('\u001B[', '\u001B]', '\u009B', '\u0007', '\u202E', '\uD83D', '\uDE80', '\u001B\\', 'm', '2J', ';'),
		), {maxLength: 40}).map(parts => parts.join(''));
		fc.assert(fc.property(hostile, fc.integer({min: 1, max: 60}), (text, max) => {
			const clean = cleanText(text, max);
			expect(unsafe.test(clean)).toBe(false);
			expect(clean.length).toBeLessThanOrEqual(max);
		}), {numRuns: 3000});
	});
});
