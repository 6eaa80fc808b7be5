// Goal: chaosTest hands `workers` and `reference` to checkScenario: a scenario it can load by
// reference runs on worker threads, and an inline closure runs in the test's own thread whatever
// `workers` says. Method: a chaos test of the rare-failure fixture's hardened agent, by reference on
// 2 workers, with RunPool's `run` spied on; one of an inline agent that records its thread, with
// workers: 4; a last test reads what they recorded (vitest runs a file's tests in order).
import { threadId } from 'node:worker_threads';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { RunPool } from '../../harness/check/runPool.ts';
import { noDeadlock } from '../../harness/index.ts';
import { chaosTest } from '../../harness/vitest.ts';
import { scenario } from '../fixtures/workers/rareFailure.ts';

const chunks = vi.spyOn(RunPool.prototype, 'run');
const threads: number[] = [];
afterAll(() => {
  chunks.mockRestore();
});

describe('chaosTest with workers', () => {
  chaosTest('a scenario given by reference holds, its runs on worker threads', scenario, {
    agent: scenario.agents?.hardened,
    agentLabel: 'hardened',
    runs: 60,
    runsFixed: true,
    workers: 2,
    reference: { scenario: 'test/fixtures/workers/rareFailure.ts', agent: 'hardened' },
    reports: false,
  });

  chaosTest(
    'an inline closure holds, in the calling thread',
    {
      name: 'chaosTest: inline closure',
      agent: async () => {
        threads.push(threadId);
        return 'done';
      },
      properties: [noDeadlock()],
    },
    { runs: 30, runsFixed: true, workers: 4, reports: false },
  );

  it('sent the runs of the scenario given by reference to the workers, and ran the closure here', () => {
    expect(chunks).toHaveBeenCalled();
    const sent = chunks.mock.calls.flatMap(([chunk]) => chunk.cases);
    expect(sent).toHaveLength(60);
    expect(new Set(chunks.mock.calls.map(([chunk]) => chunk.reference.agent))).toEqual(new Set(['hardened']));
    expect(threads).toHaveLength(30);
    expect(new Set(threads)).toEqual(new Set([threadId]));
  });
});
