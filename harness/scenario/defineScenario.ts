// defineScenario: a scenario in TypeScript. It checks the definition once (every problem at once,
// with the field and what was expected), fills in defaults, and returns the scenario the property
// runner and `faultline run` use. A built-in scenario also names its sample agents and what each
// is expected to do: the naive one to fail, the hardened one to pass.

import type { Scenario } from '../check/scenario.ts';
import { parseFaultPlan } from '../faults/plan.ts';
import { FaultlineError } from '../sim/errors.ts';

export type Expectation = 'fail' | 'pass';

export interface ScenarioDefinition<I = unknown, O = unknown> extends Scenario<I, O> {
  /** Sample agents by name (`naive`, `hardened`), run by `faultline run`. */
  readonly agents?: Readonly<Record<string, Scenario<I, O>['agent']>>;
  /** What each sample agent is expected to do under the scenario. */
  readonly expectations?: Readonly<Record<string, Expectation>>;
  /** Runs per agent for `faultline run` (default 100; a passing expectation is checked with this many). */
  readonly runs?: number;
}

type Input<I, O> = Omit<ScenarioDefinition<I, O>, 'agent'> & { readonly agent?: Scenario<I, O>['agent'] };

export function defineScenario<I = undefined, O = unknown>(definition: Input<I, O>): ScenarioDefinition<I, O> {
  const problems: string[] = [];
  const where = definition.source ?? `scenario "${String(definition.name)}"`;
  if (typeof definition.name !== 'string' || definition.name.trim() === '') problems.push('name: expected a non-empty string');
  const agent = definition.agent ?? definition.agents?.hardened ?? Object.values(definition.agents ?? {})[0];
  if (typeof agent !== 'function') problems.push('agent: expected a function (world, input) => answer, or agents: { naive, hardened }');
  for (const [name, fn] of Object.entries(definition.agents ?? {})) {
    if (typeof fn !== 'function') problems.push(`agents.${name}: expected a function (world, input) => answer`);
  }
  for (const [name, expectation] of Object.entries(definition.expectations ?? {})) {
    if (definition.agents?.[name] === undefined) problems.push(`expectations.${name}: there is no agent "${name}" in agents`);
    if (expectation !== 'fail' && expectation !== 'pass') problems.push(`expectations.${name}: expected "fail" or "pass", got ${JSON.stringify(expectation)}`);
  }
  if (!Array.isArray(definition.properties) || definition.properties.length === 0) {
    problems.push('properties: expected at least one property, e.g. [gracefulDegradation(), noDeadlock()]');
  } else {
    definition.properties.forEach((p, i) => {
      if (typeof p?.check !== 'function' || typeof p.name !== 'string') problems.push(`properties[${i}]: expected a property ({ name, check(result) })`);
    });
  }
  for (const s of definition.schedules ?? []) {
    if (!['fifo', 'random', 'pct'].includes(s)) problems.push(`schedules: expected "fifo", "random" or "pct", got ${JSON.stringify(s)}`);
  }
  if (definition.runs !== undefined && !(Number.isInteger(definition.runs) && definition.runs > 0))
    problems.push(`runs: expected a positive integer, got ${JSON.stringify(definition.runs)}`);
  try {
    parseFaultPlan(definition.faults ?? [], 'faults');
  } catch (error) {
    problems.push(...(error as FaultlineError).message.split('\n  - ').slice(1));
  }
  if (problems.length > 0) {
    throw new FaultlineError('INVALID_SCENARIO', { what: `${where} is not a valid scenario`, todo: 'Fix the fields listed below', details: problems });
  }
  return { ...definition, agent: agent as Scenario<I, O>['agent'] };
}
