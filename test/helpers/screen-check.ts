import stringWidth from 'string-width';

/**
Checks of a captured screen (tmux capture-pane, or a frame of the App):
numbers cut short, and pane frames that are not whole.
*/

/** Every place where a digit is followed by '…': a number that was cut. */
export function cutNumbers(screen: string): string[] {
	return screen.split('\n').flatMap((line, row) => [...line.matchAll(/\S*\d…\S*/g)].map(match => `row ${row + 1}: "${match[0]}" in "${line.trim()}"`));
}

/** The screen as a grid of cells (a wide character takes two, the second empty). */
function cells(screen: string): string[][] {
	return screen.split('\n').map(line => {
		const row: string[] = [];
		for (const character of line) {
			row.push(character);
			for (let extra = 1; extra < stringWidth(character); extra++) {
				row.push('');
			}
		}

		return row;
	});
}

type Frame = {top: number; left: number; bottom: number; right: number; title: string};

/** The top left of a pane's frame: ╭─ then the pane's number and title, focused ([1 Tick]) or not ( 1 Tick ). */
const frameStart = /╭─(?:\[\d [A-Z][a-z]+]| \d [A-Z][a-z]+ )/g;

/**
The pane frames on a screen, and what is wrong with any of them: each frame
(found by its title, since the chart draws the same round corners) must run
along its top row to a ╮, have │ sides down to ╰ and ╯, and a bottom row of ─
all along.
*/
export function checkFrames(screen: string): {frames: Frame[]; problems: string[]} {
	const grid = cells(screen);
	const at = (row: number, column: number) => grid[row]?.[column] ?? ' ';
	const frames: Frame[] = [];
	const problems: string[] = [];
	const lines = screen.split('\n');
	for (const [top, row] of grid.entries()) {
		const line = lines[top] ?? '';
		for (const match of line.matchAll(frameStart)) {
			// The column of the match in cells.
			const left = stringWidth(line.slice(0, match.index));

			let right = left + 1;
			while (right < row.length && at(top, right) !== '╮' && at(top, right) !== '╭') {
				right++;
			}

			if (at(top, right) !== '╮') {
				problems.push(`frame at row ${top + 1}, column ${left + 1}: its top row has no ╮`);
				continue;
			}

			let bottom = top + 1;
			while (bottom < grid.length && at(bottom, left) === '│') {
				bottom++;
			}

			if (at(bottom, left) !== '╰') {
				problems.push(`frame at row ${top + 1}, column ${left + 1}: its left side stops at row ${bottom + 1} on "${at(bottom, left)}", not ╰`);
				continue;
			}

			const broken: string[] = [];
			for (let side = top + 1; side < bottom; side++) {
				if (at(side, right) !== '│') {
					broken.push(`right side at row ${side + 1} is "${at(side, right)}"`);
				}
			}

			if (at(bottom, right) !== '╯') {
				broken.push(`bottom right is "${at(bottom, right)}"`);
			}

			for (let column = left + 1; column < right; column++) {
				if (at(bottom, column) !== '─') {
					broken.push(`bottom row at column ${column + 1} is "${at(bottom, column)}"`);
					break;
				}
			}

			if (at(top, left + 1) !== '─') {
				broken.push('top row does not start with ╭─');
			}

			if (broken.length > 0) {
				problems.push(`frame at row ${top + 1}, column ${left + 1}: ${broken.join('; ')}`);
				continue;
			}

			frames.push({top, left, bottom, right, title: grid[top]!.slice(left, right + 1).join('')});
		}
	}

	return {frames, problems};
}
