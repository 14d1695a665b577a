import type {Envelope} from '../../source/protocol/envelope.js';

/** A gameStateUpdate payload, loosely typed for assertions. */
export type Frame = Record<string, unknown>;

/** What a session showed of one game, gathered from its envelopes. */
export type GameView = {
	id: string;
	/** Every gameStateUpdate of this game, in arrival order, with its envelope index. */
	frames: Array<{index: number; ts: number; data: Frame}>;
	/** The first frame with rugged:true. */
	rug: {index: number; ts: number; data: Frame} | undefined;
};

export function isFrame(envelope: Envelope): boolean {
	return envelope.event === 'gameStateUpdate' && typeof envelope.data === 'object' && envelope.data !== null;
}

/** Games in order of first appearance. */
export function gamesOf(envelopes: readonly Envelope[]): GameView[] {
	const games = new Map<string, GameView>();
	for (const [index, envelope] of envelopes.entries()) {
		if (!isFrame(envelope)) {
			continue;
		}

		const data = envelope.data as Frame;
		const id = data['gameId'] as string;
		let game = games.get(id);
		if (game === undefined) {
			game = {id, frames: [], rug: undefined};
			games.set(id, game);
		}

		const item = {index, ts: envelope.ts, data};
		game.frames.push(item);
		if (data['rugged'] === true && game.rug === undefined) {
			game.rug = item;
		}
	}

	return [...games.values()];
}

/** Every gameHistory entry seen, by game id (the last one seen wins: they are identical). */
export function historyById(envelopes: readonly Envelope[]): Map<string, Frame> {
	const entries = new Map<string, Frame>();
	for (const envelope of envelopes) {
		const history: unknown = isFrame(envelope) ? (envelope.data as Frame)['gameHistory'] : undefined;
		if (Array.isArray(history)) {
			for (const entry of history as Frame[]) {
				entries.set(entry['id'] as string, entry);
			}
		}
	}

	return entries;
}

/** Live prices by tick of one game (NaN where no frame showed the tick), up to its rug. */
export function livePrices(game: GameView): number[] {
	const prices: number[] = [];
	const last = game.rug?.data['tickCount'] as number | undefined;
	for (const {data} of game.frames) {
		const tick: unknown = data['tickCount'];
		if (data['active'] === true && typeof tick === 'number' && (last === undefined || tick <= last)) {
			prices[tick] = data['price'] as number;
		}
	}

	return Array.from(prices, price => price ?? Number.NaN);
}

export function median(values: readonly number[]): number {
	const sorted = values.toSorted((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)]!;
}
