import {describe, expect, test} from 'vitest';
import {verdictMark, verificationChecks, verificationDetails, verificationMark, verificationSummary} from '../source/verify/verdict-text.js';
import type {Verification} from '../source/verify/verify-game.js';

const base: Verification = {seedHash: true, pricePath: true, liveTicks: null, sidebets: true, peak: null, rugTick: 42, notes: []};

describe('verdict text for the history strip and the details overlay', () => {
	test('marks', () => {
		expect([verdictMark(true), verdictMark(false), verdictMark(null), verdictMark(undefined)]).toEqual(['✓', '✗', '·', '·']);
		expect(verificationMark(base)).toBe('✓');
		expect(verificationMark({...base, sidebets: false})).toBe('✗');
		expect(verificationMark(undefined)).toBe('·');
	});

	test('summary names what failed', () => {
		expect(verificationSummary(base)).toBe('✓ fair');
		expect(verificationSummary({...base, pricePath: false, sidebets: false})).toBe('✗ price path, sidebets');
		expect(verificationSummary({...base, seedHash: null, pricePath: null, sidebets: null})).toBe('· not checkable');
		expect(verificationSummary(undefined)).toBe('· not checkable yet');
	});

	test('peak is listed whenever it was checked', () => {
		expect(verificationChecks(base).map(check => check.key)).toEqual(['seedHash', 'pricePath', 'liveTicks', 'sidebets']);
		expect(verificationChecks({...base, peak: true}).map(check => check.key)).toEqual(['seedHash', 'pricePath', 'peak', 'liveTicks', 'sidebets']);
		expect(verificationSummary({...base, peak: false})).toBe('✗ peak');
		expect(verificationChecks({...base, pricePath: null, peak: false}).map(check => check.key)).toEqual(['seedHash', 'pricePath', 'peak', 'liveTicks', 'sidebets']);
		expect(verificationSummary({...base, pricePath: null, peak: false})).toBe('✗ peak');
	});

	test('details: one line per check, the rug tick, and notes cleaned of escape sequences', () => {
		const lines = verificationDetails({...base, seedHash: false, notes: ['hash "\u001B[2Jab" differs\nsecond line']});
		expect(lines[0]).toMatch(/^✗ seed hash +FAILED — SHA-256/);
		expect(lines).toContain('  rug tick 42');
		const note = lines.at(-1)!;
		// eslint-disable-next-line no-control-regex -- control characters are what it looks for
		expect(note).not.toMatch(/[\u0000-\u001F]/);
		expect(note).toContain('differs');
	});
});
