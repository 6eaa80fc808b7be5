// Goal: scenario 10 catches a research agent whose fan-out has no bound — the budget stops the
// runaway early and names the call graph that spent it — and passes one that bounds depth, fan-out,
// its queue and its model calls. Method: the naive agent is checked from five base seeds (200 runs
// each) and every shrunk counterexample must be a budget stop; the hardened agent must keep every
// property over 500 runs; both must replay to the same trace from the same seed.
import { describe, expect, it } from 'vitest';
import { type RunCase, runCase } from '../../harness/index.ts';
import { hardened, naive } from '../../scenarios/10-backpressure/agents.ts';
import { scenario } from '../../scenarios/10-backpressure/scenario.ts';
import { hardenedPasses, naiveFails } from './expectations.ts';

const agents = { naive, hardened };
const queueDepth = (trace: readonly { type: string; name?: string; data?: { depth?: unknown } }[]) =>
  Math.max(0, ...trace.filter((e) => e.type === 'mark' && e.name === 'queue.depth').map((e) => Number(e.data?.depth)));

describe('10-backpressure', () => {
  it('catches the naive runaway with one fault: at the budget with its call graph, or at the queue bound it overflows first', async () => {
    const found = await naiveFails(scenario, { seeds: [1, 2, 3, 4, 5], runs: 200, maxPlan: 1 });
    console.log(
      `10-backpressure naive: first failures at runs ${found.firstFailures.join(', ')}; median ${found.median}; largest shrunk plan ${found.largestPlan} rule(s)`,
    );
    for (const report of found.reports) {
      const result = report.counterexample?.result;
      expect(report.message).toContain('Minimal fault plan (1 rule)');
      if (result?.outcome !== 'budget') {
        // Shrinking narrows the fault to the fewest calls that still fail: an eager model on a few
        // calls overflows the leads queue, or spawns past the actor bound, before the fan-out
        // reaches the spend budget.
        expect(report.counterexample?.failed.map((v) => v.property)).toEqual(['boundedWork']);
        expect(report.counterexample?.failed[0]?.message).toMatch(
          /^(A queue grew to \d+ items, over the bound of 6|The run had \d+ actors, over the bound of 12)/,
        );
        continue;
      }
      // Stopped at the 31st request, before the model ran it (30 billed at that moment; a call
      // already in flight may still bill), and the message is the call graph of who spent them.
      expect(result.spend.attempts).toBe(31);
      expect(result.spend.calls).toBeLessThanOrEqual(31);
      expect(result.message).toMatch(
        /LLM requests reached 31 \(30 billed, the rest refused or lost\), over limits\.budget\.llmCalls \(30\), on a call by \w+(#\d+)?\. Spend by actor:\nmain: \$[\d.]+ in 30 LLM calls \(31 requests\)\n {2}researcher ×2: /,
      );
    }
  });

  it('stops the runaway at the budget under the eager model on every call, with the call graph of who spent it', async () => {
    const c: RunCase = { runSeed: 1, plan: [scenario.faults?.[0] as never], schedule: { kind: 'fifo' } };
    const { result } = await runCase(scenario, agents.naive, c);
    expect(result.outcome, result.message).toBe('budget');
    expect(result.spend.attempts).toBe(31);
    // The eager model snapshot shows as planners spawning planners.
    expect(result.message).toMatch(/\n {2}planner ×3: .*\n {4}planner ×9: /);
  });

  it('keeps the hardened agent within its bounds under every fault at once', async () => {
    const c: RunCase = { runSeed: 7, plan: scenario.faults ?? [], schedule: { kind: 'fifo' } };
    const { result, verdicts } = await runCase(scenario, agents.hardened, c);
    expect(result.outcome, result.message).toBe('ok');
    expect(verdicts.filter((v) => !v.ok)).toEqual([]);
    expect(result.spend.calls).toBeLessThanOrEqual(15);
    expect(result.actors.length).toBe(6);
    expect(queueDepth(result.trace)).toBeLessThanOrEqual(4);
    expect(result.value).toMatch(/^Research brief: .* Partial: \d+ of \d+ queries found no sources within the research budget\.$/);
  });

  it('passes the hardened agent over 500 runs', async () => {
    const started = performance.now();
    const report = await hardenedPasses(scenario, 500);
    console.log(`10-backpressure hardened: ${report.runs} runs in ${Math.round(performance.now() - started)} ms`);
  });

  it('replays the same trace from the same seed, for both agents', async () => {
    const c: RunCase = { runSeed: 42, plan: scenario.faults ?? [], schedule: { kind: 'fifo' } };
    for (const agent of [agents.naive, agents.hardened]) {
      const first = await runCase(scenario, agent, c);
      const second = await runCase(scenario, agent, c);
      expect(second.result.traceHash).toBe(first.result.traceHash);
      expect(second.result.outcome).toBe(first.result.outcome);
    }
  });
});
