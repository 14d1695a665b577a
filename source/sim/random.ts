import seedrandom from 'seedrandom';

/**
The simulator's own randomness: one seeded stream (seedrandom's Alea, fast and
portable) that every choice of a session draws from in a fixed order, so the
same seed always yields the same session byte for byte. It is separate from
the provably-fair price PRNG, which the server seed and game id determine.
*/
export class Random {
	readonly #next: () => number;

	constructor(seed: string) {
		this.#next = seedrandom.alea(`rugs-tui-sim:${seed}`);
	}

	/** Uniform in [0, 1). */
	float(): number {
		return this.#next();
	}

	/** Uniform in [min, max). */
	between(min: number, max: number): number {
		return min + (this.#next() * (max - min));
	}

	/** Uniform integer in [min, max], both included. */
	int(min: number, max: number): number {
		return min + Math.floor(this.#next() * (max - min + 1));
	}

	chance(probability: number): boolean {
		return this.#next() < probability;
	}

	pick<T>(items: readonly T[]): T {
		if (items.length === 0) {
			throw new RangeError('pick from an empty list');
		}

		return items[Math.floor(this.#next() * items.length)]!;
	}

	/** Pick with weights (same length as items). */
	weighted<T>(items: readonly T[], weights: readonly number[]): T {
		let total = 0;
		for (const weight of weights) {
			total += weight;
		}

		let roll = this.#next() * total;
		for (const [index, item] of items.entries()) {
			roll -= weights[index] ?? 0;
			if (roll < 0) {
				return item;
			}
		}

		return items.at(-1)!;
	}

	/** `length` lowercase hex digits. */
	hex(length: number): string {
		let text = '';
		while (text.length < length) {
			// 8 hex digits (32 bits) per draw.
			text += Math.floor(this.#next() * 0x1_00_00_00_00).toString(16).padStart(8, '0');
		}

		return text.length === length ? text : text.slice(0, length);
	}

	/** `length` characters of [a-z0-9], as in Privy DIDs. */
	alphanumeric(length: number): string {
		const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
		let text = '';
		for (let index = 0; index < length; index++) {
			text += alphabet[Math.floor(this.#next() * alphabet.length)];
		}

		return text;
	}

	/** A version-4-shaped UUID, as the feed uses for trade and sidebet ids. */
	uuid(): string {
		const hex = this.hex(32);
		const variant = '89ab'[Math.floor(this.#next() * 4)]!;
		return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
	}
}
