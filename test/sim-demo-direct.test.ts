import {expect, test} from 'vitest';
import {createAppBus} from '../source/bus/app-bus.js';
import type {Envelope} from '../source/protocol/envelope.js';
import {createDirectSource} from '../source/sources/direct.js';
import {startDemoServer} from '../source/sources/demo-server.js';
import {createState, reduce} from '../source/state/reducer.js';
import {waitFor as waitUntil} from './helpers/wait.js';

/** Wait for a condition, polling; fails with `what` after `timeout` ms. */
/** The shared helper, with this file's timeout and its words for what is awaited. */
async function waitFor(what: string, condition: () => boolean, timeoutMs = 30_000): Promise<void> {
	await waitUntil(() => condition() || undefined, {timeoutMs, what});
}

// What `--demo` will be: the direct source, labelled 'demo', reading the embedded server.
test('the direct source reads the demo server: events labelled demo, two-argument payloads in data, a state that plays', async () => {
	const server = await startDemoServer({seed: 'direct', speed: 10});
	const bus = createAppBus();
	const envelopes: Envelope[] = [];
	bus.subscribe('envelope', envelope => {
		envelopes.push(envelope);
	});
	const source = createDirectSource(bus, {url: server.url, kind: 'demo', maxReconnects: 0});
	try {
		source.start();
		await waitFor('a trade and 40 frames', () => envelopes.some(envelope => envelope.event === 'standard/newTrade') && envelopes.filter(envelope => envelope.event === 'gameStateUpdate').length >= 40);
	} finally {
		await source.stop();
		await server.close();
	}

	expect(envelopes.every(envelope => envelope.source === 'demo' && envelope.direction === 'received')).toBe(true);
	const trade = envelopes.find(envelope => envelope.event === 'standard/newTrade')!;
	expect(trade.extra).toEqual([expect.objectContaining({__trace: true})]);
	expect(trade.data).toMatchObject({coin: 'solana', gameId: expect.stringMatching(/^\d{8}-[\da-f]{16}$/) as string});
	let state = createState();
	for (const envelope of envelopes) {
		state = reduce(state, envelope);
	}

	expect(state.stats).toMatchObject({internalErrors: 0, fieldErrors: 0, unknownEvents: 0});
	expect(state.game?.tick).toBeGreaterThan(0);
	expect(state.trades.length).toBeGreaterThan(0);
}, 60_000);
