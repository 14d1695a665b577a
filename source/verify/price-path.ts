import seedrandom from 'seedrandom';

/**
The rugs.fun provably-fair price path, recomputed from the revealed server seed.

Facts (checked bit-for-bit against real v3 games): the PRNG is seedrandom's
default ARC4 generator seeded with `serverSeed + "-" + gameId`. The path starts
at 1.0; each tick draws r and the game rugs when r < 0.005; v3 then draws a
"god candle" g (×10 when g < 0.00001 and price ≤ 100); otherwise a big move with
probability 0.125 (size 0.15–0.25, up or down) or drift plus volatility. The
draw order and arithmetic below must stay exactly as they are.
*/

export const rugProbability = 0.005;
export const maxTicks = 5000;
const godCandleChance = 0.000_01;
const godCandleMultiplier = 10;
const godCandleMaxPrice = 100;
const bigMoveChance = 0.125;
const bigMoveMin = 0.15;
const bigMoveMax = 0.25;
const driftMin = -0.02;
const driftMax = 0.03;

type GameVersion = 'v1' | 'v2' | 'v3';

export function parseVersion(value: unknown): GameVersion {
	return value === 'v1' || value === 'v2' ? value : 'v3';
}

function driftPrice(price: number, random: () => number, version: GameVersion): number {
	const isBigMove = random() < bigMoveChance;
	let change: number;
	if (isBigMove) {
		const size = bigMoveMin + (random() * (bigMoveMax - bigMoveMin));
		change = random() > 0.5 ? size : -size;
	} else {
		const drift = driftMin + (random() * (driftMax - driftMin));
		const volatility = version === 'v1' ? 0.005 * Math.sqrt(price) : 0.005 * Math.min(10, Math.sqrt(price));
		change = drift + (volatility * ((2 * random()) - 1));
	}

	const next = price * (1 + change);
	// eslint-disable-next-line unicorn/prefer-math-min-max -- the arithmetic must match the server bit for bit (Math.max turns -0 into 0).
	return next < 0 ? 0 : next;
}

/**
The price at every tick of the game, from tick 0 (1.0) up to the last tick
before the rug. Its length is the rug tick; the server then appends the rug
price, which is not part of the seeded path.
*/
export function pricePath(serverSeed: string, gameId: string, version: GameVersion = 'v3'): number[] {
	const random = seedrandom(`${serverSeed}-${gameId}`);
	let price = 1;
	const prices = [price];
	for (let tick = 0; tick < maxTicks; tick++) {
		if (random() < rugProbability) {
			break;
		}

		if (version === 'v3') {
			const godCandle = random();
			if (godCandle < godCandleChance && price <= godCandleMaxPrice) {
				price *= godCandleMultiplier;
				prices.push(price);
				continue;
			}
		}

		price = driftPrice(price, random, version);
		prices.push(price);
	}

	return prices;
}
