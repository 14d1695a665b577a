import {envelopeArguments, type Envelope} from '../protocol/envelope.js';

/**
The Socket.IO text frame that carries an envelope on the wire (Engine.IO
message `4` + Socket.IO packet): `42["event",…args]` for an event, with its
namespace (`42/ns,…`) and ack id (`42146[…]`) when it has them, and
`43<id>[…]` for an acknowledgement. `JSON.stringify` escapes every control
character, so a frame is always one line.
*/
export function wireFrame(envelope: Envelope): string {
	const namespace = envelope.ns === undefined || envelope.ns === '/' ? '' : `${envelope.ns},`;
	const ackId = envelope.ackId === undefined ? '' : String(envelope.ackId);
	const args = envelopeArguments(envelope);
	if (envelope.event === 'ack' && envelope.ackId !== undefined) {
		return `43${namespace}${ackId}${JSON.stringify(args)}`;
	}

	return `42${namespace}${ackId}${JSON.stringify([envelope.event, ...args])}`;
}
