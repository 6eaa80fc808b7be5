// Goal: the official openai client's Chat Completions work unmodified against the simulated LLM, faults included. Method: real agents built on `new OpenAI({ fetch: world.fetch })` run in simulate(); assertions read the wire values, the ledger and the trace.
import OpenAI from 'openai';
import type { ChatCompletionChunk, ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { describe, expect, it } from 'vitest';
import { openaiRoutes } from '../../adapters/openai/index.ts';
import { isFaultlineError, routeOf, scripted, type World } from '../../harness/index.ts';
import type { LlmService } from '../../harness/world/llm/llmService.ts';
import { distinctTraces, expectDeterministic, range } from '../helpers/determinism.ts';
import { ANSWER, expectedUsd, fetchSpans, gaps, INSTRUCTIONS, llmSpans, MODEL, marks, QUESTION, type RunOptions, run } from './openaiFixtures.ts';

type Mode = 'create' | 'stream';
type Usage = { prompt: number; completion: number; total: number };

interface Transcript {
  readonly text: string | null;
  readonly models: string[];
  readonly usage: Usage[];
  readonly finishReasons: string[];
}

function toolsOf(world: World): ChatCompletionTool[] {
  return world.tools.list().map((t) => ({ type: 'function', function: { name: t.name, description: t.description ?? '', parameters: t.parameters } }));
}

/** One model call: a plain create, or the SDK's stream helper (asking for the usage chunk). */
async function ask(client: OpenAI, mode: Mode, messages: ChatCompletionMessageParam[], tools: ChatCompletionTool[], model = MODEL) {
  if (mode === 'create') return client.chat.completions.create({ model, messages, tools });
  return client.chat.completions.stream({ model, messages, tools, stream_options: { include_usage: true } }).finalChatCompletion();
}

/** A real tool-using agent: ask, run the tools the model calls, send their results back, until the model answers. */
function weatherAgent(mode: Mode, clientOptions: Partial<ConstructorParameters<typeof OpenAI>[0]> = {}) {
  return async (world: World): Promise<Transcript> => {
    const client = new OpenAI({ apiKey: 'sk-test', fetch: world.fetch, ...clientOptions });
    const messages: ChatCompletionMessageParam[] = [
      { role: 'system', content: INSTRUCTIONS },
      { role: 'user', content: QUESTION },
    ];
    const transcript: Transcript = { text: null, models: [], usage: [], finishReasons: [] };
    for (let turn = 0; turn < 4; turn++) {
      const completion = await ask(client, mode, messages, toolsOf(world));
      const choice = completion.choices[0];
      if (choice === undefined) throw new Error('no choice');
      transcript.models.push(completion.model);
      transcript.finishReasons.push(choice.finish_reason);
      const u = completion.usage;
      if (u !== undefined) transcript.usage.push({ prompt: u.prompt_tokens, completion: u.completion_tokens, total: u.total_tokens });
      messages.push(choice.message);
      const calls = choice.message.tool_calls ?? [];
      if (calls.length === 0) return { ...transcript, text: choice.message.content };
      for (const call of calls) {
        if (call.type !== 'function') continue;
        const result = await world.tools.call(call.function.name, JSON.parse(call.function.arguments));
        messages.push({ role: 'tool', tool_call_id: call.id, content: JSON.stringify(result) });
      }
    }
    throw new Error('the model never answered');
  };
}

/** An agent that iterates the raw `stream: true` chunks and returns them. */
async function rawChunks(world: World): Promise<ChatCompletionChunk[]> {
  const client = new OpenAI({ apiKey: 'sk-test', fetch: world.fetch });
  const stream = await client.chat.completions.create({
    model: MODEL,
    messages: [{ role: 'user', content: QUESTION }],
    tools: toolsOf(world),
    stream: true,
    stream_options: { include_usage: true },
  });
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

/** The first completion's message, for fault tests that look at a single answer. */
async function firstMessage(world: World) {
  const client = new OpenAI({ apiKey: 'sk-test', fetch: world.fetch });
  const completion = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: QUESTION }], tools: toolsOf(world) });
  return completion;
}

