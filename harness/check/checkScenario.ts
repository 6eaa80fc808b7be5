// checkScenario: many simulated runs of a scenario, generated and shrunk by fast-check. Each run
// draws a run seed, a fault plan from the scenario's fault space and a scheduling strategy; every
// property is checked on every run. On a failure fast-check shrinks the case to the smallest plan
// that still fails, the interleaving is shrunk towards first-in-first-out, and the report carries
// the one command that replays it.
import fc from 'fast-check';
import { type FaultRuleInput, parseFaultPlan, ruleIds } from '../faults/plan.ts';
import type { RunResult } from '../options.ts';
import { FaultlineError } from '../sim/errors.ts';
import { simulate } from '../simulate.ts';
import { type RunCase, runCaseArbitrary } from './arbitraries.ts';
import { type CheckCoverage, CoverageTally, formatUncovered } from './coverage.ts';
import { executionDivergence } from './divergence.ts';
import { formatFailure } from './failureReport.ts';
import type { PropertyVerdict } from './properties/property.ts';
import { defaultReplayCommand } from './replayCommand.ts';
import type { Scenario } from './scenario.ts';
import { type CheckVacuity, formatVacuous, VacuityTally } from './vacuity.ts';
import { workloadContext } from './workload.ts';

export interface CheckOptions<I = unknown, O = unknown> {
  /**
   * How many runs to try (default 100). FAULTLINE_RUNS, when set, wins over this, so that a nightly
   * job can raise the runs of a whole suite whose tests each set their own (unless `runsFixed`).
   */
  readonly runs?: number;
  /** Ignore FAULTLINE_RUNS: the runs were given explicitly (the CLI's --runs). Default false. */
  readonly runsFixed?: boolean;
  /** fast-check's seed (default: FAULTLINE_SEED, else one derived from the scenario's name, so CI is repeatable). */
  readonly seed?: number;
  /** Replay the counterexample at this fast-check path (default: FAULTLINE_PATH). */
  readonly path?: string;
  /** Run this agent instead of the scenario's own (a naive or hardened variant). */
  readonly agent?: Scenario<I, O>['agent'];
  /** A name for the agent in messages and reports. */
  readonly agentLabel?: string;
  /** Run every case twice and fail on any difference between the traces (default: FAULTLINE_CHECK_DETERMINISM=1). */
  readonly determinism?: boolean;
  /**
   * The shell command that reruns this check with a seed and a path, for the failure message. It
   * must carry the determinism setting it is given, so that a nondeterminism failure replays as one.
   */
  readonly replayCommand?: (seed: number, path: string, settings: { readonly determinism: boolean }) => string;
  /**
   * Run only this slice of the runs (default: FAULTLINE_SHARD=i/n): shard i of n makes runs/n runs
   * from its own seed, so n CI machines share one check. A replay (a path) ignores it.
   */
  readonly shard?: { readonly index: number; readonly count: number };
  /** Called after each run (progress displays). */
  readonly onRun?: (run: number, failed: boolean) => void;
  /**
   * What a property that never had anything to judge does to a passing check: `fail` it (default),
   * or `warn` (the check passes and its message says so). Default: the scenario's, else `fail`.
   */
  readonly vacuity?: 'fail' | 'warn';
}

export interface Counterexample {
  readonly case: RunCase;
  readonly input: unknown;
  readonly result: RunResult;
  readonly verdicts: readonly PropertyVerdict[];
  readonly failed: readonly PropertyVerdict[];
}

export interface CheckReport {
  readonly scenario: string;
  readonly agent: string | undefined;
  readonly ok: boolean;
  /** Runs executed before the first failure (or all of them), not counting shrinking. */
  readonly runs: number;
  /** The 1-based run at which the first failure was found. */
  readonly firstFailureAt: number | undefined;
  readonly shrinkSteps: number;
  readonly seed: number;
  readonly path: string | undefined;
  readonly counterexample: Counterexample | undefined;
  /** The command that reproduces the counterexample, when one is known. */
  readonly replay: string | undefined;
  /** Per rule of the fault space: calls matched, fired and changed, over the runs before the first failure. */
  readonly coverage: CheckCoverage;
  /** Per property: runs in which it held only vacuously, and subjects it reads that no run produced. */
  readonly vacuity: CheckVacuity;
  /** The summary to print: a pass line, or the full failure with plan, trace excerpt, fault coverage and replay. */
  readonly message: string;
}

/** A stable 31-bit seed from a name, so that a scenario explores the same runs on every machine. */
export function seedFromName(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return (h >>> 0) & 0x7fffffff;
}

