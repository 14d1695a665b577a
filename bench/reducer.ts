import path from 'node:path';
import type {Envelope} from '../source/protocol/envelope.js';
import {readRecording} from '../source/sources/read-recording.js';
import {createState, reduce} from '../source/state/reducer.js';
import {median, withRatio, type Benchmark} from './types.js';

async function envelopesFrom(file: string): Promise<Envelope[]> {
	const envelopes: Envelope[] = [];
	for await (const item of readRecording(file)) {
		if (item.ok) {
			envelopes.push(item.envelope);
		}
	}

	return envelopes;
}

function reduceAll(envelopes: readonly Envelope[], rounds: number): number {
	const start = process.hrtime.bigint();
	for (let round = 0; round < rounds; round++) {
		let state = createState();
		for (const envelope of envelopes) {
			state = reduce(state, envelope);
		}
	}

	return Number(process.hrtime.bigint() - start) / 1e9;
}

function parseAll(texts: readonly string[], rounds: number): number {
	const start = process.hrtime.bigint();
	for (let round = 0; round < rounds; round++) {
		for (const text of texts) {
			JSON.parse(text);
		}
	}

	return Number(process.hrtime.bigint() - start) / 1e9;
}

/**
Reducer throughput on real events, beside JSON.parse of the same events (the
cost every event has already paid before it reaches the state), measured
alternately in the same run.
*/
export const reducerBenchmark: Benchmark = {
	name: 'state reducer',
	async run(context) {
		const file = context.capturesDir === undefined
			? path.resolve('fixtures/session.jsonl')
			: path.join(context.capturesDir, 'public-feed-socketio-client-2025-12-12.jsonl');
		const envelopes = await envelopesFrom(file);
		const texts = envelopes.map(envelope => JSON.stringify(envelope.data));
		const rounds = context.quick ? 2 : 20;
		const samples = context.quick ? 3 : 7;
		const reduceRates: number[] = [];
		const parseRates: number[] = [];
		reduceAll(envelopes, 1);
		parseAll(texts, 1);
		for (let sample = 0; sample < samples; sample++) {
			reduceRates.push((envelopes.length * rounds) / reduceAll(envelopes, rounds));
			parseRates.push((envelopes.length * rounds) / parseAll(texts, rounds));
		}

		context.log(`reducer: ${envelopes.length} events from ${path.basename(file)}`);
		return [withRatio({
			name: `reducer (${path.basename(file)})`,
			value: median(reduceRates),
			unit: 'events/s',
			baseline: {name: 'JSON.parse of the same events', value: median(parseRates)},
			better: 'higher',
		})];
	},
};