const loop = (mode: Mode, options: RunOptions = {}) => run(weatherAgent(mode), options);

describe.each<Mode>(['create', 'stream'])('a tool-using agent loop (%s)', (mode) => {
  it('calls the tool, sends the result back and gets the answer', async () => {
    const r = await loop(mode);
    expect(r.outcome, r.message).toBe('ok');
    expect(r.value?.text).toBe(ANSWER);
    expect(r.value?.finishReasons).toEqual(['tool_calls', 'stop']);
    expect(r.value?.models).toEqual([MODEL, MODEL]);
    expect(fetchSpans(r).map((s) => s.data.status)).toEqual([200, 200]);
    expect(llmSpans(r).map((s) => [s.data.api, s.data.stream, s.outcome])).toEqual([
      ['openai.chat', mode === 'stream', 'ok'],
      ['openai.chat', mode === 'stream', 'ok'],
    ]);
    // Each llm span is the child of the fetch that carried it.
    expect(llmSpans(r).map((s) => s.parent)).toEqual(fetchSpans(r).map((s) => s.span));
  });

  it('reports usage that equals the ledger, and spend that follows the price table', async () => {
    const r = await loop(mode);
    const entries = r.spend.entries;
    expect(r.value?.usage).toEqual(entries.map((e) => ({ prompt: e.inputTokens, completion: e.outputTokens, total: e.inputTokens + e.outputTokens })));
    const { perEntry, total } = expectedUsd(r);
    expect(entries.map((e) => e.usd)).toEqual(perEntry);
    expect(r.spend.usd).toBe(total);
    expect(r.spend.usd).toBeGreaterThan(0);
  });

  it('is deterministic: same seed, same trace', async () => {
    await expectDeterministic((seed) => loop(mode, { seed }), 3);
  });
});

describe('the streamed chunks', () => {
  it('carry the role first, each tool call id and name before its argument fragments, the finish reason, then the usage chunk', async () => {
    const r = await run(rawChunks);
    expect(r.outcome, r.message).toBe('ok');
    const chunks = r.value ?? [];
    const deltas = chunks.flatMap((c) => c.choices.map((choice) => choice.delta));
    expect(deltas[0]).toMatchObject({ role: 'assistant' });
    const toolDeltas = deltas.flatMap((d) => d.tool_calls ?? []);
    expect(toolDeltas[0]).toMatchObject({ index: 0, id: expect.stringMatching(/^call_/), type: 'function', function: { name: 'weather', arguments: '' } });
    for (const later of toolDeltas.slice(1)) expect(later).toEqual({ index: 0, function: { arguments: expect.any(String) } });
    expect(toolDeltas.map((d) => d.function?.arguments).join('')).toBe('{"city":"Paris"}');
    const finishes = chunks.flatMap((c) => c.choices.map((choice) => choice.finish_reason));
    expect(finishes.filter((f) => f !== null)).toEqual(['tool_calls']);
    expect(finishes.at(-1)).toBe('tool_calls');
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toEqual(
      expect.objectContaining({ prompt_tokens: r.spend.entries[0]?.inputTokens, completion_tokens: r.spend.entries[0]?.outputTokens }),
    );
    // Every chunk before the last says `usage: null`, as the real API does when usage was asked for.
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
  });

  it('leave out the usage chunk when include_usage is not asked for', async () => {
    const r = await run(
      async (world) => {
        const client = new OpenAI({ apiKey: 'sk-test', fetch: world.fetch });
        const stream = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'hi' }], stream: true });
        const chunks: ChatCompletionChunk[] = [];
        for await (const chunk of stream) chunks.push(chunk);
        return chunks;
      },
      { models: { [MODEL]: scripted(['Hello there, this answer is long enough to come in several chunks.']) } },
    );
    const chunks = r.value ?? [];
    expect(chunks.every((c) => c.choices.length === 1 && !('usage' in c))).toBe(true);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Hello there, this answer is long enough to come in several chunks.');
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
  });
});

