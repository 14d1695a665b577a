import {useEffect, useState} from 'react';
import {useStdout} from 'ink';
import type {Size} from '../layout.js';

function sizeOf(stdout: NodeJS.WriteStream): Size {
	return {columns: stdout.columns || 80, rows: stdout.rows || 24};
}

/** The terminal's size, following resizes; a fixed `override` (tests) wins. */
export function useTerminalSize(override?: Size): Size {
	const {stdout} = useStdout();
	const [size, setSize] = useState<Size>(() => sizeOf(stdout));
	useEffect(() => {
		if (override !== undefined) {
			return;
		}

		const onResize = () => {
			setSize(sizeOf(stdout));
		};

		stdout.on('resize', onResize);
		return () => {
			stdout.off('resize', onResize);
		};
	}, [stdout, override]);
	return override ?? size;
}
