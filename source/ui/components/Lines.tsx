import {Box, Text, type DOMElement} from 'ink';
import {useLayoutEffect, useRef} from 'react';
import {clipLine, lineWidth, type SegmentLine} from '../segments.js';
import {measureFromProps, type TextSize} from '../text-measure.js';

/**
Lines of styled segments drawn as one Ink text node: each line cut to
`width`, at most `height` lines, so nothing can wrap into the next pane.
The node's size is known here (see text-measure.ts for why Ink is not asked).
*/
export function Lines({lines, width, height}: {lines: readonly SegmentLine[]; width: number; height?: number}) {
	const shown = height === undefined ? lines : lines.slice(0, Math.max(0, height));
	const children: Array<string | React.JSX.Element> = [];
	let widest = 0;
	for (const [row, line] of shown.entries()) {
		if (row > 0) {
			children.push('\n');
		}

		const clipped = clipLine(line, width);
		widest = Math.max(widest, lineWidth(clipped));
		for (const [index, part] of clipped.entries()) {
			const styled = part.colour !== undefined || part.dim === true || part.bold === true || part.inverse === true;
			children.push(styled
				? <Text key={`${row}:${index}`} color={part.colour} dimColor={part.dim} bold={part.bold} inverse={part.inverse}>{part.text}</Text>
				: part.text);
		}
	}

	const box = useRef<DOMElement>(null);
	const size = useRef<TextSize>({width: 1, height: 1});
	// Read when Ink lays the frame out, which follows this render.
	size.current = children.length === 0 ? {width: 1, height: 1} : {width: widest, height: shown.length};
	useLayoutEffect(() => {
		measureFromProps(box.current, size);
	}, []);

	return (
		<Box ref={box} width={width} flexShrink={0}>
			<Text>{children.length === 0 ? ' ' : children}</Text>
		</Box>
	);
}
