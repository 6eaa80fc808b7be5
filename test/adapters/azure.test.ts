// Goal: agents on Azure OpenAI — the openai client's AzureOpenAI and @ai-sdk/azure — run unchanged
// against the simulated models, with Azure's own paths, headers, annotations and errors, and faults
// that can select Azure alone. Method: real agents in simulate(); assertions read what the clients
// returned, the wire bodies, the spans (virtual times) and the ledger.
import { createAzure } from '@ai-sdk/azure';
import OpenAI, { AzureOpenAI } from 'openai';
import { describe, expect, it } from 'vitest';
import type { World } from '../../harness/index.ts';
import { distinctTraces, expectDeterministic, range } from '../helpers/determinism.ts';
import { aiSdkAgent } from './aiSdkAgent.ts';
import { type Mode, openaiClientAgent } from './openaiClientAgent.ts';
import { ANSWER, expectedUsd, fetchSpans, gaps, llmSpans, MODEL, marks, run } from './openaiFixtures.ts';

const ENDPOINT = 'https://contoso.openai.azure.com';
const azure =
  (options: Partial<ConstructorParameters<typeof AzureOpenAI>[0]> = {}) =>
  (world: World) =>
    new AzureOpenAI({ endpoint: ENDPOINT, apiKey: 'azure-key', apiVersion: '2024-10-21', deployment: MODEL, fetch: world.fetch, ...options });
const aiAzure = (world: World) => createAzure({ resourceName: 'contoso', apiKey: 'azure-key', fetch: world.fetch });

describe.each<Mode>(['create', 'stream'])('AzureOpenAI, a tool-using agent (%s)', (mode) => {
  it('calls the tool through the deployment path and answers, billed at the deployment’s model price', async () => {
    const r = await run(openaiClientAgent(azure(), mode));
    expect(r.outcome, r.message).toBe('ok');
    expect(r.value?.text).toBe(ANSWER);
    expect(r.value?.finishReasons).toEqual(['tool_calls', 'stop']);
    expect(fetchSpans(r).map((s) => s.data.url)).toEqual([
      `${ENDPOINT}/openai/deployments/${MODEL}/chat/completions?api-version=2024-10-21`,
      `${ENDPOINT}/openai/deployments/${MODEL}/chat/completions?api-version=2024-10-21`,
    ]);
    expect(llmSpans(r).map((s) => [s.target, s.data.provider, s.data.api])).toEqual([
      [`llm:${MODEL}`, 'azure', 'openai.chat'],
      [`llm:${MODEL}`, 'azure', 'openai.chat'],
    ]);
    expect(r.spend.usd).toBe(expectedUsd(r).total);
    expect(r.coverage.targets[`llm:azure/${MODEL}`]).toBe(2);
  });

  it('is deterministic, and other seeds time it differently', async () => {
    await expectDeterministic((seed) => run(openaiClientAgent(azure(), mode), { seed }), 11);
    expect(await distinctTraces((seed) => run(openaiClientAgent(azure(), mode), { seed }), range(1, 3))).toBe(3);
  });
});

describe('Azure’s shapes on the wire', () => {
  const post = (world: World, body: Record<string, unknown>, init: { key?: boolean; version?: boolean } = {}) =>
    world.fetch(`${ENDPOINT}/openai/deployments/${MODEL}/chat/completions${init.version === false ? '' : '?api-version=2024-10-21'}`, {
      method: 'POST',
      headers: init.key === false ? {} : { 'api-key': 'azure-key' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'What is the weather in Paris?' }], ...body }),
    });

  it('annotates answers with content-filter results, sorts keys, and opens streams with the prompt’s results', async () => {
    const r = await run(async (world) => {
      const whole = await (await post(world, {})).text();
      const stream = await (await post(world, { stream: true })).text();
      return { whole, stream };
    });
    const whole = r.value?.whole ?? '';
    expect(whole.startsWith('{"choices":[{"content_filter_results":{}')).toBe(true);
    const body = JSON.parse(whole);
    expect(Object.keys(body)).toEqual([...Object.keys(body)].sort());
    expect(body.prompt_filter_results[0]).toMatchObject({ prompt_index: 0, content_filter_results: { violence: { filtered: false, severity: 'safe' } } });
    expect(body).not.toHaveProperty('service_tier');
    const events = (r.value?.stream ?? '').split('\n\n').filter((e) => e !== '');
    expect(events[0]).toBe(
      'data: {"choices":[],"created":0,"id":"","model":"","object":"","prompt_filter_results":[{"prompt_index":0,"content_filter_results":{"hate":{"filtered":false,"severity":"safe"},"jailbreak":{"detected":false,"filtered":false},"self_harm":{"filtered":false,"severity":"safe"},"sexual":{"filtered":false,"severity":"safe"},"violence":{"filtered":false,"severity":"safe"}}}]}',
    );
    expect(events.at(-1)).toBe('data: [DONE]');
  });

  it('answers a missing key with 401, a missing api-version with 404, an unknown deployment with DeploymentNotFound', async () => {
    const r = await run(async (world) => {
      const noKey = await post(world, {}, { key: false });
      const noVersion = await post(world, {}, { version: false });
      const client = azure({ deployment: 'gpt-5-turbo', maxRetries: 0 })(world);
      const unknown = await client.chat.completions.create({ model: 'gpt-5-turbo', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
      return { noKey: [noKey.status, await noKey.json()], noVersion: [noVersion.status, await noVersion.json()], unknown };
    });
    expect(r.value?.noKey[0]).toBe(401);
    expect(r.value?.noVersion).toEqual([404, { error: { code: '404', message: 'Resource not found' } }]);
    const unknown = r.value?.unknown as InstanceType<typeof OpenAI.NotFoundError>;
    expect(unknown).toBeInstanceOf(OpenAI.NotFoundError);
    expect(unknown.code).toBe('DeploymentNotFound');
    expect(r.problems.map((p) => p.kind)).toEqual(['unknown-model']);
  });
});

