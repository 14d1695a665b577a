import {cleanText} from '../protocol/untrusted-text.js';
import {asRecord, num, str} from '../protocol/read.js';
import type {Position, PositionSource} from './types.js';

type Fields = {
	source: PositionSource;
	name: string | undefined;
	gameId: string | undefined;
	ts: number;
};

/**
A position from a playerUpdate, a gameStatePlayerUpdate.leaderboardEntry or a
tracked player's leaderboard entry. Fields the new record lacks keep their
previous values (cash comes only from playerUpdate, for instance).
*/
export function positionFrom(record: unknown, fields: Fields, previous: Position | undefined): Position | undefined {
	const data = asRecord(record);
	if (data === undefined) {
		return previous;
	}

	const keep = previous !== undefined && previous.name === fields.name ? previous : undefined;
	return {
		source: fields.source,
		name: fields.name,
		gameId: fields.gameId ?? keep?.gameId,
		qty: num(data['positionQty']) ?? keep?.qty,
		avgCost: num(data['avgCost']) ?? keep?.avgCost,
		pnl: num(data['pnl']) ?? num(data['cumulativePnL']) ?? keep?.pnl,
		pnlPercent: num(data['pnlPercent']) ?? keep?.pnlPercent,
		totalInvested: num(data['totalInvested']) ?? keep?.totalInvested,
		cash: num(data['cash']) ?? keep?.cash,
		onLeaderboard: true,
		ts: fields.ts,
	};
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
