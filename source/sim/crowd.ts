import type {Bet, Game} from './game.js';
import type {Holdings, LeaderboardSideBet} from './holdings.js';
import {
	buyPayload,
	chatPayload,
	lostRecord,
	openSidebet,
	placedRecord,
	sellPayload,
	shortPayload,
	wonRecord,
	type Payload,
} from './payloads.js';
import {chatMessage, type Player} from './players.js';
import type {Random} from './random.js';
import type {Timeline} from './timeline.js';
import {trace, type World} from './world.js';

/**
The other players: their trades on the public tape, their sidebets (placed,
then lost when the window closes before the rug or won at the rug, by the
rule "wins iff rug tick ≤ end tick") and their chat. Every choice comes from
the session's random stream; the holdings keep the leaderboard telling the
same story as the tape.
*/

/** Feed rates (PROTOCOL.md and the captures). */
const chatChancePerTick = 0.025;
const chatChancePerCountdown = 0.008;

/** A sidebet of `player` is settled: the logged-in user's own bets get their result events. */
export type SettledBet = (player: Player, record: Record<string, unknown>) => void;

/** A typical stake of the player's, in SOL. */
function stake(random: Random, player: Player): number {
	return Math.max(0.001, Math.round(player.stake * random.pick([0.5, 1, 1, 2]) * 1000) / 1000);
}

/** What a crowd trade needs of its game. */
type TradeGame = {id: string; path: readonly number[]; holdings: Holdings};

/**
One trade of `player` at `tickIndex`'s price, chosen the way the crowd trades
(close a short, sell part of a position, now and then open a short, or buy;
`forced` buys), applied to the holdings. Returns its payload.
*/
export function crowdTradePayload(random: Random, game: TradeGame, player: Player, tickIndex: number, forced?: 'buy'): Payload {
	const price = game.path[tickIndex]!;
	const holding = game.holdings.get(player);
	const base = {id: random.uuid(), gameId: game.id, player, price, tickIndex};
	if (forced === undefined && holding?.short !== undefined && random.chance(0.5)) {
		return shortPayload(base, 'short_close', game.holdings.closeShort(player, price));
	}

	if (forced === undefined && holding !== undefined && holding.qty > 0 && random.chance(0.55)) {
		const {qty, amount} = game.holdings.sell(player, random.pick([0.25, 0.5, 1, 1]), price);
		return sellPayload(base, qty, amount, random.chance(0.15));
	}

	if (forced === undefined && holding?.short === undefined && random.chance(0.05)) {
		const amount = stake(random, player);
		game.holdings.openShort(player, amount, price);
		return shortPayload(base, 'short_open', amount);
	}

	const amount = stake(random, player);
	const qty = game.holdings.buy(player, amount, price);
	const bonus = random.chance(0.15);
	return buyPayload(base, qty, amount, random.chance(0.1) ? random.int(2, 5) : 1, bonus);
}

/** A trade on the public tape, at the price of its own tick (0–8 ticks behind the live one). */
export function crowdTrade(world: World, timeline: Timeline, game: Game, player: Player, tickIndex: number, ts: number, forced?: 'buy'): void {
	const payload = crowdTradePayload(world.random, game, player, tickIndex, forced);
	game.tradeCount++;
	timeline.add(ts, 'standard/newTrade', [trace(world.random), payload]);
}

/**
A participant without an open sidebet (one at a time each). A few tries at
random, as players come and go; when `insist`, anyone free, bringing in a
new participant if need be.
*/
export function freeBettor(world: World, game: Game, insist = false): Player | undefined {
	const {random} = world;
	const isFree = (player: Player) => player !== world.user && game.holdings.get(player)?.sideBet === undefined;
	for (let attempt = 0; attempt < 4; attempt++) {
		const player = random.pick(game.participants);
		if (isFree(player)) {
			return player;
		}
	}

	if (!insist) {
		return undefined;
	}

	const free = game.participants.find(player => isFree(player)) ?? world.players.find(player => isFree(player));
	if (free !== undefined && !game.participants.includes(free)) {
		game.participants.push(free);
	}

	return free;
}

/** A sidebet placed at `tick` (the player's usual stake unless `betAmount` is given). */
export function placeSidebet(world: World, game: Game, player: Player, tick: number, ts: number, presale: boolean, betAmount = stake(world.random, player)): LeaderboardSideBet {
	const bet = openSidebet(game.id, tick, betAmount);
	game.holdings.placeSidebet(player, bet);
	game.bets.push({player, bet});
	// Bets placed before the game starts have no 'placed' record in gameHistory (as on the real feed).
	if (!presale) {
		game.sidebets.push(placedRecord(player, bet, ts, world.random.uuid()));
	}

	return bet;
}

/** Bets whose window closed before the rug (end tick < this tick): lost. */
export function settleLosses(world: World, game: Game, tick: number, ts: number, settled: SettledBet): void {
	const {random} = world;
	const open: Bet[] = [];
	for (const item of game.bets) {
		if (item.bet.end >= tick) {
			open.push(item);
			continue;
		}

		const stamp = ts + random.int(0, 20);
		const record = lostRecord(item.player, item.bet, stamp, random.uuid());
		game.sidebets.push(record);
		game.holdings.settleSidebet(item.player, false);
		settled(item.player, record);
	}

	game.bets = open;
}

/** At the rug every bet still open covers the rug tick (end ≥ N): it pays 5x. */
export function settleWins(world: World, game: Game, settled: SettledBet): void {
	const {random} = world;
	let stamp = game.historyTs - random.int(450, 550);
	for (const item of game.bets) {
		stamp += random.int(8, 14);
		const record = wonRecord(item.player, item.bet, {tick: game.rugTick, price: game.rugPrice}, stamp, random.uuid());
		game.sidebets.push(record);
		game.holdings.settleSidebet(item.player, true);
		settled(item.player, record);
	}

	game.bets = [];
}

/** Now and then, a chat line after a frame (more often while the game runs). */
export function maybeChat(world: World, timeline: Timeline, ts: number, active: boolean): void {
	if (world.random.chance(active ? chatChancePerTick : chatChancePerCountdown)) {
		chatLine(world, timeline, ts);
	}
}

/** A chat line from someone in the cast, sent a little after `ts`. */
export function chatLine(world: World, timeline: Timeline, ts: number): void {
	const {random} = world;
	const player = random.pick(world.players);
	const chatTs = ts + random.int(10, 90);
	const chatTrace = trace(random);
	const message = chatMessage(random, world.config.hostileNames);
	const timestamp = chatTs - random.int(5, 40);
	timeline.add(chatTs, 'newChatMessage', [chatTrace, chatPayload(player, message, timestamp, random.chance(0.8))]);
}
