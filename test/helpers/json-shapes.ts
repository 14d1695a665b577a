import fc from 'fast-check';

/**
Nesting and container counts of JSON values, and generators of values and
texts around given bounds: for the tests of source/protocol/json-bounds.ts
and for the fuzzing of every reader of feed JSON (frames, recording lines).
*/

type Shape = {
	/** Levels of nesting: a scalar is 0, `[]` is 1, `[[1]]` is 2. */
	depth: number;
	/** Arrays and objects, the value itself included. */
	containers: number;
};

/** The shape of a parsed value, without recursion (values may be millions deep). */
export function shapeOf(value: unknown): Shape {
	let depth = 0;
	let containers = 0;
	const stack: Array<[unknown, number]> = [[value, 1]];
	while (stack.length > 0) {
		const [item, level] = stack.pop()!;
		if (typeof item !== 'object' || item === null) {
			continue;
		}

		containers++;
		depth = Math.max(depth, level);
		for (const child of Array.isArray(item) ? item as unknown[] : Object.values(item)) {
			stack.push([child, level + 1]);
		}
	}

	return {depth, containers};
}

/** JSON text of arrays nested `depth` deep around a 1, built as text. */
export function deepText(depth: number): string {
	return `${'['.repeat(depth)}1${']'.repeat(depth)}`;
}

/**
JSON text nested `depth` deep whose levels alternate arrays and objects, with
strings full of brackets and quotes in between, so that a scan that miscounts
strings gets the depth wrong.
*/
export function deepMixedText(depth: number, noise = String.raw`"]}\""`): string {
	let open = '';
	let close = '';
	for (let level = 0; level < depth; level++) {
		if (level % 2 === 0) {
			open += `[${noise},`;
			close = `]${close}`;
		} else {
			open += `{"k${level}":`;
			close = `}${close}`;
		}
	}

	return `${open}0${close}`;
}

/** Values whose depth and container count range a little beyond the given bounds. */
export function boundedShapes(options: {maxDepth: number; maxContainers: number}): fc.Arbitrary<unknown> {
	const leaf = fc.oneof(fc.integer(), fc.string({maxLength: 6}), fc.constantFrom('[', ']', '{', '}', '"', '\\', null, true));
	const {tree} = fc.letrec<{tree: unknown}>(tie => ({
		tree: fc.oneof(
			{maxDepth: options.maxDepth, depthIdentifier: 'bounded-shape'},
			leaf,
			fc.array(tie('tree'), {maxLength: 4}),
			fc.dictionary(fc.string({maxLength: 4}), tie('tree'), {maxKeys: 4, noNullPrototype: true}),
		),
	}));
	// A chain around the depth bound, and a run around the container bound, inside ordinary values.
	const chain = fc.integer({min: Math.max(1, options.maxDepth - 3), max: options.maxDepth + 3}).map(depth => JSON.parse(deepMixedText(depth)) as unknown);
	const run = fc.integer({min: Math.max(1, options.maxContainers - 3), max: options.maxContainers + 3}).map(count => Array.from({length: count - 1}, () => ({})));
	return fc.oneof({weight: 4, arbitrary: tree}, {weight: 1, arbitrary: chain}, {weight: 1, arbitrary: run}, {weight: 1, arbitrary: fc.tuple(tree, chain, tree)});
}