function envNumber(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw new RangeError(`${name} must be an integer, got ${JSON.stringify(raw)}`);
  return n;
}

/** `{ index, count }` from FAULTLINE_SHARD=i/n (1-based i), or undefined when unset. */
export function shardFromEnv(raw = process.env.FAULTLINE_SHARD): { index: number; count: number } | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(raw.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (m === null || index < 1 || count < 1 || index > count) {
    throw new FaultlineError('INVALID_OPTIONS', { what: `FAULTLINE_SHARD must look like 2/5 (the 2nd of 5 shards), got ${JSON.stringify(raw)}` });
  }
  return { index, count };
}

/** Runs one case: the same case always gives the same result. */
export async function runCase<I, O>(
  scenario: Scenario<I, O>,
  agent: Scenario<I, O>['agent'],
  c: RunCase,
): Promise<{ result: RunResult; input: I; verdicts: PropertyVerdict[] }> {
  const input = scenario.input === undefined ? (undefined as I) : scenario.input(workloadContext(c.runSeed));
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

async function runChecked<I, O>(scenario: Scenario<I, O>, agent: Scenario<I, O>['agent'], c: RunCase, determinism: boolean) {
  const first = await runCase(scenario, agent, c);
  if (!determinism) return first;
  const second = await runCase(scenario, agent, c);
  const why = executionDivergence(first, second);
  if (why === undefined) return first;
  const verdict: PropertyVerdict = { property: 'deterministic', ok: false, message: why };
  return { ...first, verdicts: [...first.verdicts, verdict] };
}

/**
 * Checks `scenario` over many generated runs (see the top of this file).
 * @throws FaultlineError INVALID_FAULT_PLAN when a rule of the fault space is invalid, naming the
 *   rule by its index in `scenario.faults` as written (runs switch subsets of rules on).
 */
export async function checkScenario<I, O>(scenario: Scenario<I, O>, options: CheckOptions<I, O> = {}): Promise<CheckReport> {
  parseFaultPlan(scenario.faults ?? [], `scenario "${scenario.name}": faults`);
  const path = options.path ?? (process.env.FAULTLINE_PATH || undefined);
  const explicitSeed = options.seed ?? envNumber('FAULTLINE_SEED');
  // A replay (a seed given with a path) runs the reported case itself, whatever the shard.
  const shard = path !== undefined && explicitSeed !== undefined ? undefined : (options.shard ?? shardFromEnv());
  const allRuns = (options.runsFixed === true ? undefined : envNumber('FAULTLINE_RUNS')) ?? options.runs ?? 100;
  const runs = shard === undefined ? allRuns : Math.ceil(allRuns / shard.count);
  const seed = (explicitSeed ?? seedFromName(scenario.name)) + (shard === undefined ? 0 : shard.index - 1);
  const determinism = options.determinism ?? (process.env.FAULTLINE_CHECK_DETERMINISM === '1' || scenario.determinism === true);
  const agent = options.agent ?? scenario.agent;
  let executed = 0;
  let firstFailureAt: number | undefined;
  // Validates the fault space (a rule that can never act is refused here) and counts what each rule did.
  const tally = new CoverageTally(scenario.faults ?? []);
  const vacuityTally = new VacuityTally(scenario.properties);
  const property = fc.asyncProperty(runCaseArbitrary(scenario.faults ?? [], scenario.schedules ?? ['fifo']), async (c) => {
    const { verdicts, result } = await runChecked(scenario, agent, c, determinism);
    const failed = verdicts.some((v) => !v.ok);
    if (firstFailureAt === undefined) {
      executed++;
      tally.add(c.plan, result);
      vacuityTally.add(verdicts, result);
      if (failed) firstFailureAt = executed;
      options.onRun?.(executed, failed);
    }
    return !failed;
  });
  // Unbiased: fast-check's bias makes early draws small, which for a fault plan means rules off or
  // narrowed to their first call; swarm modes need every draw from the whole range (bench/detection.ts).
  const details = await fc.check(property, { seed, numRuns: runs, unbiased: true, ...(path === undefined ? {} : { path, endOnFailure: true }) });
  const coverage = tally.summary();
  const vacuity = vacuityTally.summary();
  if (!details.failed || details.counterexample === null) {
    // Every property held; but a rule whose target matched nothing tested nothing, and so did a
    // property that never had anything to judge: a green must mean "tested".
    const covered = coverage.unmatched.length === 0;
    const warnOnly = (options.vacuity ?? scenario.vacuity ?? 'fail') === 'warn';
    const judged = vacuity.failing.length === 0 || warnOnly;
    const who = `${scenario.name}${options.agentLabel === undefined ? '' : ` × ${options.agentLabel}`}`;
    const messages = [
      ...(covered ? [] : [formatUncovered(scenario.name, options.agentLabel, coverage)]),
      ...(vacuity.failing.length === 0 ? [] : [formatVacuous(scenario.name, options.agentLabel, vacuity, warnOnly)]),
    ];
    const message = messages.length === 0 ? `ok ${who}: ${executed} runs, every property held (fast-check seed ${seed}).` : messages.join('\n\n');
    return {
      scenario: scenario.name,
      agent: options.agentLabel,
      ok: covered && judged,
      runs: executed,
      firstFailureAt: undefined,
      shrinkSteps: 0,
      seed,
      path: undefined,
      counterexample: undefined,
      replay: undefined,
      coverage,
      vacuity,
      message,
    };
  }
  const shrunk = details.counterexample[0];
  const counterexample = await narrowRules(
    scenario,
    agent,
    await withoutIdleRules(scenario, agent, await minimiseSchedule(scenario, agent, shrunk, determinism), determinism),
    determinism,
  );
  const failurePath = details.counterexamplePath ?? undefined;
  const replay = failurePath === undefined ? undefined : (options.replayCommand ?? defaultReplayCommand)(seed, failurePath, { determinism });
  const report = {
    scenario: scenario.name,
    agent: options.agentLabel,
    ok: false,
    runs: executed,
    firstFailureAt,
    shrinkSteps: details.numShrinks,
    seed,
    path: failurePath,
    counterexample,
    replay,
    coverage,
    vacuity,
  };
  return { ...report, message: formatFailure(scenario, report) };
}

/**
 * Drops from a counterexample the rules it does not need. First those that changed nothing in its
 * run (a fault that left no effect cannot be part of why the run failed, and a minimal plan must
 * not list it), then each remaining rule in turn (fast-check shrinks a plan's switches before its
 * modes and its run seed, and once those are smaller a rule it had to keep may no longer be
 * needed), then each rule alone as the user wrote it. A smaller plan is kept only when its run
 * still fails the same properties; narrowRules then narrows what is left.
 */
async function withoutIdleRules<I, O>(
  scenario: Scenario<I, O>,
  agent: Scenario<I, O>['agent'],
  found: Counterexample,
  determinism: boolean,
): Promise<Counterexample> {
  const failing = new Set(found.failed.map((v) => v.property));
  const attempt = async (plan: readonly FaultRuleInput[]): Promise<Counterexample | undefined> => {
    const c = { ...found.case, plan };
    const rerun = await runChecked(scenario, agent, c, determinism);
    const still = rerun.verdicts.filter((v) => !v.ok);
    return still.length > 0 && still.every((v) => failing.has(v.property)) ? toCounterexample(c, rerun) : undefined;
  };
  const rules = found.result.coverage.rules;
  const active = found.case.plan.filter((_, i) => (rules[i]?.changed ?? 1) > 0);
  let best = (active.length < found.case.plan.length ? await attempt(active) : undefined) ?? found;
  for (let i = best.case.plan.length - 1; i >= 0 && best.case.plan.length > 1; i--) {
    const smaller = await attempt(best.case.plan.filter((_, j) => j !== i));
    if (smaller !== undefined) best = smaller;
  }
  // Narrow rules can need each other (a stall at one call shifts which request a second rule's
  // call index hits): one of them on every call, as the user wrote it, may fail alone.
  const space = scenario.faults ?? [];
  for (let i = 0; i < best.case.plan.length && best.case.plan.length > 1; i++) {
    const rule = best.case.plan[i] as FaultRuleInput;
    const written = space.find((r) => r.kind === rule.kind && r.target === rule.target && r.id === rule.id);
    const alone = written === undefined ? undefined : await attempt([written]);
    if (alone !== undefined) best = alone;
  }
  return best;
}

/**
 * Narrows each rule of a counterexample to one call where one is enough. fast-check shrinks a
 * rule's mode and its call apart, so a burst over calls 0–2 can stop short of "once, at call 2"
 * when that needs both changed at once; the calls a rule changed are in the run's fault marks, so
 * each is tried alone (a few per rule), and kept when the run still fails the same properties.
 */
async function narrowRules<I, O>(
  scenario: Scenario<I, O>,
  agent: Scenario<I, O>['agent'],
  found: Counterexample,
  determinism: boolean,
): Promise<Counterexample> {
  let best = found;
  const failing = new Set(found.failed.map((v) => v.property));
  for (let i = 0; i < best.case.plan.length; i++) {
    const rule = best.case.plan[i] as FaultRuleInput;
    if (Array.isArray(rule.when?.calls) && rule.when.calls.length === 1) continue;
    const id = ruleIds(parseFaultPlan(best.case.plan))[i];
    const calls = [
      ...new Set(
        best.result.trace.flatMap((e) =>
          e.type === 'mark' && e.name === 'fault' && e.data?.rule === id && typeof e.data?.call === 'number' ? [e.data.call] : [],
        ),
      ),
    ];
    if (calls.length < 2) continue;
    for (const call of calls.slice(0, 4)) {
      const { afterMs: _a, beforeMs: _b, times: _t, ...keep } = rule.when ?? {};
      const plan = best.case.plan.map((r, j) => (j === i ? { ...r, when: { ...keep, calls: [call] } } : r));
      const c = { ...best.case, plan };
      const rerun = await runChecked(scenario, agent, c, determinism);
      const still = rerun.verdicts.filter((v) => !v.ok);
      if (still.length > 0 && still.every((v) => failing.has(v.property))) {
        best = toCounterexample(c, rerun);
        break;
      }
    }
  }
  return best;
}

/**
 * Shrinks the interleaving of a failing case. The strategy's recorded choices are replayed (past
 * their end, the first ready event is taken, as first-in-first-out would): first the shortest
 * prefix of choices that still fails the same property is found, then each choice in it is blanked
 * (first ready event) while the failure persists. What is left are the turns the failure needs.
 */
async function minimiseSchedule<I, O>(scenario: Scenario<I, O>, agent: Scenario<I, O>['agent'], c: RunCase, determinism: boolean): Promise<Counterexample> {
  const rerun = await runChecked(scenario, agent, c, determinism);
  const original = rerun.verdicts.some((v) => !v.ok) ? rerun : notReproduced(rerun);
  const failing = new Set(original.verdicts.filter((v) => !v.ok).map((v) => v.property));
  if (c.schedule.kind === 'fifo' || c.schedule.kind === 'replay' || failing.has('deterministic')) return toCounterexample(c, original);
  let best = original;
  const tries = { left: 400 };
  const attempt = async (choices: readonly string[]) => {
    if (tries.left-- <= 0) return undefined;
    const run = await runChecked(scenario, agent, { ...c, schedule: { kind: 'replay', choices } }, false);
    return run.verdicts.some((v) => !v.ok && failing.has(v.property)) ? run : undefined;
  };
  let choices = [...original.result.schedule.choices];
  for (let round = 0; round < 2; round++) {
    let lo = 0;
    let hi = choices.length;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if ((await attempt(choices.slice(0, mid))) !== undefined) hi = mid;
      else lo = mid + 1;
    }
    const prefix = choices.slice(0, lo);
    const run = await attempt(prefix);
    if (run !== undefined) {
      choices = prefix;
      best = run;
    }
    for (let i = 0; i < choices.length; i++) {
      if (choices[i] === '') continue;
      const trial = choices.map((x, j) => (j === i ? '' : x));
      const zeroed = await attempt(trial);
      if (zeroed !== undefined) {
        choices = trial;
        best = zeroed;
      }
    }
  }
  while (choices.length > 0 && choices[choices.length - 1] === '') choices.pop();
  if (best === original) return toCounterexample(c, original);
  return toCounterexample({ ...c, schedule: { kind: 'replay', choices } }, best);
}

/**
 * The shrunk case passed when run once more: the same case gave two different results, so something
 * outside the world reached the agent. That is the failure to report.
 */
function notReproduced<T extends { verdicts: PropertyVerdict[] }>(run: T): T {
  const verdict: PropertyVerdict = {
    property: 'deterministic',
    ok: false,
    message:
      'The failing case passed when it was run again: the same seed, plan and schedule gave two different results, so ' +
      'something outside the world (real time, real randomness, state kept between runs) reached the agent. ' +
      'Run with determinism checking (FAULTLINE_CHECK_DETERMINISM=1) to see where the traces diverge.',
  };
  return { ...run, verdicts: [...run.verdicts, verdict] };
}

function toCounterexample(c: RunCase, run: { result: RunResult; input: unknown; verdicts: PropertyVerdict[] }): Counterexample {
  return { case: c, input: run.input, result: run.result, verdicts: run.verdicts, failed: run.verdicts.filter((v) => !v.ok) };
}
