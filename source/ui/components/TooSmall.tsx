import type {Size} from '../layout.js';
import {segment} from '../segments.js';
import {Lines} from './Lines.js';

/** Below the minimum size nothing else is drawn: the panes would only overlap. */
export function TooSmall({need, size}: {need: Size; size: Size}) {
	const lines = [
		`terminal too small: need ${need.columns}×${need.rows}`,
		`now ${size.columns}×${size.rows} · enlarge the window, or q to quit`,
	].map(text => [segment(text, {colour: 'yellow'})]);
	return <Lines lines={lines} width={Math.max(1, size.columns)} height={Math.max(1, size.rows - 1)}/>;
}
