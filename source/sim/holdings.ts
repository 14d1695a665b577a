import type {Player} from './players.js';

/**
Every participant's position in the current game, kept coherent with the
trades and sidebets the simulator emits, so the leaderboard (and the logged-in
user's leaderboardEntry) shows the same story as the trade tape.
*/

export const solanaCoinAddress = 'So11111111111111111111111111111111111111112';
export const sidebetTicks = 40;
export const sidebetMultiplier = 5;

/** A sidebet as the leaderboard shows it (`leaderboard[].sideBet`), key order as on the feed. */
export type LeaderboardSideBet = {
	startedAtTick: number;
	gameId: string;
	end: number;
	betAmount: number;
	xPayout: number;
	coinAddress: string;
	bonusPortion: number;
	realPortion: number;
};

export type Holding = {
	player: Player;
	qty: number;
	avgCost: number;
	/** Everything staked this game: buys and sidebets (pnlPercent is relative to it). */
	invested: number;
	/** Realised profit of sold tokens. */
	realized: number;
	sidebetPnl: number;
	shortPnl: number;
	/** Open short: SOL amount and entry price. */
	short: {amount: number; entry: number} | undefined;
	sideBet: LeaderboardSideBet | undefined;
	/** Order of first activity, to break pnl ties the same way every run. */
	joined: number;
	/** Bumped by every change to this holding. */
	version: number;
	/** The last leaderboard row built for it, reused while nothing it shows can change. */
	row: {version: number; position: number; entry: Record<string, unknown>} | undefined;
};

/** Nine decimals, as the feed's amounts carry. */
export function round9(value: number): number {
	const rounded = Math.round(value * 1e9) / 1e9;
	// Never -0: JSON writes it as 0, and an envelope must equal itself read back from a recording.
	return rounded === 0 ? 0 : rounded;
}

export class Holdings {
	readonly #byId = new Map<string, Holding>();
	#joined = 0;
	/** Bumped by every change, so an unchanged leaderboard can be reused (presale: the price stays 1). */
	version = 0;

	get size(): number {
		return this.#byId.size;
	}

	get(player: Player): Holding | undefined {
		return this.#byId.get(player.id);
	}

	values(): IterableIterator<Holding> {
		return this.#byId.values();
	}

	#open(player: Player): Holding {
		this.version++;
		let holding = this.#byId.get(player.id);
		if (holding === undefined) {
			holding = {
				player,
				qty: 0,
				avgCost: 0,
				invested: 0,
				realized: 0,
				sidebetPnl: 0,
				shortPnl: 0,
				short: undefined,
				sideBet: undefined,
				joined: this.#joined++,
				version: 0,
				row: undefined,
			};
			this.#byId.set(player.id, holding);
		} else {
			holding.version++;
		}

