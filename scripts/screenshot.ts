import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {mkdir} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {setTimeout as sleep} from 'node:timers/promises';
import {generateSession} from '../source/sim/generate-session.js';

/**
`npm run screenshot [FILE]`: the README's picture of the monitor (default
docs/screen.png), taken from the real terminal. rugs-tui replays a session of
the project's own simulator (a logged-in player: a position, sidebets, the
tape) in tmux at 120×40; once the screen shows a game well under way with a
position held, `tmux capture-pane -e` takes the screen with its colours,
which become HTML (one span per run of a style), which headless Chromium
(CHROME_PATH, else /usr/lib/chromium/chromium) turns into a PNG.
*/

const columns = 120;
const rows = 40;
const output = path.resolve(process.argv[2] ?? 'docs/screen.png');
const chromium = process.env['CHROME_PATH'] ?? '/usr/lib/chromium/chromium';
const socket = `rugs-tui-screenshot-${process.pid}`;
const directory = mkdtempSync(path.join(tmpdir(), 'rugs-tui-screenshot-'));

function tmux(...args: string[]): string {
	return execFileSync('tmux', ['-L', socket, ...args], {encoding: 'utf8'});
}

function quote(text: string): string {
	return `'${text.replaceAll('\'', String.raw`'\''`)}'`;
}

/** The moment worth a picture: a game running for a while, the player holding a position, bets open, a tape. */
function worthIt(screen: string): boolean {
	const tick = Number(/ACTIVE {2}tick (\d+)/.exec(screen)?.[1] ?? -1);
	return tick >= 40 && tick <= 300 && /this game \d+\.\d+ @/.test(screen) && (screen.match(/ left /g)?.length ?? 0) >= 2 && (screen.match(/\b(?:buy|sell)\b/g)?.length ?? 0) >= 8;
}

async function capture(file: string): Promise<string> {
	const bin = path.resolve('bin/rugs-tui.js');
	const command = `env -u CI -u NO_COLOR FORCE_COLOR=1 node ${quote(bin)} --replay ${quote(file)} --speed 6`;
	tmux('new-session', '-d', '-s', 'shot', '-x', String(columns), '-y', String(rows), `sh -c ${quote(`${command}; sleep 600`)}`);
	const deadline = Date.now() + 180_000;
	for (;;) {
		const screen = tmux('capture-pane', '-p', '-t', 'shot');
		if (worthIt(screen)) {
			// One more frame so the screen is a settled one, then the picture with its colours.
			await sleep(150);
			return tmux('capture-pane', '-p', '-e', '-t', 'shot');
		}

		if (Date.now() > deadline || screen.includes('replay finished')) {
			throw new Error(`no screen worth a picture came up; the last one:\n${screen}`);
		}

		await sleep(100);
	}
}

/** The terminal's 16 colours, as a calm dark theme draws them. */
const palette = ['#1d1f21', '#cc6666', '#8cc56c', '#e0b45e', '#81a2be', '#b294bb', '#6fc2c0', '#c5c8c6', '#707880', '#e07070', '#a5d86e', '#f0c674', '#97bbdc', '#c9a5d0', '#8be0dd', '#eaeaea'];
const background = '#15171a';
const foreground = '#d2d4d2';

type Style = {fg: number | undefined; bg: number | undefined; bold: boolean; dim: boolean; inverse: boolean};
const plain: Style = {fg: undefined, bg: undefined, bold: false, dim: false, inverse: false};

