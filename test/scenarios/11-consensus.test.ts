// Goal: scenario 11 catches a review panel that outvotes its safety reviewer or trusts two reviewers
// on one model as if they were independent, and passes a panel that escalates instead. Method: the
// naive panel is checked from five base seeds (200 runs each) and must shrink to at most two faults;
// single faults show each failure with its sentence; the hardened panel must keep every property
// over 500 runs; both must replay to the same trace from the same seed.
import { describe, expect, it } from 'vitest';
import { type FaultRuleInput, type RunCase, runCase } from '../../harness/index.ts';
import { hardened, naive } from '../../scenarios/11-consensus/agents.ts';
import type { Decision } from '../../scenarios/11-consensus/review.ts';
import { scenario } from '../../scenarios/11-consensus/scenario.ts';
import { hardenedPasses, naiveFails } from './expectations.ts';

const agents = { naive, hardened };
const rule = (target: string, kind: string) => (scenario.faults ?? []).find((r) => r.target === target && r.kind === kind) as FaultRuleInput;

async function both(plan: readonly FaultRuleInput[]) {
  const c: RunCase = { runSeed: 11, plan, schedule: { kind: 'fifo' } };
  const naive = await runCase(scenario, agents.naive, c);
  const hardened = await runCase(scenario, agents.hardened, c);
  const failed = (run: typeof naive) => run.verdicts.filter((v) => !v.ok);
  return { naive: naive.result.value as Decision, naiveFailed: failed(naive), hardened: hardened.result.value as Decision, hardenedFailed: failed(hardened) };
}

describe('11-consensus', () => {
  it('catches the naive panel within 200 runs from five base seeds, shrunk to at most two faults', async () => {
    const found = await naiveFails(scenario, { seeds: [1, 2, 3, 4, 5], runs: 200, maxPlan: 2 });
    console.log(
      `11-consensus naive: first failures at runs ${found.firstFailures.join(', ')}; median ${found.median}; largest shrunk plan ${found.largestPlan} rule(s)`,
    );
    for (const report of found.reports) {
      const failed = report.counterexample?.failed.map((v) => v.property) ?? [];
      expect(
        failed.some((p) => p === 'safetyDissentHeard' || p === 'independentAgreement'),
        report.message,
      ).toBe(true);
    }
  });

  it('approves on the happy path, with or without the hardened rules', async () => {
    const { naive, naiveFailed, hardened, hardenedFailed } = await both([]);
    expect([naive.decision, hardened.decision]).toEqual(['approve', 'approve']);
    expect([...naiveFailed, ...hardenedFailed]).toEqual([]);
  });

  it('names the fraud flag the naive majority outvoted, where the hardened panel holds the refund', async () => {
    const { naive, naiveFailed, hardened, hardenedFailed } = await both([rule('tool:fraud_signals', 'corrupt')]);
    expect(naive.decision).toBe('approve');
    const safety = naiveFailed.find((v) => v.property === 'safetyDissentHeard');
    expect(safety?.message).toMatch(
      /^Refund R-\d+ was approved 2–1 at t=\d+ms over the safety reviewer risk, who voted to reject \("Fraud signals raised: \w+\."\): a safety dissent was silently outvoted\.$/,
    );
    expect(hardened.decision).toBe('escalate');
    expect(hardened.note).toMatch(/^Held for human review: risk raised a safety concern: Fraud signals raised/);
    expect(hardenedFailed).toEqual([]);
  });

  it('names two reviewers on one skewed model outvoting the third, where the hardened panel escalates', async () => {
    const { naive, naiveFailed, hardened, hardenedFailed } = await both([rule('llm:gpt-4o-mini', 'version-skew')]);
    expect(naive.decision).toBe('reject');
    expect(naiveFailed.map((v) => v.message)).toEqual([
      expect.stringMatching(
        /was rejected at t=\d+ms on the votes of policy and support, who both asked gpt-4o-mini, against risk on claude-haiku-4-5: agreement between correlated reviewers was taken for correctness\.$/,
      ),
    ]);
    expect(hardened.decision).toBe('escalate');
    expect(hardened.note).toContain('gpt-4o-mini: reject; claude-haiku-4-5: approve');
    expect(hardenedFailed).toEqual([]);
  });

  it('does not let the naive panel approve without the risk review when Claude is down', async () => {
    const { naive, naiveFailed, hardened, hardenedFailed } = await both([rule('llm:claude-*', 'server-error')]);
    expect(naive).toMatchObject({ decision: 'approve', note: '2 of 2 reviewers approved.' });
    expect(naiveFailed.map((v) => v.property)).toEqual(['safetyDissentHeard', 'independentAgreement', 'gracefulDegradation']);
    expect(hardened.decision).toBe('escalate');
    expect(hardened.note).toMatch(/the risk review is unavailable \(risk failed\)/);
    expect(hardenedFailed).toEqual([]);
  });

  it('passes the hardened panel over 500 runs', async () => {
    const started = performance.now();
    const report = await hardenedPasses(scenario, 500);
    console.log(`11-consensus hardened: ${report.runs} runs in ${Math.round(performance.now() - started)} ms`);
  });

  it('replays the same trace from the same seed, for both agents', async () => {
    const c: RunCase = { runSeed: 42, plan: scenario.faults ?? [], schedule: { kind: 'fifo' } };
    for (const agent of [agents.naive, agents.hardened]) {
      const first = await runCase(scenario, agent, c);
      const second = await runCase(scenario, agent, c);
      expect(second.result.traceHash).toBe(first.result.traceHash);
      expect(second.result.value).toEqual(first.result.value);
    }
  });
});
