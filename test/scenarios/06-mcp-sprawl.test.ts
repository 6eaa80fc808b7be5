// Goal: the MCP-sprawl scenario catches a support agent that trusts the tool catalogue it built at
// start-up and connects to its servers without deadlines, and passes one that fails closed on changed
// tools. Method: checkScenario from five base seeds against the naive agent (each must fail within 200
// runs and shrink to one rule), 500 runs of the hardened agent, and same-seed runs compared by trace hash.
import { describe, expect, it } from 'vitest';
import { runCase } from '../../harness/index.ts';
import { scenario } from '../../scenarios/06-mcp-sprawl/scenario.ts';
import { itCatchesTheNaiveAgent, itPassesTheHardenedAgent } from './expectations.ts';

describe('06-mcp-sprawl', () => {
  itCatchesTheNaiveAgent(scenario, 'catches the naive agent from every base seed, with a one-rule plan');

  itPassesTheHardenedAgent(scenario, 'passes the hardened agent for 500 runs');

  it('flags every call of a tool its server announced as changed, and the hardened agent fails closed instead', async () => {
    const changes = (scenario.faults ?? []).filter((rule) => ['tool-renamed', 'tool-removed', 'schema-drift', 'description-changed'].includes(rule.kind));
    expect(changes).toHaveLength(4);
    for (const rule of changes) {
      const c = { runSeed: 7, plan: [rule], schedule: { kind: 'fifo' } as const };
      const naive = await runCase(scenario, scenario.agents?.naive as typeof scenario.agent, c);
      expect(naive.verdicts.find((v) => v.property === 'noStaleToolCalls')?.ok, rule.kind).toBe(false);
      const hardened = await runCase(scenario, scenario.agents?.hardened as typeof scenario.agent, c);
      expect(
        hardened.verdicts.every((v) => v.ok),
        rule.kind,
      ).toBe(true);
      expect(String(hardened.result.value), rule.kind).toMatch(/Unavailable: .*(no longer offered|changed its definition)/);
    }
  });

  it('gives the same trace for the same seed, for each agent', async () => {
    const plan = scenario.faults ?? [];
    for (const agent of [scenario.agents?.naive, scenario.agents?.hardened]) {
      const c = { runSeed: 42, plan, schedule: { kind: 'fifo' } as const };
      const first = await runCase(scenario, agent as typeof scenario.agent, c);
      const second = await runCase(scenario, agent as typeof scenario.agent, c);
      expect(second.result.traceHash).toBe(first.result.traceHash);
      expect(first.result.trace.length).toBeGreaterThan(10);
    }
  });
});
