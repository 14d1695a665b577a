import {createHmac, randomBytes} from 'node:crypto';
import type {Envelope} from './envelope.js';

/**
`--redact`: make `--json` output and recordings safe to share.

- Auth-related events are dropped whole (both directions): the login
  handshake, the logged-in user's own account, inbox, cosmetics, username
  checks… (`isAuthEvent`), and the page's Socket.IO CONNECT payload, which may
  carry credentials.
- Credentials anywhere in a payload (token, jwt, email, cookie, signature, …
  keys) are removed.
- Player identifiers — `did:privy:…` ids wherever they appear (`playerId`,
  leaderboard `id`, chat reply keys, …) — and usernames are replaced by
  pseudonyms: keyed hashes under a secret drawn once per process. Within one
  run the same player always gets the same pseudonym, so trades, leaderboard
  rows and sidebets still line up; across runs they differ, and the hash
  cannot be reversed or recomputed without the key, which is never written.
- Trace ids (`traceparent`) are blanked: the server can map them to a session.

Game data (prices, ticks, amounts, seeds, game ids, coin addresses) is kept.
Chat message text is kept as typed.
*/

type Redact = (envelope: Envelope) => Envelope | undefined;

type RedactorOptions = {
	/** Key for the pseudonyms; default: random, once per process. */
	key?: string | Uint8Array;
};

/** Events about the logged-in account rather than the game. */
export const authEvents: ReadonlySet<string> = new Set([
	'authenticate',
	'usernameStatus',
	'checkUsername',
	'setUsername',
	'playerUpdate',
	'inboxMessages',
	'mutedPlayers',
	'getPlayerCosmetics',
	'playerCosmetics',
	'getPlayerLeaderboardPosition',
	'playerLeaderboardPosition',
	'rugpassStatus',
]);

const authEventPattern = /auth|login|logout|session|token|wallet|inbox|cosmetic|username|profile|referral|private/i;

function isAuthEvent(event: string): boolean {
	return authEvents.has(event) || authEventPattern.test(event);
}

/** Keys whose values are credentials: removed. */
const secretKey = /^(?:jwt|email|e-?mail|phone|password|passwd|secret|cookies?|signature|authorization|private_?key|mnemonic|seed_?phrase|api_?key)$|(?:access|refresh|auth|session|bearer|privy|id|api|csrf)_?token$/i;
/** Keys whose string values name a player: pseudonymised. */
const playerKey = /^(?:player_?id|user_?id|account_?id|wallet(?:_?address)?|username|user_?name|display_?name|discord_?username|twitter_?handle|handle)$/i;
const didPattern = /did:[a-z\d]+:[\w.%]+/gi;
const pseudonymName = /^anon-[\da-f]{10}$/;
const blankTraceparent = '00-00000000000000000000000000000000-0000000000000000-00';

type Walk = (value: unknown, key: string | undefined) => unknown;

function makeWalker(pseudonym: (kind: 'did' | 'name', value: string) => string): Walk {
	const scrubString = (text: string): string => (text.includes('did:') ? text.replaceAll(didPattern, match => pseudonym('did', match)) : text);

	// Copy on write: an untouched subtree (a price array, most of a gameHistory
	// entry) is returned as is, so redaction costs a walk, not a deep copy.
	const walk: Walk = (value, key) => {
		if (typeof value === 'string') {
			if (key !== undefined && playerKey.test(key)) {
				return value.startsWith('did:') ? scrubString(value) : pseudonym('name', value);
			}

			if (key === 'traceparent') {
				return blankTraceparent;
			}

			return scrubString(value);
		}

		if (Array.isArray(value)) {
			const items: readonly unknown[] = value;
			let copy: unknown[] | undefined;
			for (let index = 0; index < items.length; index++) {
				const item = items[index];
				if (typeof item === 'number' || typeof item === 'boolean' || item === null) {
					continue;
				}

				const next = walk(item, undefined);
				if (next !== item) {
					copy ??= [...items];
					copy[index] = next;
				}
			}

			return copy ?? items;
		}

		if (typeof value === 'object' && value !== null) {
			let copy: Record<string, unknown> | undefined;
			for (const [childKey, item] of Object.entries(value)) {
				if (secretKey.test(childKey)) {
					copy ??= {...value};
					// eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- the copy is a JSON object from the feed: dropping its secret key is the point (the other keys keep their order)
					delete copy[childKey];
					continue;
				}

				if (typeof item === 'number' || typeof item === 'boolean' || item === null || item === undefined) {
					continue;
				}

				const next = walk(item, childKey);
				if (next !== item) {
					copy ??= {...value};
					copy[childKey] = next;
				}
			}

			return copy ?? value;
		}

		return value;
	};

	return walk;
}