describe('provider errors and retries', () => {
  it.each(['both', 'retry-after-ms', 'retry-after'] as const)(
    '429 (%s header): the client waits exactly the retry-after in virtual time, then succeeds',
    async (header) => {
      const r = await loop('create', { faults: [{ target: 'llm:*', kind: 'rate-limit', when: { calls: [0] }, params: { retryAfterMs: 2000, header } }] });
      expect(r.outcome, r.message).toBe('ok');
      expect(r.value?.text).toBe(ANSWER);
      const fetches = fetchSpans(r);
      expect(fetches.map((s) => s.data.status)).toEqual([429, 200, 200]);
      expect(gaps(fetches)[0]).toBe(2000);
      expect(llmSpans(r).map((s) => s.outcome)).toEqual(['fault', 'ok', 'ok']);
      // The refused attempt never reached the model, so it is not billed.
      expect(r.spend.calls).toBe(2);
    },
  );

  it('429 body and headers are OpenAI-shaped: RateLimitError with type, code and retry headers', async () => {
    const r = await run(
      async (world) => {
        const client = new OpenAI({ apiKey: 'sk-test', fetch: world.fetch, maxRetries: 0 });
        try {
          await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'hi' }] });
          return undefined;
        } catch (error) {
          if (!(error instanceof OpenAI.RateLimitError)) throw error;
          return {
            status: error.status,
            type: error.type,
            code: error.code,
            param: error.param,
            retryAfterMs: error.headers?.get('retry-after-ms'),
            retryAfter: error.headers?.get('retry-after'),
            remaining: error.headers?.get('x-ratelimit-remaining-requests'),
            reset: error.headers?.get('x-ratelimit-reset-requests'),
            limit: error.headers?.get('x-ratelimit-limit-requests'),
            message: error.message,
            requestId: error.requestID,
          };
        }
      },
      { faults: [{ target: 'llm:*', kind: 'rate-limit', params: { retryAfterMs: 2000 } }] },
    );
    // OpenAI names the limit in `type` and says when to try again; x-ratelimit-* carry the quota.
    expect(r.value).toEqual({
      status: 429,
      type: 'requests',
      code: 'rate_limit_exceeded',
      param: null,
      retryAfterMs: '2000',
      retryAfter: '2',
      remaining: '0',
      reset: '2s',
      limit: '5000',
      message: expect.stringMatching(
        /^429 Rate limit reached for gpt-4o-mini in organization org-faultline on requests per min \(RPM\): Limit 5000, Used 5000, Requested 1\. Please try again in 2s\./,
      ),
      requestId: expect.stringMatching(/^req_/),
    });
  });

  it('5xx: the client retries with its own backoff and succeeds', async () => {
    const r = await loop('create', { faults: [{ target: 'llm:*', kind: 'server-error', when: { calls: [0] }, params: { status: 503 } }] });
    expect(r.outcome, r.message).toBe('ok');
    const fetches = fetchSpans(r);
    expect(fetches.map((s) => s.data.status)).toEqual([503, 200, 200]);
    // The SDK's first backoff is 0.5 s less up to 25% jitter.
    expect(gaps(fetches)[0]).toBeGreaterThanOrEqual(375);
    expect(gaps(fetches)[0]).toBeLessThanOrEqual(500);
  });

  it('5xx on every attempt: InternalServerError with an OpenAI server_error body', async () => {
    const r = await loop('create', { faults: [{ target: 'llm:*', kind: 'server-error', params: { status: 500 } }] });
    expect(r.outcome).toBe('threw');
    expect(r.error).toBeInstanceOf(OpenAI.InternalServerError);
    expect((r.error as InstanceType<typeof OpenAI.InternalServerError>).type).toBe('server_error');
    expect(fetchSpans(r).map((s) => s.data.status)).toEqual([500, 500, 500]);
  });

  it.each([
    ['refused', 'ECONNREFUSED'],
    ['reset', 'ECONNRESET'],
  ] as const)('outage (%s): APIConnectionError after the client used up its retries', async (mode, code) => {
    const r = await loop('create', { faults: [{ target: 'llm:*', kind: 'outage', params: { mode } }] });
    expect(r.outcome).toBe('threw');
    expect(r.error).toBeInstanceOf(OpenAI.APIConnectionError);
    // The SDK keeps fetch's TypeError as the cause, and it keeps the socket error, as undici's does.
    expect(r.error).toMatchObject({ cause: { message: 'fetch failed', cause: { code } } });
    expect(fetchSpans(r).map((s) => s.outcome)).toEqual(['error', 'error', 'error']);
    expect(r.spend.calls).toBe(0);
  });

  it('hang with timeout 5000: the SDK times out in virtual time, three times, then throws APIConnectionTimeoutError', async () => {
    const r = await run(weatherAgent('create', { timeout: 5000 }), { faults: [{ target: 'llm:*', kind: 'hang' }] });
    expect(r.outcome).toBe('threw');
    expect(r.error).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    const fetches = fetchSpans(r);
    expect(fetches.map((s) => s.outcome)).toEqual(['aborted', 'aborted', 'aborted']);
    expect(fetches.map((s) => (s.end ?? 0) - s.start)).toEqual([5000, 5000, 5000]);
    expect(llmSpans(r).map((s) => s.outcome)).toEqual(['aborted', 'aborted', 'aborted']);
    // Three timeouts plus the SDK's two backoffs (0.5 s and 1 s, less up to 25% jitter).
    expect(r.virtualTimeMs).toBeGreaterThanOrEqual(15_000 + 1_125);
    expect(r.virtualTimeMs).toBeLessThanOrEqual(15_000 + 1_500);
  });

  it('unknown model: a 404 NotFoundError with code model_not_found, not retried', async () => {
    const r = await run(async (world) => {
      const client = new OpenAI({ apiKey: 'sk-test', fetch: world.fetch });
      return client.chat.completions.create({ model: 'gpt-5-imaginary', messages: [{ role: 'user', content: 'hi' }] });
    });
    expect(r.outcome).toBe('threw');
    expect(r.error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(r.error).toMatchObject({ status: 404, type: 'invalid_request_error', code: 'model_not_found' });
    expect(fetchSpans(r)).toHaveLength(1);
    expect(r.problems.map((p) => p.kind)).toContain('unknown-model');
  });
});

