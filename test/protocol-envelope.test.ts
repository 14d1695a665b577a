import fc from 'fast-check';
import {describe, expect, test} from 'vitest';
import {asEnvelope, envelopeArguments, makeEnvelope, splitArguments, type Envelope, type EnvelopeInit} from '../source/protocol/envelope.js';
import {FrameDecoder} from '../source/protocol/frame-decoder.js';
import {envelopeFromPacket, type Stamp} from '../source/protocol/packet-envelope.js';
import {recordFromValue} from '../source/sources/recording-format.js';
import {trace} from './helpers/frames.js';

const stamp: Stamp = {seq: 7, ts: 1_765_577_818_624.285, source: 'direct', direction: 'received'};
const canonicalKeys = ['seq', 'ts', 'source', 'direction', 'event', 'data', 'extra', 'ns', 'ackId'];

describe('the payload is the LAST Socket.IO argument, the others go to extra', () => {
	test.each([
		['no argument', [], {data: null}],
		['one argument', [{price: 1}], {data: {price: 1}}],
		['trace then payload', [trace, {type: 'buy'}], {data: {type: 'buy'}, extra: [trace]}],
		['three arguments', ['a', 'b', {c: 1}], {data: {c: 1}, extra: ['a', 'b']}],
		['a null payload after a trace', [trace, null], {data: null, extra: [trace]}],
	])('%s', (_name, args, expected) => {
		expect(splitArguments(args)).toStrictEqual(expected);
	});

	test('a two-argument trade frame: the envelope holds the trade, not the trace', () => {
		const decoder = new FrameDecoder();
		const [packet] = decoder.decodeText(`42["standard/newTrade",${JSON.stringify(trace)},{"type":"sell","qty":3}]`);
		const envelope = envelopeFromPacket(packet!, stamp);
		expect(envelope).toStrictEqual({...stamp, event: 'standard/newTrade', data: {type: 'sell', qty: 3}, extra: [trace]});
	});

	test('a trace-only first argument as the lossy CDP recorder kept it: payload unavailable, trace kept in extra', () => {
		const parsed = recordFromValue({seq: 170, ts: '2025-12-15T05:39:29.248702+00:00', event: 'standard/newTrade', data: trace, source: 'cdp_intercept', direction: 'received'}, 1);
		expect(parsed).toStrictEqual({
			ok: true,
			envelope: {seq: 170, ts: Date.UTC(2025, 11, 15, 5, 39, 29) + 248.702, source: 'cdp', direction: 'received', event: 'standard/newTrade', data: null, extra: [trace]},
		});
	});

	test('envelopeArguments gives back every argument in order', () => {
		fc.assert(fc.property(fc.array(fc.jsonValue(), {minLength: 1, maxLength: 5}), args => {
			const envelope = makeEnvelope({...stamp, event: 'x', args});
			expect(envelopeArguments(envelope)).toStrictEqual(args);
		}));
	});
});

describe('makeEnvelope', () => {
	test('keys always in the same order, optional ones only when present', () => {
		const full = makeEnvelope({ackId: 0, ns: '/chat', args: [trace, 1], event: 'e', direction: 'sent', source: 'cdp', ts: 2, seq: 1});
		expect(Object.keys(full)).toStrictEqual(canonicalKeys);
		expect(JSON.stringify(full)).toBe(`{"seq":1,"ts":2,"source":"cdp","direction":"sent","event":"e","data":1,"extra":[${JSON.stringify(trace)}],"ns":"/chat","ackId":0}`);
		const plain = makeEnvelope({...stamp, event: 'gameStateUpdate', args: [{tickCount: 1}], ns: '/'});
		expect(Object.keys(plain)).toStrictEqual(['seq', 'ts', 'source', 'direction', 'event', 'data']);
	});

	test('an undefined argument is recorded as null, so the line still has its data and replays', () => {
		const envelope = makeEnvelope({...stamp, event: 'x', args: [undefined]});
		expect(envelope.data).toBeNull();
		const line = JSON.stringify(envelope);
		expect(asEnvelope(JSON.parse(line))).toStrictEqual(envelope);
	});
});

