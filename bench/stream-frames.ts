import type {WebSocket} from 'ws';

/** Queue at most this much before waiting for the socket: keeps memory flat, the kernel buffer full. */
const highWaterBytes = 8 * 1024 * 1024;

/** The Engine.IO open packet the benchmark feed servers greet a client with (no pings during a run). */
export const benchOpenPacket = `0${JSON.stringify({sid: 'bench', upgrades: [], pingInterval: 600_000, pingTimeout: 600_000, maxPayload: 1_000_000})}`;

/** Send `count` frames, cycling through `frames`, as fast as the socket takes them. */
export function streamFrames(ws: WebSocket, frames: readonly string[], count: number): void {
	let sent = 0;
	const pump = () => {
		while (sent < count && ws.readyState === ws.OPEN) {
			const frame = frames[sent % frames.length]!;
			sent++;
			if (ws.bufferedAmount >= highWaterBytes) {
				ws.send(frame, pump);
				return;
			}

			ws.send(frame);
		}
	};

	pump();
}
