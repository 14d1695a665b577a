import {Box, Text} from 'ink';
import {truncate} from '../format.js';
import type {Size} from '../layout.js';

/** Below the minimum size nothing else is drawn: the panes would only overlap. */
export function TooSmall({need, size}: {need: Size; size: Size}) {
	const width = Math.max(1, size.columns);
	const lines = [
		`terminal too small: need ${need.columns}×${need.rows}`,
		`now ${size.columns}×${size.rows} · enlarge the window, or q to quit`,
	];
	return (
		<Box flexDirection='column' width={width}>
			{lines.slice(0, Math.max(1, size.rows - 1)).map(line => <Text key={line} wrap='truncate-end' color='yellow'>{truncate(line, width)}</Text>)}
		</Box>
	);
}
