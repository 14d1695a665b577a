import {paneIds, paneTitles} from './layout.js';
import type {UiAction} from './ui-state.js';

/**
The one table of keys. The input handler, the `?` help overlay and the
README's key list are all generated from it, so they cannot disagree.
*/

/** The parts of Ink's `Key` the keymap looks at. */
export type KeyInfo = {
	tab: boolean;
	shift: boolean;
	escape: boolean;
	return: boolean;
	backspace: boolean;
	delete: boolean;
	ctrl: boolean;
	meta: boolean;
	upArrow?: boolean;
	downArrow?: boolean;
	pageUp?: boolean;
	pageDown?: boolean;
	home?: boolean;
	end?: boolean;
};

/** What the replay keys ask of a replay (the App passes them to its controller). */
export type ReplayAction = 'pause' | 'faster' | 'slower' | 'next-game' | 'previous-game';

type KeyCommand = UiAction | {type: 'quit'; reason: 'q' | 'ctrl-c'} | {type: 'replay'; action: ReplayAction};

/**
Normal keys; the keys that act while the tape filter is being typed; and
those of the problem log (e), where every other key acts as a normal one.
*/
export type KeyMode = 'normal' | 'filter' | 'log';

type KeyBinding = {
	mode: KeyMode;
	/** How the keys are written in the help and the README. */
	keys: string;
	description: string;
	match(input: string, key: KeyInfo): KeyCommand | undefined;
};

const paneList = paneIds.map((pane, index) => `${index + 1} ${paneTitles[pane]}`).join(', ');

function isCtrlC(input: string, key: KeyInfo): boolean {
	return key.ctrl && input === 'c';
}

export const keymap: readonly KeyBinding[] = [
	{
		mode: 'normal',
		keys: `1 – ${paneIds.length}`,
		description: `focus a pane (${paneList}); the focused pane's number again maximises / restores it; a pane that shares a cell comes into it`,
		match(input) {
			const index = /^\d$/.test(input) ? Number(input) - 1 : -1;
			return index >= 0 && index < paneIds.length ? {type: 'focus', pane: paneIds[index]!} : undefined;
		},
	},
	{
		mode: 'normal',
		keys: 'Tab / Shift-Tab',
		description: 'focus the next / previous pane',
		match(_input, key) {
			if (!key.tab) {
				return undefined;
			}

			return key.shift ? {type: 'previous-pane'} : {type: 'next-pane'};
		},
	},
	{
		mode: 'normal',
		keys: '?',
		description: 'show / hide this help',
		match: input => (input === '?' ? {type: 'toggle-help'} : undefined),
	},
	{
		mode: 'normal',
		keys: 'p',
		description: 'freeze / unfreeze the display (data keeps flowing; unfreezing catches up at once)',
		match: input => (input === 'p' ? {type: 'toggle-freeze'} : undefined),
	},
	{
		mode: 'normal',
		keys: 'Space',
		description: 'replay: pause / resume it (a live feed: freeze the display, as p)',
		match: input => (input === ' ' ? {type: 'replay', action: 'pause'} : undefined),
	},
	{
		mode: 'normal',
		keys: '< / > (or , / .)',
		description: 'replay: slower / faster (×0.25 … ×64, then as fast as possible)',
		match(input) {
			if (input === '<' || input === ',') {
				return {type: 'replay', action: 'slower'};
			}

			return input === '>' || input === '.' ? {type: 'replay', action: 'faster'} : undefined;
		},
	},
	{
		mode: 'normal',
		keys: '[ / ]',
		description: 'replay: jump to the previous / next game (back: the state is rebuilt from the start of the file)',
		match(input) {
			if (input === '[') {
				return {type: 'replay', action: 'previous-game'};
			}

			return input === ']' ? {type: 'replay', action: 'next-game'} : undefined;
		},
	},
	{
		mode: 'normal',
		keys: 'e',
		description: 'problem log: the last 200 problems (time, source, kind, message), newest first',
		match: input => (input === 'e' ? {type: 'toggle-problems'} : undefined),
	},
	{
		mode: 'normal',
		keys: '/',
		description: 'filter the trade tape by username or trade type',
		match: input => (input === '/' ? {type: 'start-filter'} : undefined),
	},
	{
		mode: 'normal',
		keys: 'v',
		description: 'provably-fair details of the last games (✓ verified, ✗ failed, ? not checkable)',
		match: input => (input === 'v' ? {type: 'toggle-fair'} : undefined),
	},
	{
		mode: 'normal',
		keys: '+ / - (or = / _)',
		description: 'raise / lower the frame-rate cap',
		match(input) {
			if (input === '+' || input === '=') {
				return {type: 'faster'};
			}

			return input === '-' || input === '_' ? {type: 'slower'} : undefined;
		},
	},
	{
		mode: 'normal',
		keys: 'Esc',
		description: 'close the overlay, clear the filter, or restore a maximised pane',
		match: (_input, key) => (key.escape ? {type: 'escape'} : undefined),
	},
	{
		mode: 'normal',
		keys: 'q / Ctrl-C',
		description: 'quit',
		match(input, key) {
			if (isCtrlC(input, key)) {
				return {type: 'quit', reason: 'ctrl-c'};
			}

			return input === 'q' && !key.ctrl && !key.meta ? {type: 'quit', reason: 'q'} : undefined;
		},
	},
	{
		mode: 'log',
		keys: '↑ / ↓ (or k / j)',
		description: 'scroll by one problem',
		match(input, key) {
			if (key.upArrow === true || input === 'k') {
				return {type: 'scroll-log', by: -1};
			}

			return key.downArrow === true || input === 'j' ? {type: 'scroll-log', by: 1} : undefined;
		},
	},
	{
		mode: 'log',
		keys: 'PgUp / PgDn',
		description: 'scroll by a page',
		match(_input, key) {
			if (key.pageUp === true) {
				return {type: 'scroll-log', by: -logPage};
			}

			return key.pageDown === true ? {type: 'scroll-log', by: logPage} : undefined;
		},
	},
	{
		mode: 'log',
		keys: 'Home / End (or g / G)',
		description: 'the newest / the oldest problem',
		match(input, key) {
			if (key.home === true || input === 'g') {
				return {type: 'scroll-log', by: 'top'};
			}

			return key.end === true || input === 'G' ? {type: 'scroll-log', by: 'bottom'} : undefined;
		},
	},
	{
		mode: 'log',
		keys: 'e / Esc',
		description: 'close the log (every other key acts as usual)',
		match(input, key) {
			if (input === 'e') {
				return {type: 'toggle-problems'};
			}

			return key.escape ? {type: 'escape'} : undefined;
		},
	},
	{
		mode: 'filter',
		keys: 'letters',
		description: 'type the filter (matches part of a username or a trade type)',
		match(input, key) {
			if (key.ctrl || key.meta || key.escape || key.return || key.tab || key.backspace || key.delete || input === '') {
				return undefined;
			}

			return {type: 'filter-type', text: input};
		},
	},
	{
		mode: 'filter',
		keys: 'Backspace / Delete',
		description: 'delete the last character',
		match: (_input, key) => (key.backspace || key.delete ? {type: 'filter-erase'} : undefined),
	},
	{
		mode: 'filter',
		keys: 'Enter',
		description: 'keep the filter and return to the panes',
		match: (_input, key) => (key.return ? {type: 'filter-accept'} : undefined),
	},
	{
		mode: 'filter',
		keys: 'Esc',
		description: 'clear the filter',
		match: (_input, key) => (key.escape ? {type: 'escape'} : undefined),
	},
	{
		mode: 'filter',
		keys: 'Ctrl-C',
		description: 'quit',
		match: (input, key) => (isCtrlC(input, key) ? {type: 'quit', reason: 'ctrl-c'} : undefined),
	},
];

