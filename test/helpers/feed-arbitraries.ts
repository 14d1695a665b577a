import fc from 'fast-check';
import {makeEnvelope, type Envelope} from '../../source/protocol/envelope.js';
import {hostileId, nastyJson, nastyNumber, nastyString, size, unboundedArray} from './fuzz.js';

/**
Arbitraries for feed-shaped event sequences in which any field may be wrong:
game frames of a few game ids (so the id changes mid-game), ticks and prices
that are mostly plausible and sometimes huge, negative, NaN-like strings or
of the wrong type, leaderboards, gameHistory, trades, sidebets, the user's
events, unknown events and `sent` requests. Shared by the reducer and
rendering fuzz tests.
*/

export const gameIdPool = ['20251212-aaaaaaaaaaaaaaaa', '20251212-bbbbbbbbbbbbbbbb', '20251212-cccccccccccccccc'];
const pool = gameIdPool;

const any = nastyJson({maxDepth: 2});
const gameId = fc.oneof({weight: 8, arbitrary: fc.constantFrom(...pool)}, {weight: 1, arbitrary: any});
const tick = fc.oneof({weight: 6, arbitrary: fc.integer({min: 0, max: 120})}, {weight: 2, arbitrary: nastyNumber}, {weight: 1, arbitrary: nastyString});
const price = fc.oneof({weight: 6, arbitrary: fc.double({min: 0.001, max: 50, noNaN: true})}, {weight: 2, arbitrary: nastyNumber}, {weight: 1, arbitrary: nastyString});
const flag = fc.oneof({weight: 4, arbitrary: fc.boolean()}, {weight: 1, arbitrary: any});
const sideBet = fc.oneof(
	fc.record({startedAtTick: tick, end: tick, gameId, betAmount: price, xPayout: price}, {requiredKeys: []}),
	any,
);
const leaderboard = fc.oneof(
	{weight: 4, arbitrary: fc.array(fc.oneof(fc.record({id: fc.oneof(fc.string({maxLength: 12}), any), username: fc.oneof(nastyString, fc.constant(null)), pnl: price, positionQty: price, avgCost: price, sideBet}, {requiredKeys: []}), any), {maxLength: 6})},
	{weight: 1, arbitrary: any},
);
const historyEntry = fc.oneof(
	fc.record({
		id: gameId,
		timestamp: fc.oneof(fc.integer({min: 0, max: 2 ** 45}), nastyNumber),
		prices: fc.oneof(fc.array(price, {maxLength: 150}), any),
		peakMultiplier: price,
		provablyFair: fc.oneof(fc.record({serverSeed: fc.oneof(fc.string({unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64}), nastyString), serverSeedHash: fc.oneof(fc.string({unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64}), nastyString)}, {requiredKeys: []}), any),
		globalSidebets: fc.oneof(fc.array(fc.record({type: fc.constantFrom('placed', 'payout', 'x'), endTick: tick, payout: price, startedAtTick: tick}, {requiredKeys: []}), {maxLength: 5}), any),
		gameVersion: fc.oneof(fc.constantFrom('v1', 'v2', 'v3'), any),
	}, {requiredKeys: []}),
	any,
);
const partialPrices = fc.oneof(
	fc.record({startTick: tick, endTick: tick, values: fc.oneof(fc.dictionary(fc.oneof(fc.integer({min: 0, max: 120}).map(String), nastyString, fc.constantFrom('1e9', '-1', '0x10', '1.5', '20001')), price, {maxKeys: 6, noNullPrototype: true}), any)}, {requiredKeys: []}),
	any,
);

const gameFrame = fc.record({
	gameId,
	active: flag,
	rugged: fc.oneof({weight: 5, arbitrary: fc.constant(false)}, {weight: 1, arbitrary: flag}),
	price,
	tickCount: tick,
	cooldownTimer: fc.oneof(fc.integer({min: 0, max: 15_000}), nastyNumber),
	allowPreRoundBuys: flag,
	tradeCount: fc.oneof(fc.nat(), nastyNumber),
	connectedPlayers: fc.oneof(fc.nat(), nastyNumber),
	partialPrices,
	leaderboard,
	gameHistory: fc.oneof(fc.array(historyEntry, {maxLength: 4}), any),
	provablyFair: fc.oneof(fc.record({serverSeedHash: fc.oneof(fc.string({unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64}), nastyString), version: any}, {requiredKeys: []}), any),
	prices: fc.oneof(fc.array(price, {maxLength: 30}), any),
}, {requiredKeys: []});

const trade = fc.record({id: fc.oneof(fc.string({maxLength: 6}), any), gameId, playerId: fc.oneof(fc.string({maxLength: 12}), any), username: fc.oneof(nastyString, fc.constant(null)), type: fc.oneof(fc.constantFrom('buy', 'sell', 'short_open', 'short_close'), nastyString), price, qty: price, amount: price, tickIndex: tick}, {requiredKeys: []});
const sidebetEvent = fc.record({gameId, startTick: tick, endTick: tick, betAmount: price, xPayout: price, payout: price, profit: price, username: nastyString}, {requiredKeys: []});
const trace = {__trace: true, traceparent: '00-0123456789abcdef0123456789abcdef-0123456789abcdef-01'};

