import {LiveStats} from '../../source/analyze/live-stats.js';
import type {Envelope} from '../../source/protocol/envelope.js';
import {createState, reduce} from '../../source/state/reducer.js';
import type {GameState} from '../../source/state/types.js';

/** Play envelopes through the reducer as the monitor's store does, the live statistics observing every state. */
export function followSession(envelopes: Iterable<Envelope>, live = new LiveStats()): {live: LiveStats; state: GameState} {
	let state = createState();
	for (const envelope of envelopes) {
		state = reduce(state, envelope);
		live.observe(state);
	}

	return {live, state};
}
