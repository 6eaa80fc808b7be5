// Goal: any OpenAI-compatible baseURL — OpenRouter, Groq, Ollama, vLLM, LiteLLM, or a host the
// scenario declares — is served by the simulated models, and fault rules can select one host.
// Method: the official openai client and @ai-sdk/openai-compatible pointed at those hosts inside
// simulate(); assertions read answers, spans, coverage and error bodies.
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { type FaultPlanInput, isFaultlineError, simulate, type World } from '../../harness/index.ts';
import { expectDeterministic } from '../helpers/determinism.ts';
import { aiSdkAgent } from './aiSdkAgent.ts';
import { openaiClientAgent } from './openaiClientAgent.ts';
import { ANSWER, fetchSpans, gaps, llmSpans, weather, weatherBrain } from './openaiFixtures.ts';

const FREE = { inputPerMTok: 0, outputPerMTok: 0 };
const MODELS = { 'llama3.1:8b': weatherBrain, 'llama-3.3-70b-versatile': weatherBrain, 'openai/gpt-4o-mini': weatherBrain, 'gpt-4o-mini': weatherBrain };

function go<T>(agent: (world: World) => Promise<T>, options: { seed?: number; faults?: FaultPlanInput; hosts?: Record<string, string> } = {}) {
  return simulate(agent, {
    seed: options.seed ?? 5,
    llm: { models: MODELS, prices: { 'llama3.1:8b': FREE }, ...(options.hosts === undefined ? {} : { hosts: options.hosts }) },
    tools: [weather],
    faults: options.faults ?? [],
  });
}

const client = (baseURL: string) => (world: World) => new OpenAI({ apiKey: 'key', baseURL, fetch: world.fetch });