export type Step = {event: string; args: unknown[]; direction: 'received' | 'sent'};
export const step: fc.Arbitrary<Step> = fc.oneof(
	{weight: 12, arbitrary: gameFrame.map(data => ({event: 'gameStateUpdate', args: [data]}))},
	{weight: 3, arbitrary: trade.map(data => ({event: 'standard/newTrade', args: [trace, data]}))},
	{weight: 1, arbitrary: fc.record({cash: price, positionQty: price, avgCost: price, cumulativePnL: price, sideBet}, {requiredKeys: []}).map(data => ({event: 'playerUpdate', args: [data]}))},
	{weight: 1, arbitrary: fc.record({gameId, leaderboardEntry: fc.oneof(fc.record({username: nastyString, positionQty: price, pnl: price, sideBet}, {requiredKeys: []}), any)}, {requiredKeys: []}).map(data => ({event: 'gameStatePlayerUpdate', args: [data]}))},
	{weight: 1, arbitrary: fc.record({username: nastyString, hasUsername: flag}, {requiredKeys: []}).map(data => ({event: 'usernameStatus', args: [trace, data]}))},
	{weight: 1, arbitrary: fc.tuple(fc.constantFrom('currentSidebet', 'currentSidebetResult', 'newSideBet'), sidebetEvent).map(([event, data]) => ({event, args: [data]}))},
	{weight: 1, arbitrary: fc.tuple(fc.oneof(fc.constantFrom('gameStateUpdate', 'standard/newTrade', 'playerUpdate', 'newChatMessage', 'ack'), nastyString), fc.array(any, {maxLength: 3})).map(([event, args]) => ({event, args}))},
).chain(item => fc.constantFrom<'received' | 'sent'>('received', 'received', 'received', 'sent').map(direction => ({...item, direction})));

export function envelopes(steps: readonly Step[]): Envelope[] {
	return steps.map(({event, args, direction}, index) => makeEnvelope({seq: index + 1, ts: 1_765_577_818_000 + (index * 250), source: 'replay', direction, event, args}));
}

/**
A gameStateUpdate carrying a gameHistory of any length (up to 10,000 games in
the suite, 200,000 under `npm run fuzz`), its ids mostly distinct, some
hostile, some repeated, each with a seed: what a broken or hostile server can
send four times a second.
*/
export const hugeHistoryFrame: fc.Arbitrary<Step> = fc.tuple(
	unboundedArray((index, seed) => ({
		id: index % 97 === 13 ? `20251212-${(seed % 7).toString(16).padStart(16, '0')}` : `20251212-${(seed + index).toString(16).padStart(16, '0')}`,
		timestamp: 1_765_577_818_000 - (index * 30_000),
		peakMultiplier: 1 + ((index % 50) / 10),
		provablyFair: {serverSeed: `${(seed + index).toString(16).padStart(64, '0')}`, serverSeedHash: '0'.repeat(64)},
	})),
	fc.array(fc.record({id: hostileId, timestamp: fc.oneof(fc.nat(), nastyNumber), provablyFair: fc.oneof(fc.record({serverSeed: hostileId}), any)}, {requiredKeys: []}), {maxLength: 8}),
	fc.constantFrom(...pool),
).map(([history, hostile, gameId]) => ({event: 'gameStateUpdate', args: [{gameId, active: true, tickCount: 1, price: 1, gameHistory: [...hostile, ...history]}], direction: 'received' as const}));

/** One Chrome DevTools `Network.webSocket*` event, as the CDP source receives it. */
type SocketEvent = {method: string; params: unknown};

const gameSocketUrl = (id: string) => `wss://backend.rugs.fun/socket.io/?EIO=4&transport=websocket&n=${id.length}`;

/**
A page that churns through very many WebSockets (up to 2,000 events in the
suite, 50,000 under `npm run fuzz`): sockets announced (the game's or others),
frames on ids announced or never seen (hostile ids among them), closes, errors,
all interleaved with the real game socket "real", which keeps sending events.
*/
export const socketStorm: fc.Arbitrary<SocketEvent[]> = fc.array(fc.oneof(
	{weight: 4, arbitrary: fc.tuple(fc.oneof(fc.nat({max: 200_000}).map(n => `s${n}`), hostileId), fc.boolean()).map(([id, game]): SocketEvent => ({method: 'Network.webSocketCreated', params: {requestId: id, url: game ? gameSocketUrl(id) : 'wss://chat.example/ws'}}))},
	{weight: 4, arbitrary: fc.tuple(fc.oneof(fc.nat({max: 200_000}).map(n => `s${n}`), hostileId), fc.oneof(fc.constantFrom('42["noise",1]', '2', '3', 'garbage', '451-["b",{"_placeholder":true,"num":0}]', '0{"sid":"x","pingInterval":0}'), nastyString)).map(([id, payload]): SocketEvent => ({method: 'Network.webSocketFrameReceived', params: {requestId: id, timestamp: 1, response: {opcode: 1, mask: false, payloadData: payload}}}))},
	{weight: 2, arbitrary: fc.oneof(fc.nat({max: 200_000}).map(n => `s${n}`), hostileId).map((id): SocketEvent => ({method: 'Network.webSocketClosed', params: {requestId: id}}))},
	{weight: 1, arbitrary: fc.oneof(fc.nat({max: 200_000}).map(n => `s${n}`), hostileId).map((id): SocketEvent => ({method: 'Network.webSocketFrameError', params: {requestId: id, errorMessage: 'x'}}))},
	{weight: 3, arbitrary: fc.nat({max: 1_000_000}).map((tick): SocketEvent => ({method: 'Network.webSocketFrameReceived', params: {requestId: 'real', timestamp: 1, response: {opcode: 1, mask: false, payloadData: `42["gameStateUpdate",{"gameId":"20251212-real","tickCount":${tick}}]`}}}))},
	{weight: 1, arbitrary: fc.constant<SocketEvent>({method: 'Network.webSocketCreated', params: {requestId: 'real', url: gameSocketUrl('real')}})},
), {maxLength: size(2000, 50_000)});
