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
const longFuzz = process.env['FUZZ'] === 'long';

const fixedSeed = 20_251_212;

function fuzzSeed(): number {
	const given = process.env['FUZZ_SEED'];
	if (given !== undefined && given !== '') {
		return Number(given);
	}

	return longFuzz ? Date.now() % 2_147_483_647 : fixedSeed;
}

/** Runs in the normal suite; `npm run fuzz` multiplies them. */
function runs(normal: number): number {
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

/*
Generators for the classes of hostile input of issue 14, shared by every fuzz
test (the readers' too): unbounded arrays, long lines, deep nesting, hostile
ids. Sizes follow `size()`: bounded in the suite, larger under `npm run fuzz`.
*/

/**
Arrays of any length up to `size(normal, long)`, most short, some at the
bound: a gameHistory of 10,000 games, 130,000 prices, a leaderboard of
thousands. `item` is called with the index, so a long array need not hold
generated values (it is built from a length and a seed, which shrink well).
*/
export function unboundedArray<T>(item: (index: number, seed: number) => T, normal = 10_000, long = 200_000): fc.Arbitrary<T[]> {
	const bound = size(normal, long);
	const length = fc.oneof(
		{weight: 3, arbitrary: fc.integer({min: 0, max: 16})},
		{weight: 2, arbitrary: fc.integer({min: 0, max: bound})},
		{weight: 1, arbitrary: fc.constant(bound)},
	);
	return fc.tuple(length, fc.nat()).map(([count, seed]) => Array.from({length: count}, (_, index) => item(index, seed)));
}

/**
Ids a hostile or broken feed can carry where the monitor keys, names or
files things by id: prototype names, path separators and dots, NUL and
control characters, case twins, escapes, bidi overrides, empty, very long
(10,000 characters), and almost-duplicates of a real id.
*/
export const hostileId: fc.Arbitrary<string> = fc.oneof(
	fc.constantFrom('__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', '', ' ', '.', '..', '../../etc/passwd', 'a/b', String.raw`a\b`, String.raw`C:\x`, 'con', 'NUL', 'a\u0000b', '\u001B[2J', '\u001B]0;pwned\u0007', '\u202Eevil', '20251212-AAAAAAAAAAAAAAAA', '20251212-aaaaaaaaaaaaaaaa', '20251212-aaaaaaaaaaaaaaaa ', '20251212-aaaaaaaaaaaaaaaa\n', 'x'.repeat(10_000), '🎲'.repeat(500), '\uD800', 'null', 'undefined', 'NaN', '0', '-1', '1e999'),
	fc.string({unit: 'binary', maxLength: 64}),
	fc.string({unit: fc.constantFrom('.', '/', '\\', ':', '\u0000', 'a', 'A', '-', '_'), minLength: 1, maxLength: 12}),
);

/**
A line (of a recording, or a frame of the feed) described rather than built:
`length` characters of `fill` after a `prefix`, with or without its newline —
up to 64 MB under `npm run fuzz`. Materialise it with `longLineChunks`, which
never holds it whole, so a reader can be fed a line far longer than memory
should ever hold.
*/
type LongLine = {prefix: string; fill: string; length: number; newline: boolean};

export const longLine: fc.Arbitrary<LongLine> = fc.record({
	prefix: fc.constantFrom('', '{"seq":1,"ts":1,"event":"x","data":"', '42["x","', '{', '['),
	fill: fc.constantFrom('x', '[', '{"a":', '\\', '"', ' ', '\u00E9', '🎲'),
	length: fc.oneof(fc.integer({min: 0, max: 4096}), fc.integer({min: 1024 * 1024, max: size(8, 64) * 1024 * 1024})),
	newline: fc.boolean(),
});

/** The text of a LongLine in pieces of about `chunk` characters, never the whole line at once. */
export function * longLineChunks(line: LongLine, chunk = 1024 * 1024): Generator<string> {
	yield line.prefix;
	const piece = line.fill.repeat(Math.max(1, Math.ceil(chunk / line.fill.length)));
	let left = line.length;
	while (left > 0) {
		const take = Math.min(left, piece.length);
		yield take === piece.length ? piece : piece.slice(0, take);
		left -= take;
	}

	if (line.newline) {
		yield '\n';
	}
}

/**
JSON text nested around a depth bound: levels alternating arrays and objects
(or arrays only), with strings full of brackets and quotes between them, at
`bound` − 3 … `bound` + 3, or far beyond (100,000 levels).
*/
export function deepNesting(bound: number): fc.Arbitrary<{text: string; depth: number}> {
	const depth = fc.oneof({weight: 6, arbitrary: fc.integer({min: Math.max(1, bound - 3), max: bound + 3})}, {weight: 1, arbitrary: fc.constant(size(100_000, 2_000_000))});
	return fc.tuple(depth, fc.boolean(), fc.constantFrom(String.raw`"]}\""`, '"[{"', '1', '"x"')).map(([levels, mixed, noise]) => {
		let open = '';
		let close = '';
		for (let level = 0; level < levels; level++) {
			if (mixed && level % 2 === 1) {
				open += '{"k":';
				close = `}${close}`;
			} else {
				open += `[${noise},`;
				close = `]${close}`;
			}
		}

		return {text: `${open}0${close}`, depth: levels};
	});
}
