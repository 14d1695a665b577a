import type {Envelope} from '../protocol/envelope.js';
import {isTraceObject} from '../protocol/events.js';
import {cleanText} from '../protocol/untrusted-text.js';
import {checkPayload, describeIssue} from '../protocol/validate.js';
import {asRecord, list, str, type Rec} from '../protocol/read.js';
import {errorText} from '../protocol/error-text.js';
import {applyFrame, newGame} from './game.js';
import {absorbGameHistory, finishedFromLive, upsertFinished} from './history.js';
import {correctLastGame, describesLastGame, emptySession, findPlayer, leadersFrom, positionFrom, startGame} from './position.js';
import {applyResult, betFromEvent, betFromLeaderboard, betsFromLeaderboard, mergeBets, settleBets} from './sidebets.js';
import {addTrade, tradeFrom} from './trades.js';
import type {GameState, PositionSource, SidebetRow, StateConfig} from './types.js';

/**
The game snapshot as a pure function of the envelopes seen: `reduce(state,
envelope)` never mutates `state` and never throws on bad input. Every buffer is
capped, so memory stays flat however long the monitor runs.
*/

const defaultConfig: StateConfig = {player: undefined, maxTrades: 200, maxHistory: 50, maxSidebets: 60};
const maxPastGames = 20;

/** Events the feed is known to send (PROTOCOL.md) that the state does not need; not counted as unknown. */
const passThroughEvents = new Set([
	'newChatMessage',
	'goldenHourUpdate',
	'goldenHourDrawing',
	'battleEventUpdate',
	'sidebetEventUpdate',
	'maintenanceUpdate',
	'rugRoyaleUpdate',
	'rugpassStatus',
	'playerLeaderboardPosition',
	'leaderboardData',
	'chatHistory',
	'inboxMessages',
	'mutedPlayers',
	'playerCosmetics',
	'ack',
	'connect',
	'disconnect',
	'connect_error',
]);

export function createState(config: Partial<StateConfig> = {}): GameState {
	return {
		config: {...defaultConfig, ...config},
		game: undefined,
		previousGame: undefined,
		pastGameIds: [],
		announcedHashes: [],
		trades: [],
		position: undefined,
		session: emptySession,
		leaders: {gameId: undefined, rows: []},
		username: undefined,
		sidebets: [],
		history: [],
		verifiedGames: [],
		stats: {events: 0, internalErrors: 0, fieldErrors: 0, payloadUnavailable: 0, unknownEvents: 0, staleFrames: 0, gamesVerified: 0, historyEntriesSkipped: 0, lastEventTs: undefined, lastProblem: undefined},
	};
}

/**
A recorder that kept only the first Socket.IO argument left just the trace
object: the payload is unavailable, which is not the feed's fault.
*/
function payloadUnavailable(envelope: Envelope): boolean {
	return envelope.data === null && envelope.extra?.length === 1 && isTraceObject(envelope.extra[0]);
}

function count(state: GameState, envelope: Envelope): GameState {
	const unavailable = payloadUnavailable(envelope);
	const issues = envelope.direction === 'received' && !unavailable ? checkPayload(envelope.event, envelope.data) : [];
	const unknown = envelope.direction === 'received' && !passThroughEvents.has(envelope.event) && !handlers.has(envelope.event);
	const {stats} = state;
	return {
		...state,
		stats: {
			...stats,
			events: stats.events + 1,
			fieldErrors: stats.fieldErrors + issues.length,
			payloadUnavailable: stats.payloadUnavailable + (unavailable ? 1 : 0),
			unknownEvents: stats.unknownEvents + (unknown ? 1 : 0),
			lastEventTs: envelope.ts,
			lastProblem: issues.length > 0 ? describeIssue(issues[0]!) : stats.lastProblem,
		},
	};
}

/** The logged-in user's own bets are always shown (and keyed) as 'you', whichever event reported them. */
const me = 'you';

function addBets(state: GameState, bets: readonly SidebetRow[]): GameState {
	const sidebets = mergeBets(state.sidebets, bets, state.config.maxSidebets);
	return sidebets === state.sidebets ? state : {...state, sidebets};
}

function onLeaderboard(state: GameState, leaderboard: unknown[], gameId: string, ts: number): GameState {
	let next = addBets(state, betsFromLeaderboard(leaderboard, gameId, state.username));
	// The countdown's leaderboard lists the game that ended (position.ts); PRESALE's first frame empties it.
	const leaders = leadersFrom(leaderboard, describesLastGame(next.game?.phase) ? next.previousGame?.id : gameId, next.leaders);
	if (leaders !== next.leaders) {
		next = {...next, leaders};
	}

	const {player} = next.config;
	if (player !== undefined) {
		const entry = findPlayer(leaderboard, player);
		if (describesLastGame(next.game?.phase)) {
			// The countdown's leaderboard is the last game's, with its final figures.
			const previousId = next.previousGame?.id;
			return entry === undefined || previousId === undefined ? next : {...next, ...correctLastGame(entry, {source: 'leaderboard', name: player, gameId: previousId, ts}, next, gameId)};
		}

		next = entry === undefined
			? (next.position === undefined ? next : {...next, position: {...next.position, onLeaderboard: false}})
			: {...next, position: positionFrom(entry, {source: 'leaderboard', name: player, gameId, ts}, next.position)};
	}

	return next;
}

