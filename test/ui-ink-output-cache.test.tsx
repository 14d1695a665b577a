import {render} from 'ink-testing-library';
import {expect, test} from 'vitest';
import {Lines} from '../source/ui/components/Lines.js';
import {installInkPatches} from '../source/ui/ink-patches/index.js';
import {segment} from '../source/ui/segments.js';

const frame = (n: number) => Array.from({length: 12}, (_, row) => [segment(`row ${row} `, {dim: true}), segment(`${n + row}`, {colour: row % 2 === 0 ? 'green' : 'red'}), segment(' │ 日本 🚀 end')]);

function draw(n: number): string {
	const {lastFrame, unmount} = render(<Lines lines={frame(n)} width={60}/>);
	const text = lastFrame() ?? '';
	unmount();
	return text;
}

test('the cross-frame output cache installs on the pinned Ink and draws exactly what Ink draws without it', async () => {
	// Ink as it comes: its own Output, Lines' real text measured by Ink.
	const off = await installInkPatches({enabled: false});
	expect(off).toMatchObject({outputCache: false, blankMeasure: false, repaintOffset: 0});
	const before = [draw(1), draw(2), draw(1)];
	const on = await installInkPatches({enabled: true});
	expect(on).toMatchObject({outputCache: true, blankMeasure: true});
	const after = [draw(1), draw(2), draw(1), draw(2)];
	expect(after.slice(0, 3)).toEqual(before);
	expect(after[3]).toBe(before[1]);
	expect(before[0]).toContain('row 11 12');
	expect(before[0]).not.toBe(before[1]);
});
