// soakScenario: a time-boxed hunt. Batches of fresh cases are generated from seeds derived from
// the base seed (seed, seed+1, …), each batch a fast-check check of bounded size, so every batch
// replays as `--seed <its seed> --path <path>`. A failure is shrunk and minimised as checkScenario
// does, and kept once per shrunk signature (./signature.ts). The soak stops at its deadline even
// inside a batch: a run that would start after the deadline is not made (and shrinking stops
// there too, keeping the smallest failing case found so far, which the failure then says is not
// minimal: ./shrinkCut.ts), so a soak never overruns by more than one run plus the minimisation of
// a failure already found.
//
// On worker threads (`workers`, with the scenario given by `reference`), a batch's cases are drawn
// here as fast-check draws them for its seed and run on the pool (./parallelRuns.ts); outcomes are
// counted in run order, and the first failure in run order is shrunk here, from fast-check's path
// to it, exactly as in one thread: the same failures, signatures and replay commands whatever the
// worker count. Workers read the deadline themselves and start no case after it; a worker stuck in
// code that never yields is ended once its case has run for the stall limit, and the soak lists it
// as a failure of its own (a stall, not shrunk) and goes on, so a soak ends by its deadline plus
// that limit at worst.
import fc from 'fast-check';
import { parseFaultPlan } from '../faults/plan.ts';
import type { RunResult } from '../options.ts';
import { FaultlineError } from '../sim/errors.ts';
import { wallClockMs, withGlobalsHeld } from '../sim/runGlobals.ts';
import { realEpochMs } from '../sim/watchdog.ts';
import { type RunCase, runCaseArbitrary } from './arbitraries.ts';
import { type CheckOptions, seedFromName, validateWorkerOptions } from './checkScenario.ts';
import { type CheckCoverage, CoverageTally } from './coverage.ts';
import { type HangBudget, hangBudget } from './hangBudget.ts';
import { minimise } from './minimise.ts';
import { caseStallMs, drawCases, runOnPool } from './parallelRuns.ts';
import { defaultReplayCommand } from './replayCommand.ts';
import { runChecked } from './runCase.ts';
import { defaultSoakWorkers, RunPool } from './runPool.ts';
import { type RunStop, requestStop, runStop, stopRequested } from './runStop.ts';
import type { Scenario } from './scenario.ts';
import { cutAtDeadline, cutByHangs } from './shrinkCut.ts';
import { type FoundFailure, type SoakFailure, SoakFailures } from './soakFailures.ts';
import { verifyReference } from './verifyReference.ts';

export type { SoakFailure } from './soakFailures.ts';

/**
 * The check options a soak shares with checkScenario (agent, agentLabel, determinism,
 * replayCommand, reference, pool, workerStallMs, timeoutShrinkMs), documented there.
 */
export interface SoakOptions<I = unknown, O = unknown>
  extends Pick<CheckOptions<I, O>, 'agent' | 'agentLabel' | 'determinism' | 'replayCommand' | 'reference' | 'pool' | 'workerStallMs' | 'timeoutShrinkMs'> {
  /** How long to soak, in real milliseconds (at least 1). */
  readonly forMs: number;
  /** The first batch's fast-check seed (default: FAULTLINE_SEED, else one derived from the scenario's name); batch b uses seed + b. */
  readonly seed?: number;
  /** Runs per batch, at most (default 50): how far past the deadline a batch can reach is one run. */
  readonly batchRuns?: number;
  /**
   * Worker threads for the batches' runs (default, when the scenario can be loaded by `reference`:
   * the available cores, but one per 10 s of `forMs`, as a worker spends its first seconds loading;
   * else 1, the calling thread). The failures found, their signatures and replay commands do not
   * depend on it; the runs made in the time do.
   */
  readonly workers?: number;
  /** Called after each batch (progress, a line per batch). */
  readonly onBatch?: (batch: SoakBatch, soFar: SoakReport) => void;
  /** Called after each run, in run order (a progress line on a terminal). */
  readonly onRun?: (runs: number) => void;
  /**
   * The real clock, in milliseconds (tests); default: the wall clock, which runs do not fake. A test
   * clock should move only in `onRun` or `onBatch`, so that it reads the same with any worker count.
   */
  readonly now?: () => number;
}

export interface SoakBatch {
  readonly index: number;
  readonly seed: number;
  readonly runs: number;
  /** The signature of the failure this batch found, and whether it was new. */
  readonly failure?: FoundFailure;
}

export interface SoakReport {
  readonly scenario: string;
  readonly agent: string | undefined;
  readonly runs: number;
  readonly batches: number;
  readonly elapsedMs: number;
  readonly failures: readonly SoakFailure[];
  readonly coverage: CheckCoverage;
}

/**
 * How a batch ended: its runs, and the failing case it found (shrunk `steps` steps, as far as the
 * deadline and the budget for reruns that hang allowed: `state` says) or the stuck case, with its path.
 */
interface BatchEnd {
  readonly found?: { readonly case: RunCase; readonly path: string; readonly steps: number; readonly state: BatchState };
  readonly stalled?: { readonly case: RunCase; readonly path: string; readonly message: string };
}

