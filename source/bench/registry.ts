import {decodeBenchmark} from './decode.js';
import {directBenchmark} from './direct.js';
import {generatorBenchmark} from './generator.js';
import {reducerBenchmark} from './reducer.js';
import type {Benchmark} from './types.js';

/** Every benchmark `npm run bench` runs, in order. */
export const benchmarks: Benchmark[] = [
	decodeBenchmark,
	reducerBenchmark,
	directBenchmark,
	generatorBenchmark,
];
