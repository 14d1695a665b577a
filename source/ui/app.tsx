import {useCallback, useReducer, useRef, useState, type ReactNode} from 'react';
import {Box, useInput, useStdin, type Key} from 'ink';
import {FairOverlay} from './components/FairOverlay.js';
import {HelpOverlay} from './components/HelpOverlay.js';
import {HistoryStrip} from './components/HistoryStrip.js';
import type {PaneFrame} from './components/Pane.js';
import {PositionPane} from './components/PositionPane.js';
import {chartedGame, PricePane} from './components/PricePane.js';
import {SidebetsPane} from './components/SidebetsPane.js';
import {StatusBar} from './components/StatusBar.js';
import {TickPane} from './components/TickPane.js';
import {TooSmall} from './components/TooSmall.js';
import {TradesPane} from './components/TradesPane.js';
import {safe, shortId} from './format.js';
import type {FrameMetrics} from './frame-metrics.js';
import {useFrameClock} from './hooks/use-frame-clock.js';
import {useTerminalSize} from './hooks/use-terminal-size.js';
import {commandFor, type KeyInfo} from './keymap.js';
import {chooseLayout, footerRows, gap, type PaneId, type Size} from './layout.js';
import type {MonitorStore, StoreSnapshot} from './store.js';
import {initialUiState, reduceUi, type UiState} from './ui-state.js';

export type QuitReason = 'q' | 'ctrl-c';

const noKey: KeyInfo = {tab: false, shift: false, escape: false, return: false, backspace: false, delete: false, ctrl: false, meta: false};

/** What one character of a multi-key chunk means as a key press. */
function keyOf(character: string): KeyInfo {
	return {
		...noKey,
		return: character === '\r' || character === '\n',
		tab: character === '\t',
		backspace: character === '\u007F' || character === '\b',
	};
}

export type AppProps = {
	store: MonitorStore;
	/** Initial frame-rate cap (`--fps`). */
	fps: number;
	/** The tracked player (`--player`). */
	player?: string;
	/** A fixed size instead of the terminal's (tests). */
	size?: Size;
	onQuit(reason: QuitReason): void;
	metrics?: FrameMetrics;
};

function paneNote(pane: PaneId, shown: StoreSnapshot, ui: UiState, width: number): string | undefined {
	const {state} = shown;
	switch (pane) {
		case 'price': {
			const {game, isLastGame} = chartedGame(state.game, state.previousGame);
			return game === undefined ? undefined : `${isLastGame ? 'last game ' : ''}${shortId(game.id, Math.max(10, Math.floor(width / 3)))}`;
		}

		case 'position': {
			return state.config.player === undefined ? undefined : `--player ${safe(state.config.player, 32)}`;
		}

		case 'trades': {
			if (ui.editingFilter) {
				return `filter: ${ui.filter}▏ (Enter keeps, Esc clears)`;
			}

			return ui.filter === '' ? 'newest first, / filters' : `filter: ${ui.filter} (Esc clears)`;
		}

		case 'tick':
		case 'sidebets': {
			return ui.frozen ? 'frozen' : undefined;
		}
	}
}

function PaneView({frame, shown, ui, player}: {frame: PaneFrame; shown: StoreSnapshot; ui: UiState; player: string | undefined}) {
	const {state} = shown;
	switch (frame.id) {
		case 'tick': {
			return <TickPane {...frame} game={state.game} lastArrival={shown.lastArrival} now={shown.takenAt}/>;
		}

		case 'price': {
			// The header note says when this is the last game (see paneNote).
			return <PricePane {...frame} game={chartedGame(state.game, state.previousGame).game}/>;
		}

		case 'position': {
			return <PositionPane {...frame} position={state.position} player={player}/>;
		}

		case 'sidebets': {
			return <SidebetsPane {...frame} sidebets={state.sidebets} game={state.game} previousGame={state.previousGame}/>;
		}

		case 'trades': {
			return <TradesPane {...frame} trades={state.trades} filter={ui.filter}/>;
		}
	}
}

