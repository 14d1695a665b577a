import {decodeBenchmark} from './decode.js';
import {generatorBenchmark} from './generator.js';
import type {Benchmark} from './types.js';

/** Every benchmark `npm run bench` runs, in order. */
export const benchmarks: Benchmark[] = [
	decodeBenchmark,
	generatorBenchmark,
];
