// Goal: the fault-plan generator swarms each rule's `when` (once, a burst, from a call on, a
// virtual-time window, every call), keeps a user's own call selection as written, makes two
// persistent faults co-occur often enough to find the bugs that need them, and still shrinks a
// failure to the narrowest mode. Method: samples of the arbitrary from fixed seeds, a check of a
// bug that needs two persistent faults (bench/compoundBugs.ts) from ten base seeds, and the shrunk
// plan of a one-call bug.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { breakerAndBackup } from '../../bench/compoundBugs.ts';
import { applyWhenMode, faultPlanArbitrary, whenMode } from '../../harness/check/arbitraries.ts';
import type { FaultRuleInput } from '../../harness/faults/plan.ts';
import { checkScenario, defineTool, gracefulDegradation, type Scenario } from '../../harness/index.ts';

const space: FaultRuleInput[] = [
  { target: 'tool:a', kind: 'error' },
  { target: 'tool:b', kind: 'error', when: { calls: [2] } },
  { target: 'llm:*', kind: 'server-error', when: { probability: 0.3 } },
];

const modeOf = (rule: FaultRuleInput): string => {
  const w = rule.when;
  if (Array.isArray(w?.calls)) return 'once';
  if (w?.calls !== undefined) return (w.calls as { to?: number }).to === undefined ? 'from' : 'burst';
  if (w?.afterMs !== undefined) return 'window';
  return 'every';
};

describe('swarm when modes', () => {
  it('give every mode a share, keep a rule’s own selection, and keep its probability', () => {
    const plans = fc.sample(faultPlanArbitrary(space), { seed: 42, numRuns: 2_000, unbiased: true });
    const modes = new Map<string, number>();
    for (const plan of plans) {
      for (const rule of plan) {
        if (rule.target === 'tool:b') expect(rule.when).toEqual({ calls: [2] });
        if (rule.target === 'llm:*') expect(rule.when?.probability).toBe(0.3);
        if (rule.target === 'tool:a') modes.set(modeOf(rule), (modes.get(modeOf(rule)) ?? 0) + 1);
      }
    }
    for (const mode of ['once', 'burst', 'from', 'window', 'every']) expect(modes.get(mode) ?? 0, mode).toBeGreaterThan(60);
    // Two rules both on every call: common enough to matter (a storm makes most rules persistent).
    const both = plans.filter((p) => p.filter((r) => r.target !== 'tool:b' && modeOf(r) === 'every').length === 2).length;
    expect(both / plans.length).toBeGreaterThan(0.1);
  });

  it('draws the same plans from the same seed, and others from others', () => {
    const a = fc.sample(faultPlanArbitrary(space), { seed: 7, numRuns: 50, unbiased: true });
    expect(fc.sample(faultPlanArbitrary(space), { seed: 7, numRuns: 50, unbiased: true })).toEqual(a);
    expect(fc.sample(faultPlanArbitrary(space), { seed: 8, numRuns: 50, unbiased: true })).not.toEqual(a);
  });

  it('maps modes to when fields, narrowest first', () => {
    const rule: FaultRuleInput = { target: 'tool:a', kind: 'error', when: { actor: 'main' } };
    expect(applyWhenMode(rule, whenMode(false, 0, 1, 2))).toEqual({ ...rule, when: { actor: 'main', calls: [1] } });
    expect(applyWhenMode(rule, whenMode(false, 50, 1, 3))).toEqual({ ...rule, when: { actor: 'main', calls: { from: 1, to: 4 } } });
    expect(applyWhenMode(rule, whenMode(false, 70, 2, 2))).toEqual({ ...rule, when: { actor: 'main', calls: { from: 2 } } });
    expect(applyWhenMode(rule, whenMode(false, 80, 1, 2))).toEqual({ ...rule, when: { actor: 'main', afterMs: 1_000, beforeMs: 11_000 } });
    expect(applyWhenMode(rule, whenMode(false, 99, 1, 2))).toBe(rule);
    expect(whenMode(true, 30, 0, 2)).toEqual({ mode: 'every' });
  });

  it('finds a bug that needs two persistent faults within 100 runs from each of ten base seeds', async () => {
    const found: number[] = [];
    for (let seed = 1; seed <= 10; seed++) {
      const report = await checkScenario(breakerAndBackup, { runs: 100, seed });
      expect(report.ok, `seed ${seed}`).toBe(false);
      found.push(report.firstFailureAt ?? Number.POSITIVE_INFINITY);
      // Shrunk to the two rules the bug needs, each still hitting enough calls.
      expect(report.counterexample?.case.plan.map((r) => `${r.kind}@${r.target}`).sort()).toEqual(['error@tool:backup', 'error@tool:primary']);
    }
    found.sort((a, b) => a - b);
    expect(found[4]).toBeLessThanOrEqual(10);
  });

  it('shrinks a bug one call triggers to that one call', async () => {
    const lookup = defineTool({ name: 'lookup', description: 'x', input: z.object({ i: z.number() }), handler: ({ i }) => i });
    const scenario: Scenario<undefined, string> = {
      name: 'third call',
      world: { tools: [lookup] },
      faults: [{ target: 'tool:lookup', kind: 'error' }],
      agent: async (world) => {
        for (let i = 0; i < 5; i++) {
          try {
            await world.tools.call('lookup', { i });
          } catch (error) {
            if (i === 2) throw error;
          }
        }
        return 'looked everything up, or said what failed';
      },
      properties: [gracefulDegradation()],
    };
    const report = await checkScenario(scenario, { runs: 100, seed: 3 });
    expect(report.counterexample?.case.plan).toEqual([{ target: 'tool:lookup', kind: 'error', when: { calls: [2] } }]);
  });
});
