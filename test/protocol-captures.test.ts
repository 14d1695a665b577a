import {readdirSync, readFileSync} from 'node:fs';
import {describe, expect, test} from 'vitest';
import {FrameDecoder} from '../source/protocol/frame-decoder.js';
import type {DecodedPacket} from '../source/protocol/packet.js';
import {envelopeFromPacket} from '../source/protocol/packet-envelope.js';
import {capturePath, capturesDir, hasCaptures} from './helpers/captures.js';

/*
Every file in ../shared/captures through the frame decoder. The captures hold
decoded events, not wire frames (SOURCES.md): each is rebuilt as the wire
carried it, '42' + JSON.stringify([event, ...args]), decoded, and compared
with what went in. The DevTools text file holds frames in JS object notation:
each line that looks like a frame is fed as is.
*/

type Rebuilt = {line: number; event: string; args: unknown[]};

const reserved = new Set(['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener']);

/** The Socket.IO arguments of one decoded-event record, per SOURCES.md. */
function rebuild(record: Record<string, unknown>, line: number): Rebuilt {
	if (typeof record['event'] === 'string') {
		// {seq, ts, event, data}: data is the argument list when it is a list.
		const {data} = record;
		return {line, event: record['event'], args: Array.isArray(data) ? data : [data]};
	}

	if (typeof record['event_type'] === 'string') {
		return {line, event: record['event_type'], args: [record['data']]};
	}

	// The derived tick file: not events, but JSON all the same; its record type stands in for the name.
	return {line, event: String(record['type']), args: [record]};
}

function recordsOf(name: string): Rebuilt[] {
	const text = readFileSync(capturePath(name), 'utf8');
	if (name.endsWith('.jsonl')) {
		return text.split('\n').filter(line => line.trim() !== '').map((line, index) => rebuild(JSON.parse(line) as Record<string, unknown>, index + 1));
	}

	const document = JSON.parse(text) as Record<string, unknown>;
	if ('event' in document || 'event_type' in document) {
		return [rebuild(document, 1)];
	}

	// An object of named samples.
	return Object.values(document).map((sample, index) => rebuild(sample as Record<string, unknown>, index + 1));
}

const captureNames = hasCaptures ? readdirSync(capturesDir).filter(name => name !== 'SOURCES.md').toSorted() : [];
const jsonCaptures = captureNames.filter(name => name.endsWith('.jsonl') || name.endsWith('.json'));
const otherCaptures = captureNames.filter(name => !jsonCaptures.includes(name));

describe.skipIf(!hasCaptures)('decoding every capture', () => {
	test('the captures folder holds JSON captures and at least one text file', () => {
		expect(jsonCaptures.length).toBeGreaterThanOrEqual(5);
		expect(otherCaptures).toContain('devtools-console-frames-2025-08-10.txt');
	});

	test.each(jsonCaptures)('%s: every event name and payload survives the frame round trip', name => {
		const records = recordsOf(name);
		const decoder = new FrameDecoder();
		let expectedErrors = 0;
		for (const {line, event, args} of records) {
			const frame = `42${JSON.stringify([event, ...args])}`;
			const packets = decoder.decodeText(frame);
			expect(packets, `${name}:${line}`).toHaveLength(1);
			const [packet] = packets as [DecodedPacket];
			if (reserved.has(event)) {
				// The recorders' synthetic `connect` line: Socket.IO reserves the name, so as a frame it is an error.
				expectedErrors++;
				expect(packet.kind, `${name}:${line}`).toBe('error');
				continue;
			}

			expect(packet, `${name}:${line}`).toStrictEqual({kind: 'event', ns: '/', event, args});
			const envelope = envelopeFromPacket(packet, {seq: line, ts: 0, source: 'replay', direction: 'received'});
			expect(envelope?.data, `${name}:${line}`).toStrictEqual(args.at(-1) ?? null);
		}

		expect(decoder.frames).toBe(records.length);
		expect(decoder.errors).toBe(expectedErrors);
		expect(decoder.awaitingAttachments).toBe(false);
	});

	test('the public feed capture: 451 events and the synthetic connect line', () => {
		const records = recordsOf('public-feed-socketio-client-2025-12-12.jsonl');
		const counts: Record<string, number> = {};
		for (const {event} of records) {
			counts[event] = (counts[event] ?? 0) + 1;
		}

		expect(counts).toStrictEqual({connect: 1, gameStateUpdate: 411, 'standard/newTrade': 31, newChatMessage: 8, battleEventUpdate: 1});
	});

	test('the DevTools text file: its frames are JS object notation, so each 4x line is a counted error; nothing throws', () => {
		const lines = readFileSync(capturePath('devtools-console-frames-2025-08-10.txt'), 'utf8').split('\n');
		const frames = lines.filter(line => /^\d+\[/.test(line));
		expect(frames).toHaveLength(25);
		const decoder = new FrameDecoder();
		const packets = frames.flatMap(frame => decoder.decodeText(frame));
		const messageFrames = frames.filter(frame => frame.startsWith('4'));
		// `2["standard/newTrade",…]` (a copy with its 4 cut off) is a well-formed Engine.IO ping carrying text.
		expect(frames.filter(frame => !frame.startsWith('4'))).toStrictEqual(['2["standard/newTrade",…]']);
		expect(packets.filter(packet => packet.kind === 'engine')).toStrictEqual([{kind: 'engine', type: 'ping', data: '["standard/newTrade",…]'}]);
		expect(packets.filter(packet => packet.kind === 'error')).toHaveLength(messageFrames.length);
		expect(decoder.errors).toBe(messageFrames.length);
		for (const packet of packets) {
			if (packet.kind === 'error') {
				expect(packet.reason).toMatch(/^invalid JSON: /);
			}
		}

		// And the decoder still works afterwards.
		expect(decoder.decodeText('42146["buyOrder",{"amount":0.001}]')).toStrictEqual([{kind: 'event', ns: '/', event: 'buyOrder', args: [{amount: 0.001}], ackId: 146}]);
	});

	test.each(otherCaptures)('%s: every line fed as a frame, no throw', name => {
		const decoder = new FrameDecoder();
		const lines = readFileSync(capturePath(name), 'utf8').split('\n');
		for (const line of lines) {
			expect(Array.isArray(decoder.decodeText(line))).toBe(true);
		}

		expect(decoder.frames).toBe(lines.length);
	});
});
