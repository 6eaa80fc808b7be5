// Goal: agents on Google Gemini — @google/genai in global network mode (it takes no fetch option)
// and @ai-sdk/google over world.fetch — run unchanged against the simulated models, and Gemini's
// failures reach them in Gemini's shapes: RESOURCE_EXHAUSTED with its retry hint in the body,
// UNAVAILABLE, errors inside a 200 stream, streams that end with no terminator. Method: real agents
// in simulate(); assertions read answers, wire bytes, spans (virtual times) and the ledger.
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { ApiError } from '@google/genai';
import { describe, expect, it } from 'vitest';
import { type FaultPlanInput, simulate, type World } from '../../harness/index.ts';
import { distinctTraces, expectDeterministic, range } from '../helpers/determinism.ts';
import { aiSdkAgent } from './aiSdkAgent.ts';
import { GEMINI, geminiAgent } from './geminiAgent.ts';
import { ANSWER, expectedUsd, fetchSpans, gaps, llmSpans, marks, weather, weatherBrain } from './openaiFixtures.ts';

const BASE = `https://generativelanguage.googleapis.com/v1beta/models/${GEMINI}`;

function go<T>(agent: (world: World) => Promise<T>, options: { seed?: number; faults?: FaultPlanInput; global?: boolean } = {}) {
  return simulate(agent, {
    seed: options.seed ?? 3,
    llm: { models: { [GEMINI]: weatherBrain } },
    tools: [weather],
    faults: options.faults ?? [],
    ...(options.global === false ? {} : { network: 'global' as const }),
  });
}

const google = (world: World) => createGoogleGenerativeAI({ apiKey: 'AIza-sim', fetch: world.fetch })(GEMINI);

describe.each([false, true])('@google/genai in global mode, a tool-using agent (stream: %s)', (stream) => {
  it('calls the tool with a functionCall, sends the functionResponse back and gets the answer', async () => {
    const r = await go(geminiAgent(stream));
    expect(r.outcome, r.message).toBe('ok');
    expect(r.value).toEqual({ text: ANSWER, finishReasons: ['STOP', 'STOP'] });
    const method = stream ? 'streamGenerateContent?alt=sse' : 'generateContent';
    expect(fetchSpans(r).map((s) => s.data.url)).toEqual([`${BASE}:${method}`, `${BASE}:${method}`]);
    expect(llmSpans(r).map((s) => [s.data.api, s.data.provider])).toEqual([
      ['gemini.generateContent', 'gemini'],
      ['gemini.generateContent', 'gemini'],
    ]);
    expect(r.spend.usd).toBe(expectedUsd(r, GEMINI).total);
  });

  it('is deterministic, and other seeds time it differently', async () => {
    await expectDeterministic((seed) => go(geminiAgent(stream), { seed }), 8);
    expect(await distinctTraces((seed) => go(geminiAgent(stream), { seed }), range(1, 3))).toBe(3);
  });
});

describe('Gemini’s shapes on the wire', () => {
  const body = JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'What is the weather in Paris?' }] }] });
  const post = (world: World, method: string, key = true) =>
    world.fetch(`${BASE}:${method}`, { method: 'POST', headers: key ? { 'x-goog-api-key': 'AIza-sim' } : {}, body });

  it('streams one-line events framed with CRLF, the last with an empty part, the finish reason and the usage', async () => {
    const r = await go(async (world) => (await post(world, 'streamGenerateContent?alt=sse')).text(), { global: false });
    const events = (r.value ?? '').split('\r\n\r\n');
    expect(events.at(-1)).toBe('');
    expect(events[0]).toMatch(
      /^data: \{"candidates": \[\{"content": \{"parts": \[\{"functionCall": \{"name": "weather","args": \{"city": "Paris"\}\}\}\],"role": "model"\},"index": 0\}\],"usageMetadata": \{"promptTokenCount": \d+,/,
    );
    const last = JSON.parse((events.at(-2) ?? '').slice('data: '.length));
    expect(last.candidates).toEqual([{ content: { parts: [{ text: '' }], role: 'model' }, finishReason: 'STOP', index: 0 }]);
    expect(last.usageMetadata.candidatesTokenCount).toBe(r.spend.outputTokens);
    expect(last.modelVersion).toBe(GEMINI);
    expect(last.responseId).toMatch(/^[A-Za-z0-9_-]{23}$/);
  });

  it('answers a missing key with 403 PERMISSION_DENIED and an unknown model with 404 NOT_FOUND, in Google’s words', async () => {
    const r = await go(
      async (world) => {
        const noKey = await post(world, 'generateContent', false);
        const unknown = await world.fetch('https://generativelanguage.googleapis.com/v1beta/models/gemini-9:generateContent', {
          method: 'POST',
          headers: { 'x-goog-api-key': 'k' },
          body,
        });
        return [noKey.status, (await noKey.json()).error.status, unknown.status, (await unknown.json()).error.message];
      },
      { global: false },
    );
    expect(r.value).toEqual([
      403,
      'PERMISSION_DENIED',
      404,
      'models/gemini-9 is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.',
    ]);
  });
});

const limited: FaultPlanInput = [{ target: 'llm:gemini/*', kind: 'rate-limit', when: { calls: [0] }, params: { retryAfterMs: 7_000 } }];

