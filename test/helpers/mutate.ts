import fc from 'fast-check';
import type {Envelope} from '../../source/protocol/envelope.js';
import {generateSession, wireFrame} from '../../source/sim/generate-session.js';
import {nastyString} from './fuzz.js';

/**
Mutations of real-shaped text (Socket.IO frames, recording lines), as a
broken network, a truncated file or a hostile server would produce them.
Positions are fractions of the length, so a mutation applies to any text and
shrinks to a readable counterexample.
*/
type Mutation =
	| {kind: 'truncate'; at: number}
	| {kind: 'delete'; at: number; length: number}
	| {kind: 'insert'; at: number; text: string}
	| {kind: 'replace-char'; at: number; char: string}
	| {kind: 'prefix'; length: number; text: string}
	| {kind: 'duplicate'; at: number; length: number}
	| {kind: 'number'; nth: number; token: string}
	| {kind: 'string'; nth: number; value: string}
	| {kind: 'nest'; nth: number; depth: number}
	| {kind: 'bytes'; at: number; bytes: number[]};

/** Tokens to put where a number was: out of range, negative zero, NaN-like strings, wrong types. */
const numberTokens = ['1e999', '-1e999', '-0', '1e-400', '99999999999999999999999', '-1', '0.5', '"NaN"', '"Infinity"', '"12"', 'null', 'true', '[]', '{}', '""'];

const fraction = fc.double({min: 0, max: 1, noNaN: true, maxExcluded: true});

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
	fc.record({kind: fc.constant('truncate' as const), at: fraction}),
	fc.record({kind: fc.constant('delete' as const), at: fraction, length: fc.integer({min: 1, max: 64})}),
	fc.record({kind: fc.constant('insert' as const), at: fraction, text: fc.oneof(nastyString, fc.constantFrom('"', '{', '}', '[', ']', ',', ':', '\\', '\n'))}),
	fc.record({kind: fc.constant('replace-char' as const), at: fraction, char: fc.string({unit: 'binary', minLength: 1, maxLength: 1})}),
	fc.record({kind: fc.constant('prefix' as const), length: fc.integer({min: 0, max: 4}), text: fc.oneof(fc.constantFrom('', '4', '42', '43', '2', '3', '0', '451-', '40', '41', '44', 'b', '9', '4/', '42/x,', '421'), fc.string({maxLength: 4}))}),
	fc.record({kind: fc.constant('duplicate' as const), at: fraction, length: fc.integer({min: 1, max: 200})}),
	fc.record({kind: fc.constant('number' as const), nth: fc.nat({max: 200}), token: fc.constantFrom(...numberTokens)}),
	fc.record({kind: fc.constant('string' as const), nth: fc.nat({max: 200}), value: nastyString}),
	fc.record({kind: fc.constant('nest' as const), nth: fc.nat({max: 200}), depth: fc.integer({min: 1, max: 5000})}),
	fc.record({kind: fc.constant('bytes' as const), at: fraction, bytes: fc.array(fc.integer({min: 0, max: 255}), {minLength: 1, maxLength: 16})}),
);

export const mutations: fc.Arbitrary<Mutation[]> = fc.array(mutation, {minLength: 1, maxLength: 4});

function position(text: string, at: number): number {
	return Math.floor(at * text.length);
}

/** Replace the n-th match (modulo the number of matches) of a pattern. */
function replaceNth(text: string, pattern: RegExp, nth: number, replacement: string): string {
	const matches = [...text.matchAll(pattern)];
	if (matches.length === 0) {
		return text;
	}

	const match = matches[nth % matches.length]!;
	return text.slice(0, match.index) + replacement + text.slice(match.index + match[0].length);
}

export function mutate(text: string, steps: readonly Mutation[]): string {
	let out = text;
	for (const step of steps) {
		switch (step.kind) {
			case 'truncate': {
				out = out.slice(0, position(out, step.at));
				break;
			}

			case 'delete': {
				const at = position(out, step.at);
				out = out.slice(0, at) + out.slice(at + step.length);
				break;
			}

			case 'insert': {
				const at = position(out, step.at);
				out = out.slice(0, at) + step.text + out.slice(at);
				break;
			}

			case 'replace-char': {
				const at = position(out, step.at);
				out = out.slice(0, at) + step.char + out.slice(at + 1);
				break;
			}

			case 'prefix': {
				out = step.text + out.slice(step.length);
				break;
			}

			case 'duplicate': {
				const at = position(out, step.at);
				out = out.slice(0, at + step.length) + out.slice(at);
				break;
			}

			case 'number': {
				out = replaceNth(out, /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g, step.nth, step.token);
				break;
			}

			case 'string': {
				out = replaceNth(out, /"(?:[^"\\]|\\.)*"/g, step.nth, JSON.stringify(step.value));
				break;
			}

			case 'nest': {
				out = replaceNth(out, /-?\d+(?:\.\d+)?|"(?:[^"\\]|\\.)*"|true|false|null/g, step.nth, `${'['.repeat(step.depth)}0${']'.repeat(step.depth)}`);
				break;
			}

			case 'bytes': {
				const at = position(out, step.at);
				out = out.slice(0, at) + Buffer.from(step.bytes).toString('latin1') + out.slice(at);
				break;
			}
		}
	}

	return out;
}

let generated: Envelope[] | undefined;

/**
A small generated session with every kind of event the feed sends (logged-in,
with the user's requests and acks, hostile names): the corpus that mutations
start from. Deterministic; large gameHistory frames left out so each run stays cheap
(the 5 MB tests cover size).
*/
export function corpusEnvelopes(): Envelope[] {
	generated ??= [...generateSession({seed: 'fuzz-corpus', games: 3, authenticated: true, clientRequests: true, hostileNames: true, rugTicks: {max: 60}})];
	return generated;
}

export function corpusFrames(maxLength = 60_000): string[] {
	return corpusEnvelopes().map(envelope => wireFrame(envelope)).filter(frame => frame.length <= maxLength);
}

/** The frame of each envelope, as the wire carries it (also for envelopes read from captures). */
export function framesOf(envelopes: readonly Envelope[]): string[] {
	return envelopes.filter(envelope => envelope.event !== 'connect').map(envelope => wireFrame(envelope));
}
