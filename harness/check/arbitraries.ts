// fast-check arbitraries for what a run is made of: the seed of the run, a fault plan drawn from
// the scenario's fault space (swarm style: which rules are on, and how each selects its calls), and
// a scheduling strategy. Being data, each shrinks: plans towards fewer and narrower rules,
// strategies towards first-in-first-out.
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
 * How a switched-on rule selects calls in one run, when the user's rule does not say (no `calls`,
 * `afterMs`, `beforeMs` or `times`): swarm testing of `when`, as swarm testing switches features.
 * Listed from narrowest to widest, which is the order a failure shrinks in.
 */
export type WhenMode =
  | { readonly mode: 'once'; readonly call: number }
  | { readonly mode: 'burst'; readonly from: number; readonly count: number }
  | { readonly mode: 'from'; readonly call: number }
  | { readonly mode: 'window'; readonly afterMs: number; readonly beforeMs: number }
  | { readonly mode: 'every' };

const WINDOW_STARTS_MS = [0, 1_000, 5_000, 30_000];
const WINDOW_LENGTHS_MS = [10_000, 60_000, 600_000];

/**
 * The mode a draw picks. `u` (0–99) walks the modes from narrowest to widest; a storm run gives the
 * widest (every call) most of the draws, so persistent faults co-occur often — the bugs that need
 * two faults to hit many calls together are where incidents live. Shrinking `u` and `storm` towards
 * 0/false narrows a rule towards one call.
 */
export function whenMode(storm: boolean, u: number, call: number, span: number): WhenMode {
  const [once, burst, from, window] = storm ? [8, 12, 20, 25] : [40, 60, 75, 85];
  if (u < once) return { mode: 'once', call };
  if (u < burst) return { mode: 'burst', from: call, count: span };
  if (u < from) return { mode: 'from', call };
  if (u < window) {
    const afterMs = WINDOW_STARTS_MS[call] ?? 0;
    return { mode: 'window', afterMs, beforeMs: afterMs + (WINDOW_LENGTHS_MS[span - 2] ?? 60_000) };
  }
  return { mode: 'every' };
}

/** The `when` a mode stands for, on top of what the rule already says (its probability, actor). */
export function applyWhenMode(rule: FaultRuleInput, m: WhenMode): FaultRuleInput {
  switch (m.mode) {
    case 'every':
      return rule;
    case 'once':
      return { ...rule, when: { ...rule.when, calls: [m.call] } };
    case 'burst':
      return { ...rule, when: { ...rule.when, calls: { from: m.from, to: m.from + m.count } } };
    case 'from':
      return m.call === 0 ? rule : { ...rule, when: { ...rule.when, calls: { from: m.call } } };
    case 'window':
      return { ...rule, when: { ...rule.when, afterMs: m.afterMs, beforeMs: m.beforeMs } };
  }
}

/** True when the user's rule already says which calls it hits: it is kept as written. */
function selectsCalls(rule: FaultRuleInput): boolean {
  const w = rule.when;
  return w?.calls !== undefined || w?.afterMs !== undefined || w?.beforeMs !== undefined || w?.times !== undefined;
}

/**
 * A plan from `space`, swarm style: the run is a storm or not (a storm switches more rules on and
 * makes most of them persistent); each rule is switched on or off, and an "on" rule without its own
 * call selection takes a `when` mode (once, a burst, from a call on, a virtual-time window, every
 * call). Everything shrinks towards fewer and narrower rules: off, then once at the first call.
 */
export function faultPlanArbitrary(space: readonly FaultRuleInput[]): fc.Arbitrary<FaultRuleInput[]> {
  if (space.length === 0) return fc.constant([]);
  const switches = fc.tuple(...space.map(() => fc.integer({ min: 0, max: 99 })));
  const modes = fc.tuple(...space.map(() => fc.record({ u: fc.integer({ min: 0, max: 99 }), call: fc.nat({ max: 3 }), span: fc.integer({ min: 2, max: 4 }) })));
  // Switches before modes: fast-check shrinks a tuple left to right, so rules are removed while
  // the others still hit broadly, and only then narrowed; narrowing first can strand a failure
  // that needs two narrow rules where one broad rule would do.
  return fc.tuple(fc.boolean(), switches, modes).map(([storm, on, how]) =>
    space.flatMap((rule, i) => {
      if ((on[i] as number) < (storm ? 20 : 50)) return [];
      const m = how[i] as { u: number; call: number; span: number };
      return [selectsCalls(rule) ? rule : applyWhenMode(rule, whenMode(storm, m.u, m.call, m.span))];
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
