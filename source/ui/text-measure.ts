import type {DOMElement} from 'ink';

/**
Ink measures every text node with a module-level cache (ink/build/measure-text.js:
a Map from each text ever measured to its size) that is never emptied. A
monitor's panes are new text every frame (ticks, prices, ages), so that cache
grew by about 5 KB a frame: hundreds of MB an hour for a monitor left running,
found by the day-in-a-minute benchmark. Our panes already know their size —
every line is clipped to the pane's width — so their text nodes are measured
from what the component computed instead, and Ink's cache is never touched
after a node's first layout.

This reaches into Ink's DOM (the text node under a Box, its Yoga node): if that
shape ever changes, `measureFromProps` does nothing and Ink measures as before
(test/memory-day.test.ts would then see the growth again).
*/
export type TextSize = {width: number; height: number};

type YogaMeasured = {setMeasureFunc(measure: () => TextSize): void};

const patched = new WeakSet<object>();

/** Give the text node inside `box` a measure function that reads `size.current`. Once per node. */
export function measureFromProps(box: DOMElement | null, size: {readonly current: TextSize}): void {
	const text = box?.childNodes[0];
	if (text === undefined || text.nodeName !== 'ink-text' || patched.has(text)) {
		return;
	}

	const yoga = text.yogaNode as unknown as YogaMeasured | undefined;
	if (typeof yoga?.setMeasureFunc !== 'function') {
		return;
	}

	yoga.setMeasureFunc(() => size.current);
	patched.add(text);
}
