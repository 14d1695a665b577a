/**
The terminal modes the TUI changes, and their restoration. `restore()` is
idempotent and synchronous (TTY writes are synchronous on POSIX), so it is
safe from every exit path: q, Ctrl-C, signals, an uncaught error, and the
process 'exit' event as the last resort.
*/

const enterAlternateScreen = '\u001B[?1049h';
const leaveAlternateScreen = '\u001B[?1049l';
const hideCursor = '\u001B[?25l';
const showCursor = '\u001B[?25h';
const clearScreen = '\u001B[2J\u001B[H';

type Output = Pick<NodeJS.WriteStream, 'write'>;
type Input = {isTTY?: boolean; isRaw?: boolean; setRawMode?: (mode: boolean) => unknown};

export class TerminalScreen {
	#entered = false;
	#restored = false;
	readonly #stdout: Output;
	readonly #stdin: Input;

	constructor(stdout: Output, stdin: Input) {
		this.#stdout = stdout;
		this.#stdin = stdin;
	}

	get active(): boolean {
		return this.#entered && !this.#restored;
	}

	enter(): void {
		if (this.#entered) {
			return;
		}

		this.#entered = true;
		this.#stdout.write(enterAlternateScreen + hideCursor + clearScreen);
	}

	restore(): void {
		if (!this.#entered || this.#restored) {
			return;
		}

		this.#restored = true;
		try {
			if (this.#stdin.isTTY === true && this.#stdin.isRaw === true) {
				this.#stdin.setRawMode?.(false);
			}
		} catch {
			// stdin may already be closed; the screen below must still be restored.
		}

		try {
			this.#stdout.write(showCursor + leaveAlternateScreen);
		} catch {
			// Nothing more can be done for a closed terminal.
		}
	}
}
