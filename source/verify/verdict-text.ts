import {cleanText} from '../protocol/untrusted-text.js';
import {overallVerdict, type Verdict, type Verification} from './verify-game.js';
import {maxOf} from './numbers.js';

/**
Words and marks for a verification, shared by the history strip, the details
overlay and `summarize`, so every place says the same thing the same way.
Notes quote untrusted feed text (hashes), so they are cleaned here, once.
*/

export const verdictMarks = {pass: '✓', fail: '✗', unknown: '·'} as const;

export function verdictMark(verdict: Verdict | undefined): string {
	if (verdict === true) {
		return verdictMarks.pass;
	}

	return verdict === false ? verdictMarks.fail : verdictMarks.unknown;
}

export function verdictWord(verdict: Verdict | undefined): string {
	if (verdict === true) {
		return 'ok';
	}

	return verdict === false ? 'FAILED' : 'not checkable';
}

export type VerificationCheck = {
	/** Stable key, as in the Verification record. */
	key: 'seedHash' | 'pricePath' | 'peak' | 'liveTicks' | 'sidebets';
	label: string;
	/** What the check means, for a details pane. */
	meaning: string;
	verdict: Verdict;
	mark: string;
};

const checkText: Record<VerificationCheck['key'], {label: string; meaning: string}> = {
	seedHash: {label: 'seed hash', meaning: 'SHA-256 of the revealed serverSeed equals the announced serverSeedHash'},
	pricePath: {label: 'price path', meaning: 'prices recomputed from (serverSeed, gameId) equal gameHistory.prices'},
	peak: {label: 'peak', meaning: 'the recomputed path peaks at gameHistory.peakMultiplier'},
	liveTicks: {label: 'live ticks', meaning: 'every live price seen at tick t equals the recomputed price at t'},
	sidebets: {label: 'sidebets', meaning: 'every payout agrees with "wins iff rug tick ≤ end tick"'},
};

/**
The checks of a verification in display order. `peak` is listed when it was
checked (the seed and peakMultiplier were both known): without them it could
only ever say "not checkable", which the price path already says.
*/
export function verificationChecks(verification: Verification): VerificationCheck[] {
	const keys: Array<VerificationCheck['key']> = ['seedHash', 'pricePath'];
	if (verification.peak !== null) {
		keys.push('peak');
	}

	keys.push('liveTicks', 'sidebets');
	return keys.map(key => ({key, ...checkText[key], verdict: verification[key], mark: verdictMark(verification[key])}));
}

/** One mark for the whole game: ✗ if any check failed, ✓ if one held and none failed, · otherwise. */
export function verificationMark(verification: Verification | undefined): string {
	return verdictMark(verification === undefined ? null : overallVerdict(verification));
}

/**
A short line for a status or history row, e.g. `✓ fair` or `✗ price path, sidebets`
or `· not checkable yet`.
*/
export function verificationSummary(verification: Verification | undefined): string {
	if (verification === undefined) {
		return `${verdictMarks.unknown} not checkable yet`;
	}

	const checks = verificationChecks(verification);
	const failed = checks.filter(check => check.verdict === false).map(check => check.label);
	if (failed.length > 0) {
		return `${verdictMarks.fail} ${failed.join(', ')}`;
	}

	return checks.some(check => check.verdict === true) ? `${verdictMarks.pass} fair` : `${verdictMarks.unknown} not checkable`;
}

/** Lines for a details pane: one per check, then the notes (cleaned, one line each). */
export function verificationDetails(verification: Verification, maxNoteLength = 160): string[] {
	const checks = verificationChecks(verification);
	const width = maxOf(checks.map(check => check.label.length)) ?? 0;
	const lines = checks.map(check => `${check.mark} ${check.label.padEnd(width)}  ${verdictWord(check.verdict)} — ${check.meaning}`);
	if (verification.rugTick !== null) {
		lines.push(`  rug tick ${verification.rugTick}`);
	}

	for (const note of verification.notes) {
		lines.push(`  ${cleanText(note, maxNoteLength)}`);
	}

	return lines;
}
