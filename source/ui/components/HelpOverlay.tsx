import {Box, Text} from 'ink';
import {fit} from '../format.js';
import {helpLines} from '../keymap.js';
import {Line} from './Pane.js';

/** The `?` overlay, generated from the keymap table (the README's key list comes from the same table). */
export function HelpOverlay({width, height}: {width: number; height: number}) {
	const rows = helpLines();
	const keysWidth = Math.max(...rows.map(row => ('keys' in row ? row.keys.length : 0))) + 2;
	return (
		<Box flexDirection='column' width={width} height={height} overflow='hidden'>
			<Line><Text bold inverse>{fit(' Help · ? or Esc closes ', width)}</Text></Line>
			{rows.slice(0, Math.max(0, height - 1)).map(row => ('title' in row
				? <Line key={row.title}><Text bold>{row.title}</Text></Line>
				: (
					<Line key={`${row.keys}:${row.description}`}>
						<Text color='cyan'>{`  ${fit(row.keys, keysWidth)}`}</Text>{row.description}
					</Line>
				)))}
		</Box>
	);
}