/**
The monitor's root: the layout for the terminal's size, five panes (or an
overlay), the history strip and the status bar. Data comes from one store
snapshot per frame; while frozen the panes keep the held snapshot and only
the status bar moves.
*/
export function App({store, fps, player, size: fixedSize, onQuit, metrics}: AppProps) {
	const size = useTerminalSize(fixedSize);
	const [ui, dispatch] = useReducer(reduceUi, fps, initialUiState);
	const {snapshot: live, drawnPerSecond} = useFrameClock(store, ui.fps, metrics);
	const [held, setHeld] = useState<StoreSnapshot | undefined>(undefined);
	const {isRawModeSupported} = useStdin();

	// The key handler reads the latest state through a ref: keys typed faster than React
	// re-subscribes the handler (a pasted "/bob") must still see the mode the previous key set.
	const latest = useRef({ui, live});
	// eslint-disable-next-line react-hooks/refs -- written during render on purpose: an effect would run later, and a key arriving before it would act on the previous state
	latest.current = {ui, live};
	const onKeyPress = useCallback((input: string, key: KeyInfo) => {
		const {current} = latest;
		const command = commandFor(current.ui.editingFilter ? 'filter' : 'normal', input, key);
		if (command === undefined) {
			return;
		}

		if (command.type === 'quit') {
			onQuit(command.reason);
			return;
		}

		if (command.type === 'toggle-freeze') {
			// Freeze holds what is on screen now; unfreezing shows the live snapshot at once.
			setHeld(current.ui.frozen ? undefined : current.live);
		}

		// Update the ref at once too, for the next key of the same input chunk.
		latest.current = {...current, ui: reduceUi(current.ui, command)};
		dispatch(command);
	}, [onQuit]);
	const onKey = useCallback((input: string, key: Key) => {
		// Keys typed quickly, pasted, or sent by tmux can arrive as one chunk ("55", "/bob", "bob\r"):
		// take them one at a time, so each acts in the mode the previous one left.
		const characters = [...input];
		if (characters.length <= 1 || key.ctrl || key.meta) {
			onKeyPress(input, key);
			return;
		}

		for (const character of characters) {
			onKeyPress(character, keyOf(character));
		}
	}, [onKeyPress]);
	// eslint-disable-next-line @typescript-eslint/no-unnecessary-boolean-literal-compare -- Ink types it boolean, but it is undefined on a stdin that is not a terminal, and an undefined isActive means active.
	useInput(onKey, {isActive: isRawModeSupported === true});

	const layout = chooseLayout(size, ui.maximised ? ui.focus : undefined);
	if (layout.kind === 'too-small') {
		return <TooSmall need={layout.need} size={layout.size}/>;
	}

	const shown = ui.frozen && held !== undefined ? held : live;
	const paneArea = layout.height - footerRows;
	let body: ReactNode;
	if (ui.overlay === 'help') {
		body = <HelpOverlay width={layout.width} height={paneArea}/>;
	} else if (ui.overlay === 'fair') {
		body = <FairOverlay history={shown.state.history} width={layout.width} height={paneArea}/>;
	} else {
		body = layout.rows.map(row => (
			<Box key={row.cells.map(cell => cell.pane).join('+')} flexDirection='row' height={row.height}>
				{row.cells.map((cell, index) => (
					<Box key={cell.pane} marginLeft={index === 0 ? 0 : gap}>
						<PaneView
							frame={{id: cell.pane, width: cell.width, height: row.height, isFocused: cell.pane === ui.focus, note: paneNote(cell.pane, shown, ui, cell.width)}}
							shown={shown}
							ui={ui}
							player={player}
						/>
					</Box>
				))}
			</Box>
		));
	}

	return (
		<Box flexDirection='column' width={layout.width} height={layout.height}>
			<Box flexDirection='column' height={paneArea}>{body}</Box>
			<HistoryStrip history={shown.state.history} width={layout.width}/>
			<StatusBar
				status={live.status}
				problems={live.problems}
				stats={live.state.stats}
				eventsPerSecond={live.eventsPerSecond}
				fpsCap={ui.fps}
				fps={drawnPerSecond}
				frozen={ui.frozen}
				recording={live.recording}
				alert={live.alert}
				width={layout.width}
			/>
		</Box>
	);
}
