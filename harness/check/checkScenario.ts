// checkScenario: many simulated runs of a scenario, generated and shrunk by fast-check. Each run
// draws a run seed, a fault plan from the scenario's fault space and a scheduling strategy; every
// property is checked on every run. On a failure fast-check shrinks the case to the smallest plan
// that still fails, the interleaving is shrunk towards first-in-first-out, and the report carries
// the one command that replays it. A failure whose reruns hit the wall-clock limit (agent code
// that never yields) is shrunk only as far as timeoutShrinkMs allows (./hangBudget.ts).
import fc from 'fast-check';
import { parseFaultPlan } from '../faults/plan.ts';
import type { RunResult } from '../options.ts';
import { FaultlineError } from '../sim/errors.ts';
import { redactOutput } from '../sim/redact.ts';
import { withGlobalsHeld } from '../sim/runGlobals.ts';
import { type RunCase, runCaseArbitrary } from './arbitraries.ts';
import { type CheckCoverage, CoverageTally, formatUncovered } from './coverage.ts';
import { formatFailure } from './failureReport.ts';
import { hangBudget } from './hangBudget.ts';
import { minimise } from './minimise.ts';
import { caseStallMs, drawCases, type PoolRunEnd, runOnPool } from './parallelRuns.ts';
import type { PropertyVerdict } from './properties/property.ts';
import { defaultReplayCommand } from './replayCommand.ts';
import { runChecked } from './runCase.ts';
import { type CaseOutcome, defaultWorkers, RunPool, type ScenarioReference } from './runPool.ts';
import type { Scenario } from './scenario.ts';
import { cutByHangs, type ShrinkCut } from './shrinkCut.ts';
import { type CheckVacuity, formatVacuous, VacuityTally } from './vacuity.ts';
import { verifyReference } from './verifyReference.ts';

export { runCase } from './runCase.ts';
export type { ScenarioReference } from './runPool.ts';
export { RunPool } from './runPool.ts';

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
  /**
   * Worker threads to spread the runs over (default, when the scenario can be loaded by `reference`:
   * the available cores, `os.availableParallelism()`, but one per 2,500 runs, as starting a worker
   * costs a few seconds of module loading; else 1). The result does not depend on it: the
   * same cases are tried, the first failure in run order is reported, and it shrinks (in the calling
   * thread) to the same minimal case and replay command. A worker cannot be handed a closure, so a
   * scenario or agent defined inline in a test (`checkScenario({ agent: async (w) => … })`) without
   * a `reference` runs in the calling thread, as does a replay of a path.
   */
  readonly workers?: number;
  /**
   * How a worker thread loads this scenario and agent: a scenario file (YAML, JSON), a module that
   * exports `scenario`, or a built-in id, and the agent's name among the scenario's `agents`. It
   * must name the scenario and agent given to this call: workers run what it names. It is loaded
   * in the calling thread before any run, whatever the worker count, and a reference that cannot
   * be loaded fails the check at once (FaultlineError, with the nearest valid name).
   */
  readonly reference?: ScenarioReference;
  /** A pool to run on, owned by the caller (the CLI keeps one for all its checks); default: one made and ended by this call. */
  readonly pool?: RunPool;
  /**
   * Real milliseconds one case may run in a worker thread before the worker counts as stuck (agent
   * code that never yields: only another thread can end it), is ended, and the check fails with an
   * error naming the scenario, seed and case. Default: the scenario's `limits.wallClockMs` (twice
   * under determinism checking, and twice again with a heal phase) plus 10,000. Lower it only when
   * every run is quick, as in a test of the limit itself: a slow case past it fails the check.
   */
  readonly workerStallMs?: number;
  /**
   * Real milliseconds that the reruns of a failure's shrink and minimisation which hit the
   * wall-clock limit may take (default 60,000): agent code that never yields costs the whole limit
   * plus the watchdog's 1 s grace per rerun. It allows that many ms / (limits.wallClockMs + 1,000)
   * such reruns (half as many under determinism checking), half to the shrink and half to the
   * minimisation, counted, not timed, so a check always shrinks to the same case. Past them the case
   * found so far is reported, and the report says the shrink was cut (`shrinkCut`). Reruns that end
   * in time are not counted.
   */
  readonly timeoutShrinkMs?: number;
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
  /**
   * Present when the shrink stopped before it was done (reruns that hit the wall-clock limit used
   * up timeoutShrinkMs): the counterexample fails, and its replay reaches it, but it is not minimal.
   */
  readonly shrinkCut?: ShrinkCut;
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

