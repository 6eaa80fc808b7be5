// Goal: a retry storm is visible. Every request that reached a provider is an attempt — a 429, a
// 5xx, a 400 or an answer — counted apart from billed calls, per actor and model, and bounded by
// limits.budget.llmCalls and boundedSpend({ llmCalls }); a refused connection never reached the
// provider and is not one. Method: an agent that re-sends a rate-limited call at once, 50 times,
// through the official openai client.
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { boundedSpend, type FaultPlanInput, rules, simulate, type World } from '../../../harness/index.ts';

const MODEL = 'gpt-4o-mini';
const llm = { models: { [MODEL]: rules(() => 'hello') } };

async function hammer(world: World): Promise<string> {
  const client = new OpenAI({ apiKey: 'sk-sim', fetch: world.fetch, maxRetries: 0 });
  for (let attempt = 1; attempt <= 50; attempt++) {
    try {
      return (await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'hi' }] })).choices[0]?.message.content ?? '';
    } catch {
      // at once, again: the classic retry storm
    }
  }
  return 'gave up after 50 attempts';
}

describe('attempts', () => {
  const limited: FaultPlanInput = [{ target: 'llm:*', kind: 'rate-limit', params: { retryAfterMs: 2_000 } }];

  it('counts every refused request as an attempt, and bills none of them', async () => {
    const r = await simulate(hammer, { seed: 1, llm, faults: limited });
    expect(r.value).toBe('gave up after 50 attempts');
    expect(r.spend).toMatchObject({ attempts: 50, calls: 0, usd: 0 });
    expect(r.spend.byActor.main).toMatchObject({ attempts: 50, calls: 0 });
    const verdict = boundedSpend({ llmCalls: 12 }).check(r, {});
    expect(verdict.ok).toBe(false);
    expect(verdict.message).toBe('The run sent 50 LLM requests (0 billed, 50 refused or lost; retries included), over the bound of 12.');
  });

  it('stops the storm at limits.budget.llmCalls', async () => {
    const r = await simulate(hammer, { seed: 1, llm, faults: limited, limits: { budget: { llmCalls: 12 } } });
    expect(r.outcome).toBe('budget');
    expect(r.spend.attempts).toBe(13);
    expect(r.message).toContain('LLM requests reached 13 (0 billed, the rest refused or lost), over limits.budget.llmCalls (12)');
    expect(r.message).toContain('main: $0.0000 in 0 LLM calls (13 requests)');
  });

  it('counts a 400 and a reset connection, not a refused one', async () => {
    const r = await simulate(
      async (world: World) => {
        const post = (body: unknown) =>
          world.fetch('https://api.openai.com/v1/chat/completions', { method: 'POST', body: JSON.stringify(body) }).catch(() => undefined);
        await post({ model: MODEL }); // 400: messages missing
        await post({ model: MODEL, messages: [{ role: 'user', content: 'hi' }] }); // refused connection
        await post({ model: MODEL, messages: [{ role: 'user', content: 'hi' }] }); // reset connection
        await post({ model: MODEL, messages: [{ role: 'user', content: 'hi' }] }); // answered
      },
      {
        seed: 1,
        llm,
        faults: [
          { target: 'llm:*', kind: 'outage', when: { calls: [0] }, params: { mode: 'refused' } },
          { target: 'llm:*', kind: 'outage', when: { calls: [1] }, params: { mode: 'reset' } },
        ],
      },
    );
    expect(r.spend).toMatchObject({ attempts: 3, calls: 1 });
  });
});
