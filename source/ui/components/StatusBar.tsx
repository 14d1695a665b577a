import {memo} from 'react';
import type {SourceStatus} from '../../bus/messages.js';
import type {StateStats} from '../../state/types.js';
import {count, duration, rate, recordingText, safe, truncate, widthOf} from '../format.js';
import {decodeErrors, type ProblemCounts, type RecordingInfo} from '../store.js';
import type {Colour} from '../theme.js';
import {segment as styled, type SegmentLine} from '../segments.js';
import {Lines} from './Lines.js';

export type StatusBarProps = {
	status: SourceStatus | undefined;
	problems: ProblemCounts;
	stats: StateStats;
	eventsPerSecond: number;
	/** Frame-rate cap and the frames actually drawn per second. */
	fpsCap: number;
	fps: number;
	// eslint-disable-next-line react/boolean-prop-naming -- named as in the UI state (ui.frozen), and so in the status line's callers and tests
	frozen: boolean;
	recording?: RecordingInfo;
	/** The latest `--alert` while it is shown, and how many came in that time. */
	alert?: {text: string; count: number};
	width: number;
};

export type Segment = {
	text: string;
	colour?: Colour;
	bold?: boolean;
	inverse?: boolean;
	dim?: boolean;
	priority: number;
	/** May be cut (down to a few cells) before anything is dropped. */
	shrink?: boolean;
};

const minShrunk = 12;

const stateColours: Record<SourceStatus['state'], Colour> = {
	idle: 'gray',
	connecting: 'yellow',
	connected: 'green',
	reconnecting: 'yellow',
	disconnected: 'red',
	ended: 'gray',
};

function connection(status: SourceStatus | undefined): string {
	if (status === undefined) {
		return 'no source yet';
	}

	let text = `${status.source} ${status.state}`;
	if (status.state === 'reconnecting') {
		const parts = [status.attempt === undefined ? undefined : `try ${status.attempt}`, status.nextRetryMs === undefined ? undefined : `in ${duration(status.nextRetryMs)}`].filter(Boolean);
		text += parts.length > 0 ? ` (${parts.join(', ')})` : '';
	}

	return text;
}

/** The status line's parts in display order; when the line is too narrow the lowest priorities go first. */
export function statusSegments(props: Omit<StatusBarProps, 'width'>): Segment[] {
	const {status, problems, stats, eventsPerSecond, fpsCap, fps, frozen, recording, alert} = props;
	const segments: Segment[] = [];
	if (frozen) {
		segments.push({text: ' FROZEN (p to resume) ', inverse: true, colour: 'yellow', bold: true, priority: 10});
	}

	if (alert !== undefined) {
		// The alert's text is cleaned where it is made (analyze/alerts.ts) and again here, as everything shown is.
		// Not shrinkable: for its 10 s the alert takes the room of the lower-priority parts, which are dropped instead.
		segments.push({text: ` ALERT ${safe(alert.text, 90)}${alert.count > 1 ? ` (+${alert.count - 1} more)` : ''} `, inverse: true, colour: 'red', bold: true, priority: 9.5});
	}

	segments.push(
		{text: `● ${connection(status)}`, colour: status === undefined ? 'gray' : stateColours[status.state], priority: 9},
		{text: `ping ${status?.latencyMs === undefined ? '–' : `${Math.round(status.latencyMs)}ms`}`, priority: 5},
		{text: `reconnects ${status?.reconnects ?? 0}`, priority: 4},
		{text: `${rate(eventsPerSecond)} ev/s`, priority: 8},
		{text: `decode errors ${count(decodeErrors(problems))}`, colour: decodeErrors(problems) > 0 ? 'red' : undefined, priority: 7},
		{text: `fps ${Math.round(fps)}/${fpsCap}`, priority: 6},
	);
	if (recording !== undefined) {
		const failing = recording.failures > 0 || recording.dropped > 0;
		segments.push({text: recordingText(recording), colour: failing ? 'red' : 'magenta', bold: failing, priority: failing ? 7.5 : 5.5});
	}

	if (stats.fieldErrors > 0 || stats.internalErrors > 0) {
		segments.push({text: `field errors ${count(stats.fieldErrors + stats.internalErrors)}`, colour: 'yellow', priority: 3});
	}

	const detail = status?.detail === undefined || status.state === 'connected' || status.state === 'connecting' ? undefined : safe(status.detail, 120);
	if (detail !== undefined && detail !== '') {
		segments.push({text: detail, dim: true, priority: 2, shrink: true});
	}

	const last = problems.recent[0];
	if (last !== undefined) {
		// The count always fits; the latest message gets what room is left (all of them are printed at exit).
		segments.push(
			{text: `! ${count(problems.total)} problem${problems.total === 1 ? '' : 's'}`, colour: 'red', bold: true, priority: 6.5},
			{text: safe(last.message, 160), colour: 'red', priority: 1, shrink: true},
		);
	}

	segments.push({text: '? help', dim: true, priority: 0});
	return segments;
}

const separator = ' │ ';

/** Cut long text segments, then drop the lowest-priority ones, until the line fits `width`. */
export function fitSegments(segments: readonly Segment[], width: number): Segment[] {
	const kept = [...segments];
	const total = () => kept.reduce((sum, segment, index) => sum + widthOf(segment.text) + (index === 0 ? 0 : separator.length), 0);
	for (let over = total() - width; over > 0 && kept.length > 0; over = total() - width) {
		let shrinkable = -1;
		for (const [index, segment] of kept.entries()) {
			if (segment.shrink === true && widthOf(segment.text) > minShrunk && (shrinkable === -1 || segment.priority < kept[shrinkable]!.priority)) {
				shrinkable = index;
			}
		}

		if (shrinkable !== -1) {
			const segment = kept[shrinkable]!;
			kept[shrinkable] = {...segment, text: truncate(segment.text, Math.max(minShrunk, widthOf(segment.text) - over))};
			continue;
		}

		if (kept.length === 1) {
			kept[0] = {...kept[0]!, text: truncate(kept[0]!.text, width)};
			break;
		}

		let lowest = 0;
		for (let index = 1; index < kept.length; index++) {
			if (kept[index]!.priority < kept[lowest]!.priority) {
				lowest = index;
			}
		}

		kept.splice(lowest, 1);
	}

	return kept;
}

/** The status line as segments: the kept parts with dim separators between them. */
export function statusLine(props: Omit<StatusBarProps, 'width'>, width: number): SegmentLine {
	const line: Array<SegmentLine[number]> = [];
	for (const [index, part] of fitSegments(statusSegments(props), width).entries()) {
		if (index > 0) {
			line.push(styled(separator, {dim: true}));
		}

		line.push(styled(part.text, {colour: part.colour, bold: part.bold, inverse: part.inverse, dim: part.dim}));
	}

	return line;
}

function StatusBarView({width, ...parts}: StatusBarProps) {
	return <Lines lines={[statusLine(parts, width)]} width={width} height={1}/>;
}

export const StatusBar = memo(StatusBarView);
