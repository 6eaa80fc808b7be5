// Goal: checkScenario finds a naive agent's bug in a bounded number of runs, shrinks the fault plan
// to the one fault that matters and the interleaving towards first-in-first-out, passes the hardened
// agent over 500 runs, stops a runaway at its budget, and catches nondeterminism. Method: a real
// openai-client agent with a failing tool, the racing bank agents, and deliberately broken agents.
import { describe, expect, it } from 'vitest';
import { boundedSpend, checkScenario, noLostUpdates, rules, type Scenario, seedFromName, simulate, type World } from '../../harness/index.ts';
import { shardFromEnv } from '../../harness/vitest.ts';
import { bank } from '../demos/bank.ts';
import { hardenedRefundAgent, refundScenario } from '../fixtures/refundAgent.ts';

describe('checkScenario', () => {
  it('finds the naive agent failing, and shrinks the plan to the one fault that matters', async () => {
    const report = await checkScenario(refundScenario, { runs: 100, replayCommand: (seed, path) => `replay ${seed} ${path}` });
    expect(report.ok).toBe(false);
    expect(report.firstFailureAt).toBeLessThanOrEqual(20);
    // Shrunk to the one rule, narrowed to the one call that takes the answer down.
    expect(report.counterexample?.case.plan).toEqual([
      { target: 'tool:search_orders', kind: 'error', params: { message: 'order system unavailable' }, when: { calls: [0] } },
    ]);
    expect(report.counterexample?.failed.map((v) => v.property)).toEqual(['gracefulDegradation']);
    expect(report.message).toContain('Minimal fault plan (1 rule)');
    expect(report.message).toContain(`replay ${report.seed} ${report.path}`);
    // The seed and path replay exactly that counterexample.
    const again = await checkScenario(refundScenario, { runs: 100, seed: report.seed, path: report.path });
    expect(again.counterexample?.result.traceHash).toBe(report.counterexample?.result.traceHash);
  });

  it('passes the hardened agent over 500 runs', async () => {
    const report = await checkScenario(refundScenario, { runs: 500, agent: hardenedRefundAgent, agentLabel: 'hardened' });
    expect(report.message).toMatch(/^ok .* × hardened: 500 runs, every property held/);
  });

  it('shrinks a racy interleaving to the turns the failure needs', async () => {
    const scenario: Scenario<undefined, number | undefined> = {
      name: 'bank race',
      world: { storeLatency: { kind: 'fixed', ms: 0 } },
      schedules: ['pct'],
      agent: bank(false),
      properties: [noLostUpdates()],
    };
    const report = await checkScenario(scenario, { runs: 200 });
    expect(report.ok).toBe(false);
    const schedule = report.counterexample?.case.schedule;
    expect(schedule?.kind).toBe('replay');
    const choices = schedule?.kind === 'replay' ? schedule.choices : [];
    // PCT's run took a turn away from first-in-first-out at most of its ~160 choices; what is left
    // is one agent running ahead of the others until the race, and first-in-first-out after it.
    expect(new Set(choices.filter((c) => c !== ''))).toHaveProperty('size', 1);
    expect(choices.length).toBeLessThan(40);
    expect(report.message).toContain('Lost update on account');
    // The shrunk interleaving still loses the update when replayed on its own.
    const replay = await simulate(bank(false), { storeLatency: { kind: 'fixed', ms: 0 }, schedule: { kind: 'replay', choices: [...choices] } });
    expect(replay.value).toBe(120);
  });
});

describe('budgets', () => {
  it('stops a runaway agent at once with outcome budget and the call graph that spent it', async () => {
    const runaway = async (world: World) => {
      // Every sub-agent spawns two more, each asking the model first: a fan-out without a bound.
      const work = async (w: World, depth: number): Promise<void> => {
        await w.llm.complete({ model: 'gpt-4o', messages: [{ role: 'user', content: `plan step at depth ${depth}` }] });
        await Promise.all([w.spawn('worker', (c) => work(c, depth + 1)), w.spawn('worker', (c) => work(c, depth + 1))]);
      };
      await work(world, 0);
    };
    const r = await simulate(runaway, {
      llm: { models: { 'gpt-4o': rules(() => 'Split the task in two and delegate both halves.') } },
      limits: { budget: { usd: 0.05 } },
    });
    expect(r).toHaveOutcome('budget');
    expect(r.message).toMatch(/LLM spend reached \$0\.05\d+, over limits\.budget\.usd \(\$0\.05\)/);
    expect(r.message).toMatch(/Spend by actor:\nmain: \$0\.05\d* in \d+ LLM calls\n {2}worker ×2: \$0\.04\d+ in \d+ LLM calls\n {4}worker ×4: /);
    expect(r.spend.usd).toBeLessThan(0.051);
    expect(r).not.toKeep(boundedSpend({ usd: 0.05 }));
  });
});

const capturedNow = performance.now.bind(performance);

describe('the determinism check', () => {
  it('catches an agent that reads real time outside the world, and says where the traces diverged', async () => {
    // A clock captured before the run (as a library might at import time) still reads real time,
    // so the jitter differs between two runs.
    const leaky = async (world: World) => {
      const jitter = Math.floor((capturedNow() * 1e3) % 1_000);
      await world.sleep(10 + jitter);
      return 'done';
    };
    const scenario: Scenario<undefined, string> = { name: 'leaky', agent: leaky, properties: [] };
    const report = await checkScenario(scenario, { runs: 5, determinism: true });
    expect(report.ok).toBe(false);
    expect(report.counterexample?.failed[0]?.property).toBe('deterministic');
    // Usually the two runs of the shrunk case diverge again; rarely (1 in 1,000 here) the leak happens
    // to agree twice, and the report says the failing case did not reproduce — the same diagnosis.
    expect(report.counterexample?.failed[0]?.message).toMatch(
      /^Two runs of the same case diverged at trace event #\d+ \(t=\d+ms\): the first run had|^The failing case passed when it was run again/,
    );
    const honest = await checkScenario({ ...scenario, agent: async (w: World) => (await w.sleep(10), 'done') }, { runs: 20, determinism: true });
    expect(honest).toHold();
  });
});

describe('shards', () => {
  it('reads FAULTLINE_SHARD and rejects nonsense', () => {
    expect(shardFromEnv('2/5')).toEqual({ index: 2, count: 5 });
    expect(shardFromEnv(undefined)).toBeUndefined();
    expect(() => shardFromEnv('6/5')).toThrow(/FAULTLINE_SHARD must look like 2\/5/);
  });

  it('gives each shard its slice of the runs, from its own seed', async () => {
    const scenario: Scenario<undefined, string> = { name: 'sharded', agent: async (w: World) => (await w.sleep(1), 'ok'), properties: [] };
    const first = await checkScenario(scenario, { runs: 10, shard: { index: 1, count: 2 } });
    const second = await checkScenario(scenario, { runs: 10, shard: { index: 2, count: 2 } });
    expect([first.runs, second.runs]).toEqual([5, 5]);
    expect(second.seed).toBe(first.seed + 1);
    expect(first.seed).toBe(seedFromName('sharded'));
  });
});
