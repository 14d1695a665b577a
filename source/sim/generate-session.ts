import {makeEnvelope, type Envelope} from '../protocol/envelope.js';
import {newGame, type Game} from './game.js';
import {finishGame} from './history.js';
import {Phases, type CooldownVariant} from './phases.js';
import {Random} from './random.js';
import {resolveOptions, type SessionConfig, type SessionOptions} from './session-options.js';
import {Timeline} from './timeline.js';
import {UserScript} from './user-script.js';
import {openWorld, type World} from './world.js';

export {wireFrame} from './wire-frame.js';
export {type SessionOptions} from './session-options.js';

/**
A seeded, deterministic generator of rugs.fun sessions that follows the facts
in PROTOCOL.md: the phases and their cadence, the rug sequence with its big
gameHistory frames, two-argument trades and chat, sidebets settled by "wins iff
rug tick ≤ end tick", the logged-in user's own events, and the feed's quirks
(late and repeated ticks, interleaved games, stalls flushed in bursts). Every
price path comes from the provably-fair algorithm with a seeded server seed,
so every generated game verifies. It streams: memory stays flat however many
games it plays.

The parts, each in its module: world.ts (what the games share), game.ts (one
game's seed, path and state), phases.ts (cooldown, presale, active, rug and
what follows), crowd.ts (the other players' trades, sidebets and chat),
user-script.ts (the logged-in user), history.ts (gameHistory and the day's
figures), timeline.ts (delivery order, stalls and bursts). This module plays
them game after game and hands out the envelopes.
*/

class Simulator {
	readonly #config: SessionConfig;
	readonly #world: World;
	readonly #user: UserScript | undefined;
	readonly #phases: Phases;
	#seq = 0;
	#lastTs = 0;
	/** Events before this time are not delivered (a client joining mid-game). */
	#dropBefore = Number.NEGATIVE_INFINITY;
	/** Added to delivery times so a joining session's snapshot lands exactly on startTs. */
	#offset = 0;

	constructor(config: SessionConfig) {
		this.#config = config;
		this.#world = openWorld(config, new Random(config.seed));
		this.#user = this.#world.user === undefined ? undefined : new UserScript(this.#world, this.#world.user);
		this.#phases = new Phases(this.#world, this.#user);
	}

	* run(): Generator<Envelope> {
		const config = this.#config;
		const world = this.#world;
		this.#warmUp();

		if (config.startAt === 'active') {
			const game = newGame(world, config.startTs);
			const joinTick = Math.min(world.random.int(2, 12), game.rugTick - 1);
			this.#phases.joinTick = joinTick;
			// Roughly when the game must have started for the join to fall on startTs; the exact
			// difference is taken up by #offset once the snapshot's time is known.
			const start = config.startTs - 15_000 - 17 - Math.round(joinTick * 252.5);
			yield * this.#session(game, start, 'missing');
			return;
		}

		yield * this.#session(newGame(world, config.startTs), config.startTs, 'normal');
	}

	* #session(firstGame: Game, firstStart: number, firstVariant: CooldownVariant): Generator<Envelope> {
		const config = this.#config;
		const phases = this.#phases;
		let timeline = new Timeline();
		let game = firstGame;
		let start = firstStart;
		let variant = firstVariant;
		// The user's greeting shows their state before the first game: built now, placed once the start is known.
		const greeting = this.#user?.greeting() ?? [];
		for (let index = 0; ; index++) {
			phases.playGame(timeline, game, start, variant);
			if (index === 0) {
				if (phases.joinTs !== undefined) {
					// Joined mid-game: nothing before the snapshot, which lands exactly on startTs.
					this.#dropBefore = phases.joinTs;
					this.#offset = config.startTs - phases.joinTs;
					phases.joinTick = undefined;
				}

				for (const [offset, event, args] of greeting) {
					timeline.add((phases.joinTs ?? config.startTs) + offset, event, args);
				}
			}

			const last = config.games !== undefined && index + 1 >= config.games;
			const after = phases.postRug(game, last);
			yield * this.#flush(timeline);

			timeline = new Timeline();
			phases.scheduleRugHistory(timeline, game, after);
			finishGame(this.#world, game);
			if (after.stall !== undefined) {
				timeline.stall(after.stall);
			}

			const next = newGame(this.#world, after.nextStart);
			if (last) {
				// Close with the next cooldown's opening frame: it reveals the last game played.
				timeline.add(after.nextStart, 'gameStateUpdate', [phases.cooldownOpening(next)]);
				yield * this.#flush(timeline);
				return;
			}

			game = next;
			start = after.nextStart;
			variant = after.variant;
		}
	}

	* #flush(timeline: Timeline): Generator<Envelope> {
		const {source} = this.#config;
		for (const item of timeline.take(this.#lastTs)) {
			this.#lastTs = item.ts;
			if (item.ts < this.#dropBefore) {
				continue;
			}

			yield makeEnvelope({
				seq: ++this.#seq,
				ts: item.ts + this.#offset,
				source,
				direction: item.direction,
				event: item.event,
				args: item.args,
				ackId: item.ackId,
			});
		}
	}

	/** The last `historySize` finished games before the session, played silently, then moved to just before it. */
	#warmUp(): void {
		const config = this.#config;
		const world = this.#world;
		let start = config.startTs - (config.historySize * 90_000);
		let lastRug = start;
		for (let index = 0; index < config.historySize; index++) {
			const game = newGame(world, start);
			this.#phases.playGame(new Timeline(), game, start, 'normal');
			const after = this.#phases.postRug(game, true);
			finishGame(world, game);
			lastRug = game.rugTs;
			start = after.nextStart;
		}

		// The session opens about two seconds after the last of them rugged.
		const firstStart = config.startAt === 'active' ? config.startTs - 18_000 : config.startTs;
		const shift = firstStart - world.random.int(1300, 2500) - lastRug;
		for (const entry of world.history) {
			entry['timestamp'] = (entry['timestamp'] as number) + shift;
			for (const record of entry['globalSidebets'] as Array<Record<string, unknown>>) {
				record['timestamp'] = (record['timestamp'] as number) + shift;
			}
		}

		world.stats.highestTodayTimestamp += shift;
	}
}

/**
The session as envelopes `{source, direction, …}` in arrival order, each with
exactly the Socket.IO arguments the live feed sends (two-argument events keep
their trace object in `extra`). Lazy: nothing is generated until asked for.
*/
export function * generateSession(options: SessionOptions = {}): Generator<Envelope> {
	yield * new Simulator(resolveOptions(options)).run();
}
