// Goal: the CAP-for-agents scenario catches a shipping assistant that lets one failing dependency
// take the whole answer down, and passes one that degrades. Method: checkScenario from five base
// seeds against the naive agent (each must fail within 200 runs and shrink to one rule), 500 runs
// of the hardened agent, and two runs of each agent with one seed and plan compared by trace hash.
import { describe, expect, it } from 'vitest';
import { runCase } from '../../harness/index.ts';
import { scenario } from '../../scenarios/04-cap-for-agents/scenario.ts';
import { itCatchesTheNaiveAgent, itPassesTheHardenedAgent } from './expectations.ts';

describe('04-cap-for-agents', () => {
  itCatchesTheNaiveAgent(scenario, 'catches the naive agent from every base seed, with a one-rule plan');

  itPassesTheHardenedAgent(scenario, 'passes the hardened agent for 500 runs');

  it('gives the same trace for the same seed, for each agent', async () => {
    const plan = scenario.faults ?? [];
    for (const agent of [scenario.agents?.naive, scenario.agents?.hardened]) {
      const c = { runSeed: 42, plan, schedule: { kind: 'fifo' } as const };
      const first = await runCase(scenario, agent as typeof scenario.agent, c);
      const second = await runCase(scenario, agent as typeof scenario.agent, c);
      expect(second.result.traceHash).toBe(first.result.traceHash);
      expect(first.result.trace.length).toBeGreaterThan(5);
    }
  });
});
