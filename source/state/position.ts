import {cleanText} from '../protocol/untrusted-text.js';
import {asRecord, num, str} from '../protocol/read.js';
import type {Leaders, LeaderRow, Phase, Position, PositionSource, SessionPnl} from './types.js';

/*
What the feed's position fields mean, worked out from the captures
(../shared/captures: the logged-in sample auth-gameStatePlayerUpdate-sample-2025-12-17.json,
auth-browser-cdp-2025-12-15.jsonl, and every leaderboard row of
public-feed-socketio-client-2025-12-12.jsonl, which carries the same fields
for the top players):

- positionQty: units held now in THIS game. One unit is worth `price` SOL,
  i.e. 1 SOL at 1.00x; a buy of `amount` SOL at price p adds amount / p
  (the trade's own `qty`). 0 when flat.
- avgCost: the average price multiplier paid for the units held (not SOL):
  positionQty × avgCost = the SOL paid for them (the sample: 0.00319212 ×
  0.313271335 = 0.001000). 0 when flat, which is "no position", not a cost.
- totalInvested: SOL put into buys in THIS game, not reduced by sells
  (Mikeyspliff3 at tick 4: invested 0.02 with 0.015 units at 1.00x).
- pnl: this game's profit in SOL, realised and not (it stays after a full
  sell: qty 0, pnl 0.0145), lagging the price by one frame:
  positionQty × (price of the previous tick − avgCost) + realised. It is
  regularPnl + sidebetPnl + shortPnl, so a won sidebet counts in it (Biggz:
  pnl 0.052 = sidebetPnl, regularPnl 0).
- pnlPercent: pnl / totalInvested × 100 (−11.5942 in the sample).
- playerUpdate's cumulativePnL: in every capture 0 beside a flat position;
  taken as pnl, this game's (the simulator sends it so).
All of them start again at 0 for each game: a game's leaderboard row starts
at pnl 0 in PRESALE. During COOLDOWN (and until the first PRESALE frame,
which brings an empty leaderboard), the leaderboard still lists the game
that just ended with its final figures, so a row read then belongs to that
game, not to the one counting down.
*/

/** A player id (did:privy:…, 35 characters) is kept whole where it stands for a name; names are cut at 32. */
export const playerIdLength = 64;

type Fields = {
	source: PositionSource;
	name: string | undefined;
	gameId: string | undefined;
	ts: number;
};

/**
A position from a playerUpdate, a gameStatePlayerUpdate.leaderboardEntry or a
tracked player's leaderboard entry. Fields the new record lacks keep their
previous values for the same player and game (cash comes only from
playerUpdate, and it is the account's, so it carries over to the next game).
*/
export function positionFrom(record: unknown, fields: Fields, previous: Position | undefined): Position | undefined {
	const data = asRecord(record);
	if (data === undefined) {
		return previous;
	}

	const samePlayer = previous !== undefined && previous.name === fields.name ? previous : undefined;
	const gameId = fields.gameId ?? samePlayer?.gameId;
	const keep = samePlayer !== undefined && (samePlayer.gameId === gameId || samePlayer.gameId === undefined) ? samePlayer : undefined;
	return {
		source: fields.source,
		name: fields.name,
		gameId,
		qty: num(data['positionQty']) ?? keep?.qty,
		avgCost: num(data['avgCost']) ?? keep?.avgCost,
		pnl: num(data['pnl']) ?? num(data['cumulativePnL']) ?? keep?.pnl,
		pnlPercent: num(data['pnlPercent']) ?? keep?.pnlPercent,
		totalInvested: num(data['totalInvested']) ?? keep?.totalInvested,
		cash: num(data['cash']) ?? samePlayer?.cash,
		onLeaderboard: true,
		ts: fields.ts,
	};
}

/** True when the position holds nothing (avgCost is then 0, which is not a price). */
export function isFlat(position: Pick<Position, 'qty'>): boolean {
	return position.qty === undefined || position.qty <= 0;
}

/** True when the player did something in the position's game: bought, or made or lost anything. */
export function hasPlayed(position: Position): boolean {
	return !isFlat(position) || (position.totalInvested ?? 0) > 0 || (position.pnl ?? 0) !== 0;
}

