import type {Random} from './random.js';

/** A simulated player: who they are on the feed. */
export type Player = {
	/** Privy DID, as the feed's playerId and leaderboard id. */
	id: string;
	/** Null for players who never chose a name (the feed sends null). */
	username: string | null;
	level: number;
	/** Typical stake, in SOL: some players bet 0.001, a few bet whole coins. */
	stake: number;
};

const firstParts = [
	'Moon', 'Degen', 'Rug', 'Candle', 'Pump', 'Ape', 'Whale', 'Sol', 'Dip', 'Chad', 'Based', 'Lucky',
	'Paper', 'Diamond', 'Turbo', 'Giga', 'Sneaky', 'Hot', 'Cold', 'Silent', 'Wild', 'Neon', 'Lazy', 'Iron',
];
const secondParts = [
	'Hands', 'Rider', 'Hunter', 'Boi', 'Lord', 'Sniper', 'Fox', 'King', 'Surfer', 'Goblin', 'Wizard', 'Ninja',
	'Runner', 'Baron', 'Cat', 'Monk', 'Shark', 'Pilot', 'Bandit', 'Chef', 'Knight', 'Otter', 'Viper', 'Sage',
];

/**
Usernames a hostile or careless player could choose: terminal escape
sequences (clear screen, set the window title, colours), control characters,
bidirectional overrides, emoji, wide CJK characters, a lone surrogate and an
over-long name. rugs-tui must show them without letting any of it act on the
terminal (cleanText).
*/
export const hostileUsernames: readonly string[] = [
	'wipe\u001B[2J\u001B[Hscreen',
	'\u001B]0;pwned\u0007title',
	'\u001B[31mred\u001B[0mname',
	'bell\u0007\u0007\u0007',
	'line\nbreak\rreturn',
	'tab\tand\u0000nul',
	'\u202Eevil\u202Cmirror',
	'🚀🌕moon🐸',
	'火箭人ロケット王',
	'zero\u200Bwidth',
	'lone\uD83Dhalf',
	`long${'W'.repeat(300)}`,
];

/** Chat lines with the same kinds of hostile content. */
export const hostileMessages: readonly string[] = [
	'\u001B[2J\u001B[3J\u001B[Hcleared your screen',
	'\u001B]52;c;cHduZWQ=\u0007clipboard write',
	'\u001B[5mblink\u001B[0m \u001B[7minverse\u001B[0m',
	'\u009B31mC1 CSI\u009B0m',
	'multi\nline\nmessage',
	'🚀🚀🚀 到月球 🌕 ムーン',
	'\u202Ereversed text',
];

const friendlyMessages: readonly string[] = [
	'gm', 'rug incoming', 'sent it', 'who is still in?', 'lfg', 'that candle tho', 'paper hands everywhere',
	'sidebet hit!', 'why did I sell', 'next one is a 10x', 'gn', 'hold hold hold', 'ouch', 'ez',
];

const stakes = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1, 5];
const stakeWeights = [14, 8, 10, 12, 8, 6, 4, 2, 1, 0.5];

function makeName(random: Random, taken: Set<string>): string {
	for (;;) {
		const digits = random.chance(0.4) ? String(random.int(1, 999)) : '';
		const name = `${random.pick(firstParts)}${random.pick(secondParts)}${digits}`;
		if (!taken.has(name)) {
			taken.add(name);
			return name;
		}
	}
}

/** The session's cast: `count` players, a few without a name, some hostile when asked. */
export function createPlayers(random: Random, count: number, hostile: boolean): Player[] {
	const taken = new Set<string>();
	const players: Player[] = [];
	for (let index = 0; index < count; index++) {
		let username: string | null = random.chance(0.08) ? null : makeName(random, taken);
		if (hostile && index % 3 === 1) {
			username = hostileUsernames[Math.floor(index / 3) % hostileUsernames.length]!;
		}

		players.push({
			id: `did:privy:cm${random.alphanumeric(23)}`,
			username,
			level: random.int(1, 80),
			stake: random.weighted(stakes, stakeWeights),
		});
	}

	return players;
}

export function chatMessage(random: Random, hostile: boolean): string {
	return hostile && random.chance(0.5) ? random.pick(hostileMessages) : random.pick(friendlyMessages);
}
