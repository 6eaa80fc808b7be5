// Goal: the unreliable-provider scenario catches a triage agent that hammers a failing provider, waits
// on stalled streams and files garbage replies, and passes one that backs off, times out, falls back
// and validates. Method: checkScenario from five base seeds against the naive agent (each must fail
// within 200 runs and shrink to one rule), 500 runs of the hardened agent, and same-seed trace hashes.
import { describe, expect, it } from 'vitest';
import { runCase } from '../../harness/index.ts';
import { scenario } from '../../scenarios/07-unreliable-provider/scenario.ts';
import { itCatchesTheNaiveAgent, itPassesTheHardenedAgent } from './expectations.ts';

describe('07-unreliable-provider', () => {
  itCatchesTheNaiveAgent(scenario, 'catches the naive agent from every base seed, with a one-rule plan');

  itPassesTheHardenedAgent(scenario, 'passes the hardened agent for 500 runs');

  it('names the mistake: hammering a 429, filing garbage; the hardened agent falls back or hands over', async () => {
    const rule = (kind: string) => (scenario.faults ?? []).filter((r) => r.kind === kind);
    const cases: Array<[string, string]> = [
      ['rate-limit', 'retriesBackOff'],
      ['malformed', 'noGarbageAnswer'],
      ['empty', 'noGarbageAnswer'],
      ['corrupt', 'noGarbageAnswer'],
      ['stream-stall', 'gracefulDegradation'],
    ];
    for (const [kind, property] of cases) {
      const c = { runSeed: 11, plan: rule(kind), schedule: { kind: 'fifo' } as const };
      const naive = await runCase(scenario, scenario.agents?.naive as typeof scenario.agent, c);
      expect(
        naive.verdicts.filter((v) => !v.ok).map((v) => v.property),
        kind,
      ).toContain(property);
      const hardened = await runCase(scenario, scenario.agents?.hardened as typeof scenario.agent, c);
      expect(
        hardened.verdicts.every((v) => v.ok),
        kind,
      ).toBe(true);
      expect(hardened.result.value, kind).toMatchObject({ notes: expect.any(Array) });
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