describe('streams under faults', () => {
  it('stream-stall: the stream pauses for exactly stallMs of virtual time, and the agent still gets its answer', async () => {
    const stall = { target: 'llm:*', kind: 'stream-stall', when: { calls: [1] }, params: { afterChunks: 1, stallMs: 30_000 } } as const;
    const calm = await loop('stream', { seed: 5 });
    const stalled = await loop('stream', { seed: 5, faults: [stall] });
    expect(stalled.outcome, stalled.message).toBe('ok');
    expect(stalled.value?.text).toBe(ANSWER);
    expect(stalled.virtualTimeMs - calm.virtualTimeMs).toBe(30_000);
    expect(marks(stalled, 'stream.stall')).toEqual([{ afterChunks: 1, stallMs: 30_000 }]);
  });

  it('stream-cut (error): the connection drops mid-stream and the streaming agent fails', async () => {
    const r = await loop('stream', { faults: [{ target: 'llm:*', kind: 'stream-cut', params: { afterChunks: 1, mode: 'error' } }] });
    expect(r.outcome).toBe('threw');
    expect(String(r.error)).toContain('terminated');
    expect(marks(r, 'stream.cut')).toEqual([{ afterChunks: 1, mode: 'error' }]);
  });

  it('stream-cut (close): the stream ends early without a finish reason or [DONE], and the agent sees it incomplete', async () => {
    const r = await run(rawChunks, { faults: [{ target: 'llm:*', kind: 'stream-cut', params: { afterChunks: 0, mode: 'close' } }] });
    expect(r.outcome, r.message).toBe('ok');
    const chunks = r.value ?? [];
    expect(chunks).toHaveLength(2);
    expect(chunks.flatMap((c) => c.choices.map((choice) => choice.finish_reason))).toEqual([null, null]);
    // The SDK's stream helper refuses such a stream.
    const helper = await loop('stream', { faults: [{ target: 'llm:*', kind: 'stream-cut', params: { afterChunks: 1, mode: 'close' } }] });
    expect(helper.outcome).toBe('threw');
    expect(String(helper.error)).toContain('missing finish_reason');
  });

  it('truncate on a stream: the connection drops after that share of the events', async () => {
    const r = await run(rawChunks, { faults: [{ target: 'llm:*', kind: 'truncate', params: { keepFraction: 0.5 } }] });
    expect(r.outcome).toBe('threw');
    expect(String(r.error)).toContain('terminated');
    expect(marks(r, 'stream.cut')).toEqual([{ afterChunks: expect.any(Number), mode: 'error' }]);
  });
});

