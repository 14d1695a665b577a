import type {Writable} from 'node:stream';
import {LiveStats} from '../analyze/live-stats.js';
import type {Envelope} from '../protocol/envelope.js';
import type {GameState} from '../state/types.js';
import type {MonitorStore} from '../ui/store.js';
import {AlertWatch, terminalSink} from './alert-watch.js';
import {seedHistory} from './history-seed.js';
import type {Options} from './options.js';

/**
What the terminal UI adds for statistics and alerts, in one place so the
runner needs only a few lines: the live statistics (seeded from `--history`
before the screen is taken), and the alert watch, which the store tells of
every state and which shows alerts in the status bar, rings the bell and
sends notifications.
*/
type TuiInsight = {
	liveStats: LiveStats;
	/** For the store's onState (undefined without `--alert`). */
	onState: ((previous: GameState, next: GameState, envelope: Envelope) => void) | undefined;
	/** Start the alerts once the store exists; `terminal` receives BEL and the notification sequences. */
	attach(store: MonitorStore, terminal: Writable): void;
	close(): void;
};

export async function prepareTuiInsight(options: Options, stderr: Writable & {isTTY?: boolean}): Promise<TuiInsight> {
	const liveStats = new LiveStats();
	await seedHistory(liveStats, options.historyFiles, stderr);
	let watch: AlertWatch | undefined;
	return {
		liveStats,
		onState: options.alerts.length === 0
			? undefined
			: (previous, next, envelope) => {
				watch?.observe(previous, next, envelope);
			},
		attach(store, terminal) {
			if (options.alerts.length > 0) {
				watch = new AlertWatch(options.alerts, terminalSink(terminal, {
					bell: options.bell,
					notify: options.notify,
					show(text) {
						store.showAlert(text);
					},
				}));
			}
		},
		close() {
			watch?.close();
		},
	};
}
