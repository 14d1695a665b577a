import {makeEnvelope, type Direction, type Envelope, type SourceKind} from './envelope.js';
import type {DecodedPacket} from './packet.js';

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
			return envelopeOf(stamp, packet.event, packet.args, packet.ns, packet.ackId);
		}

		case 'ack': {
			return envelopeOf(stamp, 'ack', packet.args, packet.ns, packet.ackId);
		}

		case 'connect':
		case 'connect_error': {
			return envelopeOf(stamp, packet.kind, [packet.data], packet.ns, undefined);
		}

		case 'disconnect': {
			return envelopeOf(stamp, 'disconnect', [], packet.ns, undefined);
		}

		case 'engine':
		case 'error': {
			return undefined;
		}
	}
}

/**
Every field named, not `{...stamp, …}`: V8 builds that spread on a slow path
that cost more than decoding a typical frame (about 10 µs an event, measured
in the day-in-a-minute benchmark), and this runs for every event of the feed.
*/
function envelopeOf(stamp: Stamp, event: string, args: readonly unknown[], ns: string, ackId: number | undefined): Envelope {
	return makeEnvelope({seq: stamp.seq, ts: stamp.ts, source: stamp.source, direction: stamp.direction, event, args, ns, ackId});
}