describe('faults on Gemini', () => {
  it('a 429 is RESOURCE_EXHAUSTED with RetryInfo; @google/genai does not retry it unless told to', async () => {
    const r = await go(geminiAgent(false), { faults: limited });
    expect(r.outcome).toBe('threw');
    expect(r.error).toBeInstanceOf(ApiError);
    const error = JSON.parse((r.error as ApiError).message);
    expect(error.error).toMatchObject({ code: 429, status: 'RESOURCE_EXHAUSTED' });
    expect(error.error.details.at(-1)).toEqual({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '7s' });
    expect(error.error.message).toContain('Please retry in 7s.');
  });

  it('with retryOptions, @google/genai retries after its own backoff, not the hint (1.5 s, without jitter)', async () => {
    const r = await go(geminiAgent(false, { retryOptions: { attempts: 3, initialDelay: 1.5, jitter: 0 } }), { faults: limited });
    expect(r.value?.text).toBe(ANSWER);
    expect(fetchSpans(r).map((s) => s.data.status)).toEqual([429, 200, 200]);
    expect(gaps(fetchSpans(r))[0]).toBe(1_500);
  });

  it('an overload (529, which Google does not have) arrives as its 503 UNAVAILABLE', async () => {
    const faults: FaultPlanInput = [{ target: `llm:${GEMINI}`, kind: 'server-error', when: { calls: [0] }, params: { status: 529 } }];
    const r = await go(
      async (world) => {
        const raw = await world.fetch(`${BASE}:generateContent`, {
          method: 'POST',
          headers: { 'x-goog-api-key': 'k' },
          body: JSON.stringify({ contents: [{ parts: [{ text: 'hi' }] }] }),
        });
        return [raw.status, await raw.json()];
      },
      { faults },
    );
    expect(r.value).toEqual([503, { error: { code: 503, message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' } }]);
  });

  it('a stream cut ends the stream quietly: with no terminator, a naive agent takes the part it got for the answer', async () => {
    const faults: FaultPlanInput = [{ target: 'llm:gemini/*', kind: 'stream-cut', when: { calls: [1] }, params: { afterChunks: 1 } }];
    const r = await go(geminiAgent(true), { faults });
    expect(r.outcome, r.message).toBe('ok');
    expect(marks(r, 'fault')).toEqual([expect.objectContaining({ kind: 'stream-cut', afterChunks: 1 })]);
    expect(r.value).toEqual({ text: ANSWER.slice(0, 16), finishReasons: ['STOP', 'none'] });
  });

  it('an error inside the stream is Google’s error object, which @google/genai throws as an ApiError', async () => {
    const faults: FaultPlanInput = [{ target: 'llm:gemini/*', kind: 'stream-error', when: { calls: [1] }, params: { afterChunks: 1 } }];
    const r = await go(geminiAgent(true), { faults });
    expect(r.outcome).toBe('threw');
    expect(r.error).toBeInstanceOf(ApiError);
    expect((r.error as ApiError).status).toBe(503);
    expect((r.error as ApiError).message).toContain('"status":"UNAVAILABLE"');
  });
});

describe('broken and empty answers on Gemini', () => {
  it('a malformed call is Gemini’s own refusal, MALFORMED_FUNCTION_CALL with no content, whole or streamed', async () => {
    for (const stream of [false, true]) {
      const r = await go(geminiAgent(stream), {
        faults: [{ target: 'llm:gemini/*', kind: 'malformed', when: { calls: [0] }, params: { mode: 'truncated-json' } }],
      });
      expect(r.value).toEqual({ text: '', finishReasons: ['MALFORMED_FUNCTION_CALL'] });
      expect(marks(r, 'fault')).toEqual([expect.objectContaining({ kind: 'malformed', refused: true })]);
    }
  });

  it('an empty answer has a content with only its role (proto JSON leaves the empty parts out)', async () => {
    const r = await go(
      async (world) => {
        const raw = await world.fetch(`${BASE}:generateContent`, {
          method: 'POST',
          headers: { 'x-goog-api-key': 'k' },
          body: JSON.stringify({ contents: [{ parts: [{ text: 'hi' }] }] }),
        });
        return (await raw.json()).candidates;
      },
      { faults: [{ target: 'llm:gemini/*', kind: 'empty' }], global: false },
    );
    expect(r.value).toEqual([{ content: { role: 'model' }, finishReason: 'STOP', index: 0 }]);
  });
});

describe('@ai-sdk/google over world.fetch', () => {
  it.each(['generate', 'stream'] as const)('%s: calls the tool and answers, deterministically', async (mode) => {
    const r = await expectDeterministic((seed) => go(aiSdkAgent(google, mode), { seed, global: false }), 4);
    expect(r.outcome, r.message).toBe('ok');
    expect(r.value).toMatchObject({ text: ANSWER, steps: 2 });
    expect(llmSpans(r).map((s) => s.data.provider)).toEqual(['gemini', 'gemini']);
  });

  it('retries a 429 after the AI SDK’s own 2 s (Gemini sends no retry-after header)', async () => {
    const r = await go(aiSdkAgent(google, 'generate'), { faults: limited, global: false });
    expect(r.value).toMatchObject({ text: ANSWER });
    expect(fetchSpans(r).map((s) => s.data.status)).toEqual([429, 200, 200]);
    expect(gaps(fetchSpans(r))[0]).toBe(2_000);
  });

  it('a dropped connection mid-stream ends streamText with an error', async () => {
    const faults: FaultPlanInput = [{ target: 'llm:gemini/*', kind: 'stream-cut', when: { calls: [0] }, params: { afterChunks: 0, mode: 'error' } }];
    const r = await go(aiSdkAgent(google, 'stream'), { faults, global: false });
    expect(r.value?.error).toMatch(/terminated/);
  });
});
