/**
Words for why a socket.io-client connection failed or ended, from the reasons
and error objects the library hands out (read from socket.io-client 4.8 /
engine.io-client 6.6). Pure, so every case can be checked without a socket.
*/

/** What kind of failure it was: bad input from the server is counted as a decode problem. */
export type FailureKind = 'network' | 'server' | 'malformed' | 'timeout';

export type Failure = {kind: FailureKind; text: string};

type Loose = Record<string, unknown>;

function asLoose(value: unknown): Loose | undefined {
	return typeof value === 'object' && value !== null ? value as Loose : undefined;
}

/**
The most specific message inside an error as the library nests it: a
TransportError wraps a ws ErrorEvent, which wraps the Node error
(`connect ECONNREFUSED 127.0.0.1:9`, `Unexpected server response: 403`).
*/
export function innermostMessage(error: unknown, depth = 0): string | undefined {
	const record = asLoose(error);
	if (record === undefined || depth > 4) {
		return typeof error === 'string' && error !== '' ? error : undefined;
	}

	for (const key of ['error', 'description']) {
		const inner = innermostMessage(record[key], depth + 1);
		if (inner !== undefined) {
			return inner;
		}
	}

	const {message} = record;
	return typeof message === 'string' && message !== '' ? message : undefined;
}

/** The WebSocket close code carried by a `transport close`, when there is one. */
function closeCode(description: unknown): number | undefined {
	const code = asLoose(asLoose(description)?.['context'])?.['code'];
	return typeof code === 'number' ? code : undefined;
}

/** An Engine.IO packet the parser did not recognise surfaces as this error code. */
function isEngineParserError(description: unknown): boolean {
	return asLoose(description)?.['code'] === 'parser error';
}

/** A `disconnect` event of an established connection: `(reason, description)`. */
export function describeDisconnect(reason: string, description?: unknown): Failure {
	switch (reason) {
		case 'io server disconnect': {
			return {kind: 'server', text: 'the server ended the session (io server disconnect)'};
		}

		case 'ping timeout': {
			return {kind: 'timeout', text: 'no heartbeat from the server in time (ping timeout)'};
		}

		case 'transport close': {
			const code = closeCode(description);
			return {kind: 'network', text: `connection closed by the server or the network (transport close${code === undefined ? '' : `, code ${code}`})`};
		}

		case 'parse error': {
			const detail = innermostMessage(description);
			return {kind: 'malformed', text: `malformed Socket.IO packet${detail === undefined ? '' : ` (${detail})`}`};
		}

		case 'transport error': {
			if (isEngineParserError(description)) {
				return {kind: 'malformed', text: 'malformed Engine.IO packet'};
			}

			return {kind: 'network', text: `connection error: ${innermostMessage(description) ?? 'transport error'}`};
		}

		default: {
			return {kind: 'network', text: reason};
		}
	}
}

/** A `connect_error` event: the connection could not be established. */
export function describeConnectError(error: unknown): Failure {
	const record = asLoose(error);
	const message = innermostMessage(error) ?? 'unknown error';
	if (isEngineParserError(error)) {
		// Garbage can arrive before the Socket.IO connect reply is handled.
		return {kind: 'malformed', text: 'malformed Engine.IO packet'};
	}

	if (record?.['message'] === 'timeout') {
		return {kind: 'timeout', text: 'no handshake from the server in time (timeout)'};
	}

	// A CONNECT_ERROR packet from the server (a middleware refusing us) has no
	// transport description; engine-level failures all carry one.
	if (record !== undefined && !('description' in record) && !('type' in record)) {
		return {kind: 'server', text: `the server refused the connection: ${message}`};
	}

	return {kind: 'network', text: message};
}
