// checkScenario: many simulated runs of a scenario, generated and shrunk by fast-check. Each run
// draws a run seed, a fault plan from the scenario's fault space and a scheduling strategy; every
// property is checked on every run. On a failure fast-check shrinks the case to the smallest plan
// that still fails, the interleaving is shrunk towards first-in-first-out, and the report carries
// the one command that replays it.
import fc from 'fast-check';
import type { RunResult } from '../options.ts';
import { FaultlineError } from '../sim/errors.ts';
import { redactOutput } from '../sim/redact.ts';
import { simulate } from '../simulate.ts';
import { type RunCase, runCaseArbitrary } from './arbitraries.ts';
import { executionDivergence } from './divergence.ts';
import { formatFailure } from './failureReport.ts';
import type { PropertyVerdict } from './properties/property.ts';
import type { Scenario } from './scenario.ts';
import { workloadContext } from './workload.ts';

export interface CheckOptions<I = unknown, O = unknown> {
  /** How many runs to try (default: FAULTLINE_RUNS, else 100). */
  readonly runs?: number;
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
  /** The summary to print: a pass line, or the full failure with plan, trace excerpt and replay. */
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

export async function checkScenario<I, O>(scenario: Scenario<I, O>, options: CheckOptions<I, O> = {}): Promise<CheckReport> {
  const path = options.path ?? (process.env.FAULTLINE_PATH || undefined);
  const explicitSeed = options.seed ?? envNumber('FAULTLINE_SEED');
  // A replay (a seed given with a path) runs the reported case itself, whatever the shard.
  const shard = path !== undefined && explicitSeed !== undefined ? undefined : (options.shard ?? shardFromEnv());
  const allRuns = options.runs ?? envNumber('FAULTLINE_RUNS') ?? 100;
  // A check of zero runs, or a replay of a path that reaches no run, would pass without testing.
  if (!Number.isSafeInteger(allRuns) || allRuns < 1) {
    throw new FaultlineError('INVALID_OPTIONS', {
      what: `checkScenario("${scenario.name}") was asked for ${String(allRuns)} runs`,
      where: { scenario: scenario.name },
      todo: 'Ask for at least 1 run (runs, FAULTLINE_RUNS, --runs): a check that runs nothing proves nothing',
    });
  }
  if (path !== undefined && !/^\d+(:\d+)*$/.test(path)) {
    throw new FaultlineError('INVALID_OPTIONS', {
      what: `The replay path ${JSON.stringify(path)} is not a fast-check path`,
      where: { scenario: scenario.name },
      todo: 'Copy the path a failure printed (numbers separated by colons, such as 12:0:3) into FAULTLINE_PATH or --path',
    });
  }
  const runs = shard === undefined ? allRuns : Math.ceil(allRuns / shard.count);
  const seed = (explicitSeed ?? seedFromName(scenario.name)) + (shard === undefined ? 0 : shard.index - 1);
  const determinism = options.determinism ?? (process.env.FAULTLINE_CHECK_DETERMINISM === '1' || scenario.determinism === true);
  const agent = options.agent ?? scenario.agent;
  let executed = 0;
  let firstFailureAt: number | undefined;
  const property = fc.asyncProperty(runCaseArbitrary(scenario.faults ?? [], scenario.schedules ?? ['fifo']), async (c) => {
    const { verdicts } = await runChecked(scenario, agent, c, determinism);
    const failed = verdicts.some((v) => !v.ok);
    if (firstFailureAt === undefined) {
      executed++;
      if (failed) firstFailureAt = executed;
      options.onRun?.(executed, failed);
    }
    return !failed;
  });
  const details = await fc.check(property, { seed, numRuns: runs, ...(path === undefined ? {} : { path, endOnFailure: true }) });
  if (path !== undefined && details.numRuns === 0 && !details.failed) {
    throw new FaultlineError('INVALID_OPTIONS', {
      what: `The replay path ${path} reaches no run of "${scenario.name}" from fast-check seed ${seed}`,
      where: { scenario: scenario.name },
      todo: 'Use the seed and path a failure printed together, unchanged; or leave the path out to run the whole check',
    });
  }
  if (!details.failed || details.counterexample === null) {
    const message = `ok ${scenario.name}${options.agentLabel === undefined ? '' : ` × ${options.agentLabel}`}: ${executed} runs, every property held (fast-check seed ${seed}).`;
    return {
      scenario: scenario.name,
      agent: options.agentLabel,
      ok: true,
      runs: executed,
      firstFailureAt: undefined,
      shrinkSteps: 0,
      seed,
      path: undefined,
      counterexample: undefined,
      replay: undefined,
      message,
    };
  }
  const shrunk = details.counterexample[0];
  const counterexample = await minimiseSchedule(scenario, agent, shrunk, determinism);
  const failurePath = details.counterexamplePath ?? undefined;
  const replay = failurePath === undefined ? undefined : options.replayCommand?.(seed, failurePath, { determinism });
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
  };
  // The message is printed: no credential any run saw may be in it (a tool's error can quote one).
  return { ...report, message: redactOutput(formatFailure(scenario, report)) };
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
