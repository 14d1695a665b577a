import stringWidth from 'string-width';
import {describe, expect, it, test} from 'vitest';
import fc from 'fast-check';
import {clipLine, lineWidth, plainText, segment, wrapWords} from '../source/ui/segments.js';
import {age, clock, count, countdownSeconds, duration, elided, endpointText, fit, multiplier, percent, playTime, quantity, rate, safe, shortId, signedSol, singleCellCharacters, sol, tick, truncate, widthOf} from '../source/ui/format.js';

describe('fit and truncate (display width, not string length)', () => {
	it('pads short text and cuts long text with an ellipsis', () => {
		expect(fit('abc', 5)).toBe('abc  ');
		expect(fit('abc', 5, 'right')).toBe('  abc');
		expect(truncate('abcdef', 4)).toBe('abc…');
		expect(truncate('abc', 0)).toBe('');
	});

	it('counts wide characters and emoji as two cells and never splits them', () => {
		expect(fit('日本語', 4)).toBe('日… ');
		expect(stringWidth(fit('日本語', 4))).toBe(4);
		expect(truncate('👨‍👩‍👧family', 4)).toBe('👨‍👩‍👧f…');
		expect(truncate('a👨‍👩‍👧b', 3)).toBe('a…');
		expect(stringWidth(fit('🚀🚀🚀', 5))).toBe(5);
	});

	it('always yields exactly the width asked for, whatever the text', () => {
		fc.assert(fc.property(fc.string({unit: 'grapheme', maxLength: 40}), fc.integer({min: 1, max: 60}), (text, width) => {
			expect(stringWidth(fit(safe(text), width))).toBe(width);
		}));
	});
});

describe('safe: feed text never reaches the terminal with escape sequences', () => {
	it('strips clear-screen, cursor moves and control characters', () => {
		expect(safe('evil\u001B[2J\u001B[Hname')).toBe('evilname');
		expect(safe('a\u0007b\u0085c\r\nd')).toBe('abcd');
		// A C1 CSI introducer takes its sequence with it.
		expect(safe('x\u009B2Jy')).toBe('xy');
		expect(safe(42)).toBe('');
	});
});

