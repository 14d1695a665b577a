import {cdpBenchmark} from './cdp.js';
import {dayBenchmark} from './day.js';
import {decodeBenchmark} from './decode.js';
import {directBenchmark} from './direct.js';
import {generatorBenchmark} from './generator.js';
import {recorderCompressBenchmark} from './recorder-compress.js';
import {recorderBenchmark} from './recorder.js';
import {readersBenchmark} from './readers.js';
import {reducerBenchmark} from './reducer.js';
import {renderBenchmark} from './render.js';
import {startupBenchmark} from './startup.js';
import {tuiBenchmark} from './tui.js';
import type {Benchmark} from './types.js';
import {verifyBenchmark} from './verify.js';

/** Every benchmark `npm run bench` runs, in order. */
export const benchmarks: Benchmark[] = [
	decodeBenchmark,
	reducerBenchmark,
	directBenchmark,
	cdpBenchmark,
	verifyBenchmark,
	recorderBenchmark,
	recorderCompressBenchmark,
	readersBenchmark,
	generatorBenchmark,
	renderBenchmark,
	tuiBenchmark,
	dayBenchmark,
	startupBenchmark,
];
