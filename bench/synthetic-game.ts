/**
The benchmarks' game of a chosen length: the simulator's scripted game cycle
(source/sim/game-cycle.ts), under the names the benchmarks use. There is one
game generator; this file only names it.
*/
export {gameCycle as syntheticGame, seedForLength, type GameCycle as SyntheticGame, type GameCycleOptions as SyntheticGameOptions} from '../source/sim/game-cycle.js';
