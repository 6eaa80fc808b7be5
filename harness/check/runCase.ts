// One case of a check, run: the workload input drawn from the run's seed, the simulated run with
// the case's plan and schedule, and every property's verdict. Under determinism checking the case
// runs twice, and a difference between the two executions is a failed verdict of its own.
import type { RunResult } from '../options.ts';
import { simulate } from '../simulateOnDemand.ts';
import type { RunCase } from './arbitraries.ts';
import { executionDivergence } from './divergence.ts';
import type { PropertyVerdict } from './properties/property.ts';
import type { Scenario } from './scenario.ts';
import { workloadContext } from './workload.ts';

/** Runs one case: the same case always gives the same result. */
export async function runCase<I, O>(
  scenario: Scenario<I, O>,
  agent: Scenario<I, O>['agent'],
  c: RunCase,
): Promise<{ result: RunResult; input: I; verdicts: PropertyVerdict[] }> {
  const input = scenario.input === undefined ? (undefined as I) : scenario.input(await workloadContext(c.runSeed));
  const result = (await simulate((world) => agent(world, input), {
    ...scenario.world,
    seed: c.runSeed,
    faults: c.plan,
    schedule: c.schedule,
    scenario: scenario.name,
    ...(scenario.heal === undefined ? {} : { heal: scenario.heal }),
  })) as RunResult;
  const verdicts = scenario.properties.map((p) => p.check(result, { input }));
  return { result, input, verdicts };
}

/** Runs one case, twice under determinism checking, adding a `deterministic` verdict when the two differ. */
export async function runChecked<I, O>(scenario: Scenario<I, O>, agent: Scenario<I, O>['agent'], c: RunCase, determinism: boolean) {
  const first = await runCase(scenario, agent, c);
  if (!determinism) return first;
  const second = await runCase(scenario, agent, c);
  const why = executionDivergence(first, second);
  if (why === undefined) return first;
  const verdict: PropertyVerdict = { property: 'deterministic', ok: false, message: why };
  return { ...first, verdicts: [...first.verdicts, verdict] };
}
