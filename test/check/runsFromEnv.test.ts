// Goal: a nightly job can raise (or lower) the runs of every check in a suite with FAULTLINE_RUNS,
// even where a test sets its own `runs`; an explicit `runsFixed` (the CLI's --runs) is kept.
// Method: a passing scenario checked with runs: 20 under FAULTLINE_RUNS=7 and =33.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Scenario } from '../../harness/index.ts';
import { checkScenario, noDeadlock } from '../../harness/index.ts';

const scenario: Scenario<undefined, string> = {
  name: 'runs from the environment',
  world: {},
  faults: [],
  agent: async (world) => {
    await world.sleep(10);
    return 'done';
  },
  properties: [noDeadlock()],
};

describe('FAULTLINE_RUNS', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('wins over the runs a test sets', async () => {
    vi.stubEnv('FAULTLINE_RUNS', '7');
    expect((await checkScenario(scenario, { runs: 20 })).runs).toBe(7);
    vi.stubEnv('FAULTLINE_RUNS', '33');
    expect((await checkScenario(scenario, { runs: 20 })).runs).toBe(33);
  });

  it('does not override runs given explicitly with runsFixed', async () => {
    vi.stubEnv('FAULTLINE_RUNS', '7');
    expect((await checkScenario(scenario, { runs: 20, runsFixed: true })).runs).toBe(20);
  });

  it('leaves the runs alone when unset', async () => {
    vi.stubEnv('FAULTLINE_RUNS', '');
    expect((await checkScenario(scenario, { runs: 12 })).runs).toBe(12);
  });
});