function makePseudonym(key: string | Uint8Array): (kind: 'did' | 'name', value: string) => string {
	const cache = new Map<string, string>();
	return (kind, value) => {
		// Already a pseudonym (a redacted recording redacted again): keep it, so redaction is idempotent.
		if (kind === 'did' ? value.startsWith('did:redacted:') : pseudonymName.test(value)) {
			return value;
		}

		const cacheKey = `${kind}:${value}`;
		let result = cache.get(cacheKey);
		if (result === undefined) {
			const digest = createHmac('sha256', key).update(cacheKey).digest('hex');
			result = kind === 'did' ? `did:redacted:${digest.slice(0, 20)}` : `anon-${digest.slice(0, 10)}`;
			if (cache.size >= 100_000) {
				cache.clear();
			}

			cache.set(cacheKey, result);
		}

		return result;
	};
}

/** The stateless part of redaction, for one envelope: drop, or scrub. */
function redactWith(walk: Walk, envelope: Envelope): Envelope | undefined {
	if (isAuthEvent(envelope.event)) {
		return undefined;
	}

	if (envelope.event === 'connect' && envelope.direction === 'sent') {
		// The page's CONNECT packet may carry its auth payload: keep that it connected, not how.
		return envelope.data === null ? envelope : {...envelope, data: null};
	}

	const data = walk(envelope.data, undefined);
	const extra = envelope.extra === undefined ? undefined : walk(envelope.extra, undefined) as unknown[];
	if (data === envelope.data && extra === envelope.extra) {
		return envelope;
	}

	const copy: Envelope = {...envelope, data};
	if (extra !== undefined) {
		copy.extra = extra;
	}

	return copy;
}

/**
A redactor for one output stream. Besides `redactEnvelope`'s rules it
remembers the ack ids of requests it dropped (an `authenticate` sent with an
ack id), so that their replies — an ack packet names no event — go too.
Never changes the envelope it is given (other subscribers share it).
*/
export function createRedactor(options: RedactorOptions = {}): Redact {
	const walk = makeWalker(makePseudonym(options.key ?? processKey()));
	const droppedRequests = new Set<string>();
	return envelope => {
		if (envelope.event === 'ack' && envelope.ackId !== undefined && envelope.direction === 'received') {
			const id = `${envelope.ns ?? '/'}#${envelope.ackId}`;
			if (droppedRequests.delete(id)) {
				return undefined;
			}
		}

		const result = redactWith(walk, envelope);
		if (result === undefined && envelope.direction === 'sent' && envelope.ackId !== undefined) {
			if (droppedRequests.size >= 10_000) {
				droppedRequests.clear();
			}

			droppedRequests.add(`${envelope.ns ?? '/'}#${envelope.ackId}`);
		}

		return result;
	};
}

let sharedKey: Uint8Array | undefined;

function processKey(): Uint8Array {
	sharedKey ??= randomBytes(32);
	return sharedKey;
}

let sharedWalk: Walk | undefined;

/**
Redact one envelope on its own (no memory of earlier ones): undefined when it
must not be written at all. Pseudonyms are stable for the life of the process.
Prefer `createRedactor()` per output stream, which also drops the acks of
dropped requests.
*/
export function redactEnvelope(envelope: Envelope): Envelope | undefined {
	sharedWalk ??= makeWalker(makePseudonym(processKey()));
	return redactWith(sharedWalk, envelope);
}
