import type {Phase} from '../state/types.js';
import {overallVerdict, type Verdict, type Verification} from '../verify/verify-game.js';

/**
Colours and marks. Every colour has a text twin (the badge's word, ✓/✗/?) so
the screen still reads right under NO_COLOR or --no-color.
*/

export type Colour = 'green' | 'red' | 'yellow' | 'blue' | 'magenta' | 'cyan' | 'gray' | 'white';

export const phaseColours: Record<Phase, Colour> = {
	COOLDOWN: 'blue',
	PRESALE: 'yellow',
	ACTIVE: 'green',
	RUGGED: 'red',
};

const tradeColours: Record<string, Colour> = {
	buy: 'green',
	sell: 'red',

	short_open: 'magenta',

	short_close: 'cyan',
};

export function tradeColour(type: string): Colour | undefined {
	// Own keys only: the type comes from the feed, and "constructor" or "toString" would
	// find Object.prototype's functions (a colour that is a function crashed the whole UI).
	return Object.hasOwn(tradeColours, type) ? tradeColours[type] : undefined;
}

type Mark = {mark: string; colour: Colour; words: string};

/** ✓ verified, ✗ a check failed, ? nothing could be checked, · not verified yet (no gameHistory entry seen). */
export function verificationMark(verification: Verification | undefined): Mark {
	if (verification === undefined) {
		return {mark: '·', colour: 'gray', words: 'not verified yet'};
	}

	return verdictMark(overallVerdict(verification));
}

export function verdictMark(verdict: Verdict): Mark {
	if (verdict === true) {
		return {mark: '✓', colour: 'green', words: 'verified'};
	}

	return verdict === false ? {mark: '✗', colour: 'red', words: 'FAILED'} : {mark: '?', colour: 'yellow', words: 'not checkable'};
}

export function pnlColour(value: number | undefined): Colour | undefined {
	if (value === undefined || value === 0) {
		return undefined;
	}

	return value > 0 ? 'green' : 'red';
}
