// Goal: agent code that never yields, in a worker thread, cannot hang a check. The pool ends the
// stuck worker once its case has run past the stall limit; the check then fails with an error
// naming the scenario, the fast-check seed and the case, whose advice (replay it in the calling
// thread) works: there the watchdog stops the loop and the run ends `timeout`. Method: a fixture
// whose agent is a synchronous infinite loop, checked on 2 workers with a 1-second stall limit
// (workerStallMs; the default is the wall-clock limit plus 10 s). Workers run with the watchdog off,
// so only the pool's limit can end these runs. No assertion on time: a hang fails by the test's
// timeout.
import { describe, expect, it } from 'vitest';
import { checkScenario } from '../../harness/check/checkScenario.ts';
import { isFaultlineError } from '../../harness/index.ts';
import { scenario } from '../fixtures/workers/neverYields.ts';

const reference = { scenario: 'test/fixtures/workers/neverYields.ts' };

describe('a worker stuck in code that never yields', () => {
  it('fails the check with an error naming the scenario, seed and case, and the replay in this thread ends timeout', async () => {
    const error = await checkScenario(scenario, { runs: 4, runsFixed: true, seed: 99, workers: 2, reference, workerStallMs: 1_000 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isFaultlineError(error) && error.code).toBe('WORKER_FAILED');
    expect((error as Error).message).toMatch(
      /^\[faultline\] A worker thread running scenario "workers: never yields", fast-check seed 99, case 1 \(path 0, run seed \d+, plan .*; replay: .*FAULTLINE_SEED=99 FAULTLINE_PATH=0 .*\) made no progress for 1 s \(agent code that never yields.*the worker was ended\. Replay that case with workers: 1/,
    );

    // The advice works: replayed in this thread, the watchdog stops the loop and the run ends timeout.
    const replay = await checkScenario(scenario, { seed: 99, path: '0' });
    expect(replay.ok).toBe(false);
    expect(replay.counterexample?.result.outcome).toBe('timeout');
  }, 30_000);
});