describe('asEnvelope', () => {
	test('reads an envelope back with the canonical key order, whatever order the line had', () => {
		const line = '{"ackId":5,"ns":"/x","extra":[1],"data":{"a":1},"event":"e","direction":"received","source":"replay","ts":3.5,"seq":2}';
		const envelope = asEnvelope(JSON.parse(line));
		expect(Object.keys(envelope!)).toStrictEqual(canonicalKeys);
		expect(envelope).toStrictEqual({seq: 2, ts: 3.5, source: 'replay', direction: 'received', event: 'e', data: {a: 1}, extra: [1], ns: '/x', ackId: 5});
	});

	test.each([
		['null', null],
		['an array', [1]],
		['a string', 'x'],
		['no data key', {seq: 1, ts: 1, source: 'replay', direction: 'received', event: 'e'}],
		['unknown source', {seq: 1, ts: 1, source: 'cdp_intercept', direction: 'received', event: 'e', data: null}],
		['unknown direction', {seq: 1, ts: 1, source: 'replay', direction: 'both', event: 'e', data: null}],
		['ts as text', {seq: 1, ts: '2025-12-12T17:16:58', source: 'replay', direction: 'received', event: 'e', data: null}],
		['seq as text', {seq: '1', ts: 1, source: 'replay', direction: 'received', event: 'e', data: null}],
		['event not a string', {seq: 1, ts: 1, source: 'replay', direction: 'received', event: 5, data: null}],
		['a Python recorder line', {seq: 1, ts: '2025-12-12T17:16:58.624285', event: 'connect', data: null}],
	])('is not an envelope: %s', (_name, value) => {
		expect(asEnvelope(value)).toBeUndefined();
	});

	test('serialise → parse → asEnvelope → serialise gives the same bytes (property)', () => {
		const init: fc.Arbitrary<EnvelopeInit> = fc.record({
			seq: fc.nat(),
			ts: fc.double({min: 0, max: 4e12, noNaN: true}),
			source: fc.constantFrom('direct', 'cdp', 'replay', 'demo'),
			direction: fc.constantFrom('received', 'sent'),
			event: fc.string(),
			args: fc.array(fc.jsonValue(), {maxLength: 4}),
			ns: fc.option(fc.constantFrom('/', '/chat'), {nil: undefined}),
			ackId: fc.option(fc.nat(), {nil: undefined}),
		}, {requiredKeys: ['seq', 'ts', 'source', 'direction', 'event', 'args']});
		fc.assert(fc.property(init, value => {
			const line = JSON.stringify(makeEnvelope(value));
			const back = asEnvelope(JSON.parse(line));
			expect(back).toBeDefined();
			expect(JSON.stringify(back)).toBe(line);
		}), {numRuns: 500});
	});
});

describe('envelopeFromPacket', () => {
	const decode = (frame: string) => new FrameDecoder().decodeText(frame)[0]!;

	test.each<[string, Partial<Envelope> | undefined]>([
		['42/chat,12["newChatMessage",{"message":"gm"}]', {event: 'newChatMessage', data: {message: 'gm'}, ns: '/chat', ackId: 12}],
		['43146[{"success":true}]', {event: 'ack', data: {success: true}, ackId: 146}],
		['40{"sid":"abc"}', {event: 'connect', data: {sid: 'abc'}}],
		['40', {event: 'connect', data: null}],
		['41/admin,', {event: 'disconnect', data: null, ns: '/admin'}],
		['44{"message":"Not authorized"}', {event: 'connect_error', data: {message: 'Not authorized'}}],
		['2', undefined],
		['0{"sid":"x"}', undefined],
		['42{', undefined],
	])('%s', (frame, expected) => {
		const envelope = envelopeFromPacket(decode(frame), stamp);
		expect(envelope).toStrictEqual(expected === undefined ? undefined : {...stamp, ...expected});
	});
});