		return holding;
	}

	/** A buy of `amount` SOL at `price` (of `qty` tokens when the trade says so); returns the quantity bought. */
	buy(player: Player, amount: number, price: number, qty = round9(amount / price)): number {
		const holding = this.#open(player);
		const total = holding.qty + qty;
		holding.avgCost = total > 0 ? round9(((holding.avgCost * holding.qty) + amount) / total) : 0;
		holding.qty = round9(total);
		holding.invested = round9(holding.invested + amount);
		return qty;
	}

	/** Sell a fraction of the position at `price`; returns the quantity and SOL received. */
	sell(player: Player, fraction: number, price: number): {qty: number; amount: number} {
		const holding = this.#open(player);
		const qty = fraction >= 1 ? holding.qty : round9(holding.qty * fraction);
		const amount = round9(qty * price);
		holding.realized = round9(holding.realized + (qty * (price - holding.avgCost)));
		holding.qty = round9(holding.qty - qty);
		if (holding.qty <= 0) {
			holding.qty = 0;
			holding.avgCost = 0;
		}

		return {qty, amount};
	}

	/** A sale of exactly `qty` tokens for `amount` SOL (a scripted trade; never more than is held). */
	sellExactly(player: Player, qty: number, amount: number): void {
		const holding = this.#open(player);
		const sold = Math.min(qty, holding.qty);
		holding.realized = round9(holding.realized + amount - (sold * holding.avgCost));
		holding.qty = round9(holding.qty - sold);
		if (holding.qty <= 0) {
			holding.qty = 0;
			holding.avgCost = 0;
		}
	}

	openShort(player: Player, amount: number, price: number): void {
		const holding = this.#open(player);
		holding.short = {amount, entry: price};
		holding.invested = round9(holding.invested + amount);
	}

	/** Close a short at `price`; returns what it pays back (stake plus profit). */
	closeShort(player: Player, price: number): number {
		const holding = this.#open(player);
		const {short} = holding;
		if (short === undefined) {
			return 0;
		}

		const profit = short.amount * (short.entry - price) / short.entry;
		holding.shortPnl = round9(holding.shortPnl + profit);
		holding.short = undefined;
		return round9(short.amount + profit);
	}

	placeSidebet(player: Player, sideBet: LeaderboardSideBet): void {
		const holding = this.#open(player);
		holding.sideBet = sideBet;
		holding.invested = round9(holding.invested + sideBet.betAmount);
	}

	settleSidebet(player: Player, won: boolean): void {
		const holding = this.#open(player);
		const bet = holding.sideBet;
		if (bet === undefined) {
			return;
		}

		holding.sidebetPnl = round9(holding.sidebetPnl + (won ? bet.betAmount * (bet.xPayout - 1) : -bet.betAmount));
		holding.sideBet = undefined;
	}

	/** The rug: every open position is worth the rug price, every short pays out. */
	liquidate(rugPrice: number): void {
		this.version++;
		for (const holding of this.#byId.values()) {
			if (holding.qty > 0 || holding.short !== undefined) {
				holding.version++;
			}

			if (holding.qty > 0) {
				holding.realized = round9(holding.realized + (holding.qty * (rugPrice - holding.avgCost)));
				holding.qty = 0;
				holding.avgCost = 0;
			}

			if (holding.short !== undefined) {
				this.closeShort(holding.player, rugPrice);
			}
		}
	}
}

export function regularPnl(holding: Holding, price: number): number {
	return round9(holding.realized + (holding.qty * (price - holding.avgCost)));
}

/** A participant's standing at a price. */
type Standing = {holding: Holding; regular: number; pnl: number};

function standing(holding: Holding, price: number): Standing {
	const regular = regularPnl(holding, price);
	return {holding, regular, pnl: round9(regular + holding.sidebetPnl + holding.shortPnl)};
}

/** One leaderboard row, field by field and in the order the feed sends them. */
export function leaderboardEntry({holding, regular, pnl}: Standing, position: number): Record<string, unknown> {
	return {
		id: holding.player.id,
		username: holding.player.username,
		level: holding.player.level,
		pnl,
		regularPnl: regular,
		sidebetPnl: holding.sidebetPnl,
		shortPnl: holding.shortPnl,
		sidebetActive: holding.sideBet === undefined ? null : true,
		sideBet: holding.sideBet ?? null,
		shortPosition: null,
		pnlPercent: holding.invested > 0 ? (pnl / holding.invested) * 100 : 0,
		hasActiveTrades: true,
		positionQty: holding.qty,
		avgCost: holding.avgCost,
		totalInvested: holding.invested,
		selectedCoin: null,
		position,
	};
}

/** Participants ranked by pnl at `price` (ties: who came first), best first. */
export function ranked(holdings: Holdings, price: number): Standing[] {
	const rows: Standing[] = [];
	for (const holding of holdings.values()) {
		rows.push(standing(holding, price));
	}

	rows.sort((a, b) => (b.pnl - a.pnl) || (a.holding.joined - b.holding.joined));
	return rows;
}

/** The top `size` rows of the leaderboard at `price`. */
export function leaderboard(holdings: Holdings, price: number, size: number): Array<Record<string, unknown>> {
	const rows = ranked(holdings, price);
	const count = Math.min(size, rows.length);
	const board: Array<Record<string, unknown>> = [];
	for (let index = 0; index < count; index++) {
		const row = rows[index]!;
		const {holding} = row;
		const cached = holding.row;
		// Without an open position a row does not depend on the price: the same object serves until it changes.
		if (cached?.version === holding.version && cached.position === index + 1 && holding.qty === 0 && holding.short === undefined) {
			board.push(cached.entry);
			continue;
		}

		const entry = leaderboardEntry(row, index + 1);
		holding.row = {version: holding.version, position: index + 1, entry};
		board.push(entry);
	}

	return board;
}
