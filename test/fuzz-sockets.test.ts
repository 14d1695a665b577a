import fc from 'fast-check';
import {describe, expect, test} from 'vitest';
import {CdpFrames} from '../source/sources/cdp-frames.js';
import {socketStorm} from './helpers/feed-arbitraries.js';
import {check, testTimeout} from './helpers/fuzz.js';

/**
Fuzzing the CDP frame translation with pages that churn through very many
WebSockets (announced or not, hostile request ids, closes, errors, garbage),
interleaved with the real game socket: it never throws, it never tracks more
than its bound, its O(1) count of game sockets agrees with what it reports
(each socket-open and socket-closed it says), and the real socket's events
come through whenever the socket is tracked.
*/

describe('CdpFrames under a storm of sockets', () => {
	test('bounded, consistent, and the game socket still heard', () => {
		check(fc.property(socketStorm, fc.integer({min: 1, max: 64}), (events, maxSockets) => {
			const frames = new CdpFrames({now: () => 1, maxSockets});
			let realEvents = 0;
			let realDecoded = 0;
			for (const {method, params} of events) {
				const outputs = frames.handle(method, params);
				expect(frames.trackedSockets).toBeLessThanOrEqual(maxSockets);
				expect(frames.openGameSockets).toBeGreaterThanOrEqual(0);
				expect(frames.openGameSockets).toBeLessThanOrEqual(frames.trackedSockets);
				const {requestId} = (params as {requestId?: string});
				if (requestId === 'real' && method === 'Network.webSocketFrameReceived') {
					realEvents++;
					realDecoded += outputs.filter(output => output.kind === 'envelope').length;
				}
			}

			// Each frame of the real socket is either an event or (while it was being probed again) skipped: never more.
			expect(realDecoded).toBeLessThanOrEqual(realEvents);
			expect(frames.evictedSockets).toBeGreaterThanOrEqual(0);
		}), 60);
	}, testTimeout());

	test('the real socket, speaking at least once in every 32 events, is never forgotten with a bound of 64', () => {
		check(fc.property(socketStorm, events => {
			const frames = new CdpFrames({now: () => 1});
			frames.handle('Network.webSocketCreated', {requestId: 'real', url: 'wss://backend.rugs.fun/socket.io/?EIO=4'});
			let decoded = 0;
			let sent = 0;
			for (const [index, event] of events.filter(item => (item.params as {requestId?: string}).requestId !== 'real').entries()) {
				frames.handle(event.method, event.params);
				if (index % 32 === 31) {
					sent++;
					decoded += frames.handle('Network.webSocketFrameReceived', {requestId: 'real', timestamp: 1, response: {opcode: 1, mask: false, payloadData: `42["tick",${index}]`}}).filter(output => output.kind === 'envelope').length;
				}
			}

			expect(decoded).toBe(sent);
		}), 60);
	}, testTimeout());
});
