// Goal: models are named as their providers spell them everywhere a model is named — the models
// option, prices, fault targets — and each call's yield point names its provider too. Method:
// simulate() options with Bedrock ids, inference profiles, ARNs and OpenRouter names; the target
// names of calls through each provider; a typo that matches nothing gets the nearest real name.
import { describe, expect, it } from 'vitest';
import { defaultPrices, isFaultlineError, priceOf, rules, simulate } from '../../../harness/index.ts';
import { llmTargets } from '../../../harness/world/llm/providers.ts';

const PROVIDERS = new Set(['openai', 'anthropic', 'azure', 'gemini', 'bedrock', 'openrouter', 'groq']);

describe('model names as providers spell them', () => {
  it('are accepted as llm.models keys and priced as the model they serve', async () => {
    const names = [
      'anthropic.claude-3-5-haiku-20241022-v1:0',
      'us.anthropic.claude-3-5-haiku-20241022-v1:0',
      'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-7-sonnet-20250219-v1:0',
      'amazon.nova-lite-v1:0',
      'meta.llama3-1-70b-instruct-v1:0',
      'gemini-2.0-flash-001',
      'openai/gpt-4o-mini',
      'anthropic/claude-3.5-haiku',
    ];
    const models = Object.fromEntries(names.map((n) => [n, rules(() => 'ok')]));
    const r = await simulate(async (world) => Promise.all(names.map((model) => world.llm.complete({ model, messages: [{ role: 'user', content: 'hi' }] }))), {
      llm: { models },
    });
    expect(r.outcome, r.message).toBe('ok');
    expect(priceOf(names[0] as string, defaultPrices)).toEqual(defaultPrices['claude-3-5-haiku']);
    expect(priceOf(names[2] as string, defaultPrices)).toEqual(defaultPrices['claude-3-7-sonnet']);
    expect(priceOf('anthropic/claude-3.5-haiku', defaultPrices)).toEqual(defaultPrices['claude-3-5-haiku']);
    expect(priceOf('amazon.nova-lite-v1:0', defaultPrices)).toEqual(defaultPrices['amazon.nova-lite']);
    expect(r.spend.entries.every((e) => e.usd > 0)).toBe(true);
  });

  it('still refuse a model with no price, saying which entry to add', async () => {
    const error = await simulate(async () => 1, { llm: { models: { 'llama3.1:8b': rules(() => 'ok') } } }).catch((e: unknown) => e);
    expect(isFaultlineError(error)).toBe(true);
    expect((error as Error).message).toContain('llm.models["llama3.1:8b"]: no price for "llama3.1:8b"; add llm.prices["llama3.1:8b"]');
  });

  it('bill a deployment named after its team as the version it answers as', async () => {
    const r = await simulate(async (world) => world.llm.complete({ model: 'support-bot', messages: [{ role: 'user', content: 'hi' }] }), {
      llm: { models: { 'support-bot': { brain: rules(() => 'ok'), version: 'gpt-4o-2024-08-06' } } },
    });
    expect(r.outcome, r.message).toBe('ok');
    expect(r.spend.usd).toBeGreaterThan(0);
  });

  it('are selected by fault targets, colons and dots included', async () => {
    const model = 'anthropic.claude-3-5-haiku-20241022-v1:0';
    const r = await simulate(async (world) => world.llm.complete({ model, messages: [{ role: 'user', content: 'hi' }] }).catch((e: Error) => e.message), {
      llm: { models: { [model]: rules(() => 'ok') } },
      faults: [{ target: `llm:${model}`, kind: 'server-error' }],
    });
    expect(r.value).toMatch(/^503/);
  });
});

describe('the names of an LLM yield point', () => {
  it('are the model, then the model under its provider', () => {
    expect(llmTargets('gpt-4o', 'azure', PROVIDERS)).toEqual(['llm:gpt-4o', 'llm:azure/gpt-4o']);
    expect(llmTargets('gpt-4o', undefined, PROVIDERS)).toEqual(['llm:gpt-4o']);
    expect(llmTargets('meta-llama/llama-3.3-70b-instruct', 'openrouter', PROVIDERS)).toEqual([
      'llm:meta-llama/llama-3.3-70b-instruct',
      'llm:openrouter/meta-llama/llama-3.3-70b-instruct',
    ]);
  });

  it('leave out the bare model name when it starts with a provider’s name, so llm:openai/* means OpenAI', () => {
    expect(llmTargets('openai/gpt-4o', 'openrouter', PROVIDERS)).toEqual(['llm:openrouter/openai/gpt-4o']);
  });
});
