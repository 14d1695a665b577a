import type {SessionOptions} from '../source/sim/generate-session.js';

/**
"A day in a minute": at least 345,600 ticks (a day at 4 ticks a second) and
8,000 games. Real games average about 200 ticks, so a day of ticks is about
1,700 games; to have both figures in one session the games are kept to 100
ticks at most (about 48 on average: rug ticks drawn from the real
distribution, seeds drawn until one fits), which keeps every frame of every
phase, the rug sequence and the gameHistory frames, with shorter price paths.
*/
export type DayOptions = {
	games: number;
	seed: string;
	maxRugTick: number;
	/** Mount the UI (drawing while the day streams through the store). */
	ui: boolean;
	/** The UI's frame rate (--fps): 5 keeps the full day within the benchmark's minutes; tests draw faster. */
	fps: number;
};

export const dayTargets = {games: 8000, ticks: 345_600, peakMb: 150} as const;

export const defaultDayOptions: DayOptions = {games: dayTargets.games, seed: 'a-day-in-a-minute', maxRugTick: 100, ui: true, fps: 5};

export function dayOptions(options: DayOptions): SessionOptions {
	// The public feed (what the direct source sees): the logged-in stream doubles the events
	// (a gameStatePlayerUpdate with almost every frame) and would not fit the benchmark's five minutes.
	return {seed: options.seed, games: options.games, authenticated: false, rugTicks: {max: options.maxRugTick}};
}

/** `--games N --seed S --max-rug-tick M --ui 0|1 --fps N`, each optional. */
export function parseDayArgs(args: readonly string[]): DayOptions {
	const options = {...defaultDayOptions};
	for (let index = 0; index < args.length; index += 2) {
		const value = args[index + 1] ?? '';
		switch (args[index] ?? '') {
			case '--games': {
				options.games = Number(value);
				break;
			}

			case '--seed': {
				options.seed = value;
				break;
			}

			case '--max-rug-tick': {
				options.maxRugTick = Number(value);
				break;
			}

			case '--fps': {
				options.fps = Number(value);
				break;
			}

			case '--ui': {
				options.ui = value !== '0' && value !== 'false';
				break;
			}

			default: {
				throw new Error(`unknown argument ${args[index]}: use --games N, --seed S, --max-rug-tick M, --ui 0|1, --fps N`);
			}
		}
	}

	return options;
}

export function dayArgs(options: DayOptions): string[] {
	return ['--games', String(options.games), '--seed', options.seed, '--max-rug-tick', String(options.maxRugTick), '--ui', options.ui ? '1' : '0', '--fps', String(options.fps)];
}
