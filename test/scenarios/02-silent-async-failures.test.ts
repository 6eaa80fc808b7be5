// Goal: the silent-async-failures scenario catches a statement job that reports success on empty,
// partial, reshaped or altered input, and passes one that verifies before it succeeds. Method:
// checkScenario from five base seeds against the naive agent (each must fail within 200 runs and
// shrink to at most two rules), 500 runs of the hardened agent, single runs under hand-written
// plans that show each mechanism, and same-seed runs compared by trace hash.
import { describe, expect, it } from 'vitest';
import { type FaultRuleInput, runCase } from '../../harness/index.ts';
import { invoicesFor } from '../../scenarios/02-silent-async-failures/billing.ts';
import { scenario } from '../../scenarios/02-silent-async-failures/scenario.ts';
import type { StatementResult } from '../../scenarios/02-silent-async-failures/statementJob.ts';
import { itCatchesTheNaiveAgent, itPassesTheHardenedAgent, itReplaysTheSameTrace } from './expectations.ts';

const naive = scenario.agents?.naive as typeof scenario.agent;
const hardened = scenario.agents?.hardened as typeof scenario.agent;
const run = (agent: typeof scenario.agent, plan: readonly FaultRuleInput[], runSeed = 7) =>
  runCase(scenario, agent, { runSeed, plan, schedule: { kind: 'fifo' } });
const failed = (r: Awaited<ReturnType<typeof run>>) => r.verdicts.filter((v) => !v.ok).map((v) => `${v.property}: ${v.message}`);
const valueOfRun = (r: Awaited<ReturnType<typeof run>>) => r.result.value as StatementResult;

describe('02-silent-async-failures', () => {
  itCatchesTheNaiveAgent(scenario, 'catches the naive job from every base seed, with a small plan');

  itPassesTheHardenedAgent(scenario, 'passes the verifying job for 500 runs');

  it('reports the true statement on the happy path, with either job', async () => {
    for (const agent of [naive, hardened]) {
      const r = await run(agent, []);
      const truth = invoicesFor((r.input as { account: string }).account, (r.input as { month: string }).month);
      expect(valueOfRun(r)).toMatchObject({ status: 'succeeded', count: truth.count, total: truth.total });
      expect(failed(r)).toEqual([]);
    }
  });

  it('reports success on half the invoices when the billing answer is cut short; verification refetches or asks for review', async () => {
    const cutOnce = [{ target: 'tool:fetch_invoices', kind: 'truncate', when: { calls: [0] } }] as const;
    expect(failed(await run(naive, cutOnce))).toEqual([
      expect.stringMatching(
        /^noSilentFailure: The statement job for ACC-\d+ 2024-\d\d reported success with \d invoices where there are \d and a total of .*after truncate@tool:fetch_invoices at t=\d+ms damaged what it read\.$/,
      ),
    ]);
    const refetched = await run(hardened, cutOnce);
    expect(valueOfRun(refetched).status).toBe('succeeded');
    expect(failed(refetched)).toEqual([]);
    const cutAlways = await run(hardened, [{ target: 'tool:fetch_invoices', kind: 'truncate' }]);
    expect(valueOfRun(cutAlways)).toMatchObject({
      status: 'needs-review',
      flagged: true,
      reason: expect.stringMatching(/^unverified billing data: it lists \d invoices but says there are \d/),
    });
  });

  it('reports success with an empty summary when the model answers 200 off-schema; the verifying job falls back to its template', async () => {
    const offSchema = [{ target: 'llm:*', kind: 'off-schema' }] as const;
    const silent = await run(naive, offSchema);
    expect(valueOfRun(silent)).toMatchObject({ status: 'succeeded', summary: '' });
    expect(failed(silent)).toEqual([expect.stringContaining('reported success with an empty summary, after off-schema@llm:*')]);
    const fallback = await run(hardened, offSchema);
    expect(valueOfRun(fallback)).toMatchObject({
      status: 'succeeded',
      summary: expect.stringMatching(/^ACC-\d+ was billed \$[\d,]+\.\d\d across \d invoices in \w+ 2024\.$/),
    });
    expect(failed(fallback)).toEqual([]);
  });

  itReplaysTheSameTrace(scenario, 'gives the same trace for the same seed, for each job');
});
