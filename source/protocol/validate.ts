import type {KnownEventName} from './events.js';

/**
Tolerant payload checks. A missing or wrong-typed field is reported (and
counted by the caller), never thrown: readers of the payload still take
whatever fields are usable.
*/

type Kind = 'number' | 'string' | 'boolean' | 'object' | 'array';
/** `?` suffix: the field may also be null. */
type FieldSpec = Kind | `${Kind}?`;

type Schema = {
	required: readonly string[];
	fields: Readonly<Record<string, FieldSpec>>;
};

const leaderboardEntryFields = {
	id: 'string',
	username: 'string?',
	pnl: 'number',
	pnlPercent: 'number',
	positionQty: 'number',
	avgCost: 'number',
	totalInvested: 'number',
	sideBet: 'object?',
} as const satisfies Record<string, FieldSpec>;

const sidebetEventFields = {
	gameId: 'string',
	betAmount: 'number',
	xPayout: 'number',
	startTick: 'number',
	endTick: 'number',
	tickIndex: 'number',
	payout: 'number',
	profit: 'number',
	username: 'string?',
} as const satisfies Record<string, FieldSpec>;

const schemas: Record<KnownEventName, Schema> = {
	gameStateUpdate: {
		required: ['gameId'],
		fields: {
			gameId: 'string',
			active: 'boolean',
			rugged: 'boolean',
			price: 'number',
			tickCount: 'number',
			cooldownTimer: 'number',
			cooldownPaused: 'boolean',
			allowPreRoundBuys: 'boolean',
			tradeCount: 'number',
			connectedPlayers: 'number',
			partialPrices: 'object',
			leaderboard: 'array',
			gameHistory: 'array',
			provablyFair: 'object',
			prices: 'array',
		},
	},
	'standard/newTrade': {
		required: ['gameId', 'type'],
		fields: {
			id: 'string',
			gameId: 'string',
			playerId: 'string',
			username: 'string?',
			type: 'string',
			price: 'number',
			qty: 'number',
			amount: 'number',
			tickIndex: 'number',
		},
	},
	playerUpdate: {
		required: [],
		fields: {
			cash: 'number',
			positionQty: 'number',
			avgCost: 'number',
			cumulativePnL: 'number',
			pnlPercent: 'number',
			totalInvested: 'number',
			sideBet: 'object?',
			sidebets: 'array',
		},
	},
	gameStatePlayerUpdate: {
		// Real frames carry only {gameId, rugpool} while the user has no position.
		required: [],
		fields: {gameId: 'string', leaderboardEntry: 'object'},
	},
	usernameStatus: {
		required: [],
		fields: {id: 'string', username: 'string?', hasUsername: 'boolean'},
	},
	currentSidebet: {required: ['startTick', 'endTick'], fields: sidebetEventFields},
	currentSidebetResult: {required: ['endTick'], fields: sidebetEventFields},
	newSideBet: {required: ['startTick', 'endTick'], fields: sidebetEventFields},
	newChatMessage: {
		required: [],
		fields: {username: 'string?', message: 'string', timestamp: 'number'},
	},
};

type FieldIssue = {
	event: string;
	field: string;
	problem: 'missing' | 'wrong type' | 'not an object';
	expected?: string;
	got?: string;
};

function kindOf(value: unknown): string {
	if (value === null) {
		return 'null';
	}

	if (Array.isArray(value)) {
		return 'array';
	}

	if (typeof value === 'number' && !Number.isFinite(value)) {
		return 'non-finite number';
	}

	return typeof value;
}

function matches(value: unknown, spec: FieldSpec): boolean {
	const nullable = spec.endsWith('?');
	if (value === null) {
		return nullable;
	}

	const kind = (nullable ? spec.slice(0, -1) : spec) as Kind;
	switch (kind) {
		case 'number': {
			return typeof value === 'number' && Number.isFinite(value);
		}

		case 'array': {
			return Array.isArray(value);
		}

		case 'object': {
			return typeof value === 'object' && !Array.isArray(value);
		}

		case 'boolean':
		case 'string': {
			return typeof value === kind;
		}
	}
}

function checkFields(event: string, record: Record<string, unknown>, fields: Readonly<Record<string, FieldSpec>>, prefix: string, issues: FieldIssue[]): void {
	for (const field in fields) {
		if (!(field in record)) {
			continue;
		}

		const spec = fields[field]!;
		const value = record[field];
		if (!matches(value, spec)) {
			issues.push({event, field: prefix + field, problem: 'wrong type', expected: spec, got: kindOf(value)});
		}
	}
}

/**
Check a payload against what the captures show. Returns the problems found
(an empty array when there are none); unknown events and fields are not checked.
*/
export function checkPayload(event: string, data: unknown): FieldIssue[] {
	// Own keys only: the event name comes from the feed, and `__proto__` or
	// `constructor` would otherwise find Object.prototype's members.
	const schema = Object.hasOwn(schemas, event) ? (schemas as Record<string, Schema>)[event] : undefined;
	if (schema === undefined) {
		return [];
	}

	if (typeof data !== 'object' || data === null || Array.isArray(data)) {
		return [{event, field: '(payload)', problem: 'not an object', got: kindOf(data)}];
	}

	const record = data as Record<string, unknown>;
	const issues: FieldIssue[] = [];
	for (const field of schema.required) {
		if (!(field in record)) {
			issues.push({event, field, problem: 'missing'});
		}
	}

	checkFields(event, record, schema.fields, '', issues);
	if (event === 'gameStatePlayerUpdate') {
		const entry = record['leaderboardEntry'];
		if (typeof entry === 'object' && entry !== null && !Array.isArray(entry)) {
			checkFields(event, entry as Record<string, unknown>, leaderboardEntryFields, 'leaderboardEntry.', issues);
		}
	}

	return issues;
}

export function describeIssue(issue: FieldIssue): string {
	switch (issue.problem) {
		case 'missing': {
			return `${issue.event}: field ${issue.field} is missing`;
		}

		case 'not an object': {
			return `${issue.event}: payload is ${issue.got ?? 'unknown'}, expected an object`;
		}

		case 'wrong type': {
			return `${issue.event}: field ${issue.field} is ${issue.got ?? 'unknown'}, expected ${issue.expected ?? 'another type'}`;
		}
	}
}
