// Goal: scenario 12 catches ticket agents whose concurrent read-modify-writes lose an update (and
// then tell the customer a balance that looks invented), and passes agents that compare-and-set.
// Method: the naive agents are checked from five base seeds (200 runs each, random and PCT
// interleavings, no faults needed); the shrunk interleaving must replay to the same lost update; the
// hardened agents must keep every property over 500 runs; same seed, same trace, for both.
import { describe, expect, it } from 'vitest';
import { type RunCase, runCase } from '../../harness/index.ts';
import { hardened, naive } from '../../scenarios/12-race-conditions/agents.ts';
import type { DeskAnswer } from '../../scenarios/12-race-conditions/desk.ts';
import { scenario } from '../../scenarios/12-race-conditions/scenario.ts';
import { hardenedPasses, naiveFails } from './expectations.ts';

const agents = { naive, hardened };

describe('12-race-conditions', () => {
  it('catches a lost update by the naive agents from every base seed, and replays the interleaving', async () => {
    const found = await naiveFails(scenario, { seeds: [1, 2, 3, 4, 5], runs: 200, maxPlan: 0 });
    console.log(
      `12-race-conditions naive: first failures at runs ${found.firstFailures.join(', ')}; median ${found.median}; shrunk plans have ${found.largestPlan} rule(s)`,
    );
    for (const report of found.reports) {
      const counterexample = report.counterexample;
      expect(counterexample?.failed.map((v) => v.property)).toContain('noLostUpdates');
      expect(counterexample?.failed.find((v) => v.property === 'noLostUpdates')?.message).toMatch(
        /^Lost update on customer:cus_\w+ in store crm: agent-T-\d+ read version \d+ .* agent-T-\d+'s update is lost\./,
      );
      // The shrunk interleaving is data: replaying it loses the same update again.
      const c = counterexample?.case as RunCase;
      const again = await runCase(scenario, agents.naive, c);
      expect(again.result.traceHash).toBe(counterexample?.result.traceHash);
      expect((again.result.value as DeskAnswer).balance).toBe((counterexample!.result.value as DeskAnswer).balance);
    }
  });

  it('tells the customer a balance that reads like a hallucination when an update is lost', async () => {
    const found = await naiveFails(scenario, { seeds: [1], runs: 200, maxPlan: 0 });
    const counterexample = found.reports[0]?.counterexample;
    expect(counterexample?.failed.find((v) => v.property === 'balanceAddsUp')?.message).toMatch(
      /^.+ was told ".+, your loyalty balance is now \d+ points\." at t=\d+ms, but the opening \d+ points and the adjustments \([+-]\d+, [+-]\d+, [+-]\d+\) make \d+: an update was lost/,
    );
    // Under the same interleaving, compare-and-set keeps every adjustment.
    const { result, verdicts } = await runCase(scenario, agents.hardened, counterexample?.case as RunCase);
    expect(verdicts.filter((v) => !v.ok)).toEqual([]);
    expect(result.outcome).toBe('ok');
  });

  it('passes the hardened agents over 500 runs', async () => {
    const started = performance.now();
    const report = await hardenedPasses(scenario, 500);
    console.log(`12-race-conditions hardened: ${report.runs} runs in ${Math.round(performance.now() - started)} ms`);
  });

  it('replays the same trace from the same seed, for both agents', async () => {
    const c: RunCase = { runSeed: 42, plan: [], schedule: { kind: 'pct', depth: 3 } };
    for (const agent of [agents.naive, agents.hardened]) {
      const first = await runCase(scenario, agent, c);
      const second = await runCase(scenario, agent, c);
      expect(second.result.traceHash).toBe(first.result.traceHash);
      expect(second.result.value).toEqual(first.result.value);
    }
  });
});
