// The runs of a check spread over a pool of worker threads, with results that do not depend on the
// worker count. The cases are drawn in the calling thread exactly as fast-check draws them for the
// check's seed (the same arbitrary, seed, run count and bias), then sent to the workers in chunks
// of consecutive cases. Outcomes are consumed in run order: each is handed to `onOutcome` (the
// coverage and vacuity tallies, progress) until the first failing case, and that case's index is
// returned, so the same runs are counted and the same first failure is found with 1 or 16 workers.
// Shrinking the failure is the caller's (checkScenario and soakScenario replay fast-check from that
// run). A case on which a worker stalled is returned the same way, in run order, with its error.
import fc from 'fast-check';
import type { FaultlineError } from '../sim/errors.ts';
import { defaultLimits } from '../sim/limits.ts';
import type { RunCase } from './arbitraries.ts';
import type { CaseOutcome, ChunkResult, RunPool, ScenarioReference } from './runPool.ts';
import { type RunStop, requestStop, runStop, stopRequested } from './runStop.ts';
import type { WorldOptions } from './scenario.ts';

/** Added to the longest a case may legitimately run before a worker on it counts as stalled: CI machines are noisy. */
export const STALL_GRACE_MS = 10_000;

/**
 * Real milliseconds one case may run in a worker before the worker counts as stalled: `override`
 * when given (a test's short limit), else the scenario's `limits.wallClockMs` (twice under
 * determinism checking, which runs a case twice, and twice again with a heal phase) plus
 * {@link STALL_GRACE_MS}. Past it the worker is stuck in code that never yields.
 */
export function caseStallMs(scenario: { readonly world?: WorldOptions; readonly heal?: unknown }, determinism: boolean, override?: number): number {
  if (override !== undefined) return override;
  const wallClockMs = scenario.world?.limits?.wallClockMs ?? defaultLimits.wallClockMs;
  return wallClockMs * (determinism ? 2 : 1) * (scenario.heal === undefined ? 1 : 2) + STALL_GRACE_MS;
}

/** The cases fast-check's runner generates for `seed` and `runs`, in run order. */
export function drawCases(arbitrary: fc.Arbitrary<RunCase>, seed: number, runs: number): RunCase[] {
  const cases: RunCase[] = [];
  fc.check(
    fc.property(arbitrary, (c) => {
      cases.push(c);
      return true;
    }),
    { seed, numRuns: runs, unbiased: true },
  );
  return cases;
}

export interface PoolRunOptions {
  readonly pool: RunPool;
  readonly reference: ScenarioReference;
  readonly cases: readonly RunCase[];
  readonly determinism: boolean;
  /** Real milliseconds one case may run in a worker without finishing before the worker is ended ({@link caseStallMs}). */
  readonly stallMs: number;
  /** Names case `index` in an error (scenario, seed, case). */
  readonly describe: (index: number) => string;
  /** Called for each outcome in run order, up to and including the first failure. */
  readonly onOutcome: (index: number, outcome: CaseOutcome) => void;
  /** Once requested, no case starts and no chunk is sent; the runs end with the outcomes in run order so far. */
  readonly stop?: RunStop;
}

/**
 * How the runs ended, in run order: every case passed (or a stop ended them first: the outcomes
 * handed to `onOutcome` say how far they got), case `index` failed, or a worker stalled on case
 * `index` (the runs before it in its chunk are lost with the worker and were not handed over).
 */
export type PoolRunEnd =
  | { readonly kind: 'passed' }
  | { readonly kind: 'failed'; readonly index: number }
  | { readonly kind: 'stalled'; readonly index: number; readonly error: FaultlineError };

/**
 * Runs the cases on the pool (see the top of this file).
 * @throws FaultlineError WORKER_FAILED when a worker crashed on a case before which every case passed.
 */
export async function runOnPool(o: PoolRunOptions): Promise<PoolRunEnd> {
  const total = o.cases.length;
  // A few chunks per worker in flight keeps every worker busy; chunks of consecutive cases keep the
  // messages few, and small enough that little is run past a failure.
  const size = Math.max(1, Math.min(32, Math.ceil(total / (o.pool.workers * 8))));
  const outcomes: Array<CaseOutcome | undefined> = new Array(total);
  const inFlight = new Map<number, Promise<void>>();
  let next = 0;
  let cursor = 0;
  let firstFailure: number | undefined;
  // A chunk whose worker crashed or stalled, by its first case: it ends the runs only once the runs before it passed.
  const ends = new Map<number, { kind: 'crashed'; error: unknown } | Extract<PoolRunEnd, { kind: 'stalled' }>>();
  // Requested when these runs end: chunks still queued or running past the end start no more cases.
  const ended = runStop();
  const stops = o.stop === undefined ? [ended] : [o.stop, ended];
  const dispatch = (start: number) => {
    const chunk = o.cases.slice(start, start + size);
    const done = o.pool
      .run({ reference: o.reference, cases: chunk, determinism: o.determinism, stallMs: o.stallMs, describe: (i: number) => o.describe(start + i), stops })
      .then(
        (result: ChunkResult) => {
          result.outcomes.forEach((r, i) => {
            outcomes[start + i] = r;
          });
          if (result.stalled !== undefined) ends.set(start, { kind: 'stalled', index: start + result.stalled, error: result.error });
        },
        (error: unknown) => {
          ends.set(start, { kind: 'crashed', error });
        },
      )
      .finally(() => inFlight.delete(start));
    inFlight.set(start, done);
  };
  try {
    while (cursor < total && firstFailure === undefined) {
      while (ends.size === 0 && !stopRequested(o.stop) && next < total && inFlight.size < o.pool.workers * 2) {
        dispatch(next);
        next += size;
      }
      if (inFlight.size > 0) await Promise.race(inFlight.values());
      // Consume in run order: a chunk stops at its first failure, so everything before it is here.
      // After a stop nothing more is counted, as no run would have started in one thread.
      for (let at = outcomes[cursor]; at !== undefined && firstFailure === undefined && !stopRequested(o.stop); at = outcomes[cursor]) {
        o.onOutcome(cursor, at);
        if (at.failed) firstFailure = cursor;
        else cursor++;
      }
      if (firstFailure !== undefined) break;
      const end = ends.get(cursor - (cursor % size));
      if (end?.kind === 'crashed') throw end.error;
      if (end?.kind === 'stalled') return end;
      // Stopped, or the next outcome missing with nothing in flight (a stop cut its chunk short):
      // once the chunks in flight are back, no more will come.
      if (inFlight.size === 0 && (stopRequested(o.stop) || outcomes[cursor] === undefined)) break;
    }
  } finally {
    // Chunks past the end are not needed: they stop before their next case, and waiting for them
    // keeps the pool free for the next check of the same CLI invocation (the pool's owner ends the
    // workers), and its timers out of the runs this thread makes next (shrinking).
    requestStop(ended);
    await Promise.all(inFlight.values());
  }
  return firstFailure === undefined ? { kind: 'passed' } : { kind: 'failed', index: firstFailure };
}