/**
Rows that the feed sends while a game counts down describe the game before
it (see the comment at the top): COOLDOWN, or a game whose phase no frame has
said yet.
*/
export function describesLastGame(phase: Phase | undefined): boolean {
	return phase === undefined || phase === 'COOLDOWN';
}

export const emptySession: SessionPnl = {closedGames: 0, closedPnl: 0, lastGame: undefined};

/** The session's PnL: every finished game's final PnL, the last game's included. */
export function sessionTotal(session: SessionPnl): {games: number; pnl: number} {
	const last = session.lastGame !== undefined && hasPlayed(session.lastGame) ? session.lastGame : undefined;
	return {games: session.closedGames + (last === undefined ? 0 : 1), pnl: session.closedPnl + (last?.pnl ?? 0)};
}

/**
A new game starts: the position of the game that ended becomes the session's
last game (the one before it is added to the closed total), and the
position starts flat for the new game, keeping whose it is and the cash.
*/
export function startGame(position: Position | undefined, session: SessionPnl, gameId: string, ts: number): {position: Position | undefined; session: SessionPnl} {
	if (position === undefined) {
		return {position, session};
	}

	if (position.gameId === undefined || position.gameId === gameId) {
		// Nothing was known of a game yet (or it is this one): the record is about the game now starting.
		return {position: {...position, gameId}, session};
	}

	const previous = session.lastGame !== undefined && hasPlayed(session.lastGame) ? session.lastGame : undefined;
	return {
		position: {...position, gameId, qty: 0, avgCost: undefined, pnl: 0, pnlPercent: 0, totalInvested: 0, ts},
		session: {
			closedGames: session.closedGames + (previous === undefined ? 0 : 1),
			closedPnl: session.closedPnl + (previous?.pnl ?? 0),
			lastGame: position,
		},
	};
}

/**
A row that belongs to the game that just ended (read during COOLDOWN): it
corrects that game's final figures in the session, and leaves this game's
position flat.
*/
export function correctLastGame(record: unknown, fields: Fields, state: {position: Position | undefined; session: SessionPnl}, currentId: string | undefined): {position: Position | undefined; session: SessionPnl} {
	const {session} = state;
	const last = session.lastGame?.gameId === fields.gameId && session.lastGame?.name === fields.name ? session.lastGame : undefined;
	const lastGame = positionFrom(record, fields, last);
	const position = state.position ?? (lastGame === undefined
		? undefined
		: {...lastGame, gameId: currentId, qty: 0, avgCost: undefined, pnl: 0, pnlPercent: 0, totalInvested: 0, cash: lastGame.cash});
	return {position, session: {...session, lastGame}};
}

/** The tracked player's entry on a leaderboard, matched by name (case-insensitive). */
export function findPlayer(leaderboard: unknown[], player: string): Record<string, unknown> | undefined {
	const wanted = player.toLowerCase();
	for (const item of leaderboard) {
		const entry = asRecord(item);
		const name = str(entry?.['username']);
		if (name !== undefined && cleanText(name, 64).toLowerCase() === wanted) {
			return entry;
		}
	}

	return undefined;
}

/** Rows kept of a leaderboard (the feed sends the top 10). */
const maxLeaders = 10;

/** The leaderboard's rows, about `gameId`; the same object when nothing shown changed. */
export function leadersFrom(leaderboard: unknown[], gameId: string | undefined, previous: Leaders): Leaders {
	const rows: LeaderRow[] = [];
	for (const item of leaderboard.slice(0, maxLeaders)) {
		const entry = asRecord(item);
		if (entry === undefined) {
			continue;
		}

		rows.push({
			name: cleanText(entry['username'], 32) || cleanText(entry['id'], playerIdLength) || '?',
			pnl: num(entry['pnl']),
			pnlPercent: num(entry['pnlPercent']),
			qty: num(entry['positionQty']),
		});
	}

	const same = previous.gameId === gameId && previous.rows.length === rows.length
		&& rows.every((row, index) => {
			const old = previous.rows[index]!;
			return old.name === row.name && old.pnl === row.pnl && old.pnlPercent === row.pnlPercent && old.qty === row.qty;
		});
	return same ? previous : {gameId, rows};
}
