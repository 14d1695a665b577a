import {age, countdownSeconds, rate, recordingText} from './format.js';
import type {StoreSnapshot} from './store.js';

/**
Everything the screen shows, as a flat list of values (and array identities:
the state replaces an array whenever its contents change). Two snapshots with
equal keys draw the same frame, so the frame clock skips the second one: a
cooldown frame that only moves the timer by 100 ms, or an idle second, costs
no render at all. Keep it in step with the panes: whatever a pane shows must
be here, in the form it is shown.
*/
export function displayKey(snapshot: StoreSnapshot, drawnPerSecond: number): readonly unknown[] {
	const {state, status, problems} = snapshot;
	const {game} = state;
	return [
		game?.id,
		game?.phase,
		game?.tick,
		game?.price,
		game?.peak,
		game?.rugTick,
		game?.rugPrice,
		game?.prices,
		countdownSeconds(game?.cooldownTimer),
		game?.cooldownPaused,
		game?.tradeCount,
		game?.connectedPlayers,
		game?.serverSeedHash,
		game?.gameVersion,
		state.previousGame,
		state.trades,
		state.sidebets,
		state.history,
		state.position,
		state.session,
		state.leaders,
		state.stats.lastEventTs === undefined ? undefined : Math.floor(state.stats.lastEventTs / 1000),
		state.stats.fieldErrors + state.stats.internalErrors,
		status,
		problems,
		snapshot.lastArrival === undefined ? undefined : age(snapshot.takenAt - snapshot.lastArrival),
		rate(snapshot.eventsPerSecond),
		drawnPerSecond,
		snapshot.recording === undefined ? undefined : recordingText(snapshot.recording),
		// A replay's progress as the status bar shows it (its time in whole seconds).
		snapshot.replay?.event,
		snapshot.replay?.events,
		snapshot.replay === undefined ? undefined : Math.floor(snapshot.replay.playedMs / 1000),
		snapshot.replay?.totalMs,
		snapshot.replay?.speed,
		snapshot.replay?.paused,
		snapshot.replay?.finished,
		snapshot.replay?.file,
		snapshot.alert?.text,
		snapshot.alert?.count,
		// The same report object while no game finished and the live game's odds stand (live-stats.ts caches it).
		snapshot.liveStats,
	];
}

export function sameKey(a: readonly unknown[] | undefined, b: readonly unknown[]): boolean {
	return a?.length === b.length && a.every((value, index) => Object.is(value, b[index]));
}
