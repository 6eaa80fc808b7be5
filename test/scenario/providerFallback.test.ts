// Goal: the cross-provider fallback example shows the failure it is about — a fallback path written
// against one provider's error shape breaks on the second provider's — and gracefulDegradation's
// `fallbacks` treats an answer from the other provider as nothing missing, and only then. Method:
// the example file against its two sample agents (real openai and @google/genai clients, global
// network mode); the property against runs whose fallback succeeded, and runs where both failed.
import { describe, expect, it } from 'vitest';
import { checkScenario, gracefulDegradation, loadScenarioFile, simulate } from '../../harness/index.ts';
import { hardened, naive, policy } from '../../scenarios/examples/fallback.ts';

const file = 'scenarios/examples/provider-fallback.yaml';
const world = { network: 'global' as const, llm: { models: { 'gpt-4o-mini': policy, 'gemini-2.0-flash': policy } } };
const group = ['llm:gpt-4o-mini', 'llm:gemini-2.0-flash', 'http:api.openai.com', 'http:generativelanguage.googleapis.com'];
const openaiDown = { target: 'llm:openai/*', kind: 'server-error', params: { status: 503 } } as const;
const geminiDown = { target: 'llm:gemini/*', kind: 'server-error', params: { status: 503 } } as const;

describe('the provider-fallback example', () => {
  it('fails the naive agent on Gemini’s rate limit, whose error has no headers, and holds for the hardened one', async () => {
    const scenario = await loadScenarioFile(file);
    const bad = await checkScenario(scenario, { agent: scenario.agents?.naive, runs: 60 });
    expect(bad.ok).toBe(false);
    expect(bad.counterexample?.case.plan.map((r) => `${r.kind}@${r.target}`).sort()).toEqual(['rate-limit@llm:gemini/*', 'server-error@llm:openai/*']);
    expect(bad.counterexample?.result.message).toMatch(/TypeError: Cannot read properties of undefined \(reading 'get'\)/);
    const again = await checkScenario(scenario, { agent: scenario.agents?.naive, runs: 60 });
    expect(again.replay).toEqual(bad.replay);
    expect(again.counterexample?.result.traceHash).toBe(bad.counterexample?.result.traceHash);
    const good = await checkScenario(scenario, { agent: scenario.agents?.hardened, runs: 60 });
    expect(good.ok, good.message).toBe(true);
  });

  it('the hardened agent waits the 7 s Gemini asks for in its RetryInfo, then answers from Gemini', async () => {
    const r = await simulate(hardened, {
      ...world,
      seed: 4,
      faults: [openaiDown, { target: 'llm:gemini/*', kind: 'rate-limit', when: { calls: [0] }, params: { retryAfterMs: 7000 } }],
    });
    expect(r.outcome, r.message).toBe('ok');
    expect(r.value).toMatch(/^Refunds are issued/);
    expect(r.virtualTimeMs).toBeGreaterThanOrEqual(7000);
    expect(r.virtualTimeMs).toBeLessThan(9000); // the wait plus a few simulated round trips
  });
});

describe('gracefulDegradation({ fallbacks })', () => {
  const property = gracefulDegradation({ fallbacks: [group] });

  it('accepts a full answer when the other provider answered for the failed one', async () => {
    const r = await simulate(hardened, { ...world, seed: 1, faults: [openaiDown] });
    expect(r.value).toMatch(/^Refunds are issued/);
    expect(property.check(r, {})).toMatchObject({ ok: true });
    // Without the group, the failed OpenAI call is something the answer should have mentioned.
    expect(gracefulDegradation().check(r, {})).toMatchObject({ ok: false });
  });

  it('still asks for an answer that says what is missing when every member of the group failed', async () => {
    const r = await simulate(hardened, { ...world, seed: 1, faults: [openaiDown, geminiDown] });
    expect(property.check(r, {})).toMatchObject({ ok: true });
    const pretends = await simulate(
      async (w) => {
        await naive(w).catch(() => undefined);
        return 'Refunds are issued to the original payment method within 14 days of the return.';
      },
      { ...world, seed: 1, faults: [openaiDown, geminiDown] },
    );
    const verdict = property.check(pretends, {});
    expect(verdict.ok).toBe(false);
    expect(verdict.message).toMatch(/went without .*llm:gpt-4o-mini.*llm:gemini-2\.0-flash|went without .*llm:gemini-2\.0-flash/);
  });
});
