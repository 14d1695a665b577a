import os from 'node:os';

/**
The signals that end rugs-tui, and how: on any of them it stops cleanly (the
recording flushed and closed, a launched browser closed and its profile
deleted, the terminal restored), then exits with the shell's code for the
signal, 128 + its number (129 SIGHUP, 130 SIGINT, 131 SIGQUIT, 143 SIGTERM).
The runners (`--json`, the TUI) and the browser launcher share this list.

Which signals: every catchable one whose default action ends the process and
that Node leaves at that default. The terminal closing (SIGHUP), Ctrl-C
(SIGINT), Ctrl-\ (SIGQUIT: its default dumps core and would lose whatever
waits in memory, so it is taken as "quit now, cleanly"), kill and service
managers (SIGTERM), Ctrl-Break on Windows (SIGBREAK), and those a script, a
timer or a resource limit can send: SIGALRM, SIGVTALRM, SIGXCPU (CPU time
limit), SIGPOLL, SIGPWR, SIGSTKFLT.

Left alone, and why: SIGKILL and SIGSTOP cannot be caught; after SIGSEGV,
SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP and SIGSYS (faults) Node cannot run
JavaScript safely; SIGUSR1 and SIGUSR2 are user-defined, for the tools around
a process to give a meaning (Node's inspector takes SIGUSR1; the tests inject
faults with SIGUSR2); SIGPROF drives V8's
sampling profiler; Node ignores SIGPIPE and SIGXFSZ (writes fail with EPIPE or
EFBIG instead, which are handled); the rest are ignored or stop the process by
default (SIGCHLD, SIGWINCH, SIGURG, SIGCONT, SIGTSTP, SIGTTIN, SIGTTOU).
*/

const candidates = [
	'SIGHUP',
	'SIGINT',
	'SIGQUIT',
	'SIGTERM',
	'SIGBREAK',
	'SIGALRM',
	'SIGVTALRM',
	'SIGXCPU',
	'SIGPOLL',
	'SIGPWR',
	'SIGSTKFLT',
] as const satisfies readonly NodeJS.Signals[];

const windowsSignals = new Set<NodeJS.Signals>(['SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK']);

/** The terminating signals this platform has (Windows emulates only a few). */
export const exitSignals: readonly NodeJS.Signals[] = candidates.filter(signal => os.constants.signals[signal] !== undefined && (process.platform !== 'win32' || windowsSignals.has(signal)));

/** 128 + the signal's number, as shells report a process ended by it (1 for a name this system does not know). */
export function signalExitCode(signal: NodeJS.Signals): number {
	const number = os.constants.signals[signal] as number | undefined;
	return number === undefined ? 1 : 128 + number;
}

/**
Call `handler` on every exit signal (each time one arrives: the caller decides
what a repeated one means) until the returned function removes the handlers.
While they are installed the signals no longer end the process by themselves.
*/
export function onExitSignals(handler: (signal: NodeJS.Signals) => void): () => void {
	const listener = (signal: NodeJS.Signals) => {
		handler(signal);
	};

	for (const signal of exitSignals) {
		process.on(signal, listener);
	}

	return () => {
		for (const signal of exitSignals) {
			process.off(signal, listener);
		}
	};
}
