// Goal: agent code that never yields, in a worker thread, cannot hang a check or a soak. The pool
// ends the stuck worker once its case has run past the stall limit; the check then reruns and
// shrinks that case in the calling thread, where the watchdog stops the loop and the run ends
// `timeout`: the same result as a check in one thread. A soak lists the stall as a failure with its
// replay command and ends. Method: a fixture whose agent is a synchronous
// infinite loop, checked and soaked on 2 workers with a half-second stall limit (workerStallMs; the
// default is the wall-clock limit plus 10 s). Workers run with the watchdog off, so only the pool's
// limit can end these runs. No assertion on time: a hang fails by the test's timeout.
import { describe, expect, it } from 'vitest';
import { checkScenario } from '../../harness/check/checkScenario.ts';
import { soakScenario } from '../../harness/check/soakScenario.ts';
import { scenario } from '../fixtures/workers/neverYields.ts';

const reference = { scenario: 'test/fixtures/workers/neverYields.ts' };

describe('a worker stuck in code that never yields', () => {
  it('fails the check at that case, shrunk here where the watchdog stops it: the result one thread gives', async () => {
    const onWorkers = await checkScenario(scenario, { runs: 4, runsFixed: true, seed: 99, workers: 2, reference, workerStallMs: 500 });
    const inThisThread = await checkScenario(scenario, { runs: 4, runsFixed: true, seed: 99 });
    expect(onWorkers.ok).toBe(false);
    expect(onWorkers.counterexample?.result.outcome).toBe('timeout');
    expect(onWorkers.message).toMatch(/FAULTLINE_SEED=99 FAULTLINE_PATH=0/);
    const essence = (r: typeof onWorkers) => ({
      ok: r.ok,
      runs: r.runs,
      firstFailureAt: r.firstFailureAt,
      shrinkSteps: r.shrinkSteps,
      outcome: r.counterexample?.result.outcome,
      case: r.counterexample?.case,
      message: r.message,
    });
    expect(essence(onWorkers)).toEqual(essence(inThisThread));
  }, 60_000);

  it('lists the stall as a soak failure with its replay command, and ends the soak', async () => {
    let t = 0;
    const report = await soakScenario(scenario, {
      forMs: 1,
      now: () => t,
      onBatch: () => {
        t++;
      },
      seed: 99,
      batchRuns: 4,
      workers: 2,
      reference,
      workerStallMs: 500,
      replayCommand: (seed, at) => `npx faultline run test/fixtures/workers/neverYields.ts --runs 4 --seed ${seed} --path ${at}`,
    });
    expect(report.batches).toBe(1);
    expect(report.runs).toBe(1);
    expect(report.failures).toHaveLength(1);
    const [stall] = report.failures;
    expect(stall).toMatchObject({ stalled: true, failed: [], seed: 99, path: '0', found: 1 });
    expect(stall?.replay).toBe('npx faultline run test/fixtures/workers/neverYields.ts --runs 4 --seed 99 --path 0');
    expect(stall?.message).toMatch(/scenario "workers: never yields", soak batch seed 99, case 1 \(path 0.*made no progress for 0.5 s/);
  }, 30_000);
});
