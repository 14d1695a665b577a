import {useEffect, useState} from 'react';
import {displayKey, sameKey} from '../display-key.js';
import type {FrameMetrics} from '../frame-metrics.js';
import {RateMeter} from '../rate-meter.js';
import type {MonitorStore, StoreSnapshot} from '../store.js';

type Frame = {
	snapshot: StoreSnapshot;
	/** Frames actually drawn in the last whole second (≤ the cap). */
	drawnPerSecond: number;
};

/** With no new data, still look again this often so ages and rates keep moving. */
const idleRefreshMs = 1000;

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
		// The frame rate shown: frames of the last whole second, so showing it does not itself cause redraws.
		const drawnMeter = new RateMeter(1);
		const timer = setInterval(() => {
			const {version} = store;
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
			const shownFps = Math.round(drawnMeter.completedPerSecond(now));
			const key = displayKey(snapshot, shownFps);
			if (sameKey(lastKey, key)) {
				// Nothing visible changed: what arrived is already what the screen shows.
				metrics?.settled(version);
				return;
			}

			lastKey = key;
			drawn.push(now);
			drawnMeter.add(now);
			metrics?.showing(version);
			setFrame({snapshot, drawnPerSecond: shownFps});
		}, Math.max(1, Math.round(1000 / fps)));
		return () => {
			clearInterval(timer);
		};
	}, [store, fps, metrics]);
	return frame;
}
