// Goal: a soak whose deadline comes while it shrinks a failure says so for that failure: the failure
// carries the cut (its reason and the steps made), the summary says "shrink stopped at the soak's
// deadline after K steps; the case shown fails but is not minimal" instead of calling its plan
// minimal, and its replay (seed and path) still reproduces the failure listed. A failure shrunk in
// full carries no cut. Method: the two-bug fixture, its agent wrapped to move a test clock one tick
// per run (shrink reruns included), soaked for one batch in one thread: first with time to spare,
// to learn at which tick the failure is found and how many steps its shrink takes; then with the
// deadline three ticks after the failure, in the middle of that shrink. No assertion on real time.
import { describe, expect, it } from 'vitest';
import { checkScenario } from '../../harness/check/checkScenario.ts';
import type { Scenario } from '../../harness/check/scenario.ts';
import { type SoakFailure, soakScenario } from '../../harness/check/soakScenario.ts';
import { failureLines } from '../../harness/cli/soakCommand.ts';
import { scenario as twoBugs } from '../cli/fixtures/twoBugs.ts';

const batchRuns = 20;
const seed = 4242;
let ticks = 0;
const scenario: Scenario = {
  ...twoBugs,
  agent: (world, input) => {
    ticks++;
    return twoBugs.agent(world, input as never);
  },
};

/** The failure found by one batch of a soak whose deadline is tick `forMs`, and the tick at which the batch's last counted run (its first failure) ended. */
async function soakOneBatch(forMs: number): Promise<{ failure: SoakFailure; foundAt: number }> {
  ticks = 0;
  let foundAt = 0;
  const report = await soakScenario(scenario, {
    forMs,
    seed,
    batchRuns,
    workers: 1,
    now: () => ticks,
    onRun: () => {
      foundAt = ticks;
    },
    // One batch: the clock jumps past any deadline after it.
    onBatch: () => {
      ticks = Number.MAX_SAFE_INTEGER;
    },
  });
  expect(report.batches).toBe(1);
  expect(report.failures).toHaveLength(1);
  return { failure: report.failures[0] as SoakFailure, foundAt };
}

/** Shrink steps on a fast-check path: the entries after the run's own index. */
const stepsOf = (path: string) => path.split(':').length - 1;

describe('a soak cut by its deadline while shrinking', () => {
  it('says the shrink stopped and the case is not minimal, and its replay reproduces the failure', async () => {
    const full = await soakOneBatch(1_000_000);
    expect(full.failure.shrinkCut).toBeUndefined();
    expect(failureLines(full.failure).join('\n')).toContain(`minimal plan ${JSON.stringify(full.failure.plan)}`);
    expect(stepsOf(full.failure.path)).toBeGreaterThan(3);

    const cut = await soakOneBatch(full.foundAt + 3);
    expect(cut.foundAt).toBe(full.foundAt);
    const steps = stepsOf(cut.failure.path);
    expect(steps).toBeLessThan(stepsOf(full.failure.path));
    expect(cut.failure.shrinkCut).toEqual({
      reason: 'deadline',
      steps,
      message: `shrink stopped at the soak's deadline after ${steps} step${steps === 1 ? '' : 's'}; the case shown fails but is not minimal`,
    });
    const lines = failureLines(cut.failure);
    expect(lines.join('\n')).not.toContain('minimal plan');
    expect(lines.slice(1)).toEqual([
      `         plan (not minimal) ${JSON.stringify(cut.failure.plan)}`,
      `         ${cut.failure.shrinkCut?.message}`,
      `         replay: ${cut.failure.replay}`,
    ]);

    // The replay command's seed and path reach the failure listed: the same properties fail, with the same plan.
    const replayed = await checkScenario(scenario, { seed: cut.failure.seed, path: cut.failure.path, runs: batchRuns, runsFixed: true });
    expect(replayed.ok).toBe(false);
    expect(replayed.counterexample?.failed.map((v) => v.property)).toEqual(cut.failure.failed);
    expect(replayed.counterexample?.case.plan).toEqual(cut.failure.plan);
    expect(replayed.path).toBe(cut.failure.path);
  });
});
