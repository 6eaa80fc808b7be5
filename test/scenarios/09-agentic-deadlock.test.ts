// Goal: scenario 09 catches agents that deadlock on each other's locks, names the cycle, and passes
// agents that take locks in one order with timeouts. Method: the naive pair is checked from five base
// seeds (200 runs each) and must shrink to one fault with a named wait-for cycle; the hardened pair
// must keep every property over 500 runs, and both must replay to the same trace from the same seed.
import { describe, expect, it } from 'vitest';
import { type RunCase, runCase } from '../../harness/index.ts';
import { hardened, naive } from '../../scenarios/09-agentic-deadlock/agents.ts';
import { scenario } from '../../scenarios/09-agentic-deadlock/scenario.ts';
import { hardenedPasses, naiveFails } from './expectations.ts';

const agents = { naive, hardened };

describe('09-agentic-deadlock', () => {
  it('catches the naive pair in a lock-order cycle, shrunk to one slow call', async () => {
    const found = await naiveFails(scenario, { seeds: [1, 2, 3, 4, 5], runs: 200, maxPlan: 1 });
    console.log(
      `09-agentic-deadlock naive: first failures at runs ${found.firstFailures.join(', ')}; median ${found.median}; largest shrunk plan ${found.largestPlan} rule(s)`,
    );
    for (const report of found.reports) {
      const result = report.counterexample?.result;
      expect(result?.outcome, report.message).toBe('deadlock');
      expect(result?.cycle?.edges.map((e) => e.waiter).sort()).toEqual(['reconciler', 'refunds']);
      expect(result?.message).toMatch(
        /Deadlock at t=\d+ms: (refunds|reconciler) waits for lock "(ledger|order:A-\d+)" held by (reconciler|refunds); .* \(the cycle formed at t=\d+ms\)/,
      );
      expect(report.counterexample?.case.plan.map((r) => r.kind)).toEqual(['latency']);
    }
  });

  it('lets the hardened pair finish under the very plan that deadlocks the naive one', async () => {
    const found = await naiveFails(scenario, { seeds: [1], runs: 200, maxPlan: 1 });
    const c = found.reports[0]?.counterexample?.case as RunCase;
    const { result, verdicts } = await runCase(scenario, agents.hardened, c);
    expect(result.outcome, result.message).toBe('ok');
    expect(verdicts.filter((v) => !v.ok)).toEqual([]);
    expect(result.value).toMatch(/^Refunded \$[\d.]+ to .* Reconciliation: the ledger matches the bank statement\.$/);
  });

  it('passes the hardened pair over 500 runs', async () => {
    const started = performance.now();
    const report = await hardenedPasses(scenario, 500);
    console.log(`09-agentic-deadlock hardened: ${report.runs} runs in ${Math.round(performance.now() - started)} ms`);
  });

  it('replays the same trace from the same seed, for both agents', async () => {
    const c: RunCase = { runSeed: 42, plan: scenario.faults ?? [], schedule: { kind: 'pct', depth: 2 } };
    for (const agent of [agents.naive, agents.hardened]) {
      const first = await runCase(scenario, agent, c);
      const second = await runCase(scenario, agent, c);
      expect(second.result.traceHash).toBe(first.result.traceHash);
      expect(second.result.outcome).toBe(first.result.outcome);
    }
  });
});
