import {memo} from 'react';
import type {SourceStatus} from '../../bus/messages.js';
import type {ReplayProgress} from '../../sources/replay.js';
import type {StateStats} from '../../state/types.js';
import {baseName, count, duration, endpointText, playTime, problemMessage, rate, recordingText, safe, truncate, widthOf} from '../format.js';
import {decodeErrors, type ProblemCounts, type RecordingInfo} from '../store.js';
import type {Colour} from '../theme.js';
import {segment as styled, type SegmentLine} from '../segments.js';
import {Lines} from './Lines.js';

type StatusBarProps = {
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
	replay?: ReplayProgress;
	/** The latest `--alert` while it is shown, and how many came in that time. */
	alert?: {text: string; count: number};
	width: number;
};

type Segment = {
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

/**
The source and its connection. While it is down: which source is trying
where, and the one count of tries (attempt n of this outage, as the sources
publish it), with the time to the next; once up again, how many times it
came back (reconnects), only when it did.
*/
function connection(status: SourceStatus | undefined): string {
	if (status === undefined) {
		return 'no source yet';
	}

	const where = endpointText(status.endpoint);
	switch (status.state) {
		case 'reconnecting': {
			const next = status.nextRetryMs === undefined ? '' : `, next in ${duration(status.nextRetryMs)}`;
			return `${status.source} reconnecting${where === undefined ? '' : ` to ${where}`}${status.attempt === undefined ? '' : ` · attempt ${status.attempt}`}${next}`;
		}

		case 'connecting': {
			return `${status.source} connecting${where === undefined ? '' : ` to ${where}`}${status.attempt === undefined ? '' : ` · attempt ${status.attempt}`}`;
		}

		case 'connected': {
			const again = (status.reconnects ?? 0) > 0 ? ` · reconnected ${count(status.reconnects)}×` : '';
			return `${status.source} connected${where === undefined ? '' : ` (${where})`}${again}`;
		}

		case 'ended': {
			return `${status.source} ended${status.attempt === undefined ? '' : ` after ${status.attempt} attempts`}`;
		}

		case 'idle':
		case 'disconnected': {
			return `${status.source} ${status.state}${where === undefined ? '' : ` (${where})`}`;
		}
	}
}

function speedText(speed: number): string {
	return speed <= 0 ? 'max speed' : `×${speed}`;
}

/** A replay's parts: the file, event n of N, played time of the total, the speed (or that it is paused, or finished). */
function replaySegments(replay: ReplayProgress): Segment[] {
	const file = replay.file === undefined ? '' : baseName(replay.file);
	const files = replay.files > 1 ? ` (${replay.fileIndex}/${replay.files})` : '';
	const segments: Segment[] = [];
	if (replay.finished === undefined) {
		segments.push({text: replay.paused ? ' PAUSED (Space plays) ' : `playing ${speedText(replay.speed)}`, inverse: replay.paused, bold: replay.paused, colour: replay.paused ? 'yellow' : 'green', priority: 9.5});
	} else {
		const result = replay.finished;
		segments.push({text: `replay finished: ${count(result.events)} events, ${count(result.badLines)} bad lines${result.unreadableFiles > 0 ? `, ${count(result.unreadableFiles)} unreadable files` : ''}`, bold: true, priority: 9.5});
	}

	segments.push(
		{text: `event ${count(replay.event)}${replay.events === undefined ? '' : `/${count(replay.events)}`}`, priority: 8.5},
		{text: `${playTime(replay.playedMs)}${replay.totalMs === undefined ? '' : `/${playTime(replay.totalMs)}`}`, priority: 8.2},
		{text: `${file}${files}`, dim: true, priority: 3, shrink: true},
	);
	return segments;
}

/** The status line's parts in display order; when the line is too narrow the lowest priorities go first. */
function statusSegments(props: Omit<StatusBarProps, 'width'>): Segment[] {
	const {status, problems, stats, eventsPerSecond, fpsCap, fps, frozen, recording, replay, alert} = props;
	const segments: Segment[] = [];
	if (frozen) {
		segments.push({text: ' FROZEN (p to resume) ', inverse: true, colour: 'yellow', bold: true, priority: 10});
	}

	if (alert !== undefined) {
		// The alert's text is cleaned where it is made (analyze/alerts.ts) and again here, as everything shown is.
		// Above everything but FROZEN: for its 10 s the alert takes the room of the other parts (a replay's state
		// included), which are dropped first; on a narrow line its detail is shortened rather than the alert lost.
		segments.push({text: ` ALERT ${safe(alert.text, 90)}${alert.count > 1 ? ` (+${alert.count - 1} more)` : ''} `, inverse: true, colour: 'red', bold: true, priority: 9.8, shrink: true});
	}

	if (replay === undefined) {
		segments.push(
			{text: `● ${connection(status)}`, colour: status === undefined ? 'gray' : stateColours[status.state], priority: 9},
			{text: `ping ${status?.latencyMs === undefined ? '–' : `${Math.round(status.latencyMs)}ms`}`, priority: 5},
		);
	} else {
		segments.push(...replaySegments(replay));
	}

	segments.push(
		{text: `${rate(eventsPerSecond)} ev/s`, priority: 8},
		{text: `decode errors ${count(decodeErrors(problems))}`, colour: decodeErrors(problems) > 0 ? 'red' : undefined, priority: 7},
		{text: `fps ${Math.round(fps)}/${fpsCap}`, priority: 4.5},
	);
	if (recording !== undefined) {
		const failing = recording.failures > 0 || recording.dropped > 0;
		segments.push({text: recordingText(recording), colour: failing ? 'red' : 'magenta', bold: failing, priority: failing ? 7.5 : 5.5});
	}

	if (stats.fieldErrors > 0 || stats.internalErrors > 0) {
		segments.push({text: `field errors ${count(stats.fieldErrors + stats.internalErrors)}`, colour: 'yellow', priority: 3});
	}

	const detail = replay !== undefined || status?.detail === undefined || status.state === 'connected' || status.state === 'connecting' ? undefined : safe(status.detail, 120);
	if (detail !== undefined && detail !== '') {
		segments.push({text: detail, dim: true, priority: 2, shrink: true});
	}

	const last = problems.recent[0];
	if (last !== undefined) {
		// The count always fits; the latest message whenever there is room for it (e lists them all).
		segments.push(
			{text: `! ${count(problems.total)} problem${problems.total === 1 ? '' : 's'} (e)`, colour: 'red', bold: true, priority: 8.6},
			{text: problemMessage(last.message), colour: 'red', priority: 8.4, shrink: true},
		);
	}

	segments.push({text: '? help', dim: true, priority: 0});
	return segments;
}

const separator = ' │ ';

/**
Until the line fits `width`: take the lowest-priority part; cut it (down to a
few cells) if it may be cut, else drop it. So a problem's message (high in
priority) keeps its room while rates and counters of lower priority go.
*/
function fitSegments(segments: readonly Segment[], width: number): Segment[] {
	const kept = [...segments];
	const total = () => kept.reduce((sum, segment, index) => sum + widthOf(segment.text) + (index === 0 ? 0 : separator.length), 0);
	for (let over = total() - width; over > 0 && kept.length > 0; over = total() - width) {
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

		const segment = kept[lowest]!;
		if (segment.shrink === true && widthOf(segment.text) > minShrunk) {
			kept[lowest] = {...segment, text: truncate(segment.text, Math.max(minShrunk, widthOf(segment.text) - over))};
			continue;
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
