import fc from 'fast-check';
import {afterEach, describe, expect, test, vi} from 'vitest';
import {FrameDecoder, jsonStart} from '../source/protocol/frame-decoder.js';
import {JsonRejection, maxJsonContainers, parseBoundedJson, scanJsonShape, screenJson, valueTooDeep} from '../source/protocol/json-bounds.js';
import {check, nastyJson, testTimeout} from './helpers/fuzz.js';
import {boundedShapes, deepText, shapeOf} from './helpers/json-shapes.js';

/**
The bounds on feed JSON (source/protocol/json-bounds.ts): at most 1,000 levels
of nesting and 65,536 arrays and objects per text. Every way into the check
(short text, few brackets, a parse then a walk, an exact scan before any
parse) must give the answer the structure itself gives, and the costly inputs
must be refused before JSON.parse sees them: asserted by counting what
JSON.parse is handed, not by timing it.
*/

/** The lengths of the texts JSON.parse was given while `work` ran. */
function parsedLengths(work: () => void): number[] {
	const lengths: number[] = [];
	const original = JSON.parse.bind(JSON);
	const spy = vi.spyOn(JSON, 'parse').mockImplementation((text: string, reviver?: Parameters<typeof JSON.parse>[1]) => {
		lengths.push(text.length);
		return original(text, reviver) as unknown;
	});
	try {
		work();
	} finally {
		spy.mockRestore();
	}

	return lengths;
}

afterEach(() => {
	vi.restoreAllMocks();
});

describe('the bounds, at their edges', () => {
	test('exactly 1,000 levels are accepted and 1,001 refused, whichever path decides', () => {
		expect(parseBoundedJson(deepText(1000))).not.toBeInstanceOf(JsonRejection);
		expect(parseBoundedJson(deepText(1001))).toBeInstanceOf(JsonRejection);
		const padding = '{},'.repeat(maxJsonContainers);
		// 1 (outer) + 999 = 1,000 levels, and 65,536 + 1,000 containers: refused for the count.
		const many = parseBoundedJson(`[${padding}${deepText(999)}]`);
		expect(many).toBeInstanceOf(JsonRejection);
		expect((many as JsonRejection).reason).toBe('more than 65536 arrays and objects');
		// Within the container bound, the exact scan decides on the depth alone: 1 + 1,000 levels refused, 1 + 999 accepted.
		expect(scanJsonShape(`[${'{},'.repeat(maxJsonContainers - 1001)}${deepText(1000)}]`, 0)).toBe('nesting deeper than 1000 levels');
		expect(scanJsonShape(`[${'{},'.repeat(maxJsonContainers - 1000)}${deepText(999)}]`, 0)).toBeUndefined();
		expect(scanJsonShape(`[${'{},'.repeat(maxJsonContainers - 999)}${deepText(999)}]`, 0)).toBe('more than 65536 arrays and objects');
	});

	test('brackets inside strings are text, not structure (escapes included)', () => {
		const texts = [
			JSON.stringify({chat: '['.repeat(5000)}),
			JSON.stringify({chat: `${'{'.repeat(maxJsonContainers + 10)}`}),
			JSON.stringify(['\\', '"[[[', String.raw`\"`, `${'\\'.repeat(7)}"${'['.repeat(maxJsonContainers + 1)}`]),
			JSON.stringify({a: ']'.repeat(3000), b: deepArrayValue(900)}),
		];
		for (const text of texts) {
			const value = parseBoundedJson(text);
			expect(value).not.toBeInstanceOf(JsonRejection);
			expect(value).toEqual(JSON.parse(text));
		}
	});

	test('closing brackets hidden in strings do not hide the depth ([1,"]",[1,"]",…)', () => {
		const levels = 1500;
		const text = `${'[1,"]",'.repeat(levels)}0${']'.repeat(levels)}`;
		expect(shapeOf(JSON.parse(text) as unknown).depth).toBe(levels);
		expect(parseBoundedJson(text)).toBeInstanceOf(JsonRejection);
		const padded = `[${'{},'.repeat(maxJsonContainers)}${text}]`;
		expect(parsedLengths(() => {
			expect(parseBoundedJson(padded)).toBeInstanceOf(JsonRejection);
		})).toEqual([]);
	});

	test('invalid JSON is reported as such, cleaned of control characters', () => {
		const rejected = parseBoundedJson('{"a":\u001B[2J');
		expect(rejected).toBeInstanceOf(JsonRejection);
		expect((rejected as JsonRejection).kind).toBe('syntax');
		expect((rejected as JsonRejection).reason).toMatch(/^invalid JSON: /);
		// eslint-disable-next-line no-control-regex -- what must not be there
		expect((rejected as JsonRejection).reason).not.toMatch(/[\u0000-\u001F]/);
	});
});

