/**
Reductions over data of any length. `Math.max` given the values as a spread passes every element
as a call argument, so past ~100,000 elements (a gameHistory entry of 130,000
prices, a long live game) it throws "Maximum call stack size exceeded" and
takes every other game down with it. These loop instead.
*/

/** The largest number of `values`, or undefined when there is none. NaN is skipped. */
export function maxOf(values: Iterable<number>): number | undefined {
	let max: number | undefined;
	for (const value of values) {
		if (!Number.isNaN(value) && (max === undefined || value > max)) {
			max = value;
		}
	}

	return max;
}
