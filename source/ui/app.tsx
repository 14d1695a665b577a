import {useCallback, useReducer, useRef, useState, type ReactNode} from 'react';
import {Box, useInput, useStdin, type Key} from 'ink';
import type {ReplayController} from '../sources/replay.js';
import {isFlat} from '../state/position.js';
import {FairOverlay} from './components/FairOverlay.js';
import {HelpOverlay} from './components/HelpOverlay.js';
import {HistoryStrip} from './components/HistoryStrip.js';
import type {Note, PaneFrame} from './components/Pane.js';
import {positionNote, PositionPane} from './components/PositionPane.js';
import {ProblemLog} from './components/ProblemLog.js';
import {chartedGame, PricePane} from './components/PricePane.js';
import {SidebetsPane} from './components/SidebetsPane.js';
import {StatsPane, statsNote} from './components/StatsPane.js';
import {StatusBar} from './components/StatusBar.js';
import {TickPane} from './components/TickPane.js';
import {TooSmall} from './components/TooSmall.js';
import {shortNote, TradesPane} from './components/TradesPane.js';
import {shortId} from './format.js';
import type {FrameMetrics} from './frame-metrics.js';
import {useFrameClock} from './hooks/use-frame-clock.js';
import {useTerminalSize} from './hooks/use-terminal-size.js';
import {commandFor, type KeyInfo, type KeyMode, type ReplayAction} from './keymap.js';
import {chooseLayout, footerRows, type Cell, type PaneId, type Size} from './layout.js';
import type {MonitorStore, StoreSnapshot} from './store.js';
import {initialUiState, reduceUi, type UiState} from './ui-state.js';

export type QuitReason = 'q' | 'ctrl-c';

const noKey: KeyInfo = {tab: false, shift: false, escape: false, return: false, backspace: false, delete: false, ctrl: false, meta: false, upArrow: false, downArrow: false, pageUp: false, pageDown: false, home: false, end: false};

/** What one character of a multi-key chunk means as a key press. */
function keyOf(character: string): KeyInfo {
	return {
		...noKey,
		return: character === '\r' || character === '\n',
		tab: character === '\t',
		backspace: character === '\u007F' || character === '\b',
	};
}

function modeOf(ui: UiState): KeyMode {
	if (ui.editingFilter) {
		return 'filter';
	}

	return ui.overlay === 'problems' ? 'log' : 'normal';
}

function controlReplay(replay: ReplayController, action: ReplayAction): void {
	switch (action) {
		case 'pause': {
			replay.togglePause();
			break;
		}

		case 'faster': {
			replay.changeSpeed(1);
			break;
		}

		case 'slower': {
			replay.changeSpeed(-1);
			break;
		}

		case 'next-game': {
			replay.nextGame();
			break;
		}

		case 'previous-game': {
			replay.previousGame();
			break;
		}
	}
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
	/** The replay being played (--replay): its keys pause it, change its speed and jump between games. */
	replay?: ReplayController;
};

/** The position's average cost when it is held in `gameId` (drawn on that game's chart). */
function heldCost(shown: StoreSnapshot, gameId: string | undefined): number | undefined {
	const {position} = shown.state;
	return position === undefined || isFlat(position) || position.gameId !== gameId ? undefined : position.avgCost;
}

