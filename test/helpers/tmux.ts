import {execFileSync} from 'node:child_process';
import {readdirSync, readFileSync} from 'node:fs';

/**
A real terminal for tests: a private tmux server (its own socket), one
session per scenario. Everything is waited for by polling the pane with a
deadline, never by fixed sleeps; `killServer()` ends every pane and process.
*/

export function shellQuote(text: string): string {
	return `'${text.replaceAll('\'', String.raw`'\''`)}'`;
}

/**
A shell command line for a pane: `node bin` with `args` and `env`, then the
exit code (EXIT=n) and `stty -a`, then a long sleep so the pane stays. CI is
unset (Ink would print only its last frame), and FORCE_COLOR (the test
runner's, which would override --no-color).
*/
export function cliCommand(bin: string, args: string[], options: {env?: Record<string, string>; node?: string[]} = {}): string {
	const env = Object.entries(options.env ?? {}).map(([key, value]) => `${key}=${shellQuote(value)}`).join(' ');
	const node = ['node', ...(options.node ?? []), shellQuote(bin), ...args.map(arg => shellQuote(arg))].join(' ');
	return `sh -c ${shellQuote(`env -u CI -u CONTINUOUS_INTEGRATION -u FORCE_COLOR ${env} ${node}; echo "EXIT=$?"; stty -a; exec sleep 600`)}`;
}

export function hasTmux(): boolean {
	try {
		execFileSync('tmux', ['-V'], {stdio: 'ignore'});
		return true;
	} catch {
		return false;
	}
}

/** The terminal size a session starts with unless told otherwise. */
const defaultSize = {columns: 120, rows: 40};

export class Tmux {
	readonly socket = `rugs-tui-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

	run(...args: string[]): string {
		return execFileSync('tmux', ['-L', this.socket, ...args], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});
	}

	/** Start `command` (a shell command line) in a new detached session of the given size. */
	start(name: string, command: string, size = defaultSize): void {
		this.run('new-session', '-d', '-s', name, '-x', String(size.columns), '-y', String(size.rows), command);
		// Keep the pane (and its last screen) if the command ends before the test has looked.
		this.run('set-option', '-t', name, 'remain-on-exit', 'on');
	}

	capture(name: string, options: {escapes?: boolean} = {}): string {
		return this.run('capture-pane', '-p', ...(options.escapes === true ? ['-e'] : []), '-t', name);
	}

	/** A tmux format variable of the session's pane, e.g. alternate_on, cursor_flag, pane_pid. */
	format(name: string, variable: string): string {
		return this.run('display-message', '-p', '-t', name, `#{${variable}}`).trim();
	}

	keys(name: string, ...keys: string[]): void {
		this.run('send-keys', '-t', name, ...keys);
	}

	/** Type literal text (no key-name lookup). */
	type(name: string, text: string): void {
		this.run('send-keys', '-t', name, '-l', text);
	}

	resize(name: string, columns: number, rows: number): void {
		this.run('resize-window', '-t', name, '-x', String(columns), '-y', String(rows));
	}

	async waitFor(name: string, predicate: (screen: string) => boolean, what: string, timeoutMs = 20_000): Promise<string> {
		const deadline = Date.now() + timeoutMs;
		let screen = '';
		for (;;) {
			try {
				screen = this.capture(name);
			} catch {
				screen = '(pane gone)';
			}

			if (predicate(screen)) {
				return screen;
			}

			if (Date.now() > deadline) {
				throw new Error(`tmux: ${what} did not happen within ${timeoutMs} ms; screen:\n${screen}`);
			}

			await new Promise(resolve => {
				setTimeout(resolve, 100);
			});
		}
	}

	/** The pid of the first process named `comm` (cli.tsx titles the process `rugs-tui`) under the session's pane. */
	processIn(name: string, comm: string): number | undefined {
		const children = new Map<number, number[]>();
		const names = new Map<number, string>();
		for (const entry of readdirSync('/proc')) {
			if (!/^\d+$/.test(entry)) {
				continue;
			}

			try {
				const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
				// pid (comm) state ppid …: comm may contain spaces, so split after the last ')'.
				const close = stat.lastIndexOf(')');
				const ppid = Number(stat.slice(close + 2).split(' ')[1]);
				names.set(Number(entry), stat.slice(stat.indexOf('(') + 1, close));
				children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
			} catch {
				// The process ended while we looked.
			}
		}

		const queue = [Number(this.format(name, 'pane_pid'))];
		while (queue.length > 0) {
			const pid = queue.shift()!;
			for (const child of children.get(pid) ?? []) {
				if (names.get(child) === comm) {
					return child;
				}

				queue.push(child);
			}
		}

		return undefined;
	}

	killServer(): void {
		try {
			this.run('kill-server');
		} catch {
			// Already gone.
		}
	}
}
