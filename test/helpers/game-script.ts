/**
A small synthetic rugs.fun session as Socket.IO events (event name plus its
arguments, as the server emits them): two games with trades (two-argument
events with a trace), a rug, gameHistory frames that repeat the same finished
games, and the next game's cooldown and first ticks. Enough for the state to
have trades, a price path, a finished game and history to double-count.
*/
export type ScriptEvent = {event: string; args: unknown[]};

const trace = (n: number) => ({__trace: true, traceparent: `00-${String(n).padStart(32, '0')}-00f067aa0ba902b7-01`});

function pricePath(ticks: number, seed: number): number[] {
	const prices = [1];
	for (let tick = 1; tick < ticks; tick++) {
		prices.push(Math.round(prices[tick - 1]! * (1 + (Math.sin((tick * 7) + seed) / 20)) * 10_000) / 10_000);
	}

	return prices;
}

function historyEntry(id: string, prices: number[], rugPrice: number, timestamp: number) {
	return {
		id,
		timestamp,
		prices: [...prices, rugPrice],
		peakMultiplier: Math.max(...prices),
		rugged: true,
		globalTrades: [],
		globalSidebets: [],
		provablyFair: {serverSeed: `seed-${id}`, serverSeedHash: `hash-${id}`},
		gameVersion: 'v3',
	};
}

export function syntheticSession(): ScriptEvent[] {
	const events: ScriptEvent[] = [];
	const older = historyEntry('20251212-0000000000000001', pricePath(30, 1), 0.01, 1_765_000_000_000);
	const firstPrices = pricePath(40, 2);
	const first = '20251212-00000000000000a1';
	const second = '20251212-00000000000000b2';
	let traceNumber = 0;
	let tradeNumber = 0;

	const trade = (gameId: string, tick: number, type: string, username: string) => {
		tradeNumber++;
		events.push({event: 'standard/newTrade', args: [trace(++traceNumber), {
			id: `trade-${tradeNumber}`, gameId, playerId: `did:privy:${username}`, username, level: 3, type,
			price: firstPrices[tick] ?? 1, qty: tradeNumber * 10, amount: 0.01 * tradeNumber, tickIndex: tick, coin: 'solana',
		}]});
	};

	for (let tick = 0; tick < firstPrices.length; tick++) {
		const values: Record<string, number> = {};
		for (let back = Math.max(0, tick - 4); back <= tick; back++) {
			values[String(back)] = firstPrices[back]!;
		}

		events.push({event: 'gameStateUpdate', args: [{
			gameId: first, active: true, rugged: false, price: firstPrices[tick], tickCount: tick,
			partialPrices: {startTick: Math.max(0, tick - 4), endTick: tick, values},
			tradeCount: tradeNumber, connectedPlayers: 200 + tick, leaderboard: [],
			provablyFair: {serverSeedHash: `hash-${first}`, version: 'v3'},
		}]});
		if (tick % 4 === 1) {
			trade(first, tick - 1, tick % 8 === 1 ? 'buy' : 'sell', `player${tick}`);
		}

		if (tick % 10 === 5) {
			events.push({event: 'newChatMessage', args: [trace(++traceNumber), {username: `chatter${tick}`, message: `gm ${tick}`}]});
		}
	}

	const rugTick = firstPrices.length;
	events.push({event: 'gameStateUpdate', args: [{gameId: first, active: true, rugged: true, price: 0.004, tickCount: rugTick, leaderboard: []}]});
	const finished = historyEntry(first, firstPrices, 0.004, 1_765_000_100_000);
	events.push({event: 'gameStateUpdate', args: [{gameId: first, active: true, rugged: true, price: 0.004, tickCount: rugTick + 1, gameHistory: [finished, older]}]});
	for (let timer = 15_000; timer >= 14_000; timer -= 100) {
		const frame: Record<string, unknown> = {
			gameId: second, cooldownTimer: timer, cooldownPaused: false, allowPreRoundBuys: false, leaderboard: [], connectedPlayers: 190,
			provablyFair: {serverSeedHash: `hash-${second}`, version: 'v3'},
		};
		if (timer === 15_000) {
			frame['gameHistory'] = [finished, older];
		}

		events.push({event: 'gameStateUpdate', args: [frame]});
	}

	for (let timer = 10_000; timer >= 9000; timer -= 100) {
		events.push({event: 'gameStateUpdate', args: [{gameId: second, cooldownTimer: timer, allowPreRoundBuys: true, leaderboard: []}]});
	}

	const secondPrices = pricePath(12, 3);
	for (const [tick, secondPrice] of secondPrices.entries()) {
		events.push({event: 'gameStateUpdate', args: [{
			gameId: second, active: true, rugged: false, price: secondPrice, tickCount: tick,
			partialPrices: {startTick: tick, endTick: tick, values: {[String(tick)]: secondPrice}}, leaderboard: [],
			...(tick === 0 ? {gameHistory: [finished, older]} : {}),
		}]});
		if (tick % 3 === 2) {
			trade(second, tick, 'buy', `late${tick}`);
		}
	}

	return events;
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
