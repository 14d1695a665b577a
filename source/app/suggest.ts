/**
"Did you mean …?" for a name typed on the command line (a flag, an event
name): the known name it most likely stands for, or undefined when none is
close enough to be worth saying.
*/

/** Edits (insert, delete, substitute, swap two neighbours) from `a` to `b`. */
export function editDistance(a: string, b: string): number {
	// Rows of the Damerau–Levenshtein table (optimal string alignment): two back, one back, this one.
	let before = Array.from({length: b.length + 1}, () => 0);
	let previous = Array.from({length: b.length + 1}, (_value, index) => index);
	for (let i = 1; i <= a.length; i++) {
		const current = [i];
		for (let j = 1; j <= b.length; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
				best = Math.min(best, before[j - 2]! + 1);
			}

			current.push(best);
		}

		before = previous;
		previous = current;
	}

	return previous[b.length]!;
}

/** The part after the last `/`: `standard/newTrade` → `newTrade`. */
function lastSegment(name: string): string {
	return name.slice(name.lastIndexOf('/') + 1);
}

/**
The candidate `word` most likely means, tried in this order: the same name in
another case (`gamestateupdate`); the one name whose last `/` segment it is
(`newTrade` → `standard/newTrade`); the one name it begins, or that begins
it, given at least 3 letters; the nearest name within a third of its length
in edits (`sped` → `speed`), when no other is as near.
*/
export function closest(word: string, candidates: readonly string[]): string | undefined {
	const lower = word.toLowerCase();
	if (lower === '') {
		return undefined;
	}

	const names = candidates.map(name => ({name, lower: name.toLowerCase()}));
	const unique = (found: ReadonlyArray<{name: string}>) => (found.length === 1 ? found[0]!.name : undefined);

	const sameCase = names.find(candidate => candidate.lower === lower);
	if (sameCase !== undefined) {
		return sameCase.name;
	}

	const segment = unique(names.filter(candidate => candidate.lower.endsWith(`/${lower}`) || lastSegment(candidate.lower) === lastSegment(lower)));
	if (segment !== undefined) {
		return segment;
	}

	if (lower.length >= 3) {
		const prefix = unique(names.filter(candidate => candidate.lower.startsWith(lower) || lower.startsWith(candidate.lower)));
		if (prefix !== undefined) {
			return prefix;
		}
	}

	const scored = names.map(candidate => ({
		name: candidate.name,
		distance: Math.min(editDistance(lower, candidate.lower), editDistance(lastSegment(lower), lastSegment(candidate.lower))),
	}));
	const best = Math.min(...scored.map(candidate => candidate.distance));
	if (best > Math.max(1, Math.floor(word.length / 3))) {
		return undefined;
	}

	return unique(scored.filter(candidate => candidate.distance === best));
}
