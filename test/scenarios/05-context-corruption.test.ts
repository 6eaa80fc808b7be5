// Goal: the context-corruption scenario catches an account-brief agent that lets one wrong fact
// from a tool or the model flow into its brief, its email and its stores, and passes one that
// corroborates facts across two systems and grounds every model sentence in them. Method:
// checkScenario from five base seeds against the naive agent (each must fail within 200 runs and
// shrink to at most two rules), 500 runs of the hardened agent, single runs under hand-written
// plans that show each mechanism, and same-seed runs compared by trace hash.
import { describe, expect, it } from 'vitest';
import { type FaultRuleInput, runCase } from '../../harness/index.ts';
import { factsOf } from '../../scenarios/05-context-corruption/accounts.ts';
import type { BriefResult } from '../../scenarios/05-context-corruption/agents.ts';
import { scenario } from '../../scenarios/05-context-corruption/scenario.ts';
import { itCatchesTheNaiveAgent, itPassesTheHardenedAgent, itReplaysTheSameTrace } from './expectations.ts';

const naive = scenario.agents?.naive as typeof scenario.agent;
const hardened = scenario.agents?.hardened as typeof scenario.agent;
const run = (agent: typeof scenario.agent, plan: readonly FaultRuleInput[], runSeed = 7) =>
  runCase(scenario, agent, { runSeed, plan, schedule: { kind: 'fifo' } });
const failed = (r: Awaited<ReturnType<typeof run>>) => r.verdicts.filter((v) => !v.ok).map((v) => `${v.property}: ${v.message}`);
const taints = (r: Awaited<ReturnType<typeof run>>) => r.result.trace.filter((e) => e.type === 'mark' && e.name === 'taint');

describe('05-context-corruption', () => {
  itCatchesTheNaiveAgent(scenario, 'catches the naive agent from every base seed, with a small plan');

  itPassesTheHardenedAgent(scenario, 'passes the corroborating agent for 500 runs');

  it('writes the same brief from the true facts on the happy path, with either agent', async () => {
    for (const agent of [naive, hardened]) {
      const r = await run(agent, []);
      const f = factsOf((r.input as { accountId: string }).accountId);
      expect((r.result.value as BriefResult).brief).toBe(
        `Account brief for ${f.company}: primary contact ${f.contact}, customer since ${f.since}, annual contract value $${f.value.toLocaleString('en-US')}.`,
      );
      expect(failed(r)).toEqual([]);
    }
  });

  it('stores and restates a wrong fact from billing; corroboration leaves it out and says so', async () => {
    const wrongBilling = [{ target: 'tool:billing_account', kind: 'corrupt' }] as const;
    const spread = await run(naive, wrongBilling);
    expect(taints(spread)).toHaveLength(1);
    expect(failed(spread)).toEqual([
      expect.stringMatching(
        /^noSilentCorruption: A wrong \w+ from fault corrupt@tool:billing_account \(.* became .*, in tool:billing_account at t=\d+ms\) reached (the output|store "\w+"( \(.*\))?|tool call .+)( at t=\d+ms)? unflagged\.$/,
      ),
    ]);
    // Every read of billing is corrupted here, so the fact stays unverified even after a re-read.
    const contained = await run(hardened, wrongBilling);
    expect((contained.result.value as BriefResult).unverified).toHaveLength(1);
    expect((contained.result.value as BriefResult).brief).toMatch(/unverified \(the CRM and billing disagree\)\.$/);
    expect(failed(contained)).toEqual([]);
  });

  it('passes a wrong name in the brief on to the email; grounding rewrites the brief from corroborated facts', async () => {
    // Model call 1 writes the brief (call 0 asks for the tools).
    const wrongBrief = [{ target: 'llm:gpt-4o', kind: 'corrupt', when: { calls: [1] }, params: { fact: 'name' } }] as const;
    const spread = await run(naive, wrongBrief);
    const corrupted = String((taints(spread)[0] as { data?: { corrupted?: unknown } }).data?.corrupted);
    expect((spread.result.value as BriefResult).email).toContain(corrupted);
    expect(failed(spread)).toHaveLength(1);
    const contained = await run(hardened, wrongBrief);
    expect(JSON.stringify(contained.result.value)).not.toContain(corrupted);
    expect(failed(contained)).toEqual([]);
  });

  itReplaysTheSameTrace(scenario, 'gives the same trace for the same seed, for each agent');
});
