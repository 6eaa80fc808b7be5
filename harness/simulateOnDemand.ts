// simulate(), as Faultline exports it: first the heavy parts the options use are loaded
// (onDemand.ts), then simulate.ts runs. The load is an async step before the run starts, so it is
// never part of a run's real work or trace, and simulate.ts builds the world synchronously from
// parts that are already there.
import { loadOnDemand } from './onDemand.ts';
import type { Agent, RunResult, SimulateOptions } from './options.ts';
import { RunGlobals } from './sim/runGlobals.ts';
import { simulate as simulateLoaded } from './simulate.ts';

/** Runs `agent` once in a simulated world and reports how the run ended. */
export async function simulate<T>(agent: Agent<T>, options: SimulateOptions = {}): Promise<RunResult<T>> {
  // While another run holds the globals, a module evaluated now would see that run's seeded clock
  // and randomness; simulate() refuses the overlapping call itself, with the reason.
  if (!RunGlobals.busy) await loadOnDemand(options);
  return simulateLoaded(agent, options);
}
