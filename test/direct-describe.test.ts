import {Decoder} from 'socket.io-parser';
import {describe, expect, it} from 'vitest';
import {FrameDecoder} from '../source/protocol/frame-decoder.js';
import {describeConnectError, describeDisconnect, innermostMessage} from '../source/sources/disconnect-reason.js';
import {decodedFromSocketPacket} from '../source/sources/socket-packet.js';

/** The error shapes socket.io-client 4.8 / engine.io-client 6.6 hand out (read from their source). */
function transportError(reason: string, inner: Error) {
	return Object.assign(new Error(reason), {type: 'TransportError', description: {error: inner, message: inner.message}});
}

function parserError() {
	return Object.assign(new Error('server error'), {code: 'parser error'});
}

describe('describeDisconnect', () => {
	it('names each socket.io-client disconnect reason in words', () => {
		expect(describeDisconnect('io server disconnect')).toEqual({kind: 'server', text: 'the server ended the session (io server disconnect)'});
		expect(describeDisconnect('ping timeout')).toEqual({kind: 'timeout', text: 'no heartbeat from the server in time (ping timeout)'});
		expect(describeDisconnect('transport close', {description: 'websocket connection closed', context: {code: 1006}}))
			.toEqual({kind: 'network', text: 'connection closed by the server or the network (transport close, code 1006)'});
		expect(describeDisconnect('transport close')).toEqual({kind: 'network', text: 'connection closed by the server or the network (transport close)'});
	});

	it('recognises bad input from the server', () => {
		expect(describeDisconnect('parse error', new Error('invalid payload'))).toEqual({kind: 'malformed', text: 'malformed Socket.IO packet (invalid payload)'});
		expect(describeDisconnect('parse error')).toEqual({kind: 'malformed', text: 'malformed Socket.IO packet'});
		expect(describeDisconnect('transport error', parserError())).toEqual({kind: 'malformed', text: 'malformed Engine.IO packet'});
	});

	it('digs the useful message out of a nested transport error', () => {
		expect(describeDisconnect('transport error', transportError('websocket error', new Error('read ECONNRESET'))))
			.toEqual({kind: 'network', text: 'connection error: read ECONNRESET'});
		expect(describeDisconnect('transport error')).toEqual({kind: 'network', text: 'connection error: transport error'});
	});

	it('passes a reason it does not know through as it is', () => {
		expect(describeDisconnect('some future reason')).toEqual({kind: 'network', text: 'some future reason'});
	});
});

describe('describeConnectError', () => {
	it('tells a refusing server from an unreachable one and from a timeout', () => {
		expect(describeConnectError(transportError('websocket error', new Error('connect ECONNREFUSED 127.0.0.1:9'))))
			.toEqual({kind: 'network', text: 'connect ECONNREFUSED 127.0.0.1:9'});
		expect(describeConnectError(transportError('websocket error', new Error('Unexpected server response: 403'))))
			.toEqual({kind: 'network', text: 'Unexpected server response: 403'});
		// A CONNECT_ERROR packet: a server middleware said no.
		expect(describeConnectError(Object.assign(new Error('not authorized'), {data: {retry: false}})))
			.toEqual({kind: 'server', text: 'the server refused the connection: not authorized'});
		expect(describeConnectError(new Error('timeout'))).toEqual({kind: 'timeout', text: 'no handshake from the server in time (timeout)'});
		expect(describeConnectError(parserError())).toEqual({kind: 'malformed', text: 'malformed Engine.IO packet'});
	});

	it('copes with things that are not errors', () => {
		expect(describeConnectError(undefined)).toEqual({kind: 'network', text: 'unknown error'});
		expect(describeConnectError('just text')).toEqual({kind: 'network', text: 'just text'});
		expect(innermostMessage({message: ''})).toBeUndefined();
		const cyclic: Record<string, unknown> = {message: 'outer'};
		cyclic['error'] = cyclic;
		expect(innermostMessage(cyclic)).toBe('outer');
	});
});

describe('decodedFromSocketPacket', () => {
	it('gives, for socket.io-parser\'s packets, what the frame decoder gives for the same frames', () => {
		const frames = [
			'40{"sid":"abc"}',
			'41',
			'44{"message":"not authorized"}',
			'42["gameStateUpdate",{"gameId":"g","price":1.5}]',
			'42["standard/newTrade",{"__trace":true},{"id":"t1"}]',
			'42["noArguments"]',
			'42146["buyOrder",{"amount":0.001}]',
			'43146[{"success":true}]',
			'42/admin,7[5,"x"]',
		];
		for (const frame of frames) {
			const fromParser: unknown[] = [];
			const parser = new Decoder();
			parser.on('decoded', (packet: unknown) => {
				fromParser.push(packet);
			});
			parser.add(frame.slice(1));
			expect(fromParser, frame).toHaveLength(1);
			const ours = decodedFromSocketPacket(fromParser[0] as Parameters<typeof decodedFromSocketPacket>[0], false);
			expect(ours, frame).toEqual(new FrameDecoder().decodeText(frame)[0]);
		}
	});

	it('maps each packet type', () => {
		expect(decodedFromSocketPacket({type: 0, nsp: '/', data: {sid: 'abc'}}, false)).toEqual({kind: 'connect', ns: '/', data: {sid: 'abc'}});
		expect(decodedFromSocketPacket({type: 1, nsp: '/'}, false)).toEqual({kind: 'disconnect', ns: '/'});
		expect(decodedFromSocketPacket({type: 4, nsp: '/', data: {message: 'no'}}, false)).toEqual({kind: 'connect_error', ns: '/', data: {message: 'no'}});
		expect(decodedFromSocketPacket({type: 2, nsp: '/', data: ['standard/newTrade', {t: 1}, {p: 2}]}, false))
			.toEqual({kind: 'event', ns: '/', event: 'standard/newTrade', args: [{t: 1}, {p: 2}]});
		expect(decodedFromSocketPacket({type: 2, nsp: '/admin', id: 7, data: [5, 'x']}, false))
			.toEqual({kind: 'event', ns: '/admin', event: '5', args: ['x'], ackId: 7});
		expect(decodedFromSocketPacket({type: 3, nsp: '/', id: 146, data: [{success: true}]}, false)).toEqual({kind: 'ack', ns: '/', ackId: 146, args: [{success: true}]});
	});

	it('turns binary parts into base64, only when asked', () => {
		const body = Buffer.from([0, 255, 7]);
		expect(decodedFromSocketPacket({type: 2, nsp: '/', data: ['bin', {body, list: [new Uint8Array([1, 2]).buffer]}]}, true))
			.toEqual({kind: 'event', ns: '/', event: 'bin', args: [{body: {$binary: 'AP8H'}, list: [{$binary: 'AQI='}]}]});
		const untouched = decodedFromSocketPacket({type: 2, nsp: '/', data: ['bin', {body}]}, false);
		expect(untouched?.kind === 'event' && (untouched.args[0] as {body: unknown}).body).toBe(body);
	});

	it('yields nothing for packets it cannot place', () => {
		expect(decodedFromSocketPacket({type: 2, nsp: '/', data: []}, false)).toBeUndefined();
		expect(decodedFromSocketPacket({type: 3, nsp: '/', data: []}, false)).toBeUndefined();
		expect(decodedFromSocketPacket({type: 9, nsp: '/'}, false)).toBeUndefined();
	});
});
