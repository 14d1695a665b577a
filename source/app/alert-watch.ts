import type {Writable} from 'node:stream';
import type {AppBus} from '../bus/app-bus.js';
import type {AlertRule} from '../analyze/alert-rules.js';
import {AlertEngine, alertText, type Alert} from '../analyze/alerts.js';
import type {Envelope} from '../protocol/envelope.js';
import {cleanText} from '../protocol/untrusted-text.js';
import {createState, reduce} from '../state/reducer.js';
import type {GameState, StateConfig} from '../state/types.js';

/**
Where alerts go. With `--json`: one JSON line each on stderr,
`{"type":"alert","rule","gameId","tick","ts","detail"}`. In the terminal UI:
the status bar (for 10 s), the terminal bell (BEL, unless `--no-bell`), and
with `--notify` a desktop notification through the terminal: OSC 9 (iTerm2,
WezTerm, Windows Terminal, kitty…) and OSC 777 (urxvt, foot, Konsole, VTE).
Terminals that know neither ignore them; inside tmux they reach the outer
terminal only with tmux's passthrough on.
*/

type AlertSink = (alert: Alert) => void;

const bel = '\u0007';

/** The alert as the JSON line on stderr. */
export function alertJsonLine(alert: Alert): string {
	return `${JSON.stringify({type: 'alert', rule: alert.rule, gameId: alert.gameId ?? null, tick: alert.tick ?? null, ts: alert.ts, detail: alert.detail})}\n`;
}

/** Text for an OSC sequence: no control characters (they would end it early), no `;` (a field separator in OSC 777). */
function oscText(text: string): string {
	return cleanText(text, 200).replaceAll(';', ',');
}

/** The desktop notification sequences: OSC 9 and OSC 777, each ended by BEL. */
export function notificationBytes(alert: Alert): string {
	const body = oscText(alertText(alert));
	// "rugs-tui: " first: OSC 9 text starting with a digit and ';' means something else to ConEmu and Windows Terminal (progress).
	return `\u001B]9;rugs-tui: ${body}${bel}\u001B]777;notify;rugs-tui;${body}${bel}`;
}

/** The terminal sink of the TUI: show the alert, ring the bell, notify. */
export function terminalSink(terminal: Writable, options: {bell: boolean; notify: boolean; show: (text: string) => void}): AlertSink {
	return alert => {
		options.show(alertText(alert));
		const bytes = `${options.bell ? bel : ''}${options.notify ? notificationBytes(alert) : ''}`;
		if (bytes !== '') {
			terminal.write(bytes);
		}
	};
}

export function jsonSink(stderr: Writable): AlertSink {
	return alert => {
		stderr.write(alertJsonLine(alert));
	};
}

/**
Runs the engine: `observe` after each envelope with the state before and
after it, and a timer for `silent:S` rules. `stateNow` gives the latest state
for the silence alert's game and tick.
*/
export class AlertWatch {
	readonly #engine: AlertEngine;
	readonly #sink: AlertSink;
	readonly #timer: NodeJS.Timeout | undefined;
	#state: GameState | undefined;

	constructor(rules: readonly AlertRule[], sink: AlertSink, options: {now?: () => number} = {}) {
		this.#engine = new AlertEngine(rules, options);
		this.#sink = sink;
		const every = this.#engine.silenceCheckMs;
		if (every !== undefined) {
			this.#timer = setInterval(() => {
				this.#emit(this.#engine.checkSilence(this.#state));
			}, every);
			this.#timer.unref();
		}
	}

	observe(previous: GameState, next: GameState, envelope: Envelope): void {
		this.#state = next;
		this.#emit(this.#engine.observe(previous, next, envelope));
	}

	close(): void {
		if (this.#timer !== undefined) {
			clearInterval(this.#timer);
		}
	}

	#emit(alerts: readonly Alert[]): void {
		for (const alert of alerts) {
			this.#sink(alert);
		}
	}
}

/**
For runs without a store (`--json`): follow the bus with a state of its own
(reduced only when there are rules) and watch it. Returns the watch's close.
*/
export function followForAlerts(bus: AppBus, rules: readonly AlertRule[], sink: AlertSink, config: Partial<StateConfig> = {}): () => void {
	if (rules.length === 0) {
		return () => undefined;
	}

	const watch = new AlertWatch(rules, sink);
	let state = createState(config);
	const unsubscribe = [
		bus.subscribe('envelope', envelope => {
			const next = reduce(state, envelope);
			watch.observe(state, next, envelope);
			state = next;
		}, {name: 'alerts'}),
		bus.subscribe('status', status => {
			if (status.restart === true) {
				state = createState(state.config);
			}
		}, {name: 'alerts-status'}),
	];
	return () => {
		watch.close();
		for (const stop of unsubscribe) {
			stop();
		}
	};
}
