import {useEffect, useState} from 'react';
import type {FrameMetrics} from '../frame-metrics.js';
import type {MonitorStore, StoreSnapshot} from '../store.js';

export type Frame = {
	snapshot: StoreSnapshot;
	/** Frames actually taken in the last second (≤ the cap). */
	drawnPerSecond: number;
};

/** With no new data, still refresh this often so ages and rates keep moving. */
export const idleRefreshMs = 1000;

/**
The throttle between the feed and React: a timer at 1000/fps takes ONE
snapshot of the store per frame and makes ONE state update, however many
events arrived in between; a frame in which nothing changed is skipped.
*/
export function useFrameClock(store: MonitorStore, fps: number, metrics?: FrameMetrics): Frame {
	const [frame, setFrame] = useState<Frame>(() => ({snapshot: store.snapshot(), drawnPerSecond: 0}));
	useEffect(() => {
		let lastVersion = store.version;
		let lastAt = Date.now();
		const recent: number[] = [];
		const timer = setInterval(() => {
			const version = store.version;
			const now = Date.now();
			if (version === lastVersion && now - lastAt < idleRefreshMs) {
				return;
			}

			lastVersion = version;
			lastAt = now;
			recent.push(now);
			while (recent.length > 0 && recent[0]! <= now - 1000) {
				recent.shift();
			}

			metrics?.showing(version);
			setFrame({snapshot: store.snapshot(), drawnPerSecond: recent.length});
		}, Math.max(1, Math.round(1000 / fps)));
		return () => {
			clearInterval(timer);
		};
	}, [store, fps, metrics]);
	return frame;
}
