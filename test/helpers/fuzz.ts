import fc from 'fast-check';

/**
Property-based fuzzing, two ways from the same tests:

- the normal suite (`npm test`): a fixed seed and a bounded number of runs and
  input sizes, so every run checks exactly the same inputs and the whole fuzz
  set stays well under a minute on a loaded 2-core machine;
- `npm run fuzz` (FUZZ=long): many times more runs with bigger inputs and a
  fresh seed each time (printed by fast-check on failure; FUZZ_SEED=… replays
  it). Not part of CI.

"Zero hangs": every property carries a time limit far above what it needs
(minutes where it takes seconds). fast-check checks it between runs and a
property that runs past it fails, so a slow (superlinear) path shows up as a
failure rather than a CI job that never ends.
*/
export const longFuzz = process.env['FUZZ'] === 'long';

const fixedSeed = 20_251_212;

export function fuzzSeed(): number {
	const given = process.env['FUZZ_SEED'];
	if (given !== undefined && given !== '') {
		return Number(given);
	}

	return longFuzz ? Date.now() % 2_147_483_647 : fixedSeed;
}

/** Runs in the normal suite; `npm run fuzz` multiplies them. */
export function runs(normal: number): number {
	return longFuzz ? normal * 25 : normal;
}

/** A size bound: the normal value, or a larger one for `npm run fuzz`. */
export function size(normal: number, long: number): number {
	return longFuzz ? long : normal;
}

/** A vitest timeout for a fuzz test: the property's own limit plus room for setup. */
export function testTimeout(limitMs = 60_000): number {
	return (longFuzz ? 30 * 60_000 : limitMs) + 30_000;
}

/** Check a property with the suite's seed, run count and hang limit. */
export function check<Ts>(property: fc.IProperty<Ts>, normalRuns: number, limitMs = 60_000): void {
	fc.assert(property, {
		seed: fuzzSeed(),
		numRuns: runs(normalRuns),
		plugins: [fc.interruptAfterTimeLimit(longFuzz ? 30 * 60_000 : limitMs, {failOnInterrupt: true})],
	});
}

/** Same for asynchronous properties. */
export async function checkAsync<Ts>(property: fc.IAsyncProperty<Ts>, normalRuns: number, limitMs = 60_000): Promise<void> {
	await fc.assert(property, {
		seed: fuzzSeed(),
		numRuns: runs(normalRuns),
		plugins: [fc.interruptAfterTimeLimit(longFuzz ? 30 * 60_000 : limitMs, {failOnInterrupt: true})],
	});
}

/** Numbers a hostile or broken feed can carry (JSON `1e999` parses to Infinity). */
export const nastyNumber: fc.Arbitrary<number> = fc.oneof(
	fc.constantFrom(0, -0, -1, 1, 0.5, -0.5, 1e308, -1e308, 5e-324, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, -Number.MAX_SAFE_INTEGER, 2 ** 32, 2 ** 53, 1e21, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN),
	fc.integer({min: -1_000_000, max: 1_000_000}),
	fc.double(),
);

/** Strings that look like numbers, or like escape sequences, to trip up readers. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
	fc.constantFrom('NaN', 'Infinity', '-Infinity', '-0', '1e999', '0x10', '', ' ', '__proto__', 'constructor', 'toString', '\u001B[2J', '\u001B]0;pwned\u0007', '\u009B31m', '\u202Eevil', '\uD800', '\r\n', 'null', 'true', '[]', '{}'),
	fc.string({unit: 'binary', maxLength: 40}),
);

/**
Any value a decoded JSON payload can hold, with nasty numbers and strings mixed
in, of bounded depth and size. Plain objects and arrays only (as JSON.parse
makes them); Infinity stands for JSON's `1e999`; `finite` leaves it out (for
round trips through JSON text, which writes it as null).
*/
export function nastyJson(options: {maxDepth?: number; finite?: boolean} = {}): fc.Arbitrary<unknown> {
	const numbers = options.finite === true ? nastyNumber.filter(value => Number.isFinite(value)) : nastyNumber.filter(value => !Number.isNaN(value));
	const leaf = fc.oneof(
		{weight: 3, arbitrary: fc.jsonValue({maxDepth: 1})},
		{weight: 2, arbitrary: numbers},
		{weight: 2, arbitrary: nastyString},
		{weight: 1, arbitrary: fc.constantFrom(null, true, false)},
	);
	const key = fc.oneof(nastyString, fc.string({maxLength: 8}));
	const {tree} = fc.letrec<{tree: unknown}>(tie => ({
		tree: fc.oneof(
			{maxDepth: options.maxDepth ?? 4, depthIdentifier: 'nasty-json'},
			leaf,
			fc.array(tie('tree'), {maxLength: 4}),
			fc.dictionary(key, tie('tree'), {maxKeys: 4, noNullPrototype: true}),
		),
	}));
	return tree.map(value => plain(value));
}

/** A copy made of plain objects (own `__proto__` keys stay plain properties, as JSON.parse makes them). */
function plain(value: unknown): unknown {
	if (Array.isArray(value)) {
		return value.map(item => plain(item));
	}

	if (typeof value === 'object' && value !== null) {
		const copy: Record<string, unknown> = {};
		for (const [key, item] of Object.entries(value)) {
			Object.defineProperty(copy, key, {value: plain(item), enumerable: true, writable: true, configurable: true});
		}

		return copy;
	}

	return value;
}

/** Nested arrays `depth` deep, built without recursion (too deep for JSON.stringify, fine for JSON.parse). */
export function deepArray(depth: number, leaf: unknown = 1): unknown {
	let value: unknown = [leaf];
	for (let level = 1; level < depth; level++) {
		value = [value];
	}

	return value;
}

/** The JSON text of `deepArray(depth, 1)`, built as text. */
export function deepArrayText(depth: number): string {
	return `${'['.repeat(depth)}1${']'.repeat(depth)}`;
}