function paneNote(pane: PaneId, shown: StoreSnapshot, ui: UiState): Note | undefined {
	const {state} = shown;
	switch (pane) {
		case 'price': {
			const {game, isLastGame} = chartedGame(state.game, state.previousGame);
			if (game === undefined) {
				return undefined;
			}

			return room => {
				const prefix = isLastGame && room >= 22 ? 'last game ' : (isLastGame ? 'last ' : '');
				return `${prefix}${shortId(game.id, Math.max(7, room - prefix.length))}`;
			};
		}

		case 'position': {
			return positionNote(state.position, state.config.player);
		}

		case 'trades': {
			if (ui.editingFilter) {
				return `filter: ${ui.filter}▏ (Enter keeps, Esc clears)`;
			}

			if (ui.filter !== '') {
				return `filter: ${ui.filter} (Esc clears)`;
			}

			return room => [`newest first · / filters · ${shortNote}`, 'newest first · / filters', 'newest first'].find(text => text.length <= room) ?? '';
		}

		case 'stats': {
			return ui.frozen ? 'frozen' : statsNote(shown.liveStats);
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
			const lastEvent = shown.replay === undefined
				? {kind: 'live' as const, arrival: shown.lastArrival, now: shown.takenAt}
				: {kind: 'replay' as const, ts: state.stats.lastEventTs, finished: shown.replay.finished !== undefined};
			return <TickPane {...frame} game={state.game} lastEvent={lastEvent}/>;
		}

		case 'price': {
			// The frame's note says when this is the last game (see paneNote).
			const {game} = chartedGame(state.game, state.previousGame);
			return <PricePane {...frame} game={game} avgCost={heldCost(shown, game?.id)}/>;
		}

		case 'position': {
			return <PositionPane {...frame} position={state.position} session={state.session} price={state.game?.price} player={player} leaders={state.leaders} gameId={state.game?.id}/>;
		}

		case 'sidebets': {
			return <SidebetsPane {...frame} sidebets={state.sidebets} game={state.game} previousGame={state.previousGame}/>;
		}

		case 'trades': {
			return <TradesPane {...frame} trades={state.trades} filter={ui.filter}/>;
		}

		case 'stats': {
			return <StatsPane {...frame} report={shown.liveStats}/>;
		}
	}
}

/** The overlay open, if any: help, provably-fair details or the problem log (which follows the live store, even while frozen). */
function overlayView(ui: UiState, shown: StoreSnapshot, live: StoreSnapshot, width: number, height: number): ReactNode | undefined {
	switch (ui.overlay) {
		case 'help': {
			return <HelpOverlay width={width} height={height}/>;
		}

		case 'fair': {
			return <FairOverlay history={shown.state.history} width={width} height={height}/>;
		}

		case 'problems': {
			return <ProblemLog problems={live.problems} scroll={ui.logScroll} width={width} height={height}/>;
		}

		case undefined: {
			return undefined;
		}
	}
}

function frameOf(cell: Cell, height: number, shown: StoreSnapshot, ui: UiState): PaneFrame {
	return {id: cell.pane, width: cell.width, height, isFocused: cell.pane === ui.focus, note: paneNote(cell.pane, shown, ui), hidden: cell.hidden};
}

/**
The monitor's root: the layout for the terminal's size, six panes (or an
overlay), the history strip and the status bar. Data comes from one store
snapshot per frame; while frozen the panes keep the held snapshot and only
the status bar moves.
*/
export function App({store, fps, player, size: fixedSize, onQuit, metrics, replay}: AppProps) {
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
		let command = commandFor(modeOf(current.ui), input, key);
		if (command === undefined) {
			return;
		}

		if (command.type === 'quit') {
			onQuit(command.reason);
			return;
		}

		if (command.type === 'replay') {
			if (replay !== undefined) {
				controlReplay(replay, command.action);
				return;
			}

			if (command.action !== 'pause') {
				return;
			}

			// Space on a live feed: freeze, as p.
			command = {type: 'toggle-freeze'};
		}

		if (command.type === 'scroll-log') {
			command = {...command, max: current.live.problems.recent.length - 1};
		}

		if (command.type === 'toggle-freeze') {
			// Freeze holds what is on screen now; unfreezing shows the live snapshot at once.
			setHeld(current.ui.frozen ? undefined : current.live);
		}

		// Update the ref at once too, for the next key of the same input chunk.
		latest.current = {...current, ui: reduceUi(current.ui, command)};
		dispatch(command);
	}, [onQuit, replay]);
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

	const layout = chooseLayout(size, ui.maximised ? ui.focus : undefined, ui.focus);
	if (layout.kind === 'too-small') {
		return <TooSmall need={layout.need} size={layout.size}/>;
	}

	const shown = ui.frozen && held !== undefined ? held : live;
	const paneArea = layout.height - footerRows;
	const body: ReactNode = overlayView(ui, shown, live, layout.width, paneArea) ?? layout.rows.map((row, index) => (
		// eslint-disable-next-line react/no-array-index-key -- a row is its place on the screen; the panes in it change with the focus
		<Box key={index} flexDirection='row' height={row.height}>
			{row.cells.map(cell => (
				<PaneView key={cell.pane} frame={frameOf(cell, row.height, shown, ui)} shown={shown} ui={ui} player={player}/>
			))}
		</Box>
	));

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
				replay={live.replay}
				alert={live.alert}
				width={layout.width}
			/>
		</Box>
	);
}
