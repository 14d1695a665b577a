import {NodeWebSocket} from 'socket.io-client';

/** What the direct source learns from the transport, below socket.io-client. */
type TransportTap = {
	/** The WebSocket is open. */
	opened(controls: SocketControls): void;
	/** The WebSocket has closed (for whatever reason). */
	closed(): void;
	/** Every frame as received, before any decoding (string for text, Buffer for binary). */
	frame(data: unknown): void;
	/**
	Whether the frame may go on to the client library's parser: true to decode
	it, a string to decode in its place (a handshake with its heartbeat made to
	fit a timer), false to drop it (the tap has reported it), or an Error to
	fail the connection as malformed. Called after `frame`, before any parsing.
	*/
	admit(data: unknown): boolean | string | Error;
	/** A WebSocket pong arrived. */
	pong(): void;
	/** The WebSocket failed: refused, reset, or a frame over the size limit (code WS_ERR_UNSUPPORTED_MESSAGE_LENGTH). */
	socketError(error: Error & {code?: string}): void;
	/** The client library threw on a frame; the connection is being closed. */
	malformed(error: unknown): void;
};

export type SocketControls = {
	/** Send a WebSocket-level ping; the peer's pong arrives through `pong`. */
	ping(): void;
	/** Drop the connection at once, without waiting for a close handshake. */
	terminate(): void;
};

type WsLike = {
	ping(): void;
	terminate(): void;
	on(event: 'pong' | 'close', listener: () => void): void;
	on(event: 'error', listener: (error: Error & {code?: string}) => void): void;
};

/**
socket.io-client's Node WebSocket transport with four additions, all needed
for a monitor that must not trust the server:

- a size limit (`ws` maxPayload): `ws` refuses a larger frame before buffering it
  and closes the connection (code 1009), so a hostile frame cannot exhaust memory;
- a guard: engine.io-client runs `JSON.parse` on an Engine.IO open packet
  without a try, and a second open packet mid-stream dereferences fields that
  are not there — either throws out of the WebSocket's message handler and
  would crash the whole process. Here any throw becomes a transport error, so
  the connection is closed and reconnected like any other parse error;
- taps for frames, pongs and socket errors, for counting and for measuring the
  round trip (see `DirectSource` for why WebSocket pings);
- a gate (`admit`) before the client library's JSON.parse, where the direct
  source rejects frames that nest too deep (../protocol/json-bounds.ts).
*/
export function tappedWebSocket(tap: TransportTap, maxFrameBytes: number): typeof NodeWebSocket {
	return class TappedWebSocket extends NodeWebSocket {
		override createSocket(uri: string, protocols: string | string[] | undefined, options: Record<string, any>): any {
			const ws = super.createSocket(uri, protocols, {...options, maxPayload: maxFrameBytes}) as WsLike;
			ws.on('error', error => {
				tap.socketError(error);
			});
			ws.on('pong', () => {
				tap.pong();
			});
			ws.on('close', () => {
				tap.closed();
			});
			return ws;
		}

		protected override onOpen(): void {
			super.onOpen();
			// Keep the ws object itself: engine.io-client sets `this.ws` to null on close.
			const ws = this.ws as WsLike;
			tap.opened({
				ping() {
					try {
						ws.ping();
					} catch {
						// Closing already: the close is reported on its own.
					}
				},
				terminate() {
					ws.terminate();
				},
			});
		}

		protected override onData(data: unknown): void {
			tap.frame(data);
			const admitted = tap.admit(data);
			if (admitted instanceof Error) {
				tap.malformed(admitted);
				this.onError('malformed packet', admitted);
				return;
			}

			if (admitted === false) {
				return;
			}

			try {
				super.onData(typeof admitted === 'string' ? admitted : data);
			} catch (error) {
				tap.malformed(error);
				this.onError('malformed packet', error);
			}
		}
	};
}
