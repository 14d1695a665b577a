import {placeSidebet} from './crowd.js';
import type {Game} from './game.js';
import {leaderboardEntry, ranked, regularPnl, round9} from './holdings.js';
import {
	buyPayload,
	currentSidebetPayload,
	playerUpdatePayload,
	sellPayload,
	sidebetResultPayload,
} from './payloads.js';
import type {Player} from './players.js';
import type {Random} from './random.js';
import type {Timeline} from './timeline.js';
import {trace, type World} from './world.js';

/**
The logged-in user of an authenticated session, as a CDP session sees them:
their greeting (usernameStatus, playerUpdate), a plan per game (a buy, maybe a
sell, maybe a sidebet), the trades and sidebets that carry it out with the
playerUpdate that follows each, their sidebet results, the
gameStatePlayerUpdate after every frame, and — with clientRequests — their
own requests (direction 'sent', with ack ids) and the server's acks.
*/

export type UserPlan = {
	/** 0 = during presale. */
	buyTick: number;
	buyAmount: number;
	/** Ticks after the buy; undefined = hold to the rug. */
	sellAfter: number | undefined;
	betTick: number | undefined;
	betAmount: number;
};

export function drawUserPlan(random: Random): UserPlan {
	return {
		buyTick: random.chance(0.3) ? 0 : random.int(1, 40),
		buyAmount: random.pick([0.001, 0.002, 0.005, 0.01, 0.02]),
		sellAfter: random.chance(0.7) ? random.int(4, 60) : undefined,
		betTick: random.chance(0.5) ? random.int(0, 60) : undefined,
		betAmount: random.pick([0.001, 0.002, 0.005, 0.01]),
	};
}

export class UserScript {
	readonly #world: World;
	readonly #user: Player;
	#cash = 1.5;
	#ackId = 140;

	constructor(world: World, user: Player) {
		this.#world = world;
		this.#user = user;
	}

	get player(): Player {
		return this.#user;
	}

