/** Tolerant readers for untrusted payload fields: the value when it has the right type, else undefined. */

export type Rec = Record<string, unknown>;

export function asRecord(value: unknown): Rec | undefined {
	return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Rec : undefined;
}

// eslint-disable-next-line unicorn/prevent-abbreviations -- the readers are named for the JSON type they read (num, str, bool, list), imported under these names across the code base
export function num(value: unknown): number | undefined {
	return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** A tick index: a non-negative safe integer no larger than `max`. */
export function tickOf(value: unknown, max: number): number | undefined {
	return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max ? value : undefined;
}

// eslint-disable-next-line unicorn/prevent-abbreviations -- the readers are named for the JSON type they read (num, str, bool, list), imported under these names across the code base
export function str(value: unknown): string | undefined {
	return typeof value === 'string' ? value : undefined;
}

export function bool(value: unknown): boolean | undefined {
	return typeof value === 'boolean' ? value : undefined;
}

export function list(value: unknown): unknown[] | undefined {
	return Array.isArray(value) ? value : undefined;
}
