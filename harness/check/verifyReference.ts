// A check or soak given a `reference` (how worker threads load its scenario and agent) loads it
// here, in the calling thread, before any run: a reference no worker could use (a file that does
// not exist, a module without `scenario`, an unknown built-in id or agent name) is refused at once,
// saying what is wrong and the nearest valid name, instead of when the first case reaches a worker.
// It is verified whatever the worker count, so that a wrong reference cannot wait, unnoticed, for
// the nightly job that raises the runs enough to start workers.
import type { LoadedReference } from '../loadReference.ts';
import { FaultlineError, isFaultlineError } from '../sim/errors.ts';
import type { ScenarioReference } from './runPool.ts';
import type { Scenario } from './scenario.ts';

/** `{ scenario: "x", agent: "y" }`: a reference as the user wrote it, for messages. */
export function referenceText(reference: ScenarioReference): string {
  return `{ scenario: ${JSON.stringify(reference.scenario)}${reference.agent === undefined ? '' : `, agent: ${JSON.stringify(reference.agent)}`} }`;
}

/**
 * Loads `reference` as each worker thread will (harness/loadReference.ts). `caller` names the API
 * in messages (`checkScenario`, `soakScenario`).
 * @throws FaultlineError with the code of the problem (INVALID_SCENARIO, INVALID_OPTIONS), naming
 *   the check's scenario and the reference, with the problem and what to do.
 */
export async function verifyReference(caller: string, scenario: Pick<Scenario, 'name'>, reference: ScenarioReference): Promise<LoadedReference> {
  // Imported when needed: it resolves scenarios as the CLI does, which a check without a reference never needs.
  const { loadReference } = await import('../loadReference.ts');
  try {
    return await loadReference(reference);
  } catch (error) {
    if (!isFaultlineError(error)) throw error;
    throw new FaultlineError(error.code, {
      what: `${caller}'s reference ${referenceText(reference)} cannot be loaded, as each worker thread would load it`,
      where: { scenario: scenario.name },
      todo: "Fix the reference (reference.scenario: a scenario file, a module exporting `scenario`, or a built-in id; reference.agent: the agent's name), or leave reference out to run every case in this thread",
      details: [error.message.replace(/^\[faultline\] /, '')],
      cause: error,
    });
  }
}
