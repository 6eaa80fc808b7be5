// Goal: a green check means the fault plan was tested. Every check reports, per rule, the calls its
// target matched, how often it fired and how often it changed what the caller saw; a rule whose
// target matched nothing fails the check with the nearest real target; a rule that changed nothing
// never appears in a shrunk plan. Method: a small tool-calling agent checked with typo'd, optional
// and idle rules, comparing the reports' verdicts, coverage numbers and messages.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { coverageOfRun, nearestTarget } from '../../harness/check/coverage.ts';
import { checkScenario, defineTool, gracefulDegradation, type Scenario, simulate, type World } from '../../harness/index.ts';
import '../../harness/vitest.ts';

const lookup = defineTool({
  name: 'lookup_order',
  description: 'Finds an order',
  input: z.object({ id: z.string() }),
  handler: ({ id }) => ({ id, status: 'shipped' }),
});

/** Looks an order up, and says sorry when the tool fails. */
async function agent(world: World): Promise<string> {
  try {
    const order = await world.tools.call<{ status: string }>('lookup_order', { id: 'A1' });
    return `Your order is ${order.status}.`;
  } catch {
    return 'Sorry, the order system is unavailable.';
  }
}

function scenario(faults: Scenario['faults']): Scenario<undefined, string> {
  return { name: 'coverage', world: { tools: [lookup] }, faults, agent, properties: [gracefulDegradation({ withinMs: 60_000 })] };
}

describe('fault coverage of a check', () => {
  it('fails a check whose rule targets a yield point no run had, naming the nearest one', async () => {
    const report = await checkScenario(scenario([{ target: 'tool:lookupOrder', kind: 'error' }]), { runs: 20, seed: 1 });
    expect(report.ok).toBe(false);
    expect(report.counterexample).toBeUndefined();
    expect(report.coverage.unmatched).toEqual([{ rule: 'error@tool:lookupOrder', target: 'tool:lookupOrder', nearest: 'tool:lookup_order' }]);
    expect(report.message).toContain('every property held, but 1 fault rule tested nothing');
    expect(report.message).toContain(
      'error@tool:lookupOrder: "tool:lookupOrder" matched no yield point in 20 runs (the runs had tool:lookup_order); did you mean `tool:lookup_order`?',
    );
    expect(report.message).toContain('optional: true');
    // In vitest (chaosTest and the toHold matcher) the failure is the same message.
    expect(() => expect(report).toHold()).toThrow(/did you mean `tool:lookup_order`\?/);
  });

  it('passes the same check when the rule is optional, and when the target is right', async () => {
    const optional = await checkScenario(scenario([{ target: 'tool:lookupOrder', kind: 'error', optional: true }]), { runs: 20, seed: 1 });
    expect(optional.ok, optional.message).toBe(true);
    const right = await checkScenario(scenario([{ target: 'tool:lookup_order', kind: 'error' }]), { runs: 20, seed: 1 });
    expect(right.ok, right.message).toBe(true);
    const rule = right.coverage.rules[0];
    // Swarm testing switches the rule on in some runs (narrowed, in some, to a call the run never
    // makes); every call it fired on, it changed.
    expect(rule).toMatchObject({ rule: 'error@tool:lookup_order', matched: 20, visited: true });
    expect(rule?.fired).toBe(rule?.changed);
    expect(rule?.fired).toBeGreaterThan(0);
    expect(rule?.fired).toBeLessThanOrEqual(rule?.runsOn ?? 0);
  });

  it('counts fired apart from changed, and says why a rule changed nothing', async () => {
    const r = await simulate(agent, {
      seed: 1,
      tools: [lookup],
      faults: [
        { target: 'tool:lookup_order', kind: 'latency', params: { latency: { kind: 'fixed', ms: 5 } } },
        // The result has no date in it, so this rule fires and changes nothing.
        { target: 'tool:*', kind: 'corrupt', params: { fact: 'date' } },
      ],
    });
    const coverage = coverageOfRun(r);
    expect(coverage.rules.map((x) => [x.rule, x.matched, x.fired, x.changed])).toEqual([
      ['latency@tool:lookup_order', 1, 1, 1],
      ['corrupt@tool:*', 1, 1, 0],
    ]);
    expect(coverage.rules[1]?.noEffect).toEqual(['the result has no date fact to change']);
    const faultMarks = r.trace.filter((e) => e.type === 'mark' && e.name === 'fault');
    expect(faultMarks.map((e) => (e.type === 'mark' ? e.data?.rule : ''))).toEqual(['latency@tool:lookup_order']);
  });

  it('drops a rule that changed nothing from the failing plan it reports', async () => {
    const failing: Scenario<undefined, string> = {
      ...scenario([
        { target: 'tool:lookup_order', kind: 'corrupt', params: { fact: 'date' } },
        { target: 'tool:lookup_order', kind: 'hang' },
      ]),
      properties: [gracefulDegradation({ withinMs: 10_000 })],
    };
    let pruned = 0;
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const found = await checkScenario(failing, { runs: 50, seed });
      expect(found.ok).toBe(false);
      // Replaying the first failing case as it was drawn (no shrinking), with the idle rule on or off.
      const replay = await checkScenario(failing, { runs: 50, seed, path: String((found.firstFailureAt ?? 1) - 1) });
      expect(replay.counterexample?.case.plan.map((r) => r.kind)).toEqual(['hang']);
      if (replay.coverage.rules[0]?.runsOn === 1) pruned++;
    }
    expect(pruned).toBeGreaterThan(0);
  });

  it('refuses a rule that can never act where it is placed, saying why', async () => {
    await expect(
      checkScenario(scenario([{ target: 'tool:lookup_order', kind: 'latency', params: { latency: { kind: 'fixed', ms: 0 } } }]), { runs: 1 }),
    ).rejects.toThrow(/faults\[0\]: its latency model can only draw 0 ms, so it never delays anything/);
    await expect(checkScenario(scenario([{ target: 'http:api.example.com', kind: 'stream-stall', params: { stallMs: 10 } }]), { runs: 1 })).rejects.toThrow(
      /faults\[0\]\.kind: "stream-stall" cannot happen at "http:api.example.com"; at http: targets the kinds are .* \(stream-stall acts at llm:\)/,
    );
  });

  it('suggests only targets a slip of the keyboard explains', () => {
    const visited = ['llm:gpt-4o-mini', 'mcp:kb', 'tool:lookup_order'];
    expect(nearestTarget('tool:lookupOrder', visited)).toBe('tool:lookup_order');
    expect(nearestTarget('llm:gpt-4o-mimi', visited)).toBe('llm:gpt-4o-mini');
    expect(nearestTarget('mcp:knowledge', visited)).toBeUndefined();
  });
});
