import {makeEnvelope, type Direction, type Envelope, type SourceKind} from './envelope.js';
import type {DecodedPacket} from './frame-decoder.js';

export type Stamp = {seq: number; ts: number; source: SourceKind; direction: Direction};

/**
The envelope for a decoded Socket.IO packet, or undefined for transport-level
packets (Engine.IO open/ping/pong/…) and decode errors, which are not events.
Acknowledgements become event `ack` with their `ackId`; connect, disconnect and
connect_error keep their reserved Socket.IO names.
*/
export function envelopeFromPacket(packet: DecodedPacket, stamp: Stamp): Envelope | undefined {
	switch (packet.kind) {
		case 'event': {
			return makeEnvelope({...stamp, event: packet.event, args: packet.args, ns: packet.ns, ackId: packet.ackId});
		}

		case 'ack': {
			return makeEnvelope({...stamp, event: 'ack', args: packet.args, ns: packet.ns, ackId: packet.ackId});
		}

		case 'connect':
		case 'connect_error': {
			return makeEnvelope({...stamp, event: packet.kind, args: [packet.data], ns: packet.ns});
		}

		case 'disconnect': {
			return makeEnvelope({...stamp, event: 'disconnect', args: [], ns: packet.ns});
		}

		default: {
			return undefined;
		}
	}
}