/**
 * Checks `scenario` over many generated runs (see the top of this file).
 * @throws FaultlineError INVALID_FAULT_PLAN when a rule of the fault space is invalid, naming the
 *   rule by its index in `scenario.faults` as written (runs switch subsets of rules on).
 * @throws FaultlineError INVALID_SCENARIO or INVALID_OPTIONS, before any run, when `options.reference`
 *   cannot be loaded: what is wrong with it, and the nearest valid file, built-in id or agent name.
 */
export function checkScenario<I, O>(scenario: Scenario<I, O>, options: CheckOptions<I, O> = {}): Promise<CheckReport> {
  // The check's runs share one installation of the patched globals (see GlobalsSession).
  return withGlobalsHeld(() => check(scenario, options));
}

async function check<I, O>(scenario: Scenario<I, O>, options: CheckOptions<I, O>): Promise<CheckReport> {
  parseFaultPlan(scenario.faults ?? [], `scenario "${scenario.name}": faults`);
  const path = options.path ?? (process.env.FAULTLINE_PATH || undefined);
  const explicitSeed = options.seed ?? envNumber('FAULTLINE_SEED');
  // A replay (a seed given with a path) runs the reported case itself, whatever the shard.
  const shard = path !== undefined && explicitSeed !== undefined ? undefined : (options.shard ?? shardFromEnv());
  const allRuns = (options.runsFixed === true ? undefined : envNumber('FAULTLINE_RUNS')) ?? options.runs ?? 100;
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
  // Validates the fault space (a rule that can never act is refused here) and counts what each rule did.
  const tally = new CoverageTally(scenario.faults ?? []);
  const vacuityTally = new VacuityTally(scenario.properties);
  const arbitrary = runCaseArbitrary(scenario.faults ?? [], scenario.schedules ?? ['fifo']);
  // Once a failure is found, its reruns that hit the wall-clock limit are counted against this
  // budget (./hangBudget.ts); its minimisation has one of its own.
  const hangs = hangBudget(scenario, determinism, options.timeoutShrinkMs);
  const property = fc.asyncProperty(arbitrary, async (c) => {
    // A shrink candidate past the budget is not run: it passes, and the shrink ends where it is.
    if (firstFailureAt !== undefined && !hangs.allows()) return true;
    const { verdicts, result } = await runChecked(scenario, agent, c, determinism);
    const failed = verdicts.some((v) => !v.ok);
    if (firstFailureAt === undefined) {
      executed++;
      tally.add(c.plan, result);
      vacuityTally.add(verdicts, result);
      if (failed) firstFailureAt = executed;
      options.onRun?.(executed, failed);
    }
    if (firstFailureAt !== undefined) hangs.spend(result);
    return !failed;
  });
  // Unbiased: fast-check's bias makes early draws small, which for a fault plan means rules off or
  // narrowed to their first call; swarm modes need every draw from the whole range (bench/detection.ts).
  const checkParameters = { seed, numRuns: runs, unbiased: true } as const;
  const workers = path !== undefined || options.reference === undefined ? 1 : (options.pool?.workers ?? options.workers ?? defaultWorkers(runs));
  validateWorkerOptions(scenario.name, options);
  // Before any run: a reference no worker could load, or one naming another agent, fails here (see verifyReference.ts).
  if (options.reference !== undefined) await verifyReference('checkScenario', scenario, options.reference, { agent, agentLabel: options.agentLabel });
  let details: { failed: boolean; counterexample: [RunCase] | null; counterexamplePath: string | null; numShrinks: number; numRuns: number };
  if (workers > 1 && options.reference !== undefined) {
    details = await checkOnWorkers(scenario, options, options.reference, workers, seed, determinism, {
      arbitrary,
      runs,
      onOutcome: (c, outcome) => {
        executed++;
        tally.add(c.plan, outcome);
        vacuityTally.addOutcome(outcome.verdicts, outcome.subjects);
        if (outcome.failed) firstFailureAt = executed;
        options.onRun?.(executed, outcome.failed);
      },
      // The first failure in run order is shrunk here, as a one-thread check would: fast-check
      // replayed from that run (its path), the property now running in this thread.
      shrink: (index) => fc.check(property, { ...checkParameters, path: String(index) }),
    });
  } else {
    details = await fc.check(property, { ...checkParameters, ...(path === undefined ? {} : { path, endOnFailure: true }) });
  }
  if (path !== undefined && details.numRuns === 0 && !details.failed) {
    throw new FaultlineError('INVALID_OPTIONS', {
      what: `The replay path ${path} reaches no run of "${scenario.name}" from fast-check seed ${seed}`,
      where: { scenario: scenario.name },
      todo: 'Use the seed and path a failure printed together, unchanged; or leave the path out to run the whole check',
    });
  }
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
  const minimiseHangs = hangBudget(scenario, determinism, options.timeoutShrinkMs);
  const counterexample = await minimise(scenario, agent, shrunk, determinism, minimiseHangs);
  const shrinkCut = hangs.cut || minimiseHangs.cut ? cutByHangs(details.numShrinks, hangs) : undefined;
  const failurePath = details.counterexamplePath ?? undefined;
  const replay = failurePath === undefined ? undefined : (options.replayCommand ?? defaultReplayCommand)(seed, failurePath, { determinism });
  const report = {
    scenario: scenario.name,
    agent: options.agentLabel,
    ok: false,
    runs: executed,
    firstFailureAt,
    shrinkSteps: details.numShrinks,
    ...(shrinkCut === undefined ? {} : { shrinkCut }),
    seed,
    path: failurePath,
    counterexample,
    replay,
    coverage,
    vacuity,
  };
  // The message is printed: no credential any run saw may be in it (a tool's error can quote one).
  return { ...report, message: redactOutput(formatFailure(scenario, report)) };
}