/** Apply one SGR sequence's parameters. */
function applySgr(style: Style, codes: number[]): Style {
	let next = {...style};
	for (let index = 0; index < codes.length; index++) {
		const code = codes[index]!;
		switch (code) {
			case 0: {
				next = {...plain};
				continue;
			}

			case 1: {
				next.bold = true;
				continue;
			}

			case 2: {
				next.dim = true;
				continue;
			}

			case 22: {
				next.bold = false;
				next.dim = false;
				continue;
			}

			case 7: {
				next.inverse = true;
				continue;
			}

			case 27: {
				next.inverse = false;
				continue;
			}

			case 39: {
				next.fg = undefined;
				continue;
			}

			case 49: {
				next.bg = undefined;
				continue;
			}

			default:
		}

		if (code >= 30 && code <= 37) {
			next.fg = code - 30;
		} else if (code >= 90 && code <= 97) {
			next.fg = code - 90 + 8;
		} else if (code >= 40 && code <= 47) {
			next.bg = code - 40;
		} else if (code >= 100 && code <= 107) {
			next.bg = code - 100 + 8;
		} else if ((code === 38 || code === 48) && codes[index + 1] === 5) {
			// 256 colours: the 16 base ones by number; others are not used by rugs-tui.
			const colour = codes[index + 2]!;
			if (code === 38) {
				next.fg = colour < 16 ? colour : undefined;
			} else {
				next.bg = colour < 16 ? colour : undefined;
			}

			index += 2;
		}
	}

	return next;
}

function css(style: Style): string {
	let fg = style.fg === undefined ? foreground : palette[style.fg]!;
	let bg = style.bg === undefined ? undefined : palette[style.bg];
	if (style.inverse) {
		[fg, bg] = [bg ?? background, fg];
	}

	const parts = [`color:${fg}`];
	if (bg !== undefined) {
		parts.push(`background:${bg}`);
	}

	if (style.bold) {
		parts.push('font-weight:bold');
	}

	if (style.dim) {
		parts.push('opacity:0.62');
	}

	return parts.join(';');
}

const escapeHtml = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** The captured screen (text with SGR sequences) as HTML rows, one span per run of a style. */
export function screenHtml(ansi: string): string {
	// eslint-disable-next-line no-control-regex -- the SGR sequences tmux writes start with ESC
	const sgr = /\u001B\[([\d;]*)m/g;
	let style = {...plain};
	const lines = ansi.replace(/\n$/, '').split('\n').slice(0, rows).map(line => {
		let html = '';
		let at = 0;
		const run = (text: string) => {
			if (text !== '') {
				html += `<span style="${css(style)}">${escapeHtml(text)}</span>`;
			}
		};

		for (const match of line.matchAll(sgr)) {
			run(line.slice(at, match.index));
			style = applySgr(style, match[1] === '' ? [0] : match[1]!.split(';').map(Number));
			at = match.index + match[0].length;
		}

		run(line.slice(at));
		return `<div class="row">${html}</div>`;
	});
	return `<!doctype html><meta charset="utf-8"><style>
html,body{margin:0;background:${background}}
body{padding:14px 16px}
.screen{font:15px/18px "DejaVu Sans Mono",monospace;color:${foreground};white-space:pre;width:${columns}ch}
.row{height:18px;overflow:hidden}
</style><div class="screen">${lines.join('')}</div>`;
}

async function main(): Promise<void> {
	const file = path.join(directory, 'session.jsonl');
	const envelopes = [...generateSession({seed: 'readme-screenshot', games: 12, authenticated: true, rugTicks: {min: 90, max: 400}})];
	writeFileSync(file, envelopes.map(envelope => `${JSON.stringify(envelope)}\n`).join(''));
	let ansi: string;
	try {
		ansi = await capture(file);
	} finally {
		try {
			tmux('kill-server');
		} catch {
			// Already gone.
		}
	}

	const html = path.join(directory, 'screen.html');
	writeFileSync(html, screenHtml(ansi));
	await mkdir(path.dirname(output), {recursive: true});
	// 120 columns of 15 px DejaVu Sans Mono (9.03 px each) and 40 rows of 18 px, with the padding.
	const width = Math.ceil((columns * 9.04) + 32);
	const height = (rows * 18) + 28;
	execFileSync(chromium, ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--force-device-scale-factor=1', `--window-size=${width},${height}`, `--screenshot=${output}`, `file://${html}`], {stdio: ['ignore', 'ignore', 'pipe']});
	process.stdout.write(`${output}: ${columns}×${rows} screen of rugs-tui\n`);
}

try {
	await main();
} finally {
	rmSync(directory, {recursive: true, force: true});
}
