// The runs of a check spread over a pool of worker threads, with results that do not depend on the
// worker count. The cases are drawn in the calling thread exactly as fast-check draws them for the
// check's seed (the same arbitrary, seed, run count and bias), then sent to the workers in chunks
// of consecutive cases. Outcomes are consumed in run order: each is handed to `onOutcome` (the
// coverage and vacuity tallies, progress) until the first failing case, and that case's index is
// returned, so the same runs are counted and the same first failure is found with 1 or 16 workers.
// Shrinking the failure is the caller's (checkScenario replays fast-check from that run).
import fc from 'fast-check';
import type { RunCase } from './arbitraries.ts';
import type { CaseOutcome, RunPool, ScenarioReference } from './runPool.ts';

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
  /** How long one case may run in a worker without finishing before the worker is ended. */
  readonly stallMs: number;
  /** Names case `index` in an error (scenario, seed, case). */
  readonly describe: (index: number) => string;
  /** Called for each outcome in run order, up to and including the first failure. */
  readonly onOutcome: (index: number, outcome: CaseOutcome) => void;
}

/** Runs the cases on the pool; resolves to the index of the first failing case in run order, if any. */
export async function runOnPool(o: PoolRunOptions): Promise<number | undefined> {
  const total = o.cases.length;
  // A few chunks per worker in flight keeps every worker busy; chunks of consecutive cases keep the
  // messages few, and small enough that little is run past a failure.
  const size = Math.max(1, Math.min(32, Math.ceil(total / (o.pool.workers * 8))));
  const outcomes: Array<CaseOutcome | undefined> = new Array(total);
  const inFlight = new Map<number, Promise<void>>();
  let next = 0;
  let cursor = 0;
  let firstFailure: number | undefined;
  // A chunk whose worker crashed or stalled, by its first case: an error only once the runs before it passed.
  const errors = new Map<number, unknown>();
  const dispatch = (start: number) => {
    const chunk = o.cases.slice(start, start + size);
    const done = o.pool
      .run(o.reference, chunk, o.determinism, o.stallMs, (i) => o.describe(start + i))
      .then(
        (results) => {
          results.forEach((r, i) => {
            outcomes[start + i] = r;
          });
        },
        (e: unknown) => {
          errors.set(start, e);
        },
      )
      .finally(() => inFlight.delete(start));
    inFlight.set(start, done);
  };
  try {
    while (cursor < total && firstFailure === undefined) {
      while (errors.size === 0 && next < total && inFlight.size < o.pool.workers * 2) {
        dispatch(next);
        next += size;
      }
      if (inFlight.size > 0) await Promise.race(inFlight.values());
      // Consume in run order: a chunk stops at its first failure, so everything before it is here.
      for (let at = outcomes[cursor]; at !== undefined && firstFailure === undefined; at = outcomes[cursor]) {
        o.onOutcome(cursor, at);
        if (at.failed) firstFailure = cursor;
        else cursor++;
      }
      if (firstFailure === undefined && errors.has(cursor - (cursor % size))) throw errors.get(cursor - (cursor % size));
    }
  } finally {
    // Chunks past the failure are not needed, but waiting for them keeps the pool free for the next
    // check of the same CLI invocation; the pool's owner ends the workers.
    await Promise.all(inFlight.values());
  }
  return firstFailure;
}
