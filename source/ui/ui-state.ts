import {cleanText} from '../protocol/untrusted-text.js';
import {maxFps, minFps} from './frame-rate.js';
import {paneIds, type PaneId} from './layout.js';

/**
What the user has chosen on screen (focus, overlays, freeze, filter, frame
rate), as a pure reducer of the actions the keymap produces. The game data is
not here: it lives in the store.
*/

export type Overlay = 'help' | 'fair' | 'problems';

export type UiState = {
	focus: PaneId;
	maximised: boolean;
	overlay: Overlay | undefined;
	frozen: boolean;
	/** Tape filter (username or trade type); '' shows every trade. */
	filter: string;
	/** True while the user is typing the filter. */
	editingFilter: boolean;
	/** Current frame-rate cap. */
	fps: number;
	/** How many problems the log (e) has scrolled past from the newest. */
	logScroll: number;
};

export type UiAction =
	| {type: 'focus'; pane: PaneId}
	| {type: 'next-pane'}
	| {type: 'previous-pane'}
	| {type: 'toggle-help'}
	| {type: 'toggle-fair'}
	| {type: 'toggle-problems'}
	| {type: 'scroll-log'; by: number | 'top' | 'bottom'; /** The last problem the log can start at (the App knows how many it holds). */ max?: number}
	| {type: 'toggle-freeze'}
	| {type: 'start-filter'}
	| {type: 'filter-type'; text: string}
	| {type: 'filter-erase'}
	| {type: 'filter-accept'}
	| {type: 'escape'}
	| {type: 'faster'}
	| {type: 'slower'};

/** Frame-rate caps `+` and `-` step through (an odd --fps joins in between). */
export const fpsSteps = [1, 2, 5, 10, 15, 20, 30, 60].filter(step => step >= minFps && step <= maxFps);

const maxFilterLength = 32;

export function initialUiState(fps: number): UiState {
	return {focus: 'tick', maximised: false, overlay: undefined, frozen: false, filter: '', editingFilter: false, fps, logScroll: 0};
}

function cycle(focus: PaneId, by: number): PaneId {
	const index = paneIds.indexOf(focus);
	return paneIds[(index + by + paneIds.length) % paneIds.length]!;
}

export function nextFps(fps: number, direction: 1 | -1): number {
	if (direction === 1) {
		return fpsSteps.find(step => step > fps) ?? fps;
	}

	return fpsSteps.findLast(step => step < fps) ?? fps;
}

export function reduceUi(state: UiState, action: UiAction): UiState {
	switch (action.type) {
		case 'focus': {
			// The focused pane's own number toggles maximise; another number moves focus (and the maximised view).
			return action.pane === state.focus ? {...state, maximised: !state.maximised} : {...state, focus: action.pane};
		}

		case 'next-pane': {
			return {...state, focus: cycle(state.focus, 1)};
		}

		case 'previous-pane': {
			return {...state, focus: cycle(state.focus, -1)};
		}

		case 'toggle-help': {
			return {...state, overlay: state.overlay === 'help' ? undefined : 'help'};
		}

		case 'toggle-fair': {
			return {...state, overlay: state.overlay === 'fair' ? undefined : 'fair'};
		}

		case 'toggle-problems': {
			// Opens on the newest problem.
			return {...state, overlay: state.overlay === 'problems' ? undefined : 'problems', logScroll: 0};
		}

		case 'scroll-log': {
			const max = Math.max(0, action.max ?? Number.MAX_SAFE_INTEGER);
			const target = action.by === 'top' ? 0 : (action.by === 'bottom' ? max : state.logScroll + action.by);
			return {...state, logScroll: Math.max(0, Math.min(max, target))};
		}

		case 'toggle-freeze': {
			return {...state, frozen: !state.frozen};
		}

		case 'start-filter': {
			// The tape is where the filter shows: bring it into view.
			return {...state, editingFilter: true, overlay: undefined, focus: 'trades'};
		}

		case 'filter-type': {
			// Pasted text is untrusted too: no escape sequence may reach the screen through the filter line.
			const text = cleanText(state.filter + action.text, maxFilterLength * 4).slice(0, maxFilterLength);
			return {...state, filter: text};
		}

		case 'filter-erase': {
			return {...state, filter: [...state.filter].slice(0, -1).join('')};
		}

		case 'filter-accept': {
			return {...state, editingFilter: false, filter: state.filter.trim()};
		}

		case 'escape': {
			// One step back per press: the filter being typed, an overlay, the filter, a maximised pane.
			if (state.editingFilter) {
				return {...state, editingFilter: false, filter: ''};
			}

			if (state.overlay !== undefined) {
				return {...state, overlay: undefined};
			}

			if (state.filter !== '') {
				return {...state, filter: ''};
			}

			return state.maximised ? {...state, maximised: false} : state;
		}

		case 'faster': {
			return {...state, fps: nextFps(state.fps, 1)};
		}

		case 'slower': {
			return {...state, fps: nextFps(state.fps, -1)};
		}
	}
}
