/**
Payload types of the rugs.fun events rugs-tui understands, written from the
captures in ../shared (see PROTOCOL.md). Every field is optional: the feed is
untrusted and changes over time, so readers must check what they use.
Unknown events and unknown fields pass through untouched.
*/

export type ProvablyFair = {
	serverSeedHash?: string;
	serverSeed?: string;
	version?: string;
};

type PartialPrices = {
	startTick?: number;
	endTick?: number;
	values?: Record<string, number>;
};

/** A sidebet as the leaderboard carries it (`leaderboard[].sideBet`). */
type LeaderboardSidebet = {
	startedAtTick?: number;
	end?: number;
	gameId?: string;
	betAmount?: number;
	xPayout?: number;
	coinAddress?: string;
	bonusPortion?: number;
	realPortion?: number;
};

type LeaderboardEntry = {
	id?: string;
	username?: string | null;
	level?: number;
	pnl?: number;
	regularPnl?: number;
	sidebetPnl?: number;
	shortPnl?: number;
	pnlPercent?: number;
	positionQty?: number;
	avgCost?: number;
	totalInvested?: number;
	sidebetActive?: boolean | null;
	sideBet?: LeaderboardSidebet | null;
	shortPosition?: unknown;
	hasActiveTrades?: boolean;
	position?: number;
};

/** A sidebet record in a gameHistory entry: placed, or its payout. */
export type GlobalSidebet = {
	type?: 'placed' | 'payout' | string;
	id?: string;
	playerId?: string;
	username?: string | null;
	gameId?: string;
	betAmount?: number;
	xPayout?: number;
	startedAtTick?: number;
	end?: number;
	startTick?: number;
	endTick?: number;
	payout?: number;
	profit?: number;
	tickIndex?: number;
	timestamp?: number;
};

export type GameHistoryEntry = {
	id?: string;
	timestamp?: number;
	/** The price at every tick, plus one last element: the rug price set by the server. */
	prices?: number[];
	peakMultiplier?: number;
	rugged?: boolean;
	globalTrades?: unknown[];
	globalSidebets?: GlobalSidebet[];
	provablyFair?: ProvablyFair;
	gameVersion?: string;
};

/**
One gameStateUpdate. Which fields are present tells the phase:
cooldown frames carry only gameId, cooldownTimer, cooldownPaused,
allowPreRoundBuys:false, leaderboard, connectedPlayers and provablyFair;
presale has allowPreRoundBuys:true; active frames have active, rugged, price,
tickCount and partialPrices; at the rug `rugged` turns true while `active` stays true.
*/
type GameStateUpdate = {
	gameId?: string;
	active?: boolean;
	rugged?: boolean;
	price?: number;
	tickCount?: number;
	cooldownTimer?: number;
	cooldownPaused?: boolean;
	pauseMessage?: string;
	allowPreRoundBuys?: boolean;
	tradeCount?: number;
	connectedPlayers?: number;
	partialPrices?: PartialPrices;
	leaderboard?: LeaderboardEntry[];
	gameHistory?: GameHistoryEntry[];
	provablyFair?: ProvablyFair;
	gameVersion?: string;
	averageMultiplier?: number;
	count2x?: number;
	count10x?: number;
	count50x?: number;
	count100x?: number;
	/** Older (2025-08) frames carried the whole price path. */
	prices?: number[];
};

type TradeType = 'buy' | 'sell' | 'short_open' | 'short_close';

type NewTrade = {
	id?: string;
	gameId?: string;
	playerId?: string;
	username?: string | null;
	level?: number;
	type?: TradeType | string;
	price?: number;
	qty?: number;
	amount?: number;
	tickIndex?: number;
	coin?: string;
	leverage?: number;
	bonusPortion?: number;
	realPortion?: number;
};

/** The logged-in user's own state (CDP only). */
type PlayerUpdate = {
	id?: string;
	cash?: number;
	positionQty?: number;
	avgCost?: number;
	cumulativePnL?: number;
	pnlPercent?: number;
	totalInvested?: number;
	sidebetPnl?: number;
	sideBet?: LeaderboardSidebet | null;
	sidebets?: unknown[];
	shortPosition?: unknown;
};

type GameStatePlayerUpdate = {
	gameId?: string;
	leaderboardEntry?: LeaderboardEntry;
	rugpool?: unknown;
};

type UsernameStatus = {
	id?: string;
	username?: string | null;
	hasUsername?: boolean;
};

/** currentSidebet, currentSidebetResult and newSideBet share this shape. */
type SidebetEvent = {
	playerId?: string;
	username?: string | null;
	gameId?: string;
	type?: 'placed' | 'payout' | string;
	betAmount?: number;
	xPayout?: number;
	startTick?: number;
	endTick?: number;
	tickIndex?: number;
	payout?: number;
	profit?: number;
	timestamp?: number;
	coinAddress?: string;
};

type ChatMessage = {
	playerId?: string;
	username?: string | null;
	level?: number;
	message?: string;
	timestamp?: number;
};

/** Event name → payload type, for the events rugs-tui reads. */
export type KnownEvents = {
	gameStateUpdate: GameStateUpdate;
	'standard/newTrade': NewTrade;
	playerUpdate: PlayerUpdate;
	gameStatePlayerUpdate: GameStatePlayerUpdate;
	usernameStatus: UsernameStatus;
	currentSidebet: SidebetEvent;
	currentSidebetResult: SidebetEvent;
	newSideBet: SidebetEvent;
	newChatMessage: ChatMessage;
};

export type KnownEventName = keyof KnownEvents;

export const knownEventNames: readonly KnownEventName[] = [
	'gameStateUpdate',
	'standard/newTrade',
	'playerUpdate',
	'gameStatePlayerUpdate',
	'usernameStatus',
	'currentSidebet',
	'currentSidebetResult',
	'newSideBet',
	'newChatMessage',
];

/** The trace object rugs.fun sends as the first of two arguments. */
export function isTraceObject(value: unknown): boolean {
	return typeof value === 'object' && value !== null && (value as Record<string, unknown>)['__trace'] === true;
}