/**
The user's own row (gameStatePlayerUpdate): this game's position, or, while
the next game counts down or for the game before, the last game's final one.
*/
function onOwnRow(state: GameState, entry: Record<string, unknown>, gameId: string | undefined, name: string | undefined, ts: number): GameState {
	const source: PositionSource = 'gameStatePlayerUpdate';
	const current = state.game;
	const previousId = state.previousGame?.id;
	const aboutLast = previousId !== undefined && (gameId === previousId || (gameId === current?.id && describesLastGame(current?.phase)));
	if (aboutLast) {
		return {...state, ...correctLastGame(entry, {source, name, gameId: previousId, ts}, state, current?.id)};
	}

	return {...state, position: positionFrom(entry, {source, name, gameId, ts}, state.position)};
}

function switchGame(state: GameState, gameId: string, ts: number): GameState {
	const old = state.game;
	const started = startGame(state.position, state.session, gameId, ts);
	if (old === undefined) {
		return {...state, ...started, game: newGame(gameId, ts)};
	}

	const history = old.rugTick !== undefined && !state.history.some(game => game.id === old.id)
		? upsertFinished(state.history, finishedFromLive(old), state.config.maxHistory)
		: state.history;
	return {
		...state,
		...started,
		game: newGame(gameId, ts),
		previousGame: old,
		pastGameIds: [old.id, ...state.pastGameIds.filter(id => id !== old.id)].slice(0, maxPastGames),
		history,
	};
}

function onGameState(state: GameState, data: Rec, ts: number): GameState {
	const gameId = str(data['gameId']);
	const gameHistory = list(data['gameHistory']);
	if (gameId === undefined || state.pastGameIds.includes(gameId)) {
		// A frame of a game already replaced (frames of the old and new game interleave
		// around the rug): it may still carry the authoritative gameHistory.
		const next = gameId === undefined ? state : {...state, stats: {...state.stats, staleFrames: state.stats.staleFrames + 1}};
		return gameHistory === undefined ? next : absorbGameHistory(next, gameHistory);
	}

	let next = state.game?.id === gameId ? state : switchGame(state, gameId, ts);
	const game = applyFrame(next.game!, data, ts);
	next = {...next, game};

	if (game.serverSeedHash !== undefined && !next.announcedHashes.some(([id]) => id === gameId)) {
		next = {...next, announcedHashes: [[gameId, game.serverSeedHash] as const, ...next.announcedHashes].slice(0, maxPastGames)};
	}

	const leaderboard = list(data['leaderboard']);
	if (leaderboard !== undefined) {
		next = onLeaderboard(next, leaderboard, gameId, ts);
	}

	const sidebets = settleBets(next.sidebets, game);
	if (sidebets !== next.sidebets) {
		next = {...next, sidebets};
	}

	return gameHistory === undefined ? next : absorbGameHistory(next, gameHistory);
}

type HandlerFn = (state: GameState, data: unknown, envelope: Envelope) => GameState;

const handlers = new Map<string, HandlerFn>([
	['gameStateUpdate', (state, data, {ts}) => {
		const frame = asRecord(data);
		return frame === undefined ? state : onGameState(state, frame, ts);
	}],
	['standard/newTrade', (state, data, {ts}) => {
		const trade = tradeFrom(data, ts);
		return trade === undefined ? state : {...state, trades: addTrade(state.trades, trade, state.config.maxTrades)};
	}],
	['playerUpdate', (state, data, {ts}) => {
		let next = state;
		if (state.config.player === undefined) {
			next = {...next, position: positionFrom(data, {source: 'playerUpdate', name: state.username, gameId: state.game?.id, ts}, state.position)};
		}

		const gameId = state.game?.id;
		const bet = gameId === undefined ? undefined : betFromLeaderboard(asRecord(data)?.['sideBet'], me, true, gameId);
		return bet === undefined ? next : addBets(next, [bet]);
	}],
	['gameStatePlayerUpdate', (state, data, {ts}) => {
		const record = asRecord(data);
		const entry = asRecord(record?.['leaderboardEntry']);
		if (entry === undefined) {
			return state;
		}

		const gameId = str(record?.['gameId']) ?? state.game?.id;
		let next = state;
		if (state.config.player === undefined) {
			next = onOwnRow(next, entry, gameId, cleanText(entry['username'], 32) || state.username, ts);
		}

		const bet = gameId === undefined ? undefined : betFromLeaderboard(entry['sideBet'], me, true, gameId);
		return bet === undefined ? next : addBets(next, [bet]);
	}],
	['usernameStatus', (state, data) => {
		const name = cleanText(asRecord(data)?.['username'], 32);
		return name === '' ? state : {...state, username: name};
	}],
	['currentSidebet', (state, data) => {
		const bet = betFromEvent(data, me, true, state.game?.id);
		return bet === undefined ? state : addBets(state, [bet]);
	}],
	['currentSidebetResult', (state, data) => {
		const sidebets = applyResult(state.sidebets, data, me, state.game?.id);
		return sidebets === state.sidebets ? state : {...state, sidebets: sidebets.slice(0, state.config.maxSidebets)};
	}],
	['newSideBet', (state, data) => {
		const bet = betFromEvent(data, '?', false, state.game?.id);
		return bet === undefined ? state : addBets(state, [bet]);
	}],
]);

export function reduce(state: GameState, envelope: Envelope): GameState {
	const counted = count(state, envelope);
	if (envelope.direction !== 'received') {
		return counted;
	}

	const handler = handlers.get(envelope.event);
	if (handler === undefined) {
		return counted;
	}

	try {
		return handler(counted, envelope.data, envelope);
	} catch (error) {
		// Last line of defence: a bug must not take the monitor down. Counted, so tests and users see it.
		const message = errorText(error);
		return {...counted, stats: {...counted.stats, internalErrors: counted.stats.internalErrors + 1, lastProblem: `internal error on ${envelope.event}: ${message}`}};
	}
}
