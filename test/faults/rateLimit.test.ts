// Goal: a 429 looks like each provider's own — OpenAI's `requests`/`tokens` body with "try again
// in", `x-ratelimit-*` headers; Anthropic's rate_limit_error with `anthropic-ratelimit-*` — and a
// retry-after longer than 60 s, or given as an HTTP date, is waited out by the SDKs this project
// ships (openai-node 6, @anthropic-ai/sdk), so an agent with a deadline must look at it. Method: the
// official clients against one-rule plans, measuring waits in virtual time; a naive agent (SDK
// retries) misses its deadline, a hardened one answers in time.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { type FaultPlanInput, gracefulDegradation, rules, simulate, spansOf, type World } from '../../harness/index.ts';
import { expectDeterministic } from '../helpers/determinism.ts';

const MODEL = 'gpt-4o-mini';
const llm = { models: { [MODEL]: rules(() => 'Your order ships today.') } };
const fetchStarts = (r: { trace: Parameters<typeof spansOf>[0] }) =>
  spansOf(r.trace)
    .filter((s) => s.kind === 'fetch')
    .map((s) => s.start);

/** Answers within 30 s: a hardened agent does not let the SDK wait out a long retry-after. */
function agent(hardened: boolean) {
  return async (world: World): Promise<string> => {
    const client = new OpenAI({ apiKey: 'sk-sim', fetch: world.fetch, ...(hardened ? { maxRetries: 0 } : {}) });
    try {
      return (
        (await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'Where is my order?' }] })).choices[0]?.message.content ?? ''
      );
    } catch (error) {
      if (!(error instanceof OpenAI.RateLimitError)) throw error;
      const wait = Number(error.headers?.get('retry-after-ms') ?? Number(error.headers?.get('retry-after') ?? 0) * 1000);
      return `The order service is busy and unavailable for ${Math.round(wait / 1000)} s; please try again later.`;
    }
  };
}

describe('rate-limit', () => {
  it('a retry-after over 60 s is waited out by openai-node 6, so a naive agent misses its deadline and a hardened one does not', async () => {
    const faults: FaultPlanInput = [{ target: 'llm:*', kind: 'rate-limit', when: { calls: [0] }, params: { retryAfterMs: 120_000 } }];
    const naive = await simulate(agent(false), { seed: 1, llm, faults });
    const starts = fetchStarts(naive);
    expect((starts[1] as number) - (starts[0] as number)).toBeGreaterThanOrEqual(120_000);
    const property = gracefulDegradation({ withinMs: 30_000 });
    expect(property.check(naive, {}).ok).toBe(false);
    const hardened = await expectDeterministic((seed) => simulate(agent(true), { seed, llm, faults }), 1);
    expect(property.check(hardened, {}).ok, property.check(hardened, {}).message).toBe(true);
    expect(hardened.value).toContain('unavailable for 120 s');
  });

  it('says retry-after as an HTTP date, which the SDK waits until (rounded up to the second)', async () => {
    const faults: FaultPlanInput = [{ target: 'llm:*', kind: 'rate-limit', when: { calls: [0] }, params: { retryAfterMs: 90_500, header: 'http-date' } }];
    const limited = await simulate(
      async (world: World) => {
        const raw = await world.fetch('https://api.openai.com/v1/chat/completions', {
          method: 'POST',
          body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'hi' }] }),
        });
        return { header: raw.headers.get('retry-after'), ms: raw.headers.get('retry-after-ms'), at: Date.now() };
      },
      { seed: 1, llm, faults },
    );
    const v = limited.value as { header: string; ms: string | null; at: number };
    expect(v.header).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    expect(v.ms).toBeNull();
    const waited = await simulate(agent(false), { seed: 1, llm, faults });
    const starts = fetchStarts(waited);
    const gap = (starts[1] as number) - (starts[0] as number);
    expect(gap).toBeGreaterThanOrEqual(90_500);
    expect(gap).toBeLessThan(92_000);
  });

  it('reports the limit that was hit in OpenAI’s words and headers, and keeps x-ratelimit-* on every answer', async () => {
    const r = await simulate(
      async (world: World) => {
        const call = () =>
          world.fetch('https://api.openai.com/v1/chat/completions', {
            method: 'POST',
            body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'hi' }] }),
          });
        const first = await call();
        const second = await call();
        return {
          ok: [first.status, first.headers.get('x-ratelimit-remaining-requests'), first.headers.get('x-ratelimit-limit-tokens')],
          limited: [second.status, second.headers.get('x-ratelimit-remaining-tokens'), second.headers.get('x-ratelimit-reset-tokens'), await second.json()],
        };
      },
      { seed: 1, llm, faults: [{ target: 'llm:*', kind: 'rate-limit', when: { calls: [1] }, params: { limit: 'tokens', retryAfterMs: 6_000 } }] },
    );
    const v = r.value as { ok: unknown[]; limited: unknown[] };
    expect(v.ok).toEqual([200, '4999', '2000000']);
    expect(v.limited.slice(0, 3)).toEqual([429, '0', '6s']);
    expect(v.limited[3]).toEqual({
      error: {
        message: expect.stringMatching(
          /^Rate limit reached for gpt-4o-mini in organization org-faultline on tokens per min \(TPM\): Limit 2000000, Used 2000000, Requested 1200\. Please try again in 6s\./,
        ),
        type: 'tokens',
        param: null,
        code: 'rate_limit_exceeded',
      },
    });
  });

  it('answers Anthropic’s way: rate_limit_error, anthropic-ratelimit-* headers (RFC 3339 resets), and the SDK waits the retry-after', async () => {
    const r = await simulate(
      async (world: World) => {
        const client = new Anthropic({ apiKey: 'sk-ant-sim', fetch: world.fetch, maxRetries: 0 });
        try {
          await client.messages.create({ model: MODEL, max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] });
          return undefined;
        } catch (error) {
          if (!(error instanceof Anthropic.RateLimitError)) throw error;
          return {
            type: (error.error as { error?: { type?: string } }).error?.type,
            remaining: error.headers?.get('anthropic-ratelimit-requests-remaining'),
            reset: error.headers?.get('anthropic-ratelimit-requests-reset'),
            tokens: error.headers?.get('anthropic-ratelimit-output-tokens-limit'),
            retryAfter: error.headers?.get('retry-after'),
          };
        }
      },
      { seed: 1, llm, faults: [{ target: 'llm:*', kind: 'rate-limit', params: { retryAfterMs: 75_000 } }] },
    );
    // The request reached the provider a few virtual ms into the run; the reset is that plus 75 s, rounded up to the second.
    expect(r.value).toEqual({ type: 'rate_limit_error', remaining: '0', reset: '2025-01-01T00:01:16Z', tokens: '2000000', retryAfter: '75' });
    const waited = await simulate(
      async (world: World) =>
        (
          await new Anthropic({ apiKey: 'sk-ant-sim', fetch: world.fetch }).messages.create({
            model: MODEL,
            max_tokens: 50,
            messages: [{ role: 'user', content: 'hi' }],
          })
        ).content,
      { seed: 1, llm, faults: [{ target: 'llm:*', kind: 'rate-limit', when: { calls: [0] }, params: { retryAfterMs: 75_000 } }] },
    );
    const starts = fetchStarts(waited);
    // The wait, plus the 429's own trip back over the simulated network.
    expect((starts[1] as number) - (starts[0] as number)).toBeGreaterThanOrEqual(75_000);
    expect((starts[1] as number) - (starts[0] as number)).toBeLessThan(75_200);
  });
});
