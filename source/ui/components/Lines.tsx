import {Text} from 'ink';
import {clipLine, type SegmentLine} from '../segments.js';

/**
Lines of styled segments drawn as one Ink text node: each line cut to
`width`, at most `height` lines, so nothing can wrap into the next pane.
*/
export function Lines({lines, width, height}: {lines: readonly SegmentLine[]; width: number; height?: number}) {
	const shown = height === undefined ? lines : lines.slice(0, Math.max(0, height));
	const children: Array<string | React.JSX.Element> = [];
	for (const [row, line] of shown.entries()) {
		if (row > 0) {
			children.push('\n');
		}

		for (const [index, part] of clipLine(line, width).entries()) {
			const styled = part.colour !== undefined || part.dim === true || part.bold === true || part.inverse === true;
			children.push(styled
				? <Text key={`${row}:${index}`} color={part.colour} dimColor={part.dim} bold={part.bold} inverse={part.inverse}>{part.text}</Text>
				: part.text);
		}
	}

	return <Text>{children.length === 0 ? ' ' : children}</Text>;
}