	/** What the server sends a logged-in client first: its name, then its whole player state. */
	greeting(): Array<[offset: number, event: string, args: unknown[]]> {
		const user = this.#user;
		return [
			[5, 'usernameStatus', [trace(this.#world.random), {id: user.id, username: user.username, hasUsername: true}]],
			[8, 'playerUpdate', [this.#update(undefined)]],
		];
	}

	/** The plan's actions due at this live tick. */
	actions(timeline: Timeline, game: Game, tick: number, ts: number): void {
		const {plan} = game;
		const {random} = this.#world;
		if (plan === undefined) {
			return;
		}

		if (plan.buyTick === tick) {
			this.buy(timeline, game, tick, ts + random.int(20, 120));
		}

		if (plan.sellAfter !== undefined && plan.buyTick + plan.sellAfter === tick && (game.holdings.get(this.#user)?.qty ?? 0) > 0) {
			this.#sell(timeline, game, tick, ts + random.int(20, 120));
		}

		if (plan.betTick === tick && tick > 0) {
			this.sidebet(timeline, game, tick, ts + random.int(20, 120));
		}
	}

	buy(timeline: Timeline, game: Game, tick: number, ts: number): void {
		const user = this.#user;
		const {random} = this.#world;
		const plan = game.plan!;
		const price = game.path[tick]!;
		this.#request(timeline, ts, 'buyOrder', {amount: plan.buyAmount}, {success: true});
		const qty = game.holdings.buy(user, plan.buyAmount, price);
		this.#cash = round9(this.#cash - plan.buyAmount);
		game.userActive = true;
		game.tradeCount++;
		const tradeTrace = trace(random);
		timeline.add(ts, 'standard/newTrade', [tradeTrace, buyPayload({id: random.uuid(), gameId: game.id, player: user, price, tickIndex: tick}, qty, plan.buyAmount, 1, false)]);
		timeline.add(ts + random.int(5, 25), 'playerUpdate', [this.#update(game)]);
	}

	sidebet(timeline: Timeline, game: Game, tick: number, ts: number): void {
		const user = this.#user;
		const {random} = this.#world;
		if (game.holdings.get(user)?.sideBet !== undefined) {
			return;
		}

		const bet = placeSidebet(this.#world, game, user, tick, ts, tick === 0, game.plan!.betAmount);
		this.#cash = round9(this.#cash - bet.betAmount);
		game.userActive = true;
		const placed = currentSidebetPayload(user, bet, ts);
		this.#request(timeline, ts, 'requestSidebet', {amount: bet.betAmount, coinAddress: bet.coinAddress, xPayout: bet.xPayout}, {success: true, message: 'Side bet placed', sidebet: placed});
		timeline.add(ts, 'currentSidebet', [trace(random), placed]);
		timeline.add(ts + random.int(5, 25), 'playerUpdate', [this.#update(game)]);
	}

	/** A bet of the user's was settled: its result (`at`, else the record's own time), and the cash of a win. */
	sidebetSettled(timeline: Timeline, game: Game, record: Record<string, unknown>, at?: number): void {
		if ((record['payout'] as number) > 0) {
			this.#cash = round9(this.#cash + (record['payout'] as number));
		}

		const ts = at ?? (record['timestamp'] as number);
		timeline.add(ts, 'currentSidebetResult', [trace(this.#world.random), sidebetResultPayload(record)]);
		timeline.add(ts + this.#world.random.int(5, 25), 'playerUpdate', [this.#update(game)]);
	}

	/** gameStatePlayerUpdate, which follows every gameStateUpdate: the user's leaderboard row once they are in the game. */
	frameUpdate(timeline: Timeline, game: Game, ts: number): void {
		const payload: Record<string, unknown> = {gameId: game.id};
		const holding = game.holdings.get(this.#user);
		if (game.userActive && holding !== undefined) {
			const rows = ranked(game.holdings, game.livePrice);
			const rank = rows.findIndex(row => row.holding === holding);
			payload['leaderboardEntry'] = leaderboardEntry(rows[rank]!, rank + 1);
		}

		payload['rugpool'] = this.#world.rugpool;
		timeline.add(ts + this.#world.random.int(1, 3), 'gameStatePlayerUpdate', [payload]);
	}

	/** After the rug: the user's state once more, when they played this game. */
	rugUpdate(timeline: Timeline, game: Game, ts: number): void {
		if (game.plan !== undefined && game.userActive) {
			timeline.add(ts + this.#world.random.int(10, 40), 'playerUpdate', [this.#update(game)]);
		}
	}

	#sell(timeline: Timeline, game: Game, tick: number, ts: number): void {
		const user = this.#user;
		const {random} = this.#world;
		const price = game.path[tick]!;
		const {qty, amount} = game.holdings.sell(user, 1, price);
		this.#cash = round9(this.#cash + amount);
		game.tradeCount++;
		const tradeTrace = trace(random);
		timeline.add(ts, 'standard/newTrade', [tradeTrace, sellPayload({id: random.uuid(), gameId: game.id, player: user, price, tickIndex: tick}, qty, amount, false)]);
		timeline.add(ts + random.int(5, 25), 'playerUpdate', [this.#update(game)]);
	}

	/** The request the page sent and the server's ack (only with clientRequests). */
	#request(timeline: Timeline, ts: number, event: string, payload: unknown, reply: unknown): void {
		if (!this.#world.config.clientRequests) {
			return;
		}

		const ackId = this.#ackId++;
		timeline.add(ts - this.#world.random.int(30, 80), event, [payload], 'sent', ackId);
		timeline.add(ts + this.#world.random.int(1, 10), 'ack', [reply], 'received', ackId);
	}

	#update(game: Game | undefined): Record<string, unknown> {
		const holding = game?.holdings.get(this.#user);
		const price = game?.livePrice ?? 1;
		return playerUpdatePayload(this.#user, holding, holding === undefined ? 0 : regularPnl(holding, price), this.#cash);
	}
}
