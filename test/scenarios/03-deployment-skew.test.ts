// Goal: the deployment-skew scenario catches a triage agent that calls a moving model alias, parses
// its answers with a cast and sends a ticket tool the arguments it was compiled against, and passes
// one that pins the model snapshot, validates answers and re-reads the tool's live schema. Method:
// checkScenario from five base seeds against the naive agent (each must fail within 200 runs and
// shrink to at most two rules), 500 runs of the hardened agent, single runs under hand-written
// plans that show each mechanism, and same-seed runs compared by trace hash.
import { describe, expect, it } from 'vitest';
import { type FaultRuleInput, type RunResult, simulate } from '../../harness/index.ts';
import { hardened, type Incident, naive, type TriageResult } from '../../scenarios/03-deployment-skew/agents.ts';
import { scenario } from '../../scenarios/03-deployment-skew/scenario.ts';
import { NEXT } from '../../scenarios/03-deployment-skew/triageModels.ts';
import { itCatchesTheNaiveAgent, itPassesTheHardenedAgent, itReplaysTheSameTrace } from './expectations.ts';

const OUTAGE: Incident = { service: 'checkout', impact: 'outage', report: 'checkout: every request fails. Impact: outage.' };

async function triage(agent: (w: Parameters<typeof naive>[0], i: Incident) => Promise<TriageResult>, faults: readonly FaultRuleInput[], seed = 7) {
  const result = (await simulate((world) => agent(world, OUTAGE), { ...scenario.world, faults, seed, scenario: scenario.name })) as RunResult<TriageResult>;
  const failed = scenario.properties
    .map((p) => p.check(result, { input: OUTAGE }))
    .filter((v) => !v.ok)
    .map((v) => `${v.property}: ${v.message}`);
  return { result, value: result.value as TriageResult, failed };
}

const skew = (when?: { calls: number[] }) =>
  [{ target: 'llm:gpt-4o', kind: 'version-skew', params: { to: NEXT }, ...(when === undefined ? {} : { when }) }] as const;
const drift = [{ target: 'mcp:tickets', kind: 'schema-drift', params: { tool: 'create_ticket', field: 'priority', to: 'urgency' } }] as const;

describe('03-deployment-skew', () => {
  itCatchesTheNaiveAgent(scenario, 'catches the naive agent from every base seed, with a small plan');

  itPassesTheHardenedAgent(scenario, 'passes the pinned, validating agent for 500 runs');

  it('files an outage as urgent on the happy path, with either agent', async () => {
    for (const agent of [naive, hardened]) {
      const { value, failed } = await triage(agent, []);
      expect(value).toMatchObject({ status: 'filed', ticket: { service: 'checkout', priority: 'urgent', title: '[SEV1] checkout: every request fails' } });
      expect(failed).toEqual([]);
    }
  });

  it('mixes two model snapshots in one decision when the alias moves between its calls; pinning does not', async () => {
    const mixed = await triage(naive, skew({ calls: [1] }));
    expect(mixed.failed).toEqual([`noMixedVersions: The answer combined 2 versions of "gpt-4o" (gpt-4o-2024-08-06, ${NEXT}) in one decision.`]);
    expect((await triage(hardened, skew({ calls: [1] }))).failed).toEqual([]);
  });

  it("parses the new snapshot's severity label into an empty priority, which the tool files as normal", async () => {
    const garbage = await triage(naive, skew());
    expect(garbage.value).toMatchObject({ status: 'filed', ticket: { priority: 'normal' } });
    expect(garbage.failed).toEqual([
      expect.stringMatching(
        /^noSchemaGarbage: Ticket TCK-1001 was reported filed with priority "normal" where an outage calls for "urgent": a mismatched schema was parsed into garbage; deployed meanwhile: version-skew@llm:gpt-4o \(from t=\d+ms\)\.$/,
      ),
    ]);
  });

  it('sends a priority the redeployed tool silently drops; re-reading the live schema escalates instead', async () => {
    const dropped = await triage(naive, drift);
    expect(dropped.value).toMatchObject({ status: 'filed', ticket: { priority: 'normal' } });
    expect(dropped.failed).toEqual([expect.stringContaining('schema-drift@mcp:tickets')]);
    const caught = await triage(hardened, drift);
    expect(caught.value).toEqual({
      status: 'escalated',
      reason: "create_ticket's schema changed: it has no priority (its fields are service, title, urgency)",
    });
    expect(caught.failed).toEqual([]);
  });

  itReplaysTheSameTrace(scenario, 'gives the same trace for the same seed, for each agent');
});
