import {cleanText} from '../protocol/untrusted-text.js';
import {asRecord, num, str, tickOf} from '../protocol/read.js';
import {maxTick} from './game.js';
import {playerIdLength} from './position.js';
import type {CurrentGame, SidebetOutcome, SidebetRow} from './types.js';

/** A sidebet covers 40 ticks from the tick it was placed and pays 5x. */
export const sidebetWindow = 40;
export const sidebetPayout = 5;

/**
The rule, from real payouts (PROTOCOL.md): a bet WINS iff the rug tick is ≤ its
end tick. Some written specs say `<`; 9 real bets won with the rug exactly on endTick.
*/
function sidebetWins(rugTick: number, endTick: number): boolean {
	return rugTick <= endTick;
}

/** Outcome of a bet given what is known of its game so far. */
function outcomeFor(bet: Pick<SidebetRow, 'endTick'>, game: Pick<CurrentGame, 'tick' | 'rugTick'>): SidebetOutcome {
	if (game.rugTick !== undefined) {
		return sidebetWins(game.rugTick, bet.endTick) ? 'won' : 'lost';
	}

	return game.tick > bet.endTick ? 'lost' : 'pending';
}

type BetFields = {gameId: string; owner: string; mine: boolean; startTick: number; endTick?: number; betAmount?: number; xPayout?: number};

function makeBet(fields: BetFields): SidebetRow {
	const endTick = fields.endTick ?? fields.startTick + sidebetWindow;
	return {
		key: `${fields.gameId}:${fields.owner}:${fields.startTick}`,
		gameId: fields.gameId,
		owner: fields.owner,
		mine: fields.mine,
		startTick: fields.startTick,
		endTick,
		betAmount: fields.betAmount,
		xPayout: fields.xPayout ?? sidebetPayout,
		outcome: 'pending',
		payout: undefined,
	};
}

/** A bet from a sidebet event (currentSidebet / newSideBet: startTick, endTick). */
export function betFromEvent(data: unknown, owner: string, mine: boolean, fallbackGameId: string | undefined): SidebetRow | undefined {
	const record = asRecord(data);
	const gameId = str(record?.['gameId']) ?? fallbackGameId;
	const startTick = tickOf(record?.['startTick'], maxTick) ?? tickOf(record?.['startedAtTick'], maxTick);
	if (record === undefined || gameId === undefined || startTick === undefined) {
		return undefined;
	}

	const name = mine ? owner : (cleanText(record['username'], 32) || owner);
	return makeBet({
		gameId,
		owner: name,
		mine,
		startTick,
		endTick: tickOf(record['endTick'], maxTick) ?? tickOf(record['end'], maxTick),
		betAmount: num(record['betAmount']),
		xPayout: num(record['xPayout']),
	});
}

/** A bet from a leaderboard entry's `sideBet` ({startedAtTick, end, …}). */
export function betFromLeaderboard(sideBet: unknown, owner: string, mine: boolean, gameId: string): SidebetRow | undefined {
	const bet = asRecord(sideBet);
	const startTick = tickOf(bet?.['startedAtTick'], maxTick);
	if (bet === undefined || startTick === undefined) {
		return undefined;
	}

	const betGame = str(bet['gameId']) ?? gameId;
	if (betGame !== gameId) {
		return undefined;
	}

	return makeBet({
		gameId,
		owner,
		mine,
		startTick,
		endTick: tickOf(bet['end'], maxTick),
		betAmount: num(bet['betAmount']),
		xPayout: num(bet['xPayout']),
	});
}

/** Add bets not yet known (by key), newest first, capped. */
export function mergeBets(rows: readonly SidebetRow[], bets: readonly SidebetRow[], cap: number): readonly SidebetRow[] {
	const fresh = bets.filter(bet => !rows.some(row => row.key === bet.key));
	if (fresh.length === 0) {
		return rows;
	}

	const next = [...fresh, ...rows];
	return next.length > cap ? next.slice(0, cap) : next;
}

/** Settle pending bets of this game from its tick and rug. */
export function settleBets(rows: readonly SidebetRow[], game: CurrentGame): readonly SidebetRow[] {
	let changed = false;
	const next = rows.map(row => {
		if (row.gameId !== game.id || row.outcome !== 'pending') {
			return row;
		}

		const outcome = outcomeFor(row, game);
		if (outcome === 'pending') {
			return row;
		}

		changed = true;
		return {...row, outcome, payout: outcome === 'won' && row.betAmount !== undefined ? row.betAmount * row.xPayout : 0};
	});
	return changed ? next : rows;
}

/** Apply a currentSidebetResult: the server's own word on the user's bet. */
export function applyResult(rows: readonly SidebetRow[], data: unknown, owner: string, fallbackGameId: string | undefined): readonly SidebetRow[] {
	const record = asRecord(data);
	const bet = betFromEvent(data, owner, true, fallbackGameId);
	const payout = num(record?.['payout']);
	if (bet === undefined || payout === undefined) {
		return rows;
	}

	const result: SidebetRow = {...bet, outcome: payout > 0 ? 'won' : 'lost', payout};
	const index = rows.findIndex(row => row.key === bet.key || (row.mine && row.gameId === bet.gameId && row.startTick === bet.startTick));
	return index === -1 ? [result, ...rows] : rows.map((row, i) => (i === index ? {...result, key: row.key, owner: row.owner} : row));
}

/** Bets of the leaderboard's players in this game (public feed). */
export function betsFromLeaderboard(leaderboard: unknown[], gameId: string, me: string | undefined): SidebetRow[] {
	const bets: SidebetRow[] = [];
	for (const item of leaderboard) {
		const entry = asRecord(item);
		const name = cleanText(entry?.['username'], 32) || cleanText(entry?.['id'], playerIdLength) || '?';
		const mine = name.toLowerCase() === me?.toLowerCase();
		const bet = betFromLeaderboard(entry?.['sideBet'], mine ? 'you' : name, mine, gameId);
		if (bet !== undefined) {
			bets.push(bet);
		}
	}

	return bets;
}

export type BetCounts = {bets: number; open: number; won: number; lost: number};

/** How many of the known bets are of `gameId`, and how they stand. */
export function countBets(rows: readonly SidebetRow[], gameId: string | undefined): BetCounts {
	const counts: BetCounts = {bets: 0, open: 0, won: 0, lost: 0};
	if (gameId === undefined) {
		return counts;
	}

	for (const row of rows) {
		if (row.gameId !== gameId) {
			continue;
		}

		counts.bets++;
		if (row.outcome === 'pending') {
			counts.open++;
		} else if (row.outcome === 'won') {
			counts.won++;
		} else {
			counts.lost++;
		}
	}

	return counts;
}
