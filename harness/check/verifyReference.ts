// A check or soak given a `reference` (how worker threads load its scenario and agent) loads it
// here, in the calling thread, before any run: a reference no worker could use (a file that does
// not exist, a module without `scenario`, an unknown built-in id or agent name) is refused at once,
// saying what is wrong and the nearest valid name, instead of when the first case reaches a worker.
// So is one that names another scenario or agent than the check was given: workers would run what
// the reference names while this thread (shrinking, replays) runs the check's own, and the two
// would disagree, showing up as a failure of determinism. It is verified whatever the worker
// count, so that a wrong reference cannot wait, unnoticed, for the nightly job that raises the
// runs enough to start workers.
import type { LoadedReference } from '../loadReference.ts';
import type { ScenarioDefinition } from '../scenario/defineScenario.ts';
import { FaultlineError, isFaultlineError } from '../sim/errors.ts';
import type { ScenarioReference } from './runPool.ts';
import type { Scenario } from './scenario.ts';

/** What the check was asked to run: its agent (`options.agent ?? scenario.agent`) and the label it reports it by. */
export interface CheckedAgent<I = unknown, O = unknown> {
  readonly agent: Scenario<I, O>['agent'];
  readonly agentLabel?: string | undefined;
}

/** `{ scenario: "x", agent: "y" }`: a reference as the user wrote it, for messages. */
export function referenceText(reference: ScenarioReference): string {
  return `{ scenario: ${JSON.stringify(reference.scenario)}${reference.agent === undefined ? '' : `, agent: ${JSON.stringify(reference.agent)}`} }`;
}

/**
 * Loads `reference` as each worker thread will (harness/loadReference.ts) and checks that it names
 * the scenario and agent the check runs. `caller` names the API in messages (`checkScenario`,
 * `soakScenario`).
 * @throws FaultlineError with the code of the problem (INVALID_SCENARIO, INVALID_OPTIONS), naming
 *   the check's scenario and the reference, with the problem and what to do; for another agent,
 *   both agents.
 */
export async function verifyReference<I, O>(
  caller: string,
  scenario: Scenario<I, O>,
  reference: ScenarioReference,
  checked: CheckedAgent<I, O>,
): Promise<LoadedReference> {
  // Imported when needed: it resolves scenarios as the CLI does, which a check without a reference never needs.
  const { loadReference, agentNamed } = await import('../loadReference.ts');
  let loaded: LoadedReference;
  try {
    loaded = await loadReference(reference);
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
  if (loaded.scenario.name !== scenario.name) {
    throw new FaultlineError('INVALID_OPTIONS', {
      what: `${caller} was given scenario "${scenario.name}", but its reference ${referenceText(reference)} names scenario "${loaded.scenario.name}": worker threads would run that one`,
      where: { scenario: scenario.name },
      todo: `Point reference.scenario at the file, module or built-in id that defines "${scenario.name}", or leave reference out to run every case in this thread`,
    });
  }
  const own = scenario as unknown as ScenarioDefinition<unknown, unknown>;
  const agent = checked.agent as unknown;
  // The agent the reference names is looked up in the check's own scenario object too: one module
  // imported twice (through vitest's module graph and through Node's) gives two copies of each
  // function, so the copy loaded here need not be the one the check was given.
  const expected = agentNamed(own, reference.agent);
  const same = agent === loaded.agent || (expected === undefined ? String(agent) === String(loaded.agent) : agent === expected);
  if (same) return loaded;
  const running = agentText(own, agent, checked.agentLabel);
  const named = reference.agent === undefined ? `the scenario's own agent${ownName(loaded.scenario)}` : `agent "${reference.agent}"`;
  const known = Object.keys(own.agents ?? {}).includes(running.name ?? '');
  throw new FaultlineError('INVALID_OPTIONS', {
    what: `${caller} was asked to run ${running.text}, but its reference ${referenceText(reference)} names ${named}: worker threads would run ${named} while this thread (shrinking, replays) runs ${running.text}, and their results would not agree`,
    where: { scenario: scenario.name },
    todo: known
      ? `Name the same agent in both (agent: scenario.agents.${running.name} with reference.agent "${running.name}"), or leave reference out to run every case in this thread`
      : "Give the agent as one of the scenario's `agents` and name it in reference.agent (a worker loads agents by name), or leave reference out to run it in this thread",
  });
}

/** How to name the check's agent: its name among the scenario's agents (the label first), else what is known of it. */
function agentText(scenario: ScenarioDefinition<unknown, unknown>, agent: unknown, agentLabel: string | undefined): { text: string; name?: string } {
  const names = Object.entries(scenario.agents ?? {})
    .filter(([, fn]) => fn === agent)
    .map(([name]) => name);
  const name = names.find((n) => n === agentLabel) ?? names[0];
  if (name !== undefined) return { text: `agent "${name}"`, name };
  if (agent === scenario.agent) return { text: "the scenario's own agent" };
  const label = agentLabel === undefined ? '' : ` ("${agentLabel}")`;
  return { text: `an agent${label} that is not one of the scenario's agents` };
}

/** ` ("hardened")` when a scenario's own agent is also one of its agents by name, else ''. */
function ownName(scenario: ScenarioDefinition<unknown, unknown>): string {
  const name = Object.entries(scenario.agents ?? {}).find(([, fn]) => fn === scenario.agent)?.[0];
  return name === undefined ? '' : ` ("${name}")`;
}
