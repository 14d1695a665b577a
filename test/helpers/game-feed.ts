import {writeFileSync} from 'node:fs';
import {makeEnvelope, type Envelope} from '../../source/protocol/envelope.js';
import {gameCycle, scriptedPlayer, scriptedTradePayload, seedForLength, type CycleMarks, type ScriptedTrade} from '../../source/sim/game-cycle.js';
import {Holdings} from '../../source/sim/holdings.js';
import {Random} from '../../source/sim/random.js';
import {trace} from '../../source/sim/world.js';

/**
Recordings built in the test itself: game cycles played by the simulator's
scripted game cycle (source/sim/game-cycle.ts: PROTOCOL.md's cooldown →
presale → active ticks → rug → gameHistory, priced by the real provably-fair
path of a seed, so the verification marks come out ✓, or ✗ when a game is
tampered with), between which a test may push frames of its own.
*/

type Bet = {username: string; startTick: number; betAmount: number};
type Trade = ScriptedTrade;

type GameScript = {
	gameId: string;
	seed: string;
	/** Stop the active phase after this many ticks (the path may rug earlier). */
	maxTicks?: number;
	trades?: Trade[];
	bets?: Bet[];
	/** Alter the recorded price at this tick in gameHistory: the verification must fail. */
	tamperTick?: number;
	/** connectedPlayers of every frame (default 200). */
	players?: number;
};

/** Where each phase of a game ends in `envelopes` (counts, so `envelopes.slice(0, mark)` stops there). */
export type PhaseMarks = CycleMarks;
export type PlayedGame = {path: number[]; rugTick: number; rugPrice: number; marks: PhaseMarks};

export class FeedBuilder {
	readonly envelopes: Envelope[] = [];
	ts: number;
	#seq = 0;
	readonly #random = new Random('feed-builder');

	constructor(startTs = Date.UTC(2025, 11, 12, 22, 0, 0)) {
		this.ts = startTs;
	}

	push(event: string, ...args: unknown[]): this {
		this.envelopes.push(makeEnvelope({seq: ++this.#seq, ts: this.ts, source: 'replay', direction: 'received', event, args}));
		return this;
	}

	advance(ms: number): this {
		this.ts += ms;
		return this;
	}

	/** One trade on the tape, outside any game the builder played (no position behind it). */
	trade(gameId: string, trade: Trade, price: number): this {
		const payload = scriptedTradePayload(this.#random, {id: gameId, holdings: new Holdings()}, scriptedPlayer(trade.username), trade, price);
		return this.push('standard/newTrade', trace(this.#random), payload);
	}

	/** Cooldown (15000, 14900, 12000), presale (10000, 4200), the active ticks and the rug of one game, then its gameHistory frame. */
	game(script: GameScript): PlayedGame {
		const cycle = gameCycle({
			gameId: script.gameId,
			serverSeed: script.seed,
			startTs: this.ts + 100,
			seq: this.#seq + 1,
			source: 'replay',
			cooldownTimers: [15_000, 14_900, 12_000],
			presaleTimers: [10_000, 4200],
			maxTicks: script.maxTicks,
			trades: script.trades,
			tradeEvery: 0,
			sidebets: script.bets?.map(bet => ({tick: bet.startTick, username: bet.username, betAmount: bet.betAmount})),
			tamperTick: script.tamperTick,
			connectedPlayers: script.players ?? 200,
		});
		const offset = this.envelopes.length;
		this.envelopes.push(...cycle.envelopes);
		this.#seq = cycle.nextSeq - 1;
		this.ts = cycle.envelopes.at(-1)?.ts ?? this.ts;
		const at = (mark: number) => (mark === 0 ? 0 : offset + mark);
		const {marks} = cycle;
		return {
			path: cycle.path,
			rugTick: cycle.rugTick,
			rugPrice: cycle.rugPrice,
			marks: {cooldown: at(marks.cooldown), presale: at(marks.presale), ticks: marks.ticks.map(mark => at(mark)), rugged: at(marks.rugged), history: at(marks.history)},
		};
	}

	/** The envelopes as a JSON-lines recording (the project's own format). */
	write(file: string): string {
		writeFileSync(file, this.envelopes.map(envelope => JSON.stringify(envelope)).join('\n') + '\n');
		return file;
	}
}

/** A seed whose game rugs between `min` and `max` ticks: short games keep tests quick. */
export function seedWithLength(gameId: string, min: number, max: number): string {
	return seedForLength(gameId, min, max);
}

export const gameIds = ['20251212-aaaaaaaaaaaa0001', '20251212-bbbbbbbbbbbb0002', '20251212-cccccccccccc0003', '20251212-dddddddddddd0004'] as const;
