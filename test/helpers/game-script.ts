import {envelopeArguments} from '../../source/protocol/envelope.js';
import {gameCycle, seedForLength} from '../../source/sim/game-cycle.js';

/**
A small rugs.fun session as Socket.IO events (event name plus its arguments,
as the server emits them), played by the simulator's scripted game cycle with
real seeded price paths: a game joined at tick 0 with trades (two-argument
events with a trace) and chat, its rug and gameHistory frame (with an older
game), then the next game's cooldown (its 15000 frame repeating the history),
presale and first ticks (tick 0 repeating it once more). Enough for the state
to have trades, a price path, a finished game and history to double-count.
*/
type ScriptEvent = {event: string; args: unknown[]};

const olderId = '20251212-0000000000000001';
const firstId = '20251212-00000000000000a1';
const secondId = '20251212-00000000000000b2';

export function syntheticSession(): ScriptEvent[] {
	const older = gameCycle({gameId: olderId, serverSeed: seedForLength(olderId, 25, 35, 'script')});
	const first = gameCycle({
		gameId: firstId,
		serverSeed: seedForLength(firstId, 35, 45, 'script'),
		startTs: older.endTs + 2000,
		cooldownTimers: [],
		presaleTimers: [],
		tradeEvery: 4,
		chatTicks: [5, 15, 25, 35],
		history: [older.entry],
	});
	const second = gameCycle({
		gameId: secondId,
		serverSeed: seedForLength(secondId, 30, 60, 'script'),
		startTs: first.endTs + 400,
		seq: first.nextSeq,
		cooldownTimers: Array.from({length: 11}, (_, index) => 15_000 - (index * 100)),
		presaleTimers: Array.from({length: 11}, (_, index) => 10_000 - (index * 100)),
		historyAtCooldown: true,
		historyAtTickZero: true,
		maxTicks: 11,
		tradeEvery: 3,
		history: [first.entry, older.entry],
	});
	return [...first.envelopes, ...second.envelopes].map(envelope => ({event: envelope.event, args: envelopeArguments(envelope)}));
}

/**
What a server plausibly sends again right after a client reconnects, given
what it had sent before: the current game frame (a repeated tick), the latest
gameHistory frame, and the last few trades. None of it is new.
*/
export function resentAfterReconnect(sent: readonly ScriptEvent[]): ScriptEvent[] {
	const frames = sent.filter(item => item.event === 'gameStateUpdate');
	const withHistory = frames.filter(item => typeof item.args[0] === 'object' && item.args[0] !== null && 'gameHistory' in item.args[0]);
	const trades = sent.filter(item => item.event === 'standard/newTrade').slice(-3);
	return [...withHistory.slice(-1), ...trades, ...frames.slice(-1)];
}
