import {describe, expect, test} from 'vitest';
import type {Envelope} from '../source/protocol/envelope.js';
import {readRecording} from '../source/sources/read-recording.js';
import {createState, reduce} from '../source/state/reducer.js';
import type {GameState, Phase} from '../source/state/types.js';
import {cdpCapture, hasCaptures, publicFeedCapture} from './helpers/captures.js';

type Frame = Record<string, unknown>;

async function envelopesOf(file: string): Promise<Envelope[]> {
	const envelopes: Envelope[] = [];
	for await (const item of readRecording(file)) {
		if (item.ok) {
			envelopes.push(item.envelope);
		}
	}

	return envelopes;
}

/** A frame's phase by PROTOCOL.md's flags: rugged, else active, else pre-round buys open, else cooldown. */
function framePhase(frame: Frame): Phase {
	if (frame['rugged'] === true) {
		return 'RUGGED';
	}

	if (frame['active'] === true) {
		return 'ACTIVE';
	}

	return frame['allowPreRoundBuys'] === true ? 'PRESALE' : 'COOLDOWN';
}

/**
What a game looked like, worked out directly from the raw frames with the
rules PROTOCOL.md states — independently of the reducer.
*/
function expectedGames(envelopes: readonly Envelope[]) {
	const games = new Map<string, {phases: Phase[]; rugTick?: number; livePeak: number; history?: {rugTick: number; peak: number; rugPrice: number}}>();
	for (const {event, data} of envelopes) {
		if (event !== 'gameStateUpdate') {
			continue;
		}

		const frame = data as Frame;
		for (const entry of (frame['gameHistory'] as Frame[] | undefined) ?? []) {
			const prices = entry['prices'] as number[];
			const game = games.get(entry['id'] as string);
			if (game !== undefined && game.history === undefined) {
				game.history = {rugTick: prices.length - 1, peak: entry['peakMultiplier'] as number, rugPrice: prices.at(-1)!};
			}
		}

		const id = frame['gameId'] as string;
		if (!games.has(id)) {
			games.set(id, {phases: [], livePeak: 1});
		}

		const game = games.get(id)!;
		if (game.rugTick !== undefined) {
			continue; // Post-rug frames neither change the phase nor extend the path.
		}

		const phase = framePhase(frame);
		if (game.phases.at(-1) !== phase && !game.phases.includes(phase)) {
			game.phases.push(phase);
		}

		const values = (frame['partialPrices'] as {values?: Record<string, number>} | undefined)?.values ?? {};
		for (const price of [frame['price'], ...Object.values(values)]) {
			if (typeof price === 'number' && price > game.livePeak) {
				game.livePeak = price;
			}
		}

		if (frame['rugged'] === true) {
			game.rugTick = frame['tickCount'] as number;
		}
	}

	return games;
}

/** The phase sequence the reducer went through for each game id. */
function reducedPhases(envelopes: readonly Envelope[]): {phases: Map<string, Phase[]>; state: GameState} {
	const phases = new Map<string, Phase[]>();
	let state = createState();
	for (const envelope of envelopes) {
		state = reduce(state, envelope);
		const {game} = state;
		if (game?.phase === undefined) {
			continue;
		}

		const seen = phases.get(game.id) ?? [];
		if (seen.at(-1) !== game.phase) {
			seen.push(game.phase);
		}

		phases.set(game.id, seen);
	}

	return {phases, state};
}

describe.skipIf(!hasCaptures)('the game state on the real captures', () => {
	for (const [name, file, completeGames] of [
		['public feed 2025-12-12', publicFeedCapture, ['20251212-6114b2ff44ef4b71']],
		['CDP session 2025-12-15', cdpCapture, ['20251215-0229cacf684f458c']],
	] as const) {
		test(`${name}: phases, rug tick and peak of every game match the raw frames and gameHistory`, async () => {
			const envelopes = await envelopesOf(file);
			const expected = expectedGames(envelopes);
			const {phases, state} = reducedPhases(envelopes);

			for (const id of completeGames) {
				expect(expected.get(id)?.phases, id).toEqual(name.startsWith('public') ? ['COOLDOWN', 'PRESALE', 'ACTIVE', 'RUGGED'] : ['PRESALE', 'ACTIVE', 'RUGGED']);
			}

			for (const [id, game] of expected) {
				expect(phases.get(id), `phases of ${id}`).toEqual(game.phases);
				if (game.rugTick === undefined) {
					continue;
				}

				const finished = state.history.find(item => item.id === id);
				expect(finished, `${id} in history`).toBeDefined();
				// The live rug frame and the authoritative gameHistory entry agree, and the state shows both.
				expect(game.history?.rugTick).toBe(game.rugTick);
				expect(finished?.rugTick).toBe(game.rugTick);
				expect(finished?.peak).toBe(game.history?.peak);
				expect(finished?.rugPrice).toBe(game.history?.rugPrice);
				// Live frames saw the whole game here, so the live peak is the real one.
				expect(game.livePeak).toBe(game.history?.peak);
				expect(finished?.verification).toMatchObject({seedHash: true, pricePath: true, liveTicks: true, sidebets: true});
			}

			expect(state.stats).toMatchObject({internalErrors: 0, fieldErrors: 0});
		});
	}

	test('every gameHistory game in the public capture is listed once, newest first, and verifies', async () => {
		const {state} = reducedPhases(await envelopesOf(publicFeedCapture));
		const ids = state.history.map(game => game.id);
		expect(new Set(ids).size).toBe(ids.length);
		expect(ids).toHaveLength(12);
		const timestamps = state.history.map(game => game.timestamp ?? 0);
		expect(timestamps).toEqual(timestamps.toSorted((a, b) => b - a));
		for (const game of state.history) {
			expect(game.verification, game.id).toMatchObject({seedHash: true, pricePath: true});
		}
	});
});
