import type {Envelope} from '../protocol/envelope.js';
import {cleanText} from '../protocol/untrusted-text.js';
import type {GameState, TradeRow} from '../state/types.js';
import {overallVerdict} from '../verify/verify-game.js';
import type {AlertRule} from './alert-rules.js';

/**
Alerts: the rules of `--alert` watched on the monitor's state. The engine is
told of each envelope with the state before and after it, and decides from
what changed (the reducer replaces a list only when its contents change, so
most envelopes cost a few comparisons). It remembers only what keeps an
alert from repeating: the game each price and rug rule last fired for, and
the ids of the recent games found unfair. Pure apart from the clock it is
given, which only `silent:S` reads.

Every text that comes from the feed (player names, notes about a failed
check) is cleaned before it goes into an alert.
*/

export type Alert = {
	/** The rule as written canonically (`price>=2`, `rug`, `player:bob`, `unfair`, `silent:30`). */
	rule: string;
	gameId: string | undefined;
	tick: number | undefined;
	/** The envelope's time for alerts the feed set off; the clock's for silent. */
	ts: number;
	/** What happened, in words (cleaned). */
	detail: string;
};

/** Unfair games remembered so each is reported once (the feed lists a game in about ten frames). */
const unfairMemory = 256;

function multiplier(value: number | undefined): string {
	if (value === undefined || !Number.isFinite(value)) {
		return '?';
	}

	return `${value >= 100 ? value.toFixed(0) : value.toFixed(2)}x`;
}

/** The trades `next` has that `previous` did not: the rows before the previous newest (newest first). */
function newTrades(previous: readonly TradeRow[], next: readonly TradeRow[]): TradeRow[] {
	if (previous === next) {
		return [];
	}

	const newest = previous[0];
	const index = newest === undefined ? -1 : next.indexOf(newest);
	return index === -1 ? [...next] : next.slice(0, index);
}

function tradeDetail(trade: TradeRow): string {
	const amount = trade.amount === undefined ? '' : ` ${trade.amount} SOL`;
	const qty = trade.qty === undefined ? '' : ` qty ${trade.qty}`;
	return `${trade.username} ${trade.type}${amount}${qty} at ${multiplier(trade.price)}${trade.tick === undefined ? '' : ` (tick ${trade.tick})`}`;
}

export class AlertEngine {
	readonly rules: readonly AlertRule[];
	readonly #now: () => number;
	/** Per price/rug rule: the game it fired for last. */
	readonly #firedFor = new Map<string, string>();
	readonly #unfair = new Set<string>();
	#lastEvent: number;
	/** Silent rules that fired during the current silence. */
	readonly #silenced = new Set<string>();

	constructor(rules: readonly AlertRule[], options: {now?: () => number} = {}) {
		this.rules = rules;
		this.#now = options.now ?? Date.now;
		this.#lastEvent = this.#now();
	}

	/** How often `checkSilence` should run: a quarter of the shortest silence, at most once a second; undefined without silent rules. */
	get silenceCheckMs(): number | undefined {
		let shortest = Number.POSITIVE_INFINITY;
		for (const rule of this.rules) {
			if (rule.kind === 'silent') {
				shortest = Math.min(shortest, rule.seconds * 1000);
			}
		}

		return Number.isFinite(shortest) ? Math.max(50, Math.min(1000, shortest / 4)) : undefined;
	}

	observe(previous: GameState, next: GameState, envelope: Envelope): Alert[] {
		this.#lastEvent = this.#now();
		this.#silenced.clear();
		const alerts: Alert[] = [];
		for (const rule of this.rules) {
			switch (rule.kind) {
				case 'price': {
					const {game} = next;
					if (game?.price !== undefined && game.rugTick === undefined && game.price >= rule.threshold && this.#firedFor.get(rule.text) !== game.id) {
						this.#firedFor.set(rule.text, game.id);
						alerts.push({rule: rule.text, gameId: game.id, tick: game.tick, ts: envelope.ts, detail: `multiplier ${multiplier(game.price)} at tick ${game.tick} (≥ ${rule.threshold}x)`});
					}

					break;
				}

				case 'rug': {
					const {game} = next;
					if (game?.rugTick !== undefined && this.#firedFor.get(rule.text) !== game.id) {
						this.#firedFor.set(rule.text, game.id);
						alerts.push({rule: rule.text, gameId: game.id, tick: game.rugTick, ts: envelope.ts, detail: `rugged at tick ${game.rugTick}, peak ${multiplier(game.peak)}`});
					}

					break;
				}

				case 'player': {
					const name = rule.name.toLowerCase();
					for (const trade of newTrades(previous.trades, next.trades).toReversed()) {
						if (trade.username.toLowerCase() === name) {
							alerts.push({rule: cleanText(rule.text, 60), gameId: trade.gameId, tick: trade.tick, ts: envelope.ts, detail: cleanText(tradeDetail(trade), 160)});
						}
					}

					break;
				}

				case 'unfair': {
					if (previous.history === next.history) {
						break;
					}

					for (const game of next.history) {
						if (game.verification === undefined || overallVerdict(game.verification) !== false || this.#unfair.has(game.id)) {
							continue;
						}

						this.#unfair.add(game.id);
						if (this.#unfair.size > unfairMemory) {
							this.#unfair.delete(this.#unfair.values().next().value!);
						}

						const why = cleanText(game.verification.notes[0] ?? 'a check failed', 160);
						alerts.push({rule: rule.text, gameId: cleanText(game.id, 64), tick: game.rugTick, ts: envelope.ts, detail: `provably-fair check FAILED: ${why}`});
					}

					break;
				}

				case 'silent': {
					break;
				}
			}
		}

		return alerts;
	}

	/** Silent rules whose silence has lasted long enough (each once until the next event). */
	checkSilence(state: GameState | undefined): Alert[] {
		const now = this.#now();
		const alerts: Alert[] = [];
		for (const rule of this.rules) {
			if (rule.kind !== 'silent' || this.#silenced.has(rule.text) || now - this.#lastEvent < rule.seconds * 1000) {
				continue;
			}

			this.#silenced.add(rule.text);
			const seconds = Math.round((now - this.#lastEvent) / 100) / 10;
			alerts.push({rule: rule.text, gameId: state?.game?.id, tick: state?.game?.tick, ts: now, detail: `no event for ${seconds} s`});
		}

		return alerts;
	}
}

/** One line for the status bar: the rule and what happened. */
export function alertText(alert: Alert): string {
	return `${alert.rule}: ${alert.detail}`;
}