describe('answers damaged by faults', () => {
  it('truncate: the body ends mid-JSON and the non-streaming call fails', async () => {
    const r = await loop('create', { faults: [{ target: 'llm:*', kind: 'truncate', params: { keepFraction: 0.5 } }] });
    expect(r.outcome).toBe('threw');
    expect(String(r.error)).toContain('terminated');
    expect(fetchSpans(r).map((s) => s.data.status)).toEqual([200]);
  });

  it.each<Mode>(['create', 'stream'])('malformed (%s): the tool call arguments reach the agent unparseable', async (mode) => {
    const r = await run(
      async (world) => {
        const client = new OpenAI({ apiKey: 'sk-test', fetch: world.fetch });
        const completion = await ask(client, mode, [{ role: 'user', content: QUESTION }], toolsOf(world));
        const call = completion.choices[0]?.message.tool_calls?.[0];
        return call?.type === 'function' ? call.function.arguments : undefined;
      },
      { faults: [{ target: 'llm:*', kind: 'malformed', params: { mode: 'truncated-json' } }] },
    );
    expect(r.outcome, r.message).toBe('ok');
    const raw = r.value ?? '';
    expect('{"city":"Paris"}'.startsWith(raw)).toBe(true);
    expect(() => JSON.parse(raw)).toThrow(SyntaxError);
  });

  it('malformed in the loop: the agent that trusts JSON.parse fails', async () => {
    const r = await loop('create', { faults: [{ target: 'llm:*', kind: 'malformed', params: { mode: 'not-json' } }] });
    expect(r.outcome).toBe('threw');
    expect(r.error).toBeInstanceOf(SyntaxError);
  });

  it('empty: a 200 with an empty answer and no tool calls', async () => {
    const r = await run(firstMessage, { faults: [{ target: 'llm:*', kind: 'empty' }] });
    expect(r.outcome, r.message).toBe('ok');
    expect(r.value?.choices[0]?.message).toMatchObject({ role: 'assistant', content: '' });
    expect(r.value?.choices[0]?.message.tool_calls).toBeUndefined();
    expect(r.value?.choices[0]?.finish_reason).toBe('stop');
  });

  it('off-schema: a 200 whose body has no choices, which breaks the agent that reads them', async () => {
    const off = await run(firstMessage, { faults: [{ target: 'llm:*', kind: 'off-schema' }] });
    expect(off.outcome, off.message).toBe('ok');
    expect(off.value).not.toHaveProperty('choices');
    expect(off.value).toMatchObject({ object: 'chat.completion', model: MODEL });
    const loopRun = await loop('create', { faults: [{ target: 'llm:*', kind: 'off-schema' }] });
    expect(loopRun.outcome).toBe('threw');
    expect(loopRun.error).toBeInstanceOf(TypeError);
    const streamed = await loop('stream', { faults: [{ target: 'llm:*', kind: 'off-schema' }] });
    expect(streamed.outcome).toBe('threw');
  });

  it('corrupt: the wrong fact reaches the agent and the trace carries a taint mark', async () => {
    const original = 'Invoice 4417 is due on 2025-03-01 for 1200 USD.';
    const r = await run(async (world) => (await firstMessage(world)).choices[0]?.message.content, {
      models: { [MODEL]: scripted([original]) },
      faults: [{ target: 'llm:*', kind: 'corrupt', params: { fact: 'number' } }],
    });
    expect(r.outcome, r.message).toBe('ok');
    const [taint] = marks(r, 'taint');
    expect(taint).toMatchObject({ target: 'llm', where: 'text', fact: 'number' });
    expect(r.value).not.toBe(original);
    expect(r.value).toContain(String(taint?.corrupted));
    expect(original).toContain(String(taint?.original));
  });

  it('version-skew: the `model` field changes after when.afterMs', async () => {
    const r = await run(
      async (world) => {
        const client = new OpenAI({ apiKey: 'sk-test', fetch: world.fetch });
        const first = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'hi' }] });
        await world.sleep(20_000);
        const second = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'hi' }] });
        return [first.model, second.model];
      },
      {
        models: { [MODEL]: { brain: scripted(['hello']), version: 'gpt-4o-mini-2024-07-18', versions: { 'gpt-4o-mini-2025-06-01': scripted(['hi!']) } } },
        faults: [{ target: `llm:${MODEL}`, kind: 'version-skew', when: { afterMs: 10_000 }, params: { to: 'gpt-4o-mini-2025-06-01' } }],
      },
    );
    expect(r.outcome, r.message).toBe('ok');
    expect(r.value).toEqual(['gpt-4o-mini-2024-07-18', 'gpt-4o-mini-2025-06-01']);
    expect(r.spend.entries.map((e) => e.model)).toEqual(['gpt-4o-mini-2024-07-18', 'gpt-4o-mini-2025-06-01']);
  });
});

