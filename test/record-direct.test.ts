import {readFileSync} from 'node:fs';
import path from 'node:path';
import {afterAll, afterEach, describe, expect, test} from 'vitest';
import {gameCycle as syntheticGame, seedForLength} from '../source/sim/game-cycle.js';
import {asEnvelope, envelopeArguments} from '../source/protocol/envelope.js';
import {startCli, stopCli, type CliRun} from './helpers/cli.js';
import {makeTempDir, splitLines} from './helpers/recordings.js';
import {startSocketServer, type TestServer} from './helpers/socket-server.js';
import {waitFor} from './helpers/wait.js';

/*
--record with a live source: the direct source connected to a real Socket.IO
server on 127.0.0.1, which sends one whole game cycle and then stays quiet.
*/

const temporary = makeTempDir();
const gameId = '20251212-dddddddddddddddd';
const game = syntheticGame({gameId, serverSeed: seedForLength(gameId, 20, 40, 'direct')});
let server: TestServer | undefined;
let run: CliRun | undefined;

afterEach(async () => {
	stopCli(run);
	await server?.close();
});

afterAll(() => {
	temporary.remove();
});

describe('recording a live source', () => {
	test('every event the server sent is recorded with all its arguments, and SIGTERM loses none', async () => {
		server = await startSocketServer({onConnection(socket) {
			for (const envelope of game.envelopes) {
				socket.emit(envelope.event, ...envelopeArguments(envelope));
			}
		}});
		const file = path.join(temporary.dir, 'live.jsonl');
		run = startCli(['--source', 'direct', '--url', server.url, '--json', '--record', file]);
		const count = game.envelopes.length;
		// The direct source also reports its own `connect`: wait for all the game's events after it.
		const gameLines = () => splitLines(run!.stdout()).complete.filter(line => !line.includes('"event":"connect"'));
		await waitFor(() => gameLines().length >= count, {what: `${count} events on stdout`});
		run.child.kill('SIGTERM');
		const exit = await run.exited;
		expect(exit.code).toBe(143);

		const {complete, partial} = splitLines(readFileSync(file, 'utf8'));
		expect(partial).toBeUndefined();
		// The recording is what --json showed, line for line.
		expect(complete).toEqual(splitLines(run.stdout()).complete);
		const recorded = complete.map(line => asEnvelope(JSON.parse(line))!).filter(envelope => envelope.event !== 'connect');
		expect(recorded.map(envelope => ({event: envelope.event, args: envelopeArguments(envelope), source: envelope.source})))
			.toEqual(game.envelopes.map(envelope => ({event: envelope.event, args: envelopeArguments(envelope), source: 'direct'})));
	});
});
