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
};

export type KeyCommand = UiAction | {type: 'quit'; reason: 'q' | 'ctrl-c'};

/** Normal keys, or the keys that act while the tape filter is being typed. */
export type KeyMode = 'normal' | 'filter';

export type KeyBinding = {
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
		keys: '1 – 5',
		description: `focus a pane (${paneList}); the focused pane's number again maximises / restores it`,
		match(input) {
			const index = /^[1-5]$/.test(input) ? Number(input) - 1 : -1;
			return index === -1 ? undefined : {type: 'focus', pane: paneIds[index]!};
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
		keys: 'p / Space',
		description: 'freeze / unfreeze the display (data keeps flowing; unfreezing catches up at once)',
		match: input => (input === 'p' || input === ' ' ? {type: 'toggle-freeze'} : undefined),
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

/** The command for a key press in a mode; undefined when the key does nothing there. */
export function commandFor(mode: KeyMode, input: string, key: KeyInfo): KeyCommand | undefined {
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

export const modeTitles: Record<KeyMode, string> = {
	normal: 'Keys',
	filter: 'While typing a filter (after /)',
};

/** The help overlay's lines: a title per mode, then "keys  description" rows. */
export function helpLines(): Array<{keys: string; description: string} | {title: string}> {
	const lines: Array<{keys: string; description: string} | {title: string}> = [];
	for (const mode of ['normal', 'filter'] as const) {
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
	for (const mode of ['normal', 'filter'] as const) {
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