describe('numbers', () => {
	it('formats multipliers: 2 decimals, 1 from 100x, whole from 1,000x, 2 significant digits for rug prices', () => {
		expect(multiplier(1)).toBe('1.00x');
		expect(multiplier(23.456)).toBe('23.46x');
		expect(multiplier(123.4)).toBe('123.4x');
		expect(multiplier(0.0051)).toBe('0.0051x');
		expect(multiplier(undefined)).toBe('–');
		expect(multiplier(12_345)).toBe('12,345x');
		// A column's fixed decimals: the same for every row, and no zero that is not one.
		expect(multiplier(0.5, 2)).toBe('0.50x');
		expect(multiplier(1, 2)).toBe('1.00x');
		expect(multiplier(0.004, 2)).toBe('<0.01x');
	});

	it('formats SOL amounts and quantities with fixed decimals per column, tiny ones by one rule', () => {
		// The example: 0.0000306, 5.000 and 0.1 in one column.
		expect([0.000_030_6, 5, 0.1].map(value => sol(value))).toStrictEqual(['<0.0001', '5.0000', '0.1000']);
		expect([0.000_030_6, 5, 0.1].map(value => sol(value, 6))).toStrictEqual(['0.000031', '5.000000', '0.100000']);
		expect(sol(0)).toBe('0.0000');
		expect(sol(123_456.7)).toBe('123,457');
		expect(sol(undefined)).toBe('–');
		expect(quantity(0.000_843)).toBe('0.0008');
		expect(quantity(6.035_935_803, 6)).toBe('6.035936');
		expect(signedSol(0.0123, 6)).toBe('+0.012300');
		expect(signedSol(-0.000_115_942, 6)).toBe('-0.000116');
		expect(signedSol(-0.000_000_04, 6)).toBe('-<0.000001');
		expect(signedSol(0, 6)).toBe('0.000000');
		// Right-aligned, a column of them lines up on the decimal point.
		const column = [0.001, 0.02, 5, 12.5].map(value => sol(value).padStart(8));
		expect(new Set(column.map(text => text.indexOf('.'))).size).toBe(1);
	});

	it('formats percentages with a sign and one decimal, ticks, counts and times', () => {
		expect(percent(-11.5942)).toBe('-11.6%');
		expect(percent(150)).toBe('+150.0%');
		expect(percent(12_345)).toBe('+12,345%');
		expect(percent(-0.04)).toBe('0.0%');
		expect(tick(42)).toBe('42');
		expect(tick(undefined)).toBe('–');
		expect(count(1234)).toBe('1,234');
		expect(count(0)).toBe('0');
		expect(count(999)).toBe('999');
		expect(count(-1_234_567.4)).toBe('-1,234,567');
		expect(clock(new Date(2025, 11, 12, 17, 8, 4).getTime())).toBe('17:08:04');
		expect(clock(undefined)).toBe('–');
		expect(playTime(32_500)).toBe('0:32');
		expect(playTime(725_000)).toBe('12:05');
		expect(playTime(3_723_000)).toBe('1:02:03');
	});

	it('says where a source connects in a few cells', () => {
		expect(endpointText('https://backend.rugs.fun?frontend-version=1.0')).toBe('backend.rugs.fun');
		expect(endpointText('http://127.0.0.1:4567')).toBe('127.0.0.1:4567');
		expect(endpointText('127.0.0.1:9222')).toBe('127.0.0.1:9222');
		expect(endpointText(undefined)).toBeUndefined();
	});

	it('never cuts a number: a cut after a digit takes the whole number with it', () => {
		expect(truncate('peak 2.05x', 9)).toBe('peak …');
		expect(truncate('PnL -0.00508 SOL (-84.1%)', 22)).toBe('PnL -0.00508 SOL (…');
		expect(truncate('x.jsonl:1234: bad', 12)).toBe('x.jsonl:…');
		expect(fit('12345', 4)).toBe('…   ');
		expect(truncate('auth-browser-cdp-2025-12-15.jsonl', 25)).toBe('auth-browser-cdp…');
		fc.assert(fc.property(fc.string({maxLength: 30}), fc.integer({min: 1, max: 30}), (text, width) => {
			expect(truncate(text, width)).not.toMatch(/\d…/);
		}));
	});

	it('formats ages from tenths of a second to hours', () => {
		expect(duration(300)).toBe('0.3s');
		expect(duration(12_500)).toBe('12s');
		expect(duration(184_000)).toBe('3m04s');
		expect(duration(7_500_000)).toBe('2h05m');
		expect(duration(undefined)).toBe('–');
	});

	it('keeps what changes every frame coarse: ages, countdowns and rates', () => {
		expect(age(300)).toBe('<1s');
		expect(age(3400)).toBe('3s');
		expect(age(75_000)).toBe('1m15s');
		expect(countdownSeconds(12_000)).toBe('12s');
		expect(countdownSeconds(10_100)).toBe('11s');
		expect(countdownSeconds(undefined)).toBe('–');
		expect(rate(0)).toBe('0');
		expect(rate(0.4)).toBe('<1');
		expect(rate(9.6)).toBe('10');
	});

	it('shortens ids from the middle', () => {
		expect(stringWidth(shortId('20251212-6114b2ff44ef4b71', 16))).toBe(16);
		expect(shortId('20251212-6114b2ff44ef4b71', 16)).toMatch(new RegExp(`^20251212-6.*${elided}.*4b71$`));
		// Not the ellipsis of a cut: an id is never taken for a cut number.
		expect(shortId('did:privy:cmaibr7rt0094jp0mc2mbpfu4', 16)).toBe(`did:privy:${elided}bpfu4`);
		expect(shortId('did:privy:cmaibr7rt0094jp0mc2mbpfu4', 16)).not.toContain('…');
		expect(shortId('did:privy:cmaibr7rt0094jp0mc2mbpfu4', 40)).toBe('did:privy:cmaibr7rt0094jp0mc2mbpfu4');
		expect(shortId('short', 16)).toBe('short');
		expect(shortId(undefined, 16)).toBe('–');
	});

	it('shortens names of wide characters and emoji by cells, never splitting a grapheme', () => {
		const names = ['👨‍👩‍👧漢字の名前がとても長いユーザー🚀🚀🚀', '🇯🇵🇯🇵🇯🇵🇯🇵🇯🇵🇯🇵🇯🇵🇯🇵', 'e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301', 'ab漢cd字ef名gh前ij長kl'];
		const graphemes = (text: string) => [...new Intl.Segmenter().segment(text)].map(({segment}) => segment);
		for (const name of names) {
			for (let width = 7; width <= 24; width++) {
				const short = shortId(name, width);
				expect(stringWidth(short)).toBeLessThanOrEqual(width);
				// A wide character that does not fit leaves at most one cell unused.
				expect(stringWidth(short)).toBeGreaterThanOrEqual(Math.min(width, stringWidth(name)) - 1);
				expect(short).not.toContain('\uFFFD');
				if (short.includes(elided)) {
					const [head, tail] = short.split(elided);
					const all = graphemes(name);
					expect(all.slice(0, graphemes(head!).length).join('')).toBe(head);
					expect(all.slice(all.length - graphemes(tail!).length).join('')).toBe(tail);
				}
			}
		}
	});
});

describe('segments', () => {
	it('clips a styled line to the width, cutting the last segment that does not fit', () => {
		const line = [segment('abc', {dim: true}), segment('defgh', {colour: 'red'}), segment('ij')];
		expect(clipLine(line, 20)).toBe(line);
		expect(clipLine(line, 6)).toEqual([segment('abc', {dim: true}), segment('de…', {colour: 'red'})]);
		expect(plainText([clipLine(line, 3)])).toBe('ab…');
		expect(lineWidth([segment('日本'), segment('x')])).toBe(5);
	});

	it('wraps words into lines that fit, cutting words longer than a line', () => {
		expect(wrapWords('No position: attach to your tab', 12)).toEqual(['No position:', 'attach to', 'your tab']);
		expect(wrapWords('supercalifragilistic word', 8)).toEqual(['superca…', 'word']);
		expect(wrapWords('   ', 8)).toEqual([]);
	});
});

describe('widthOf fast path', () => {
	test('every character it treats as one cell is one cell for string-width too', () => {
		const ranges: Array<[number, number]> = [[0x20, 0x7E], [0xA0, 0xAC], [0xAE, 0xFF], [0x20_10, 0x20_27], [0x21_90, 0x21_93], [0x25_00, 0x25_9F], [0x25_B2, 0x25_B2], [0x25_BC, 0x25_BC], [0x27_13, 0x27_13], [0x27_15, 0x27_15], [0x27_17, 0x27_17]];
		let checked = 0;
		for (const [from, to] of ranges) {
			for (let code = from; code <= to; code++) {
				const character = String.fromCodePoint(code);
				if (singleCellCharacters.test(character)) {
					expect(stringWidth(character), `U+${code.toString(16)}`).toBe(1);
					checked++;
				}
			}
		}

		expect(checked).toBe(383);
	});

	test('wide, emoji and zero-width text still goes through string-width', () => {
		for (const text of ['日本', '🚀x', 'e\u0301', 'a\u200Bb', '\u00AD']) {
			expect(widthOf(text)).toBe(stringWidth(text));
		}
	});
});