describe('OpenAI-compatible hosts through the openai client', () => {
  it.each([
    ['groq', 'https://api.groq.com/openai/v1', 'llama-3.3-70b-versatile'],
    ['ollama', 'http://localhost:11434/v1', 'llama3.1:8b'],
    ['vllm', 'http://127.0.0.1:8000/v1', 'llama3.1:8b'],
    ['litellm', 'http://localhost:4000', 'gpt-4o-mini'],
    ['openrouter', 'https://openrouter.ai/api/v1', 'openai/gpt-4o-mini'],
  ])('%s at %s answers a tool-using agent asking for %s', async (provider, baseURL, model) => {
    for (const mode of ['create', 'stream'] as const) {
      const r = await expectDeterministic((seed) => go(openaiClientAgent(client(baseURL), mode, model), { seed }), 2);
      expect(r.outcome, r.message).toBe('ok');
      expect((r.value as { text?: string } | undefined)?.text).toBe(ANSWER);
      expect(llmSpans(r).map((s) => s.data.provider)).toEqual([provider, provider]);
      expect(r.coverage.targets[`llm:${provider}/${model}`]).toBe(2);
    }
  });

  it('serves a host the scenario declares, by the name it gave', async () => {
    const r = await go(openaiClientAgent(client('https://llm.internal.example/v1'), 'create'), { hosts: { 'llm-proxy': 'https://llm.internal.example/v1' } });
    expect(r.value?.text).toBe(ANSWER);
    expect(Object.keys(r.coverage.targets)).toContain('llm:llm-proxy/gpt-4o-mini');
  });

  it('refuses a declared host whose name a target could not spell, or that takes a native provider’s name', async () => {
    const error = await go(async () => 1, { hosts: { Azure: 'https://x.example/v1', bedrock: 'not a url' } }).catch((e: unknown) => e);
    expect(isFaultlineError(error)).toBe(true);
    expect(String((error as Error).message)).toMatch(/llm\.hosts\["Azure"\]: a host's name is how targets name it/);
    expect(String((error as Error).message)).toMatch(/llm\.hosts\["bedrock"\]/);
  });
});

describe('fault targets per host', () => {
  const both = async (world: World) => {
    const groq = await openaiClientAgent(client('https://api.groq.com/openai/v1'), 'create', 'gpt-4o-mini')(world).catch((e: Error) => e.constructor.name);
    const openai = await openaiClientAgent(client('https://api.openai.com/v1'), 'create', 'gpt-4o-mini')(world).catch((e: Error) => e.constructor.name);
    return { groq: typeof groq === 'string' ? groq : groq.text, openai: typeof openai === 'string' ? openai : openai.text };
  };

  it('llm:groq/* hits Groq only; llm:gpt-4o-mini hits the model on every host', async () => {
    const groqOnly = await go(both, { faults: [{ target: 'llm:groq/*', kind: 'server-error', params: { status: 500 } }] });
    expect(groqOnly.value).toEqual({ groq: 'InternalServerError', openai: ANSWER });
    const everywhere = await go(both, { faults: [{ target: 'llm:gpt-4o-mini', kind: 'server-error', params: { status: 500 } }] });
    expect(everywhere.value).toEqual({ groq: 'InternalServerError', openai: 'InternalServerError' });
  });

  it('names an OpenRouter model spelled `openai/…` only under openrouter, so llm:openai/* means the OpenAI API', async () => {
    const r = await go(openaiClientAgent(client('https://openrouter.ai/api/v1'), 'create', 'openai/gpt-4o-mini'), {
      faults: [{ target: 'llm:openai/*', kind: 'server-error', optional: true }],
    });
    expect(r.value?.text).toBe(ANSWER);
    expect(r.coverage.rules[0]?.matched).toBe(0);
    expect(Object.keys(r.coverage.targets).filter((t) => t.startsWith('llm:'))).toEqual(['llm:openrouter/openai/gpt-4o-mini']);
  });

  it('answers an OpenRouter 429 in its own shape, with the retry-after the client waits out', async () => {
    const faults = [{ target: 'llm:openrouter/*', kind: 'rate-limit', when: { calls: [0] }, params: { retryAfterMs: 3_000, header: 'retry-after' } }] as const;
    const r = await go(
      async (world) => {
        const raw = await world.fetch('https://openrouter.ai/api/v1/chat/completions', {
          method: 'POST',
          body: JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
        });
        const answer = await openaiClientAgent(client('https://openrouter.ai/api/v1'), 'create', 'openai/gpt-4o-mini')(world);
        return { status: raw.status, body: await raw.json(), text: answer.text };
      },
      { faults },
    );
    expect(r.value?.status).toBe(429);
    expect(r.value?.body).toEqual({ error: { code: 429, message: expect.stringContaining('rate-limited') } });
    expect(r.value?.text).toBe(ANSWER);
  });
});

describe('@ai-sdk/openai-compatible', () => {
  const ollama = (world: World) => createOpenAICompatible({ name: 'ollama', baseURL: 'http://localhost:11434/v1', fetch: world.fetch })('llama3.1:8b');

  it.each(['generate', 'stream'] as const)('%s: calls the tool and answers, deterministically', async (mode) => {
    const r = await expectDeterministic((seed) => go(aiSdkAgent(ollama, mode), { seed }), 9);
    expect(r.value).toMatchObject({ text: ANSWER, steps: 2 });
    expect(llmSpans(r).map((s) => s.data.provider)).toEqual(['ollama', 'ollama']);
    expect(r.spend.usd).toBe(0);
  });

  it('retries a 503 after the AI SDK’s own backoff (2 s, then 4 s)', async () => {
    const faults = [{ target: 'llm:ollama/*', kind: 'server-error', when: { calls: [0, 1] }, params: { status: 503 } }] as const;
    const r = await go(aiSdkAgent(ollama, 'generate'), { faults });
    expect(r.value?.text).toBe(ANSWER);
    expect(fetchSpans(r).map((s) => s.data.status)).toEqual([503, 503, 200, 200]);
    expect(gaps(fetchSpans(r)).slice(0, 2)).toEqual([2_000, 4_000]);
  });
});
