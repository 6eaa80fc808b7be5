// fast-check arbitraries for what a run is made of: the seed of the run, a fault plan drawn from
// the scenario's fault space (swarm style), and a scheduling strategy. Being data, each shrinks:
// plans towards fewer and plainer rules, strategies towards first-in-first-out.
import fc from 'fast-check';
import type { FaultRuleInput } from '../faults/plan.ts';
import type { StrategyOptions } from '../sim/strategy.ts';
import type { ScheduleSpace } from './scenario.ts';

export interface RunCase {
  /** The seed of the simulated run (time, randomness, the interleaving's random draws). */
  readonly runSeed: number;
  readonly plan: readonly FaultRuleInput[];
  readonly schedule: StrategyOptions;
}

/**
 * A plan from `space`: each rule switched on or off, and a rule without its own call selection
 * may be narrowed to one call (hit only the n-th call) — an "on" rule hitting every call shrinks to
 * the narrowed one, and either shrinks to "off".
 */
export function faultPlanArbitrary(space: readonly FaultRuleInput[]): fc.Arbitrary<FaultRuleInput[]> {
  if (space.length === 0) return fc.constant([]);
  const sites = space.map((rule) =>
    fc.record({
      on: fc.boolean(),
      call: rule.when?.calls === undefined && rule.when?.afterMs === undefined ? fc.option(fc.nat({ max: 3 }), { nil: undefined }) : fc.constant(undefined),
    }),
  );
  return fc.tuple(...sites).map((choices) =>
    choices.flatMap((c, i) => {
      const rule = space[i] as FaultRuleInput;
      if (!c.on) return [];
      return [c.call === undefined ? rule : { ...rule, when: { ...rule.when, calls: [c.call] } }] as FaultRuleInput[];
    }),
  );
}

export function scheduleArbitrary(space: ScheduleSpace): fc.Arbitrary<StrategyOptions> {
  const options: Array<fc.Arbitrary<StrategyOptions>> = [];
  // fifo first: fast-check shrinks a oneof towards its first arbitrary.
  if (space.includes('fifo') || space.length === 0) options.push(fc.constant({ kind: 'fifo' } as const));
  if (space.includes('random')) options.push(fc.constant({ kind: 'random' } as const));
  if (space.includes('pct')) options.push(fc.integer({ min: 1, max: 3 }).map((depth) => ({ kind: 'pct', depth }) as const));
  return options.length === 1 ? (options[0] as fc.Arbitrary<StrategyOptions>) : fc.oneof(...options);
}

export function runCaseArbitrary(space: readonly FaultRuleInput[], schedules: ScheduleSpace): fc.Arbitrary<RunCase> {
  return fc.record({
    runSeed: fc.integer({ min: 0, max: 0x7fffffff }),
    plan: faultPlanArbitrary(space),
    schedule: scheduleArbitrary(schedules),
  });
}
