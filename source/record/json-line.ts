/**
JSON text for a line of output or of a recording, whatever the nesting depth.

V8's JSON.parse is iterative and reads arrays nested a million deep, but
JSON.stringify recurses and throws RangeError past a few thousand levels. A
hostile frame the decoder accepted would then be dropped by the recorder and
by `--json`. `jsonLine` keeps the fast native path and, only when it runs out
of stack, writes the same text with an explicit stack instead.
*/
export function jsonLine(value: unknown): string {
	try {
		const text = JSON.stringify(value) as string | undefined;
		if (text === undefined) {
			throw new TypeError('nothing to serialise');
		}

		return text;
	} catch (error) {
		if (error instanceof RangeError && /call stack/i.test(error.message)) {
			return stringifyDeep(value);
		}

		throw error;
	}
}

let lastEnvelope: object | undefined;
let lastLine = '';

/**
`jsonLine` for a published envelope. `--json --record` writes each envelope
twice in a row (to stdout, then to the recording): the second write reuses the
text of the first. Envelopes are never changed once published (redaction
copies what it changes), which is what makes remembering by identity safe.
*/
export function envelopeLine(envelope: object): string {
	if (envelope !== lastEnvelope) {
		lastLine = jsonLine(envelope);
		lastEnvelope = envelope;
	}

	return lastLine;
}

type Container =
	| {kind: 'array'; value: readonly unknown[]; index: number}
	| {kind: 'object'; value: Record<string, unknown>; keys: string[]; index: number; first: boolean};

function prepared(value: unknown, key: string): unknown {
	if (typeof value === 'object' && value !== null && typeof (value as {toJSON?: unknown}).toJSON === 'function') {
		return (value as {toJSON: (key: string) => unknown}).toJSON(key);
	}

	return value;
}

/**
The text JSON.stringify(value) gives, without recursion: same key order, same
escapes, `null` for non-finite numbers and for undefined array items, object
members with undefined/function values left out, toJSON honoured, TypeError on
a cycle or a BigInt. Exported for its tests; use `jsonLine`.
*/
export function stringifyDeep(root: unknown): string {
	const out: string[] = [];
	const stack: Container[] = [];
	const ancestors = new Set<object>();

	/** Write a value (or open a container); false when the value has no JSON form. */
	const emit = (value: unknown): boolean => {
		switch (typeof value) {
			case 'string': {
				out.push(JSON.stringify(value));
				return true;
			}

			case 'number': {
				out.push(Number.isFinite(value) ? String(value) : 'null');
				return true;
			}

			case 'boolean': {
				out.push(value ? 'true' : 'false');
				return true;
			}

			case 'bigint': {
				throw new TypeError('Do not know how to serialize a BigInt');
			}

			case 'object': {
				if (value === null) {
					out.push('null');
					return true;
				}

				if (ancestors.has(value)) {
					throw new TypeError('Converting circular structure to JSON');
				}

				ancestors.add(value);
				if (Array.isArray(value)) {
					out.push('[');
					stack.push({kind: 'array', value, index: 0});
				} else {
					out.push('{');
					const record = value as Record<string, unknown>;
					stack.push({kind: 'object', value: record, keys: Object.keys(record), index: 0, first: true});
				}

				return true;
			}

			case 'undefined':
			case 'function':
			case 'symbol': {
				return false;
			}
		}
	};

	if (!emit(prepared(root, ''))) {
		throw new TypeError('nothing to serialise');
	}

	while (stack.length > 0) {
		const top = stack.at(-1)!;
		if (top.kind === 'array') {
			if (top.index >= top.value.length) {
				out.push(']');
				ancestors.delete(top.value);
				stack.pop();
				continue;
			}

			const index = top.index++;
			if (index > 0) {
				out.push(',');
			}

			if (!emit(prepared(top.value[index], String(index)))) {
				out.push('null');
			}

			continue;
		}

		if (top.index >= top.keys.length) {
			out.push('}');
			ancestors.delete(top.value);
			stack.pop();
			continue;
		}

		const key = top.keys[top.index++]!;
		const value = prepared(top.value[key], key);
		if (value === undefined || typeof value === 'function' || typeof value === 'symbol') {
			continue;
		}

		out.push(top.first ? '' : ',', JSON.stringify(key), ':');
		top.first = false;
		emit(value);
	}

	return out.join('');
}