describe('faults on Azure', () => {
  it('a 429 is RateLimitReached with retry-after-ms, which AzureOpenAI waits out exactly, in virtual time', async () => {
    const faults = [{ target: 'llm:azure/*', kind: 'rate-limit', when: { calls: [0] }, params: { retryAfterMs: 2_500 } }] as const;
    const r = await run(openaiClientAgent(azure(), 'create'), { faults });
    expect(r.outcome, r.message).toBe('ok');
    expect(fetchSpans(r).map((s) => s.data.status)).toEqual([429, 200, 200]);
    expect(gaps(fetchSpans(r))[0]).toBe(2_500);
    const refused = await run(
      async (world) =>
        azure({ maxRetries: 0 })(world)
          .chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'hi' }] })
          .catch((e: unknown) => e),
      { faults },
    );
    const error = refused.value as InstanceType<typeof OpenAI.RateLimitError>;
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.code).toBe('RateLimitReached');
    expect(error.message).toContain('Please retry after 3 seconds');
    expect(error.headers?.get('retry-after-ms')).toBe('2500');
  });

  it('a rule on llm:azure/* leaves the same model on api.openai.com alone', async () => {
    const faults = [{ target: 'llm:azure/*', kind: 'server-error', params: { status: 503 } }] as const;
    const r = await run(
      async (world) => {
        const direct = await new OpenAI({ apiKey: 'sk-test', fetch: world.fetch }).chat.completions.create({
          model: MODEL,
          messages: [{ role: 'user', content: 'hi' }],
        });
        const viaAzure = await azure({ maxRetries: 0 })(world)
          .chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'hi' }] })
          .catch((e: { code?: string; status?: number }) => ({ status: e.status, code: e.code }));
        return { direct: direct.choices.length, viaAzure };
      },
      { faults },
    );
    expect(r.value).toEqual({ direct: 1, viaAzure: { status: 503, code: 'ServiceUnavailable' } });
    expect(r.coverage.rules[0]).toMatchObject({ matched: 1, fired: 1, changed: 1 });
  });

  it('a stream cut before the tool call’s arguments leaves a streaming agent parsing an empty string', async () => {
    const faults = [{ target: `llm:azure/${MODEL}`, kind: 'stream-cut', when: { calls: [0] }, params: { afterChunks: 0 } }] as const;
    const r = await run(openaiClientAgent(azure(), 'stream'), { faults });
    expect(marks(r, 'fault')).toEqual([expect.objectContaining({ kind: 'stream-cut', afterChunks: 0, mode: 'close' })]);
    // The call's header (id, name) arrived, its arguments never did, nor a finish reason.
    expect(r.outcome).toBe('threw');
    expect(String(r.error)).toMatch(/SyntaxError: Unexpected end of JSON input/);
  });
});

describe('@ai-sdk/azure', () => {
  const responses = (world: World) => aiAzure(world)(MODEL);
  const chat = (world: World) => aiAzure(world).chat(MODEL);

  it.each([
    ['Responses API (the default), generateText', responses, 'generate'],
    ['Responses API, streamText', responses, 'stream'],
    ['Chat Completions, generateText', chat, 'generate'],
    ['Chat Completions, streamText', chat, 'stream'],
  ] as const)('%s: calls the tool and answers over /openai/v1', async (_name, model, mode) => {
    const r = await expectDeterministic((seed) => run(aiSdkAgent(model, mode), { seed }), 3);
    expect(r.outcome, r.message).toBe('ok');
    expect(r.value).toMatchObject({ text: ANSWER, steps: 2 });
    expect(fetchSpans(r).every((s) => String(s.data.url).startsWith(`${ENDPOINT}/openai/v1/`))).toBe(true);
    expect(llmSpans(r).map((s) => s.data.provider)).toEqual(['azure', 'azure']);
  });

  it('retries a 429 after its retry-after-ms (the AI SDK honours it under 60 s)', async () => {
    const faults = [{ target: 'llm:azure/*', kind: 'rate-limit', when: { calls: [0] }, params: { retryAfterMs: 1_200 } }] as const;
    const r = await run(aiSdkAgent(chat, 'generate'), { faults });
    expect(r.value?.text).toBe(ANSWER);
    expect(fetchSpans(r).map((s) => s.data.status)).toEqual([429, 200, 200]);
    expect(gaps(fetchSpans(r))[0]).toBe(1_200);
  });

  it('a stream cut with a dropped connection ends streamText with an error', async () => {
    const faults = [{ target: 'llm:azure/*', kind: 'stream-cut', when: { calls: [0] }, params: { afterChunks: 1, mode: 'error' } }] as const;
    const r = await run(aiSdkAgent(chat, 'stream'), { faults });
    expect(r.outcome, r.message).toBe('ok');
    expect(r.value?.error).toMatch(/terminated/);
    expect(r.value?.text).toBe('');
  });
});