/**
 * Where a batch's property is: counting the batch's runs (until its first failure), and shrinking
 * a failure (after it, or from the start when it replays one found on a worker); `cut` once a
 * shrink candidate was not run because the deadline had come. Its shrink's reruns that hit the
 * wall-clock limit draw on `hangs` (see checkScenario).
 */
interface BatchState {
  counting: boolean;
  shrinking: boolean;
  cut: boolean;
  readonly hangs: HangBudget;
}

/**
 * Soaks `scenario` for `forMs` (see the top of this file).
 * @throws FaultlineError INVALID_OPTIONS for a budget, batch size, worker count or stall limit that
 *   is not a positive integer, or when no run could be made in the time.
 * @throws FaultlineError INVALID_SCENARIO or INVALID_OPTIONS, before any run, when `reference`
 *   cannot be loaded (see checkScenario's `reference`).
 * @throws FaultlineError WORKER_FAILED when a worker thread crashed.
 */
export function soakScenario<I, O>(scenario: Scenario<I, O>, options: SoakOptions<I, O>): Promise<SoakReport> {
  // The soak's runs share one installation of the patched globals (see GlobalsSession).
  return withGlobalsHeld(() => soak(scenario, options));
}

async function soak<I, O>(scenario: Scenario<I, O>, options: SoakOptions<I, O>): Promise<SoakReport> {
  const now = options.now ?? wallClockMs;
  const batchRuns = options.batchRuns ?? 50;
  for (const [name, value] of [
    ['forMs', options.forMs],
    ['batchRuns', batchRuns],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new FaultlineError('INVALID_OPTIONS', {
        what: `soakScenario("${scenario.name}") was given ${name} ${String(value)}`,
        where: { scenario: scenario.name },
        todo: `Give ${name} as a whole number of at least 1${name === 'forMs' ? ' (milliseconds; the CLI takes --for 30s, 10m or 1h)' : ''}`,
      });
    }
  }
  validateWorkerOptions(scenario.name, options);
  parseFaultPlan(scenario.faults ?? [], `scenario "${scenario.name}": faults`);
  const agent = options.agent ?? scenario.agent;
  // Before the clock starts: a reference no worker could load, or one naming another agent, fails here (see verifyReference.ts).
  if (options.reference !== undefined) await verifyReference('soakScenario', scenario, options.reference, { agent, agentLabel: options.agentLabel });
  const started = now();
  const deadline = started + options.forMs;
  // Workers read a real deadline themselves; a test clock reaches them only through the stop flag.
  const stop = runStop(options.now === undefined ? realEpochMs() + options.forMs : undefined);
  const base = options.seed ?? envSeed() ?? seedFromName(scenario.name);
  const determinism = options.determinism ?? (process.env.FAULTLINE_CHECK_DETERMINISM === '1' || scenario.determinism === true);
  const tally = new CoverageTally(scenario.faults ?? []);
  const arbitrary = runCaseArbitrary(scenario.faults ?? [], scenario.schedules ?? ['fifo']);
  const replay = (seed: number, path: string) => (options.replayCommand ?? defaultReplayCommand)(seed, path, { determinism });
  const failures = new SoakFailures(scenario.name, options.agentLabel, replay);
  let runs = 0;
  let batches = 0;
  let batchRunCount = 0;
  const count = (c: RunCase, result: Pick<RunResult, 'coverage'>) => {
    batchRunCount++;
    runs++;
    tally.add(c.plan, result);
    options.onRun?.(runs);
  };
  const report = (): SoakReport => ({
    scenario: scenario.name,
    agent: options.agentLabel,
    runs,
    batches,
    elapsedMs: now() - started,
    failures: failures.list(),
    coverage: tally.summary(),
  });
  // The batch's property in this thread: it runs the batch (counting its runs up to the first
  // failure) or, on workers, only replays and shrinks the failure they found (counting nothing).
  // A batch's state: counting its runs in this thread, or (on workers) replaying its failure to shrink it.
  const batchState = (counting: boolean): BatchState => ({
    counting,
    shrinking: !counting,
    cut: false,
    hangs: hangBudget(scenario, determinism, options.timeoutShrinkMs),
  });
  const property = (state: BatchState) =>
    fc.asyncProperty(arbitrary, async (c) => {
      // Past the deadline nothing more runs: a generated case passes unrun, a shrink candidate too
      // (and then the shrink was cut short: the case it ends with is not minimal).
      if (now() >= deadline) {
        if (state.shrinking) state.cut = true;
        return true;
      }
      if (state.shrinking && !state.hangs.allows()) return true;
      const { verdicts, result } = await runChecked(scenario, agent, c, determinism);
      const failed = verdicts.some((v) => !v.ok);
      if (state.counting) {
        count(c, result);
        if (failed) state.counting = false;
      }
      if (failed) state.shrinking = true;
      if (state.shrinking) state.hangs.spend(result);
      return !failed;
    });
  const workers = options.reference === undefined ? 1 : (options.pool?.workers ?? options.workers ?? defaultSoakWorkers(options.forMs));
  const pool = workers > 1 && options.reference !== undefined ? (options.pool ?? new RunPool(workers)) : undefined;
  const stallMs = caseStallMs(scenario, determinism, options.workerStallMs);
  try {
    while (now() < deadline && !stopRequested(stop)) {
      const seed = base + batches;
      batchRunCount = 0;
      let end: BatchEnd;
      if (pool === undefined || options.reference === undefined) {
        const state = batchState(true);
        const details = await fc.check(property(state), { seed, numRuns: batchRuns, unbiased: true });
        const shrunk = details.failed ? details.counterexample?.[0] : undefined;
        end =
          shrunk === undefined || details.counterexamplePath === null
            ? {}
            : { found: { case: shrunk, path: details.counterexamplePath, steps: details.numShrinks, state } };
      } else {
        end = await batchOnPool({ pool, reference: options.reference, seed, stop, stallMs }, () => now() >= deadline);
      }
      const found = await record(end, seed);
      const batch: SoakBatch = { index: batches, seed, runs: batchRunCount, ...(found === undefined ? {} : { failure: found }) };
      batches++;
      options.onBatch?.(batch, report());
    }
  } finally {
    requestStop(stop);
    if (pool !== undefined && options.pool === undefined) await pool.close();
  }
  if (runs === 0) {
    throw new FaultlineError('INVALID_OPTIONS', {
      what: `The soak of "${scenario.name}" made no run in ${options.forMs} ms${pool === undefined ? '' : ` on ${pool.workers} worker threads`}`,
      where: { scenario: scenario.name },
      todo: `Give it a longer budget (--for 30s or more): a soak that runs nothing proves nothing${pool === undefined ? '' : '; a worker thread spends its first seconds loading'}`,
    });
  }
  return report();

  /** One batch on the pool: its cases drawn here, run there in run order, the first failure shrunk here. */
  async function batchOnPool(
    on: { pool: RunPool; reference: NonNullable<SoakOptions['reference']>; seed: number; stop: RunStop; stallMs: number },
    timeIsUp: () => boolean,
  ): Promise<BatchEnd> {
    const cases = drawCases(arbitrary, on.seed, batchRuns);
    const ran = await runOnPool({
      pool: on.pool,
      reference: on.reference,
      cases,
      determinism,
      stallMs: on.stallMs,
      stop: on.stop,
      describe: (i) =>
        `scenario "${scenario.name}"${options.agentLabel === undefined ? '' : ` × ${options.agentLabel}`}, soak batch seed ${on.seed}, case ${i + 1} (path ${i}, run seed ${(cases[i] as RunCase).runSeed}; replay: ${replay(on.seed, String(i))})`,
      onOutcome: (i, outcome) => {
        count(cases[i] as RunCase, outcome);
        if (timeIsUp()) requestStop(on.stop);
      },
    });
    if (ran.kind === 'passed') return {};
    const at = cases[ran.index] as RunCase;
    if (ran.kind === 'stalled') {
      // The stuck case was a run (cut short, with no result to tally), as in one thread, where the
      // watchdog would have ended it as a timeout.
      batchRunCount++;
      runs++;
      options.onRun?.(runs);
      return { stalled: { case: at, path: String(ran.index), message: ran.error.message } };
    }
    const state = batchState(false);
    const details = await fc.check(property(state), { seed: on.seed, numRuns: batchRuns, unbiased: true, path: String(ran.index) });
    // The case failed on a worker but not here (the deadline came first, or the agent is not
    // deterministic): minimise reruns it, and reports nondeterminism as a failure of its own.
    const shrunk = details.failed ? details.counterexample?.[0] : undefined;
    if (shrunk === undefined || details.counterexamplePath === null) {
      return { found: { case: at, path: String(ran.index), steps: 0, state } };
    }
    return { found: { case: shrunk, path: details.counterexamplePath, steps: details.numShrinks, state } };
  }

  /** Keeps a batch's failure once per signature (a found one minimised first); returns what the batch found. */
  async function record(end: BatchEnd, seed: number): Promise<FoundFailure | undefined> {
    if (end.stalled !== undefined) return failures.addStall(end.stalled.case, seed, end.stalled.path, end.stalled.message);
    if (end.found === undefined) return undefined;
    const { state, steps } = end.found;
    const minimiseHangs = hangBudget(scenario, determinism, options.timeoutShrinkMs);
    const minimal = await minimise(scenario, agent, end.found.case, determinism, minimiseHangs);
    const cut = state.cut ? cutAtDeadline(steps) : state.hangs.cut || minimiseHangs.cut ? cutByHangs(steps, state.hangs) : undefined;
    return failures.addFailure(minimal, seed, end.found.path, cut);
  }
}

function envSeed(): number | undefined {
  const raw = process.env.FAULTLINE_SEED;
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw new FaultlineError('INVALID_OPTIONS', { what: `FAULTLINE_SEED must be an integer, got ${JSON.stringify(raw)}` });
  return n;
}
