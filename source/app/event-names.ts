import {knownEventNames} from '../protocol/events.js';
import {closest} from './suggest.js';

/**
The event names the feed sends, for checking `--events`: a name outside
this list keeps nothing, which is easy to miss (`--events newTrade` prints no
trade at all), so it gets a warning and the likely real name. It is only a
warning: the feed may have started sending something new.
*/

/**
Besides the events the state reads (protocol/events.ts): those PROTOCOL.md
lists as sent by the server and passed through, the replies to the page's
own requests, the requests themselves (seen through CDP, direction `sent`),
and the names rugs-tui gives acknowledgements and connection events.
*/
const otherFeedEvents = [
	'goldenHourUpdate',
	'goldenHourDrawing',
	'battleEventUpdate',
	'sidebetEventUpdate',
	'maintenanceUpdate',
	'rugRoyaleUpdate',
	'rugpassStatus',
	'playerLeaderboardPosition',
	'leaderboardData',
	'chatHistory',
	'inboxMessages',
	'mutedPlayers',
	'playerCosmetics',
	'authenticate',
	'getLeaderboard',
	'checkUsername',
	'setUsername',
	'getPlayerCosmetics',
	'getPlayerLeaderboardPosition',
	'buyOrder',
	'sellOrder',
	'requestSidebet',
	'ping',
	'ack',
	'connect',
	'disconnect',
	'connect_error',
];

export const feedEventNames: readonly string[] = [...new Set([...knownEventNames, ...otherFeedEvents])];

/** One warning for each name of `--events` the feed never sends, with the name it most likely means. */
export function eventNameWarnings(names: Iterable<string>, known: readonly string[] = feedEventNames): string[] {
	const warnings: string[] = [];
	for (const name of names) {
		if (known.includes(name)) {
			continue;
		}

		const guess = closest(name, known);
		warnings.push(guess === undefined
			? `--events ${name}: the feed sends no event of that name, so it keeps nothing (names are exact, e.g. gameStateUpdate, standard/newTrade)`
			: `--events ${name}: the feed sends no event of that name, so it keeps nothing; did you mean ${guess}?`);
	}

	return warnings;
}
