import {useEffect, useState} from 'react';
import {displayKey, sameKey} from '../display-key.js';
import type {FrameMetrics} from '../frame-metrics.js';
import type {MonitorStore, StoreSnapshot} from '../store.js';

export type Frame = {
	snapshot: StoreSnapshot;
	/** Frames actually drawn in the last second (≤ the cap). */
	drawnPerSecond: number;
};

/** With no new data, still look again this often so ages and rates keep moving. */
export const idleRefreshMs = 1000;

/**
The throttle between the feed and React: a timer at 1000/fps takes ONE
snapshot of the store per frame and makes ONE state update, however many
events arrived in between. A frame is skipped when nothing arrived, and when
what arrived would not change the screen (display-key.ts).
*/
export function useFrameClock(store: MonitorStore, fps: number, metrics?: FrameMetrics): Frame {
	const [frame, setFrame] = useState<Frame>(() => ({snapshot: store.snapshot(), drawnPerSecond: 0}));
	useEffect(() => {
		let lastVersion = store.version;
		let lastLook = performance.now();
		let lastKey: readonly unknown[] | undefined;
		const drawn: number[] = [];
		const timer = setInterval(() => {
			const version = store.version;
			const now = performance.now();
			if (version === lastVersion && now - lastLook < idleRefreshMs) {
				return;
			}

			while (drawn.length > 0 && drawn[0]! <= now - 1000) {
				drawn.shift();
			}

			if (drawn.length >= fps) {
				// Timers drift: never more than the cap in any one second, whatever their spacing.
				return;
			}

			lastVersion = version;
			lastLook = now;

			const snapshot = store.snapshot();
			// The frame rate shown counts this frame too.
			const key = displayKey(snapshot, drawn.length + 1);
			if (sameKey(lastKey, key)) {
				// Nothing visible changed: what arrived is already what the screen shows.
				metrics?.settled(version);
				return;
			}

			lastKey = key;
			drawn.push(now);
			metrics?.showing(version);
			setFrame({snapshot, drawnPerSecond: drawn.length});
		}, Math.max(1, Math.round(1000 / fps)));
		return () => {
			clearInterval(timer);
		};
	}, [store, fps, metrics]);
	return frame;
}