describe('requests the real API refuses', () => {
  const badRequest = (messages: ChatCompletionMessageParam[]) =>
    run(async (world) => {
      const client = new OpenAI({ apiKey: 'sk-test', fetch: world.fetch });
      return client.chat.completions.create({ model: MODEL, messages });
    });

  it('a tool result that answers no call: 400 BadRequestError, not retried, no model call', async () => {
    const r = await badRequest([
      { role: 'user', content: 'hi' },
      { role: 'tool', tool_call_id: 'call_nope', content: '{}' },
    ]);
    expect(r.error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(r.error).toMatchObject({ status: 400, type: 'invalid_request_error', param: 'messages.[1].role' });
    expect(fetchSpans(r)).toHaveLength(1);
    expect(r.spend.calls).toBe(0);
  });

  it('a tool call left without a result: 400 naming the call', async () => {
    const r = await badRequest([
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{}' } }] },
      { role: 'user', content: 'well?' },
    ]);
    expect(r.error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(String(r.error)).toContain('did not have response messages: call_1');
  });

  it('a missing model: 400 missing_required_parameter', async () => {
    const r = await run(async (world) => {
      const response = await world.fetch('https://api.openai.com/v1/chat/completions', { method: 'POST', body: JSON.stringify({ messages: [] }) });
      return { status: response.status, body: await response.json() };
    });
    expect(r.value).toEqual({
      status: 400,
      body: { error: { message: "Missing required parameter: 'model'.", type: 'invalid_request_error', param: 'model', code: 'missing_required_parameter' } },
    });
  });
});

describe('determinism and reach', () => {
  it('different seeds give different traces (latencies are drawn from the seed)', async () => {
    expect(await distinctTraces((seed) => loop('stream', { seed }), range(1, 6))).toBeGreaterThan(1);
  });

  it('same seed, same trace, under faults too', async () => {
    const faults = [
      { target: 'llm:*', kind: 'rate-limit', when: { calls: [0] } },
      { target: 'llm:*', kind: 'stream-stall', params: { stallMs: 1000 } },
    ] as const;
    await expectDeterministic((seed) => loop('stream', { seed, faults }), 11);
  });

  it('outside a simulated run the route refuses with a FaultlineError that says how to reach it', async () => {
    const handler = openaiRoutes({} as LlmService)[0];
    const request = new Request('https://api.openai.com/v1/chat/completions', { method: 'POST', body: '{}' });
    const outcome = routeOf(handler)?.resolver({ request, params: {} });
    await expect(outcome).rejects.toSatisfy(
      (error) => isFaultlineError(error) && /outside a simulated run.*world\.fetch/s.test(String((error as Error).message)),
    );
  });
});
