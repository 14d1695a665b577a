import type {Socket as NetSocket} from 'node:net';
import type {Socket as ServerSocket} from 'socket.io';
import {describe, expect, it} from 'vitest';
import {asEnvelope, envelopeArguments} from '../source/protocol/envelope.js';
import {createDirectSource} from '../source/sources/direct.js';
import {recordBus} from './helpers/bus-recorder.js';
import {startCli, stopCli} from './helpers/cli.js';
import {quickRetries, setUpDirectLab} from './helpers/direct-lab.js';
import type {TestServer} from './helpers/socket-server.js';
import {waitFor} from './helpers/wait.js';

/**
Fault injection: the server dies in the middle of a frame. A real Socket.IO
server on 127.0.0.1 writes the header of a WebSocket frame and half its
payload straight onto the TCP socket, then the connection is destroyed (and,
in one case, the whole server killed and started again on the same port). The
monitor must drop the half frame — no event, no garbage — say the connection
was lost, reconnect and resume, with nothing lost or duplicated of what was
complete.
*/

const {defer, serve: serveOptions} = setUpDirectLab();

function tcpOf(socket: ServerSocket): NetSocket {
	const {transport} = (socket.conn as unknown as {transport: {socket: {_socket: NetSocket}}});
	return transport.socket._socket;
}

/**
Write the start of an unmasked WebSocket text frame that announces `length`
bytes of payload, then only `sent` of them, then cut the TCP connection.
*/
function dieMidFrame(socket: ServerSocket, payload: string, sent: number): void {
	const body = Buffer.from(payload);
	// FIN + text opcode, then a 16-bit (126) or 64-bit (127) extended payload length.
	const short = body.length < 65_536;
	const header = Buffer.alloc(short ? 4 : 10);
	header[0] = 0x81;
	header[1] = short ? 126 : 127;
	if (short) {
		header.writeUInt16BE(body.length, 2);
	} else {
		header.writeBigUInt64BE(BigInt(body.length), 2);
	}

	const tcp = tcpOf(socket);
	tcp.write(Buffer.concat([header, body.subarray(0, sent)]), () => {
		tcp.destroy();
	});
}

async function serve(port?: number): Promise<TestServer> {
	return serveOptions({port});
}

const half = `42${JSON.stringify(['gameStateUpdate', {gameId: 'torn', leaderboard: Array.from({length: 500}, (_, index) => ({id: `p${index}`, pnl: index}))}])}`;

describe('the server dies mid-frame', () => {
	it('the half frame is dropped without an event or a decode error; the source reconnects to the same server and resumes', async () => {
		const server = await serve();
		const recorder = recordBus();
		const source = createDirectSource(recorder.bus, {url: server.url, ...quickRetries});
		defer(async () => source.stop());
		source.start();
		const first = await server.connection(1);
		first.emit('before', 1);
		await recorder.until('the event before the fault', () => recorder.events().length === 1);
		dieMidFrame(first, half, Math.floor(half.length / 2));
		const second = await server.connection(2);
		second.emit('after', 2);
		await recorder.until('the event after reconnecting', () => recorder.events().length === 2);

		expect(recorder.events().map(envelope => [envelope.event, envelope.data])).toEqual([['before', 1], ['after', 2]]);
		expect(recorder.envelopes.map(envelope => envelope.seq)).toEqual(recorder.envelopes.map((_, index) => index + 1));
		expect(recorder.problems.map(problem => problem.kind)).toEqual(['source']);
		expect(recorder.problems[0]!.message).toMatch(/connection to .* lost: .*; reconnecting/);
		expect(recorder.statuses.some(status => status.state === 'disconnected')).toBe(true);
		expect(recorder.statuses.at(-1)).toMatchObject({state: 'connected', reconnects: 1});
		expect(source.stats()).toMatchObject({reconnects: 1, connected: true});
	});

	it('the server dies mid-frame and stays down while retries fail, then comes back on the same port: the source resumes', async () => {
		const server = await serve();
		const recorder = recordBus();
		const source = createDirectSource(recorder.bus, {url: server.url, ...quickRetries});
		defer(async () => source.stop());
		source.start();
		const first = await server.connection(1);
		for (let index = 0; index < 20; index++) {
			first.emit('tick', index);
		}

		await recorder.until('twenty events', () => recorder.events().length === 20);
		// A 600 KB frame (a gameHistory-sized one), 100 KB of it sent, then the server is gone.
		const big = `42${JSON.stringify(['gameStateUpdate', {gameId: 'torn', padding: 'x'.repeat(600_000)}])}`;
		dieMidFrame(first, big, 100_000);
		await server.kill();
		await recorder.until('three failed attempts while the server is down', () => recorder.statuses.filter(status => status.state === 'reconnecting').length >= 3);
		const restarted = await serve(server.port);
		const again = await restarted.connection(1);
		again.emit('tick', 20);
		await recorder.until('the event after the restart', () => recorder.events().length === 21);

		expect(recorder.events().map(envelope => envelope.data)).toEqual(Array.from({length: 21}, (_, index) => index));
		expect(recorder.events().some(envelope => envelope.event === 'gameStateUpdate')).toBe(false);
		// One outage, one problem, however many attempts it took; never a decode problem for the torn frame.
		expect(recorder.problems.map(problem => problem.kind)).toEqual(['source']);
		expect(recorder.statuses.at(-1)).toMatchObject({state: 'connected', reconnects: 1});
	});
});

describe('the server dies mid-frame under rugs-tui --json', () => {
	it('stdout keeps whole lines only, every complete event once, and the run goes on after the server comes back', async () => {
		const server = await serve();
		const run = startCli(['--source', 'direct', '--url', server.url, '--json']);
		defer(async () => {
			stopCli(run);
			await run.exited;
		});
		const first = await server.connection(1);
		const script = Array.from({length: 30}, (_, index) => ({event: index % 3 === 0 ? 'standard/newTrade' : 'gameStateUpdate', args: index % 3 === 0 ? [{__trace: true}, {id: `t${index}`, gameId: 'g', type: 'buy'}] : [{gameId: 'g', tickCount: index, price: 1 + (index / 100), active: true, rugged: false}]}));
		for (const item of script.slice(0, 20)) {
			first.emit(item.event, ...item.args);
		}

		const lines = () => run.stdout().split('\n').filter(line => line !== '');
		await waitFor(() => lines().length >= 21, {what: 'connect and 20 events on stdout'});
		dieMidFrame(first, half, 1000);
		await server.kill();
		const restarted = await serve(server.port);
		const second = await restarted.connection(1);
		for (const item of script.slice(20)) {
			second.emit(item.event, ...item.args);
		}

		await waitFor(() => lines().length >= 32, {what: 'the events after the restart', timeoutMs: 30_000});
		run.child.kill('SIGTERM');
		const exit = await run.exited;
		expect(exit.code).toBe(143);
		const envelopes = lines().map(line => asEnvelope(JSON.parse(line)));
		expect(envelopes.every(envelope => envelope !== undefined)).toBe(true);
		const events = envelopes.filter(envelope => envelope!.event !== 'connect' && envelope!.event !== 'disconnect');
		expect(events.map(envelope => [envelope!.event, ...envelopeArguments(envelope!)])).toEqual(script.map(item => [item.event, ...item.args]));
		expect(run.stderr()).toMatch(/"state":"reconnecting"/);
		expect(run.stderr()).toMatch(/connection to .* lost/);
	}, 60_000);
});
