/**
Ink rebuilds every frame from scratch: each line it writes is tokenized into
one object per character (`getStyledChars`) with a cache that lives for one
frame only. A monitor redraws mostly the same lines four times a second, so
this keeps those results across frames, in a bounded cache (cleared when
full), for a large cut in per-frame CPU.

It reaches into Ink's internals (build/output.js, not part of its public
API), so it is defensive: if the shape is not the one it knows (another Ink
version), it changes nothing and reports false. Ink never mutates the cached
character objects (it only places them in the frame's grid), which is what
makes sharing them between frames safe.
*/

type Caches = {
	getStyledChars(line: string): unknown[];
	getStringWidth(text: string): number;
};

type OutputClass = new (options: {width: number; height: number}) => {caches?: Caches};

const maxEntries = 4000;
let installed = false;

function bounded<V>(compute: (key: string) => V): (key: string) => V {
	const cache = new Map<string, V>();
	return key => {
		let value = cache.get(key);
		if (value === undefined) {
			value = compute(key);
			if (cache.size >= maxEntries) {
				cache.clear();
			}

			cache.set(key, value);
		}

		return value;
	};
}

export async function installOutputCache(): Promise<boolean> {
	if (installed) {
		return true;
	}

	try {
		const outputUrl = new URL('output.js', import.meta.resolve('ink'));
		const {default: Output} = await import(outputUrl.href) as {default: OutputClass};
		const probe = new Output({width: 1, height: 1}).caches;
		const prototype = probe === undefined ? undefined : Object.getPrototypeOf(probe) as Caches | undefined;
		if (prototype === undefined || typeof prototype.getStyledChars !== 'function' || typeof prototype.getStringWidth !== 'function') {
			return false;
		}

		const styledChars = prototype.getStyledChars;
		const stringWidth = prototype.getStringWidth;
		// Ink's own methods memoise into per-frame Maps on `this`: give them a scratch one, emptied after each call.
		const scratch = {styledChars: new Map<string, unknown>(), widths: new Map<string, number>()};
		const uncached = <T>(method: (this: unknown, key: string) => T) => (key: string): T => {
			try {
				return method.call(scratch, key);
			} finally {
				scratch.styledChars.clear();
				scratch.widths.clear();
			}
		};

		const sharedChars = bounded(uncached(styledChars));
		const sharedWidths = bounded(uncached(stringWidth));
		prototype.getStyledChars = sharedChars;
		prototype.getStringWidth = sharedWidths;
		installed = true;
		return true;
	} catch {
		return false;
	}
}