describe('the costly inputs never reach JSON.parse', () => {
	test('16 MB of arrays 8 million deep: refused by the decoder before JSON.parse, counted, and the next frame decodes', () => {
		const depth = 8_000_000;
		const frame = `42["gameStateUpdate",${deepText(depth)}]`;
		expect(frame.length).toBeGreaterThan(16_000_000);
		const decoder = new FrameDecoder({maxFrameLength: 32 * 1024 * 1024});
		const lengths = parsedLengths(() => {
			const packets = decoder.decodeText(frame);
			expect(packets).toEqual([{kind: 'error', reason: 'nesting deeper than 1000 levels', sample: expect.any(String) as unknown}]);
		});
		expect(lengths).toEqual([]);
		expect(decoder.errors).toBe(1);
		expect(decoder.decodeText('42["after",1]')).toEqual([{kind: 'event', ns: '/', event: 'after', args: [1]}]);
	});

	test('unclosed nesting (16 MB of "[") is refused before JSON.parse too', () => {
		const lengths = parsedLengths(() => {
			expect(parseBoundedJson('['.repeat(16_000_000))).toBeInstanceOf(JsonRejection);
		});
		expect(lengths).toEqual([]);
	});

	test('a 5 MB frame of millions of empty arrays side by side is refused for its container count, before JSON.parse', () => {
		const text = `[${'[],'.repeat(1_700_000)}[]]`;
		const lengths = parsedLengths(() => {
			const rejected = parseBoundedJson(text);
			expect((rejected as JsonRejection).reason).toBe('more than 65536 arrays and objects');
		});
		expect(lengths).toEqual([]);
	});

	test('what can be parsed cheaply is parsed once and walked, never scanned twice: a 60,000-deep frame costs one bounded parse', () => {
		const text = deepText(60_000);
		expect(screenJson(text)).toBe('check-value');
		const lengths = parsedLengths(() => {
			expect(parseBoundedJson(text)).toBeInstanceOf(JsonRejection);
		});
		expect(lengths).toEqual([text.length]);
	});
});

describe('the screen is exact: a property over generated shapes', () => {
	// Small bounds, so that generated values cross them along every path.
	const depth = 6;
	const containers = 24;

	test('parseBoundedJson accepts exactly the values within both bounds, and gives JSON.parse\'s value', () => {
		check(fc.property(boundedShapes({maxDepth: depth + 3, maxContainers: containers + 10}), fc.nat({max: 3}), (value, pad) => {
			const text = ' '.repeat(pad) + JSON.stringify(value);
			const shape = shapeOf(value);
			const within = shape.depth <= depth && shape.containers <= containers;
			const result = parseBoundedJson(text, pad, depth, containers);
			if (within) {
				expect(result).toEqual(JSON.parse(text));
			} else if (shape.depth > depth) {
				expect(result).toBeInstanceOf(JsonRejection);
			} else {
				// Too many containers but shallow: the count is only enforced where parsing would be the cost.
				expect(result instanceof JsonRejection ? result.reason : 'parsed').toMatch(/^(more than 24 arrays and objects|parsed)$/);
			}

			// The exact scan agrees with the structure whenever it is asked.
			const scanned = scanJsonShape(text, pad, depth, containers);
			if (shape.depth > depth) {
				expect(scanned).toMatch(/^(nesting deeper than 6 levels|more than 24 arrays and objects)$/);
			} else if (shape.containers > containers) {
				expect(scanned).toBe('more than 24 arrays and objects');
			} else {
				expect(scanned).toBeUndefined();
			}

			expect(valueTooDeep(value, depth)).toBe(shape.depth > depth);
		}), 400);
	}, testTimeout());

	test('hostile strings (brackets, quotes, backslashes) inside any value never change the verdict', () => {
		check(fc.property(nastyJson({maxDepth: 5, finite: true}), fc.array(fc.constantFrom('[', ']', '{', '}', '"', '\\', String.raw`\"`, '"]', '[1,"]",'), {maxLength: 40}), (value, pieces) => {
			const wrapped = [value, pieces.join(''), {key: pieces.join('')}];
			const text = JSON.stringify(wrapped);
			const shape = shapeOf(wrapped);
			expect(scanJsonShape(text, 0, 5, 1000) === undefined).toBe(shape.depth <= 5 || shape.containers > 1000);
			const result = parseBoundedJson(text, 0, 5, 1000);
			expect(result instanceof JsonRejection).toBe(shape.depth > 5);
		}), 400);
	}, testTimeout());
});

describe('jsonStart: where the JSON of a frame begins', () => {
	test.each([
		['0{"sid":"x"}', 1],
		['42["a",1]', 2],
		['42/admin,["a",1]', 9],
		['4217["a",1]', 4],
		['42/admin,17["a"]', 11],
		['451-["a",{"_placeholder":true,"num":0}]', 4],
		['451-/n,3["a"]', 8],
		['40', undefined],
		['40/admin', undefined],
		['2', undefined],
		['3probe', undefined],
		['', undefined],
	])('%s → %s', (frame, start) => {
		expect(jsonStart(frame)).toBe(start);
	});
});

function deepArrayValue(depth: number): unknown {
	return JSON.parse(deepText(depth)) as unknown;
}
