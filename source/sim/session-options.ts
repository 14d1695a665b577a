import type {SourceKind} from '../protocol/envelope.js';
import {maxTicks} from '../verify/price-path.js';

/** What a generated session looks like: the options of generateSession, checked. */

export type SessionOptions = {
	/** Same seed and options → byte-identical envelopes. Default 'rugs-tui'. */
	seed?: string | number;
	/** Games to play; undefined = unbounded (the demo feed, long benchmarks). */
	games?: number;
	/** Epoch ms of the session's first event. Default 2025-12-12T22:00:00Z. */
	startTs?: number;
	/** Also emit the logged-in user's events (usernameStatus, playerUpdate, gameStatePlayerUpdate, currentSidebet/Result), as a CDP session sees them. */
	authenticated?: boolean;
	/** With `authenticated`: also the user's own requests (direction 'sent', with ack ids) and the server's acks. */
	clientRequests?: boolean;
	/** Give some players usernames and chat with escape sequences, control characters, emoji and wide characters. */
	hostileNames?: boolean;
	/** Source label of the envelopes. Default 'demo'. */
	source?: SourceKind;
	/** 'cooldown' (default): start at a game's cooldown. 'active': join mid-game, as a client connecting to the live feed does (a snapshot frame first). */
	startAt?: 'cooldown' | 'active';
	/** Players on the leaderboard (default 10, as the feed). */
	leaderboardSize?: number;
	/** Finished games in gameHistory frames (default 10, as the feed). */
	historySize?: number;
	/** Only games whose rug tick lies in this range (server seeds are drawn until one fits). Keeps fixtures small. */
	rugTicks?: {min?: number; max?: number};
	/** Occasional quirks of the real feed: late/repeated ticks, stalls and bursts, a late or missing 15000 frame. Default true. */
	quirks?: boolean;
	/** In every game long enough, one sidebet ending exactly on the rug tick (wins) and one ending a tick before (loses). */
	edgeSidebets?: boolean;
	/** Size of the cast (default 48). */
	players?: number;
};

export type SessionConfig = {
	seed: string;
	games: number | undefined;
	startTs: number;
	authenticated: boolean;
	clientRequests: boolean;
	hostileNames: boolean;
	source: SourceKind;
	startAt: 'cooldown' | 'active';
	leaderboardSize: number;
	historySize: number;
	minRugTick: number;
	maxRugTick: number;
	quirks: boolean;
	edgeSidebets: boolean;
	players: number;
};

export const defaultStartTs = Date.UTC(2025, 11, 12, 22, 0, 0);

function requireInteger(name: string, value: number, min: number, max: number): number {
	if (!Number.isInteger(value) || value < min || value > max) {
		throw new RangeError(`${name} must be a whole number from ${min} to ${max} (got ${value})`);
	}

	return value;
}

/** The options with their defaults, checked: a RangeError says which one is wrong and what it may be. */
export function resolveOptions(options: SessionOptions): SessionConfig {
	const games = options.games === undefined ? undefined : requireInteger('games', options.games, 1, Number.MAX_SAFE_INTEGER);
	const minRugTick = requireInteger('rugTicks.min', options.rugTicks?.min ?? 1, 1, maxTicks);
	const maxRugTick = requireInteger('rugTicks.max', options.rugTicks?.max ?? maxTicks, minRugTick, maxTicks);
	const startTs = options.startTs ?? defaultStartTs;
	if (!Number.isFinite(startTs) || startTs < 0) {
		throw new RangeError(`startTs must be epoch milliseconds (got ${startTs})`);
	}

	return {
		seed: String(options.seed ?? 'rugs-tui'),
		games,
		startTs: Math.round(startTs),
		authenticated: options.authenticated ?? false,
		clientRequests: (options.clientRequests ?? false) && (options.authenticated ?? false),
		hostileNames: options.hostileNames ?? false,
		source: options.source ?? 'demo',
		startAt: options.startAt ?? 'cooldown',
		leaderboardSize: requireInteger('leaderboardSize', options.leaderboardSize ?? 10, 0, 100),
		historySize: requireInteger('historySize', options.historySize ?? 10, 1, 50),
		minRugTick,
		maxRugTick,
		quirks: options.quirks ?? true,
		edgeSidebets: options.edgeSidebets ?? false,
		players: requireInteger('players', options.players ?? 48, 4, 10_000),
	};
}
