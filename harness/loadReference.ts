// Loading what a scenario reference names (harness/check/runPool.ts): the scenario, as `faultline
// run` resolves it (a built-in id, a scenario file, a module exporting `scenario`), and the agent by
// its name. A worker thread loads its scenario this way (harness/runWorker.ts), and a check or soak
// given a reference loads it the same way in the calling thread before any run, so a reference a
// worker could not use is refused at once, with what is wrong and the nearest valid name, rather
// than when the first case reaches a worker. It sits at the top of harness/, beside runWorker.ts,
// because it needs the CLI's scenario resolution.
import type { ScenarioReference } from './check/runPool.ts';
import type { Scenario } from './check/scenario.ts';
import { resolveScenario } from './cli/scenarios.ts';
import type { ScenarioDefinition } from './scenario/defineScenario.ts';
import { nearest } from './sim/didYouMean.ts';
import { FaultlineError } from './sim/errors.ts';

/** The name by which a reference (and the CLI) calls a scenario's own agent, when it has no agent of that name. */
export const OWN_AGENT = 'agent';

export interface LoadedReference {
  readonly scenario: ScenarioDefinition<unknown, unknown>;
  readonly agent: Scenario<unknown, unknown>['agent'];
}

/**
 * The scenario and agent a reference names.
 * @throws FaultlineError INVALID_SCENARIO when the scenario cannot be loaded (see resolveScenario),
 *   or INVALID_OPTIONS when it has no agent of the reference's name, naming the nearest one.
 */
export async function loadReference(reference: ScenarioReference): Promise<LoadedReference> {
  const { scenario } = await resolveScenario(reference.scenario, {
    ...(reference.root === undefined ? {} : { root: reference.root }),
    ...(reference.allowOutsideRoot === undefined ? {} : { allowOutsideRoot: reference.allowOutsideRoot }),
  });
  const loaded = scenario as unknown as ScenarioDefinition<unknown, unknown>;
  const agent = agentNamed(loaded, reference.agent);
  if (agent === undefined) {
    const names = agentNames(loaded);
    const near = nearest(String(reference.agent), [...names, OWN_AGENT]);
    throw new FaultlineError('INVALID_OPTIONS', {
      what: `Scenario "${loaded.name}" (${reference.scenario}) has no agent "${reference.agent}"`,
      todo:
        names.length === 0
          ? `It has no agents by name: leave reference.agent out (or give "${OWN_AGENT}") for its own agent`
          : `${near === undefined ? '' : `Did you mean "${near}"? `}Its agents are ${names.map((n) => `"${n}"`).join(', ')}: name one of them in reference.agent, or leave it out for the scenario's own agent`,
    });
  }
  return { scenario: loaded, agent };
}

/** The agent `name` names in `scenario` (its own agent when `name` is undefined, or `agent` and it has none of that name). */
export function agentNamed(scenario: ScenarioDefinition<unknown, unknown>, name: string | undefined): Scenario<unknown, unknown>['agent'] | undefined {
  if (name === undefined) return scenario.agent;
  if (scenario.agents !== undefined && Object.hasOwn(scenario.agents, name)) return scenario.agents[name];
  return name === OWN_AGENT ? scenario.agent : undefined;
}

/** The scenario's agents by name (its `agents`); `agent`, for its own agent, is accepted too but not listed. */
export function agentNames(scenario: ScenarioDefinition<unknown, unknown>): string[] {
  return Object.keys(scenario.agents ?? {});
}
