/**
What one Engine.IO v4 / Socket.IO v5 frame decodes to, whichever path read it:
the frame decoder (CDP, replays of raw frames) or socket.io-client's own parser
(the direct source). Types only: both paths share them without importing each other.
*/

export type EnginePacketType = 'open' | 'close' | 'ping' | 'pong' | 'upgrade' | 'noop';

export type DecodedPacket =
	| {kind: 'engine'; type: EnginePacketType; data?: unknown}
	| {kind: 'connect'; ns: string; data: unknown}
	| {kind: 'disconnect'; ns: string}
	| {kind: 'connect_error'; ns: string; data: unknown}
	| {kind: 'event'; ns: string; event: string; args: unknown[]; ackId?: number}
	| {kind: 'ack'; ns: string; ackId: number; args: unknown[]}
	| {kind: 'error'; reason: string; sample: string};

/** How binary attachments appear in decoded arguments: JSON-safe, lossless. */
export type BinaryAttachment = {$binary: string};