/**
 * Refuses a worker count, stall limit or timeout-shrink budget that is not a positive whole number
 * (options a soak shares).
 * @throws FaultlineError INVALID_OPTIONS naming the option and the scenario.
 */
export function validateWorkerOptions(scenario: string, options: Pick<CheckOptions, 'workers' | 'workerStallMs' | 'timeoutShrinkMs'>): void {
  for (const [name, value] of [
    ['workers', options.workers],
    ['workerStallMs', options.workerStallMs],
    ['timeoutShrinkMs', options.timeoutShrinkMs],
  ] as const) {
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 1)) {
      throw new FaultlineError('INVALID_OPTIONS', {
        what: `${name} must be a whole number of at least 1, got ${String(value)}`,
        where: { scenario },
        todo:
          name === 'workers'
            ? 'Give the worker threads to use (1 runs in the calling thread)'
            : name === 'workerStallMs'
              ? 'Give the real milliseconds a case may run in a worker, or leave it out'
              : 'Give the real milliseconds that shrink reruns hitting the wall-clock limit may take, or leave it out',
      });
    }
  }
}

/**
 * The runs of a check on worker threads (harness/check/parallelRuns.ts), then the first failure in
 * run order shrunk in this thread: fast-check's result, as a one-thread check would have it.
 */
async function checkOnWorkers<I, O>(
  scenario: Scenario<I, O>,
  options: CheckOptions<I, O>,
  reference: ScenarioReference,
  workers: number,
  seed: number,
  determinism: boolean,
  run: {
    arbitrary: fc.Arbitrary<RunCase>;
    runs: number;
    onOutcome: (c: RunCase, outcome: CaseOutcome) => void;
    shrink: (index: number) => Promise<fc.RunDetails<[RunCase]>>;
  },
) {
  const cases = drawCases(run.arbitrary, seed, run.runs);
  const pool = options.pool ?? new RunPool(workers);
  let end: PoolRunEnd;
  try {
    end = await runOnPool({
      pool,
      reference,
      cases,
      determinism,
      stallMs: caseStallMs(scenario, determinism, options.workerStallMs),
      describe: (i) => {
        const c = cases[i] as RunCase;
        const replay = (options.replayCommand ?? defaultReplayCommand)(seed, String(i), { determinism });
        return `scenario "${scenario.name}"${options.agentLabel === undefined ? '' : ` × ${options.agentLabel}`}, fast-check seed ${seed}, case ${i + 1} (path ${i}, run seed ${c.runSeed}, plan ${JSON.stringify(c.plan)}; replay: ${replay})`;
      },
      onOutcome: (i, outcome) => run.onOutcome(cases[i] as RunCase, outcome),
    });
  } finally {
    if (options.pool === undefined) await pool.close();
  }
  // A case a worker stalled on (agent code that never yields, say) is the first failure in run
  // order, as it would be in one thread: it is rerun and shrunk here, where the watchdog stops it and
  // the run ends `timeout`, so the result is the one a single thread gives.
  if (end.kind === 'passed') return { failed: false, counterexample: null, counterexamplePath: null, numShrinks: 0, numRuns: cases.length };
  const index = end.index;
  const details = await run.shrink(index);
  // The case failed in a worker but passed here: minimise reruns it and reports the nondeterminism.
  if (!details.failed || details.counterexample === null) {
    return { failed: true, counterexample: [cases[index] as RunCase] as [RunCase], counterexamplePath: String(index), numShrinks: 0, numRuns: index + 1 };
  }
  return details;
}
