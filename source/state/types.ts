import type {Verification} from '../verify/verify-game.js';

export const phases = ['COOLDOWN', 'PRESALE', 'ACTIVE', 'RUGGED'] as const;
export type Phase = (typeof phases)[number];

/** The game being played (or cooling down) now, as far as the feed has shown it. */
export type CurrentGame = {
	id: string;
	phase: Phase | undefined;
	/** Highest tick seen; late or repeated ticks never move it back. -1 before the first tick. */
	tick: number;
	/** Current multiplier (the price at `tick`). */
	price: number | undefined;
	/** Price by tick; NaN where no frame (nor partialPrices) carried that tick. */
	prices: readonly number[];
	/** [tick, price] seen live and later replaced by a different price for that tick (at most 16): verified too. */
	replacedPrices: ReadonlyArray<readonly [number, number]>;
	/** Highest price seen (1 before any). */
	peak: number;
	rugTick: number | undefined;
	rugPrice: number | undefined;
	cooldownTimer: number | undefined;
	cooldownPaused: boolean;
	tradeCount: number | undefined;
	connectedPlayers: number | undefined;
	serverSeedHash: string | undefined;
	gameVersion: string | undefined;
	/** Players on the leaderboard with a sidebet in this game. */
	leaderboardSidebets: number;
	/** Envelope time of the first and last frame of this game. */
	firstTs: number;
	lastTs: number;
};

export type TradeRow = {
	id: string | undefined;
	gameId: string;
	/** The trade's own tick (tickIndex), which lags the live tick by 0–8. */
	tick: number | undefined;
	username: string;
	type: string;
	qty: number | undefined;
	price: number | undefined;
	amount: number | undefined;
	ts: number;
};

export type SidebetOutcome = 'pending' | 'won' | 'lost';

export type SidebetRow = {
	/** gameId:owner:startTick — one row per bet. */
	key: string;
	gameId: string;
	/** 'you' for the logged-in user, else the player's name. */
	owner: string;
	mine: boolean;
	startTick: number;
	endTick: number;
	betAmount: number | undefined;
	xPayout: number;
	outcome: SidebetOutcome;
	payout: number | undefined;
};

export type PositionSource = 'playerUpdate' | 'gameStatePlayerUpdate' | 'leaderboard';

export type Position = {
	source: PositionSource;
	/** Whose position: the user's name when known, or the tracked player. */
	name: string | undefined;
	gameId: string | undefined;
	qty: number | undefined;
	avgCost: number | undefined;
	pnl: number | undefined;
	pnlPercent: number | undefined;
	totalInvested: number | undefined;
	cash: number | undefined;
	/** False when the tracked player is not on the latest leaderboard. */
	onLeaderboard: boolean;
	ts: number;
};

/** A row of the game's leaderboard (the top players by PnL, as the feed lists them). */
export type LeaderRow = {name: string; pnl: number | undefined; pnlPercent: number | undefined; qty: number | undefined};

/** The leaderboard last seen, and the game it is about (during a countdown, the game that ended). */
export type Leaders = {gameId: string | undefined; rows: readonly LeaderRow[]};

/**
The user's (or tracked player's) PnL over the games this run has seen, kept
apart from this game's position. The last game stays open to corrections
(its final leaderboard row arrives during the next game's cooldown); the
games before it are only a sum, so the state stays small however long it runs.
*/
export type SessionPnl = {
	/** Games before the last one in which the player had a position or a PnL. */
	closedGames: number;
	/** The sum of those games' final PnL, SOL. */
	closedPnl: number;
	/** The last finished game's position, as it ended. */
	lastGame: Position | undefined;
};

export type FinishedGame = {
	id: string;
	rugTick: number | undefined;
	rugPrice: number | undefined;
	peak: number | undefined;
	/** Server time of the game (gameHistory timestamp) or the last frame seen. */
	timestamp: number | undefined;
	/** True once the authoritative gameHistory entry has been seen. */
	fromHistory: boolean;
	sidebets: {placed: number; won: number; lost: number} | undefined;
	verification: Verification | undefined;
};

export type StateStats = {
	events: number;
	/** Bugs caught in the reducer (should stay 0; the event was skipped). */
	internalErrors: number;
	/** Missing or wrong-typed fields seen (the event itself was still used). */
	fieldErrors: number;
	/** Events whose payload a lossy recorder did not keep (only the trace argument survived). */
	payloadUnavailable: number;
	/** Events rugs-tui does not interpret (passed through untouched). */
	unknownEvents: number;
	/** Frames of a game that had already been replaced by a newer one. */
	staleFrames: number;
	/** Finished games checked against their seed (each id and seed once: ./history.ts). */
	gamesVerified: number;
	/** gameHistory entries past the ones a frame may bring (the first 100), ignored. */
	historyEntriesSkipped: number;
	/** Envelope time of the last event. */
	lastEventTs: number | undefined;
	lastProblem: string | undefined;
};

export type StateConfig = {
	/** Track this player's leaderboard entry as the position (`--player`). */
	player: string | undefined;
	maxTrades: number;
	maxHistory: number;
	maxSidebets: number;
};

export type GameState = {
	config: StateConfig;
	game: CurrentGame | undefined;
	/** The game before the current one (the price pane shows it during cooldown). */
	previousGame: CurrentGame | undefined;
	/** Ids of games that were replaced, newest first, to spot stale frames. */
	pastGameIds: readonly string[];
	/** serverSeedHash announced while each recent game ran, newest first. */
	announcedHashes: ReadonlyArray<readonly [gameId: string, hash: string]>;
	trades: readonly TradeRow[];
	/** The position in the current game (reset to flat when a game starts). */
	position: Position | undefined;
	session: SessionPnl;
	leaders: Leaders;
	/** The logged-in user's name (usernameStatus), when seen. */
	username: string | undefined;
	sidebets: readonly SidebetRow[];
	/** Finished games, newest first, deduplicated by id. */
	history: readonly FinishedGame[];
	/** Keys (id and seed) of the gameHistory entries already verified, newest first, capped: never verified twice. */
	verifiedGames: readonly string[];
	stats: StateStats;
};
