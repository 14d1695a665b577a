import type {DecodedPacket} from '../../source/protocol/packet.js';

/*
Text frames of every form of the Engine.IO v4 / Socket.IO v5 protocol, each with
the exact packet the decoder must give: shared by the decoder's own tests and
the cross-check against engine.io-parser / socket.io-parser.
*/

export const trace = {__trace: true, traceparent: '00-404aa397dc04ff55a3556e7ef7312710-bd35562b36cf5585-01'};
const handshake = {sid: 'lv_VI97HAXpY6yYWAAAC', upgrades: [], pingInterval: 25_000, pingTimeout: 20_000, maxPayload: 1_000_000};

/** Every frame form of the Engine.IO v4 / Socket.IO v5 text protocol, with the exact packet it must give. */
export const validFrames: Array<[string, DecodedPacket]> = [
	[`0${JSON.stringify(handshake)}`, {kind: 'engine', type: 'open', data: handshake}],
	['1', {kind: 'engine', type: 'close'}],
	['2', {kind: 'engine', type: 'ping'}],
	['3', {kind: 'engine', type: 'pong'}],
	['2probe', {kind: 'engine', type: 'ping', data: 'probe'}],
	['3probe', {kind: 'engine', type: 'pong', data: 'probe'}],
	['5', {kind: 'engine', type: 'upgrade'}],
	['6', {kind: 'engine', type: 'noop'}],
	['40', {kind: 'connect', ns: '/', data: null}],
	['40{"sid":"wZX3oN0bSVIhsaknAAAI"}', {kind: 'connect', ns: '/', data: {sid: 'wZX3oN0bSVIhsaknAAAI'}}],
	['40/admin,', {kind: 'connect', ns: '/admin', data: null}],
	['40/admin', {kind: 'connect', ns: '/admin', data: null}],
	['40/admin,{"sid":"oSO0OpakMV_3jnilAAAA"}', {kind: 'connect', ns: '/admin', data: {sid: 'oSO0OpakMV_3jnilAAAA'}}],
	['41', {kind: 'disconnect', ns: '/'}],
	['41/admin,', {kind: 'disconnect', ns: '/admin'}],
	[
		'42["gameStateUpdate",{"gameId":"20251212-6114b2ff44ef4b71","active":true,"price":1.02,"tickCount":3}]',
		{kind: 'event', ns: '/', event: 'gameStateUpdate', args: [{gameId: '20251212-6114b2ff44ef4b71', active: true, price: 1.02, tickCount: 3}]},
	],
	[
		`42["standard/newTrade",${JSON.stringify(trace)},{"type":"buy","qty":12.5}]`,
		{kind: 'event', ns: '/', event: 'standard/newTrade', args: [trace, {type: 'buy', qty: 12.5}]},
	],
	['42["noArguments"]', {kind: 'event', ns: '/', event: 'noArguments', args: []}],
	['42[7,"numeric name"]', {kind: 'event', ns: '/', event: '7', args: ['numeric name']}],
	['42/chat,["newChatMessage",{"message":"gm"}]', {kind: 'event', ns: '/chat', event: 'newChatMessage', args: [{message: 'gm'}]}],
	['42146["buyOrder",{"amount":0.001}]', {kind: 'event', ns: '/', event: 'buyOrder', args: [{amount: 0.001}], ackId: 146}],
	['42/chat,7["ping"]', {kind: 'event', ns: '/chat', event: 'ping', args: [], ackId: 7}],
	['43146[{"success":true}]', {kind: 'ack', ns: '/', ackId: 146, args: [{success: true}]}],
	['430[]', {kind: 'ack', ns: '/', ackId: 0, args: []}],
	['43/chat,5["a",1]', {kind: 'ack', ns: '/chat', ackId: 5, args: ['a', 1]}],
	['44{"message":"Not authorized"}', {kind: 'connect_error', ns: '/', data: {message: 'Not authorized'}}],
	['44/admin,{"message":"Not authorized","data":{"code":3}}', {kind: 'connect_error', ns: '/admin', data: {message: 'Not authorized', data: {code: 3}}}],
	['44"Invalid namespace"', {kind: 'connect_error', ns: '/', data: 'Invalid namespace'}],
];
