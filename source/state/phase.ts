import type {Rec} from '../protocol/read.js';
import type {Phase} from './types.js';

const rank: Record<Phase, number> = {COOLDOWN: 0, PRESALE: 1, ACTIVE: 2, RUGGED: 3};

/**
The phase a gameStateUpdate shows, from the fields present (PROTOCOL.md):
rugged:true → RUGGED (active stays true at the rug); active:true → ACTIVE;
allowPreRoundBuys:true → PRESALE (cooldownTimer 10000 → 100); otherwise a
frame with a cooldown timer or active:false → COOLDOWN. Undefined when the
frame does not say.
*/
export function phaseOf(frame: Rec): Phase | undefined {
	if (frame['rugged'] === true) {
		return 'RUGGED';
	}

	if (frame['active'] === true) {
		return 'ACTIVE';
	}

	if (frame['allowPreRoundBuys'] === true) {
		return 'PRESALE';
	}

	if (typeof frame['cooldownTimer'] === 'number' || frame['active'] === false || frame['allowPreRoundBuys'] === false) {
		return 'COOLDOWN';
	}

	return undefined;
}

/**
Within one game the phase only moves forward (COOLDOWN → PRESALE → ACTIVE →
RUGGED): a late frame from an earlier phase does not move it back.
*/
export function laterPhase(current: Phase | undefined, next: Phase | undefined): Phase | undefined {
	if (current === undefined) {
		return next;
	}

	if (next === undefined) {
		return current;
	}

	return rank[next] > rank[current] ? next : current;
}
