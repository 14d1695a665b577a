import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {afterAll, afterEach, describe, expect, test} from 'vitest';
import {exitSignals, signalExitCode} from '../source/sources/exit-signals.js';
import {startCli, stopCli, type CliRun} from './helpers/cli.js';
import {binPath} from './helpers/project.js';
import {makeTempDir, splitLines} from './helpers/recordings.js';
import {startSocketServer, type TestServer} from './helpers/socket-server.js';
import {cliCommand, hasTmux, Tmux} from './helpers/tmux.js';
import {waitFor} from './helpers/wait.js';

/*
Nothing recorded is lost on any catchable signal that ends rugs-tui: the
real command in a child process (--json) or in a real terminal (tmux, the
TUI), stopped by real signals — SIGHUP above all, the terminal closing.
*/

const temporary = makeTempDir('rugs-signals-');
let counter = 0;
function temporaryPath(name: string): string {
	return path.join(temporary.dir, `${++counter}-${name}`);
}

const running: CliRun[] = [];
let server: TestServer | undefined;
afterEach(async () => {
	for (const run of running.splice(0)) {
		stopCli(run);
	}

	await server?.close();
	server = undefined;
});

afterAll(() => {
	temporary.remove();
});

describe('the exit signals', () => {
	test('the terminal, the keyboard and kill are among them, with the shell\'s exit codes', () => {
		expect(exitSignals).toEqual(expect.arrayContaining(['SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGTERM', 'SIGALRM', 'SIGXCPU']));
		// Faults, the uncatchable ones and the user-defined ones are left alone.
		for (const signal of ['SIGKILL', 'SIGSTOP', 'SIGSEGV', 'SIGABRT', 'SIGUSR1', 'SIGUSR2', 'SIGPIPE', 'SIGWINCH'] as const) {
			expect(exitSignals).not.toContain(signal);
		}

		expect([signalExitCode('SIGHUP'), signalExitCode('SIGINT'), signalExitCode('SIGQUIT'), signalExitCode('SIGTERM')]).toEqual([129, 130, 131, 143]);
	});
});

describe('--json --record: every exit signal flushes and closes the recording', () => {
	// The case: --demo --speed 50, killed while events flow. Before, SIGHUP lost the last second (185 of 1,934 events).
	test.each(exitSignals.map(signal => [signal]))('%s: every event shown on stdout is in the recording, whole lines, and the exit code says which signal', async signal => {
		const file = temporaryPath(`${signal}.jsonl`);
		const run = startCli(['--demo', '--speed', '50', '--json', '--record', file]);
		running.push(run);
		await waitFor(() => splitLines(run.stdout()).complete.length >= 120, {what: '120 events on stdout', timeoutMs: 30_000});
		run.child.kill(signal);
		const exit = await run.exited;
		// After SIGHUP rugs-tui ends by the signal itself once all is closed (the terminal may be gone: see cli.tsx); shells show 129 for both.
		expect(exit).toEqual(signal === 'SIGHUP' ? {code: null, signal} : {code: signalExitCode(signal), signal: null});
		const shown = splitLines(run.stdout());
		expect(shown.partial).toBeUndefined();
		const recorded = splitLines(readFileSync(file, 'utf8'));
		expect(recorded.partial).toBeUndefined();
		expect(recorded.complete.length).toBeGreaterThanOrEqual(120);
		expect(recorded.complete).toEqual(shown.complete);
	});
});

describe.skipIf(!hasTmux())('the TUI with --record: the terminal closing loses nothing', () => {
	const tmux = new Tmux();
	afterAll(() => {
		tmux.killServer();
	});

	function trade(name: string): unknown[] {
		return [{__trace: true}, {id: name, gameId: '20251212-5555555555555555', playerId: `did:privy:${name}`, username: name, type: 'buy', qty: 0.1, price: 1.2, amount: 0.12, tickIndex: 3}];
	}

	function recordedTrades(file: string): string[] {
		if (!existsSync(file)) {
			return [];
		}

		const {complete, partial} = splitLines(readFileSync(file, 'utf8'));
		expect(partial).toBeUndefined();
		return complete.map(line => JSON.parse(line) as {event: string; data: {id?: string}}).filter(line => line.event === 'standard/newTrade').map(line => line.data.id!);
	}

	/**
	A live feed (a real Socket.IO server) sends a first burst and the test waits until it is on disk (a flush
	has just happened), then a second burst, shown on the screen before the signal: it is still in memory
	when the signal comes, a second before the next timed flush.
	*/
	async function feedUntilShown(name: string, file: string): Promise<string[]> {
		server = await startSocketServer();
		tmux.start(name, cliCommand(binPath, ['--source', 'direct', '--url', server.url, '--record', file]));
		const socket = await server.connection(1);
		const first = Array.from({length: 10}, (_, index) => `early${index}`);
		for (const id of first) {
			socket.emit('standard/newTrade', ...trade(id));
		}

		await waitFor(() => recordedTrades(file).length === first.length, {what: 'the first burst on disk'});
		const second = Array.from({length: 20}, (_, index) => `late${String(index).padStart(2, '0')}`);
		for (const id of second) {
			socket.emit('standard/newTrade', ...trade(id));
		}

		await tmux.waitFor(name, screen => screen.includes(second.at(-1)!), 'the last trade on the tape');
		return [...first, ...second];
	}

	test('SIGHUP to rugs-tui: the recording holds every event, the terminal is restored, exit 129', async () => {
		const file = temporaryPath('tui-hup.jsonl');
		const sent = await feedUntilShown('hup', file);
		const pid = tmux.processIn('hup', 'rugs-tui')!;
		process.kill(pid, 'SIGHUP');
		const screen = await tmux.waitFor('hup', text => text.includes('EXIT='), 'the exit');
		expect(screen).toContain('EXIT=129');
		expect(tmux.format('hup', 'alternate_on')).toBe('0');
		expect(recordedTrades(file)).toEqual(sent);
	});

	test('the terminal window closed (tmux kill-session): the recording holds every event', async () => {
		const file = temporaryPath('tui-closed.jsonl');
		const sent = await feedUntilShown('closed', file);
		const pid = tmux.processIn('closed', 'rugs-tui')!;
		tmux.run('kill-session', '-t', 'closed');
		await waitFor(() => !existsSync(`/proc/${pid}`), {what: 'rugs-tui to end after its terminal closed'});
		expect(recordedTrades(file)).toEqual(sent);
	});
});
