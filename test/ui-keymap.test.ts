import {readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {commandFor, helpLines, keymap, keysEndMarker, keysMarkdown, keysStartMarker, withKeysBlock, type KeyInfo} from '../source/ui/keymap.js';
import {fpsSteps, initialUiState, nextFps, reduceUi, type UiState} from '../source/ui/ui-state.js';
import {projectRoot} from './helpers/project.js';

const none: KeyInfo = {tab: false, shift: false, escape: false, return: false, backspace: false, delete: false, ctrl: false, meta: false};
const key = (input: string, extra: Partial<KeyInfo> = {}) => ({input, key: {...none, ...extra}});

describe('keymap', () => {
	it.each([
		['1', {}, {type: 'focus', pane: 'tick'}],
		['5', {}, {type: 'focus', pane: 'trades'}],
		['6', {}, {type: 'focus', pane: 'stats'}],
		['', {tab: true}, {type: 'next-pane'}],
		['', {tab: true, shift: true}, {type: 'previous-pane'}],
		['?', {}, {type: 'toggle-help'}],
		['p', {}, {type: 'toggle-freeze'}],
		[' ', {}, {type: 'replay', action: 'pause'}],
		['<', {}, {type: 'replay', action: 'slower'}],
		[',', {}, {type: 'replay', action: 'slower'}],
		['>', {}, {type: 'replay', action: 'faster'}],
		['.', {}, {type: 'replay', action: 'faster'}],
		['[', {}, {type: 'replay', action: 'previous-game'}],
		[']', {}, {type: 'replay', action: 'next-game'}],
		['e', {}, {type: 'toggle-problems'}],
		['/', {}, {type: 'start-filter'}],
		['v', {}, {type: 'toggle-fair'}],
		['+', {}, {type: 'faster'}],
		['-', {}, {type: 'slower'}],
		['', {escape: true}, {type: 'escape'}],
		['q', {}, {type: 'quit', reason: 'q'}],
		['c', {ctrl: true}, {type: 'quit', reason: 'ctrl-c'}],
	] as const)('normal mode: %j %j', (input, extra, command) => {
		const {key: info} = key(input, extra);
		expect(commandFor('normal', input, info)).toEqual(command);
	});

	it('ignores keys it does not know', () => {
		for (const input of ['x', '7', '9', '0', 'Q']) {
			expect(commandFor('normal', input, none)).toBeUndefined();
		}
	});

	it('sends letters to the filter while it is typed, and only Backspace, Enter, Esc and Ctrl-C act', () => {
		expect(commandFor('filter', 'q', none)).toEqual({type: 'filter-type', text: 'q'});
		expect(commandFor('filter', '1', none)).toEqual({type: 'filter-type', text: '1'});
		expect(commandFor('filter', '', {...none, backspace: true})).toEqual({type: 'filter-erase'});
		expect(commandFor('filter', '', {...none, return: true})).toEqual({type: 'filter-accept'});
		expect(commandFor('filter', '', {...none, escape: true})).toEqual({type: 'escape'});
		expect(commandFor('filter', 'c', {...none, ctrl: true})).toEqual({type: 'quit', reason: 'ctrl-c'});
		expect(commandFor('filter', '', {...none, tab: true})).toBeUndefined();
	});

	it('scrolls the problem log with arrows, pages, Home / End, and lets every other key act as usual', () => {
		expect(commandFor('log', '', {...none, upArrow: true})).toEqual({type: 'scroll-log', by: -1});
		expect(commandFor('log', 'j', none)).toEqual({type: 'scroll-log', by: 1});
		expect(commandFor('log', '', {...none, pageDown: true})).toEqual({type: 'scroll-log', by: 10});
		expect(commandFor('log', '', {...none, home: true})).toEqual({type: 'scroll-log', by: 'top'});
		expect(commandFor('log', 'G', none)).toEqual({type: 'scroll-log', by: 'bottom'});
		expect(commandFor('log', 'e', none)).toEqual({type: 'toggle-problems'});
		expect(commandFor('log', '', {...none, escape: true})).toEqual({type: 'escape'});
		expect(commandFor('log', 'q', none)).toEqual({type: 'quit', reason: 'q'});
		expect(commandFor('log', '3', none)).toEqual({type: 'focus', pane: 'position'});
		// Outside the log the arrows do nothing.
		expect(commandFor('normal', '', {...none, upArrow: true})).toBeUndefined();
	});

	it('lists every binding in the help, under its mode', () => {
		const lines = helpLines();
		expect(lines.filter(line => 'title' in line)).toHaveLength(3);
		for (const binding of keymap) {
			expect(lines).toContainEqual({keys: binding.keys, description: binding.description});
		}
	});
});

describe('README\'s key list', () => {
	it('is exactly what the keymap generates (npm run readme:keys rewrites it)', () => {
		const readme = readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
		const start = readme.indexOf(keysStartMarker);
		const end = readme.indexOf(keysEndMarker);
		expect(start, `README.md needs ${keysStartMarker} … ${keysEndMarker}`).toBeGreaterThan(-1);
		expect(readme.slice(start + keysStartMarker.length, end).trim()).toBe(keysMarkdown());
	});

	it('replaces only the block between the markers', () => {
		const before = `# Title\n\n${keysStartMarker}\nold\n${keysEndMarker}\n\nrest\n`;
		const after = withKeysBlock(before)!;
		expect(after.startsWith(`# Title\n\n${keysStartMarker}\n| Key | Action |`)).toBe(true);
		expect(after.endsWith(`${keysEndMarker}\n\nrest\n`)).toBe(true);
		expect(withKeysBlock(after)).toBe(after);
		expect(withKeysBlock('no markers')).toBeUndefined();
	});
});

describe('reduceUi', () => {
	const start = initialUiState(10);
	const run = (...actions: Array<Parameters<typeof reduceUi>[1]>): UiState => {
		let state = start;
		for (const action of actions) {
			state = reduceUi(state, action);
		}

		return state;
	};

	it('focuses a pane, and maximises it with its own number again', () => {
		expect(run({type: 'focus', pane: 'price'})).toMatchObject({focus: 'price', maximised: false});
		expect(run({type: 'focus', pane: 'price'}, {type: 'focus', pane: 'price'})).toMatchObject({focus: 'price', maximised: true});
		expect(run({type: 'focus', pane: 'tick'}, {type: 'focus', pane: 'tick'})).toMatchObject({focus: 'tick', maximised: false});
	});

	it('cycles focus both ways, wrapping around', () => {
		expect(run({type: 'next-pane'}).focus).toBe('price');
		expect(run({type: 'previous-pane'}).focus).toBe('stats');
		expect(run(...Array.from({length: 5}, () => ({type: 'next-pane'}) as const)).focus).toBe('stats');
		expect(run(...Array.from({length: 6}, () => ({type: 'next-pane'}) as const)).focus).toBe('tick');
	});

	it('types, erases, accepts and clears the filter; pasted escapes are stripped', () => {
		const typed = run({type: 'start-filter'}, {type: 'filter-type', text: 'al'}, {type: 'filter-type', text: '\u001B[2Jice'});
		expect(typed).toMatchObject({editingFilter: true, filter: 'alice', focus: 'trades'});
		expect(reduceUi(typed, {type: 'filter-erase'}).filter).toBe('alic');
		const kept = reduceUi(typed, {type: 'filter-accept'});
		expect(kept).toMatchObject({editingFilter: false, filter: 'alice'});
		expect(reduceUi(kept, {type: 'escape'})).toMatchObject({filter: ''});
		expect(reduceUi(typed, {type: 'escape'})).toMatchObject({editingFilter: false, filter: ''});
	});

	it('steps back one thing per Esc: overlay, then filter, then the maximised pane', () => {
		let state = run({type: 'focus', pane: 'trades'}, {type: 'focus', pane: 'trades'}, {type: 'start-filter'}, {type: 'filter-type', text: 'bob'}, {type: 'filter-accept'}, {type: 'toggle-help'});
		expect(state).toMatchObject({overlay: 'help', filter: 'bob', maximised: true});
		state = reduceUi(state, {type: 'escape'});
		expect(state).toMatchObject({overlay: undefined, filter: 'bob', maximised: true});
		state = reduceUi(state, {type: 'escape'});
		expect(state).toMatchObject({filter: '', maximised: true});
		state = reduceUi(state, {type: 'escape'});
		expect(state).toMatchObject({maximised: false});
		expect(reduceUi(state, {type: 'escape'})).toBe(state);
	});

	it('toggles help, fairness details and freeze', () => {
		expect(run({type: 'toggle-help'}).overlay).toBe('help');
		expect(run({type: 'toggle-help'}, {type: 'toggle-help'}).overlay).toBeUndefined();
		expect(run({type: 'toggle-help'}, {type: 'toggle-fair'}).overlay).toBe('fair');
		expect(run({type: 'toggle-freeze'}).frozen).toBe(true);
		expect(run({type: 'toggle-freeze'}, {type: 'toggle-freeze'}).frozen).toBe(false);
	});

	it('opens the problem log on the newest problem and scrolls it within what it holds', () => {
		const open = run({type: 'scroll-log', by: 5}, {type: 'toggle-problems'});
		expect(open).toMatchObject({overlay: 'problems', logScroll: 0});
		expect(reduceUi(open, {type: 'scroll-log', by: -1}).logScroll).toBe(0);
		expect(reduceUi(open, {type: 'scroll-log', by: 10, max: 4}).logScroll).toBe(4);
		expect(reduceUi(open, {type: 'scroll-log', by: 'bottom', max: 7}).logScroll).toBe(7);
		expect(reduceUi(reduceUi(open, {type: 'scroll-log', by: 'bottom', max: 7}), {type: 'scroll-log', by: 'top', max: 7}).logScroll).toBe(0);
		expect(reduceUi(open, {type: 'escape'}).overlay).toBeUndefined();
	});

	it('steps the frame-rate cap within 1–60', () => {
		expect(run({type: 'faster'}).fps).toBe(15);
		expect(run({type: 'slower'}).fps).toBe(5);
		expect(nextFps(60, 1)).toBe(60);
		expect(nextFps(1, -1)).toBe(1);
		expect(nextFps(12, 1)).toBe(15);
		expect(nextFps(12, -1)).toBe(10);
		expect(fpsSteps[0]).toBe(1);
		expect(fpsSteps.at(-1)).toBe(60);
	});
});