/** Problems a page of the log scrolls by. */
const logPage = 10;

function matchIn(mode: KeyMode, input: string, key: KeyInfo): KeyCommand | undefined {
	for (const binding of keymap) {
		if (binding.mode !== mode) {
			continue;
		}

		const command = binding.match(input, key);
		if (command !== undefined) {
			return command;
		}
	}

	return undefined;
}

/** The command for a key press in a mode; undefined when the key does nothing there. */
export function commandFor(mode: KeyMode, input: string, key: KeyInfo): KeyCommand | undefined {
	return matchIn(mode, input, key) ?? (mode === 'log' ? matchIn('normal', input, key) : undefined);
}

const modeTitles: Record<KeyMode, string> = {
	normal: 'Keys',
	log: 'In the problem log (after e)',
	filter: 'While typing a filter (after /)',
};

const modes: readonly KeyMode[] = ['normal', 'log', 'filter'];

/** The help overlay's lines: a title per mode, then "keys  description" rows. */
export function helpLines(): Array<{keys: string; description: string} | {title: string}> {
	const lines: Array<{keys: string; description: string} | {title: string}> = [];
	for (const mode of modes) {
		lines.push({title: modeTitles[mode]});
		for (const binding of keymap) {
			if (binding.mode === mode) {
				lines.push({keys: binding.keys, description: binding.description});
			}
		}
	}

	return lines;
}

function markdownCell(text: string): string {
	return text.replaceAll('|', String.raw`\|`);
}

/** The README's key list (the text between the keys markers). */
export function keysMarkdown(): string {
	const parts: string[] = [];
	for (const mode of modes) {
		parts.push(mode === 'normal' ? '| Key | Action |' : `\n${modeTitles[mode]}:\n\n| Key | Action |`, '|---|---|');
		for (const binding of keymap) {
			if (binding.mode === mode) {
				parts.push(`| \`${markdownCell(binding.keys)}\` | ${markdownCell(binding.description)} |`);
			}
		}
	}

	return parts.join('\n');
}

export const keysStartMarker = '<!-- keys:start -->';
export const keysEndMarker = '<!-- keys:end -->';

/** The README with its key block replaced by the one the keymap generates; undefined when the markers are missing. */
export function withKeysBlock(readme: string): string | undefined {
	const start = readme.indexOf(keysStartMarker);
	const end = readme.indexOf(keysEndMarker);
	if (start === -1 || end === -1 || end < start) {
		return undefined;
	}

	return `${readme.slice(0, start + keysStartMarker.length)}\n${keysMarkdown()}\n${readme.slice(end)}`;
}
