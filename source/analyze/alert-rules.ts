/**
The rules `--alert RULE` takes (repeatable):
- `price>=X`: the live multiplier reaches X in a game (once per game);
- `rug`: every rug, with its tick and peak;
- `player:NAME`: a trade by that player (the name as the feed shows it, any case);
- `unfair`: a finished game fails a provably-fair check;
- `silent:S`: no event for S seconds (once per silence).
*/

export type AlertRule =
	| {kind: 'price'; threshold: number; text: string}
	| {kind: 'rug'; text: string}
	| {kind: 'player'; name: string; text: string}
	| {kind: 'unfair'; text: string}
	| {kind: 'silent'; seconds: number; text: string};

export const ruleHelp = 'a rule is price>=X (e.g. price>=2), rug, player:NAME, unfair, or silent:S (seconds, e.g. silent:30)';

/** A positive, finite number written plainly (`2`, `1.5`, `.5`), or undefined. */
function positive(text: string): number | undefined {
	if (!/^(?:\d+(?:\.\d*)?|\.\d+)$/.test(text)) {
		return undefined;
	}

	const value = Number(text);
	return Number.isFinite(value) && value > 0 ? value : undefined;
}

/** The rule, or what is wrong with it. */
export function parseRule(input: string): AlertRule | {error: string} {
	const text = input.trim();
	const lower = text.toLowerCase();
	const price = /^price\s*>=\s*(.+?)x?$/i.exec(text);
	if (price !== null) {
		const threshold = positive(price[1]!.trim());
		return threshold === undefined ? {error: `"${input}": the multiplier must be a number greater than 0; ${ruleHelp}`} : {kind: 'price', threshold, text: `price>=${threshold}`};
	}

	if (lower === 'rug' || lower === 'unfair') {
		return {kind: lower, text: lower};
	}

	if (lower.startsWith('player:')) {
		const name = text.slice('player:'.length).trim();
		return name === '' ? {error: `"${input}": player: needs a name; ${ruleHelp}`} : {kind: 'player', name, text: `player:${name}`};
	}

	if (lower.startsWith('silent:')) {
		const seconds = positive(text.slice('silent:'.length).trim().replace(/s$/i, ''));
		return seconds === undefined ? {error: `"${input}": silent: needs a number of seconds greater than 0; ${ruleHelp}`} : {kind: 'silent', seconds, text: `silent:${seconds}`};
	}

	return {error: `"${input}" is not a rule: ${ruleHelp}`};
}

/** Every rule, or the first error. Duplicates are dropped (one alert per rule). */
export function parseRules(inputs: readonly string[]): {rules: AlertRule[]} | {error: string} {
	const rules: AlertRule[] = [];
	for (const input of inputs) {
		const rule = parseRule(input);
		if ('error' in rule) {
			return rule;
		}

		if (!rules.some(known => known.text === rule.text)) {
			rules.push(rule);
		}
	}

	return {rules};
}
