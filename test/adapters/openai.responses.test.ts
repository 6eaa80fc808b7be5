// Goal: the official openai client's Responses API works unmodified against the simulated LLM, faults included. Method: real agents built on `new OpenAI({ fetch: world.fetch })` run in simulate(); assertions read the wire values, the ledger and the trace.
import OpenAI from 'openai';
import type { FunctionTool, Response, ResponseInputItem, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { describe, expect, it } from 'vitest';
import { type Conversation, rules, scripted, type World } from '../../harness/index.ts';
import { distinctTraces, expectDeterministic, range } from '../helpers/determinism.ts';
import { ANSWER, expectedUsd, fetchSpans, gaps, INSTRUCTIONS, llmSpans, MODEL, marks, QUESTION, type RunOptions, run } from './openaiFixtures.ts';

/** `create` and `stream` resend the whole input each turn; `previous` continues with previous_response_id. */
type Mode = 'create' | 'stream' | 'previous';

interface Transcript {
  readonly text: string;
  readonly models: string[];
  readonly statuses: string[];
  readonly usage: Array<{ input: number; output: number; total: number }>;
}

function toolsOf(world: World): FunctionTool[] {
  return world.tools.list().map((t) => ({ type: 'function', name: t.name, description: t.description ?? null, parameters: t.parameters, strict: false }));
}

type Params = { input: ResponseInputItem[] | string; previous_response_id?: string; tools?: FunctionTool[]; model?: string };

/** One model call: a plain create, or the SDK's stream helper. */
async function ask(client: OpenAI, mode: Mode, params: Params): Promise<Response> {
  const body = { model: MODEL, instructions: INSTRUCTIONS, ...params };
  if (mode === 'stream') return client.responses.stream(body).finalResponse();
  return client.responses.create(body);
}

/** A real tool-using agent: ask, run the function calls, send their outputs back, until the model answers. */
function weatherAgent(mode: Mode, clientOptions: Partial<ConstructorParameters<typeof OpenAI>[0]> = {}) {
  return async (world: World): Promise<Transcript> => {
    const client = new OpenAI({ apiKey: 'sk-test', fetch: world.fetch, ...clientOptions });
    const transcript: Transcript = { text: '', models: [], statuses: [], usage: [] };
    let input: ResponseInputItem[] = [{ role: 'user', content: QUESTION }];
    let previous: string | undefined;
    for (let turn = 0; turn < 4; turn++) {
      const response = await ask(client, mode, { input, tools: toolsOf(world), ...(previous === undefined ? {} : { previous_response_id: previous }) });
      transcript.models.push(response.model);
      transcript.statuses.push(String(response.status));
      const u = response.usage;
      if (u !== undefined && u !== null) transcript.usage.push({ input: u.input_tokens, output: u.output_tokens, total: u.total_tokens });
      const calls = response.output.flatMap((item) => (item.type === 'function_call' ? [item] : []));
      if (calls.length === 0) return { ...transcript, text: response.output_text };
      if (mode === 'previous') {
        previous = response.id;
        input = [];
      } else {
        for (const item of response.output) if (item.type === 'message' || item.type === 'function_call') input.push(item);
      }
      for (const call of calls) {
        const result = await world.tools.call(call.name, JSON.parse(call.arguments));
        input.push({ type: 'function_call_output', call_id: call.call_id, output: JSON.stringify(result) });
      }
    }
    throw new Error('the model never answered');
  };
}

/** An agent that iterates the raw `stream: true` events and returns them. */
async function rawEvents(world: World): Promise<ResponseStreamEvent[]> {
  const client = new OpenAI({ apiKey: 'sk-test', fetch: world.fetch });
  const stream = await client.responses.create({ model: MODEL, input: QUESTION, tools: toolsOf(world), stream: true });
  const events: ResponseStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

/** The first response, for fault tests that look at a single answer. */
function firstResponse(mode: Mode = 'create') {
  return async (world: World) => ask(new OpenAI({ apiKey: 'sk-test', fetch: world.fetch }), mode, { input: QUESTION, tools: toolsOf(world) });
}

const loop = (mode: Mode, options: RunOptions = {}) => run(weatherAgent(mode), options);
const TEXT_AND_CALL = { text: 'Let me check the weather.', toolCalls: [{ name: 'weather', arguments: { city: 'Paris' } }] };

describe.each<Mode>(['create', 'stream', 'previous'])('a tool-using agent loop (%s)', (mode) => {
  it('calls the tool, sends the output back and gets the answer', async () => {
    const r = await loop(mode);
    expect(r.outcome, r.message).toBe('ok');
    expect(r.value?.text).toBe(ANSWER);
    expect(r.value?.statuses).toEqual(['completed', 'completed']);
    expect(r.value?.models).toEqual([MODEL, MODEL]);
    expect(fetchSpans(r).map((s) => s.data.status)).toEqual([200, 200]);
    expect(llmSpans(r).map((s) => [s.data.api, s.data.stream, s.outcome])).toEqual([
      ['openai.responses', mode === 'stream', 'ok'],
      ['openai.responses', mode === 'stream', 'ok'],
    ]);
    expect(llmSpans(r).map((s) => s.parent)).toEqual(fetchSpans(r).map((s) => s.span));
  });

  it('reports usage that equals the ledger, and spend that follows the price table', async () => {
    const r = await loop(mode);
    const entries = r.spend.entries;
    expect(r.value?.usage).toEqual(entries.map((e) => ({ input: e.inputTokens, output: e.outputTokens, total: e.inputTokens + e.outputTokens })));
    const { perEntry, total } = expectedUsd(r);
    expect(entries.map((e) => e.usd)).toEqual(perEntry);
    expect(r.spend.usd).toBe(total);
    expect(r.spend.usd).toBeGreaterThan(0);
  });

  it('is deterministic: same seed, same trace', async () => {
    await expectDeterministic((seed) => loop(mode, { seed }), 3);
  });
});

describe('the wire format', () => {
  it('a response object: message and function_call output items, usage, echoed instructions; the SDK computes output_text', async () => {
    const r = await run(firstResponse(), { models: { [MODEL]: scripted([TEXT_AND_CALL]) } });
    expect(r.outcome, r.message).toBe('ok');
    const response = r.value;
    expect(response).toMatchObject({
      id: expect.stringMatching(/^resp_/),
      object: 'response',
      status: 'completed',
      model: MODEL,
      instructions: INSTRUCTIONS,
      error: null,
    });
    expect(response?.output).toEqual([
      {
        type: 'message',
        id: expect.stringMatching(/^msg_/),
        status: 'completed',
        role: 'assistant',
        content: [{ type: 'output_text', text: TEXT_AND_CALL.text, annotations: [], logprobs: [] }],
      },
      {
        type: 'function_call',
        id: expect.stringMatching(/^fc_/),
        status: 'completed',
        call_id: expect.stringMatching(/^call_/),
        name: 'weather',
        arguments: '{"city":"Paris"}',
      },
    ]);
    expect(response?.output_text).toBe(TEXT_AND_CALL.text);
    const entry = r.spend.entries[0];
    expect(response?.usage).toMatchObject({
      input_tokens: entry?.inputTokens,
      output_tokens: entry?.outputTokens,
      total_tokens: (entry?.inputTokens ?? 0) + (entry?.outputTokens ?? 0),
    });
    expect(response?.created_at).toBe(Math.floor(Date.UTC(2025, 0, 1) / 1000) + Math.floor((llmSpans(r)[0]?.end ?? 0) / 1000));
  });

  it('stream events: numbered in order, from response.created to response.completed, with the items built up by deltas', async () => {
    const r = await run(rawEvents, { models: { [MODEL]: scripted([TEXT_AND_CALL]) } });
    expect(r.outcome, r.message).toBe('ok');
    const events = r.value ?? [];
    expect(events.map((e) => e.sequence_number)).toEqual(range(0, events.length));
    const types = events.map((e) => e.type).filter((t, i, all) => t !== all[i - 1]);
    expect(types).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    const text = events.flatMap((e) => (e.type === 'response.output_text.delta' ? [e.delta] : [])).join('');
    expect(text).toBe(TEXT_AND_CALL.text);
    const added = events.find((e) => e.type === 'response.output_item.added' && e.item.type === 'function_call');
    expect(added).toMatchObject({ output_index: 1, item: { type: 'function_call', call_id: expect.stringMatching(/^call_/), name: 'weather', arguments: '' } });
    const args = events.flatMap((e) => (e.type === 'response.function_call_arguments.delta' ? [e.delta] : [])).join('');
    expect(args).toBe('{"city":"Paris"}');
    const completed = events.at(-1);
    expect(completed?.type === 'response.completed' && completed.response.usage?.output_tokens).toBe(r.spend.entries[0]?.outputTokens);
  });

  it('input items become the conversation the brain sees: string input, messages with parts, function calls and their outputs, instructions and developer messages', async () => {
    const seen: Conversation[] = [];
    const brain = rules((conversation) => {
      seen.push(conversation);
      return 'noted';
    });
    const r = await run(
      async (world) => {
        const client = new OpenAI({ apiKey: 'sk-test', fetch: world.fetch });
        await client.responses.create({ model: MODEL, input: 'just a string' });
        await client.responses.create({
          model: MODEL,
          instructions: INSTRUCTIONS,
          tools: toolsOf(world),
          max_output_tokens: 300,
          input: [
            { role: 'developer', content: 'Answer in English.' },
            {
              type: 'message',
              role: 'user',
              content: [
                { type: 'input_text', text: 'Weather in ' },
                { type: 'input_text', text: 'Paris?' },
              ],
            },
            { type: 'function_call', call_id: 'call_abc', name: 'weather', arguments: '{"city":"Paris"}' },
            { type: 'function_call_output', call_id: 'call_abc', output: '{"tempC":21}' },
          ],
        });
      },
      { models: { [MODEL]: brain } },
    );
    expect(r.outcome, r.message).toBe('ok');
    expect(seen[0]).toMatchObject({ api: 'openai.responses', system: '', messages: [{ role: 'user', content: 'just a string' }], tools: [] });
    expect(seen[1]).toMatchObject({
      system: `${INSTRUCTIONS}\n\nAnswer in English.`,
      maxTokens: 300,
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: '', toolCalls: [{ id: 'call_abc', name: 'weather', arguments: { city: 'Paris' }, rawArguments: '{"city":"Paris"}' }] },
        { role: 'tool', toolCallId: 'call_abc', content: '{"tempC":21}' },
      ],
      tools: [{ name: 'weather', description: 'Current weather for a city', parameters: expect.objectContaining({ type: 'object' }) }],
    });
  });

  it('refuses what the real API refuses: an unknown previous_response_id, an output for no call, a call without output', async () => {
    const r = await run(async (world) => {
      const client = new OpenAI({ apiKey: 'sk-test', fetch: world.fetch });
      const attempts: Array<Record<string, unknown>> = [
        { model: MODEL, input: 'hi', previous_response_id: 'resp_missing' },
        { model: MODEL, input: [{ type: 'function_call_output', call_id: 'call_nope', output: '{}' }] },
        { model: MODEL, input: [{ type: 'function_call', call_id: 'call_1', name: 'weather', arguments: '{}' }] },
      ];
      const errors = [];
      for (const body of attempts) {
        try {
          await client.responses.create(body as never);
        } catch (error) {
          if (!(error instanceof OpenAI.BadRequestError)) throw error;
          errors.push({ status: error.status, param: error.param, code: error.code, message: error.message });
        }
      }
      return errors;
    });
    expect(r.value).toEqual([
      { status: 400, param: 'previous_response_id', code: 'previous_response_not_found', message: "400 Previous response with id 'resp_missing' not found." },
      { status: 400, param: 'input', code: null, message: '400 No tool call found for function call output with call_id call_nope.' },
      { status: 400, param: 'input', code: null, message: '400 No tool output found for function call call_1.' },
    ]);
    expect(r.spend.calls).toBe(0);
  });
});

describe('provider errors and retries', () => {
  it('429: the client waits exactly the retry-after in virtual time, then succeeds', async () => {
    const r = await loop('create', { faults: [{ target: 'llm:*', kind: 'rate-limit', when: { calls: [0] }, params: { retryAfterMs: 2000 } }] });
    expect(r.outcome, r.message).toBe('ok');
    expect(r.value?.text).toBe(ANSWER);
    const fetches = fetchSpans(r);
    expect(fetches.map((s) => s.data.status)).toEqual([429, 200, 200]);
    expect(gaps(fetches)[0]).toBe(2000);
    expect(llmSpans(r).map((s) => s.outcome)).toEqual(['fault', 'ok', 'ok']);
    expect(r.spend.calls).toBe(2);
  });

  it('429 without retries: a RateLimitError with the OpenAI error body', async () => {
    const r = await run(weatherAgent('stream', { maxRetries: 0 }), { faults: [{ target: 'llm:*', kind: 'rate-limit', params: { retryAfterMs: 1500 } }] });
    expect(r.error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(r.error).toMatchObject({ status: 429, type: 'requests', code: 'rate_limit_exceeded', param: null });
  });

  it('5xx: the client retries with its own backoff and succeeds', async () => {
    const r = await loop('stream', { faults: [{ target: 'llm:*', kind: 'server-error', when: { calls: [1] }, params: { status: 502 } }] });
    expect(r.outcome, r.message).toBe('ok');
    const fetches = fetchSpans(r);
    expect(fetches.map((s) => s.data.status)).toEqual([200, 502, 200]);
    expect(gaps(fetches)[1]).toBeGreaterThanOrEqual(375);
    expect(gaps(fetches)[1]).toBeLessThanOrEqual(500);
  });

  it('outage: APIConnectionError after the client used up its retries', async () => {
    const r = await loop('create', { faults: [{ target: 'llm:*', kind: 'outage' }] });
    expect(r.outcome).toBe('threw');
    expect(r.error).toBeInstanceOf(OpenAI.APIConnectionError);
    expect(r.error).toMatchObject({ cause: { cause: { code: 'ECONNREFUSED' } } });
    expect(fetchSpans(r).map((s) => s.outcome)).toEqual(['error', 'error', 'error']);
  });

  it('hang with timeout 5000: the SDK times out in virtual time, three times, then throws APIConnectionTimeoutError', async () => {
    const r = await run(weatherAgent('stream', { timeout: 5000 }), { faults: [{ target: 'llm:*', kind: 'hang' }] });
    expect(r.outcome).toBe('threw');
    expect(r.error).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    expect(fetchSpans(r).map((s) => [s.outcome, (s.end ?? 0) - s.start])).toEqual([
      ['aborted', 5000],
      ['aborted', 5000],
      ['aborted', 5000],
    ]);
    expect(r.virtualTimeMs).toBeGreaterThanOrEqual(15_000 + 1_125);
    expect(r.virtualTimeMs).toBeLessThanOrEqual(15_000 + 1_500);
  });

  it('unknown model: a 404 NotFoundError with code model_not_found, not retried', async () => {
    const r = await run(async (world) => new OpenAI({ apiKey: 'sk-test', fetch: world.fetch }).responses.create({ model: 'gpt-5-imaginary', input: 'hi' }));
    expect(r.error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(r.error).toMatchObject({ status: 404, type: 'invalid_request_error', code: 'model_not_found' });
    expect(fetchSpans(r)).toHaveLength(1);
  });
});

describe('streams under faults', () => {
  it('stream-stall: the stream pauses for exactly stallMs of virtual time, and the agent still gets its answer', async () => {
    const stall = { target: 'llm:*', kind: 'stream-stall', when: { calls: [0] }, params: { afterChunks: 0, stallMs: 45_000 } } as const;
    const calm = await loop('stream', { seed: 9 });
    const stalled = await loop('stream', { seed: 9, faults: [stall] });
    expect(stalled.outcome, stalled.message).toBe('ok');
    expect(stalled.value?.text).toBe(ANSWER);
    expect(stalled.virtualTimeMs - calm.virtualTimeMs).toBe(45_000);
    expect(marks(stalled, 'stream.stall')).toEqual([{ afterChunks: 0, stallMs: 45_000 }]);
  });

  it('stream-cut (error): the connection drops mid-stream and the streaming agent fails', async () => {
    const r = await loop('stream', { faults: [{ target: 'llm:*', kind: 'stream-cut', params: { afterChunks: 0, mode: 'error' } }] });
    expect(r.outcome).toBe('threw');
    expect(String(r.error)).toContain('terminated');
  });

  it('stream-cut (close): the stream ends before response.completed, and the agent sees an incomplete response', async () => {
    const cut = [{ target: 'llm:*', kind: 'stream-cut', params: { afterChunks: 0, mode: 'close' } }] as const;
    const raw = await run(rawEvents, { faults: cut });
    expect(raw.outcome, raw.message).toBe('ok');
    expect(raw.value?.map((e) => e.type)).not.toContain('response.completed');
    expect(raw.value).toHaveLength(3);
    // The SDK's helper hands back what it accumulated: a response still in progress, its call's arguments partial.
    const helper = await run(firstResponse('stream'), { faults: cut });
    expect(helper.outcome, helper.message).toBe('ok');
    expect(helper.value?.status).toBe('in_progress');
    expect(helper.value?.usage).toBeNull();
  });

  it('truncate on a stream: the connection drops after that share of the events', async () => {
    const r = await run(rawEvents, { faults: [{ target: 'llm:*', kind: 'truncate', params: { keepFraction: 0.5 } }] });
    expect(r.outcome).toBe('threw');
    expect(String(r.error)).toContain('terminated');
  });
});

describe('answers damaged by faults', () => {
  it('truncate: the body ends mid-JSON and the non-streaming call fails', async () => {
    const r = await loop('create', { faults: [{ target: 'llm:*', kind: 'truncate' }] });
    expect(r.outcome).toBe('threw');
    expect(String(r.error)).toContain('terminated');
    expect(fetchSpans(r).map((s) => s.data.status)).toEqual([200]);
  });

  it.each<Mode>(['create', 'stream'])('malformed (%s): the function call arguments reach the agent unparseable', async (mode) => {
    const r = await run(
      async (world) => {
        const response = await firstResponse(mode)(world);
        return response.output.flatMap((item) => (item.type === 'function_call' ? [item.arguments] : []))[0];
      },
      { faults: [{ target: 'llm:*', kind: 'malformed', params: { mode: 'truncated-json' } }] },
    );
    expect(r.outcome, r.message).toBe('ok');
    const raw = r.value ?? '';
    expect('{"city":"Paris"}'.startsWith(raw)).toBe(true);
    expect(() => JSON.parse(raw)).toThrow(SyntaxError);
  });

  it('empty: a completed response with an empty message and no calls', async () => {
    const r = await run(firstResponse(), { faults: [{ target: 'llm:*', kind: 'empty' }] });
    expect(r.outcome, r.message).toBe('ok');
    expect(r.value?.status).toBe('completed');
    expect(r.value?.output_text).toBe('');
    expect(r.value?.output.map((item) => item.type)).toEqual(['message']);
  });

  it('off-schema: a 200 without `output`, which the SDK itself trips over', async () => {
    const direct = await run(
      async (world) => {
        const response = await world.fetch('https://api.openai.com/v1/responses', { method: 'POST', body: JSON.stringify({ model: MODEL, input: 'hi' }) });
        return { status: response.status, body: (await response.json()) as Record<string, unknown> };
      },
      { faults: [{ target: 'llm:*', kind: 'off-schema' }] },
    );
    expect(direct.value?.status).toBe(200);
    expect(direct.value?.body).toMatchObject({ object: 'response', status: 'completed' });
    expect(direct.value?.body).not.toHaveProperty('output');
    for (const mode of ['create', 'stream'] as const) {
      const r = await loop(mode, { faults: [{ target: 'llm:*', kind: 'off-schema' }] });
      expect(r.outcome).toBe('threw');
    }
  });

  it('corrupt: the wrong fact reaches the agent and the trace carries a taint mark', async () => {
    const original = 'Invoice 4417 is due on 2025-03-01 for 1200 USD.';
    const r = await run(async (world) => (await firstResponse()(world)).output_text, {
      models: { [MODEL]: scripted([original]) },
      faults: [{ target: 'llm:*', kind: 'corrupt', params: { fact: 'number' } }],
    });
    expect(r.outcome, r.message).toBe('ok');
    const [taint] = marks(r, 'taint');
    expect(taint).toMatchObject({ target: 'llm', where: 'text', fact: 'number' });
    expect(r.value).not.toBe(original);
    expect(r.value).toContain(String(taint?.corrupted));
  });

  it('corrupt in a tool call: the agent calls the tool with the wrong argument', async () => {
    const r = await loop('create', {
      models: {
        [MODEL]: rules((c) =>
          c.messages.at(-1)?.role === 'tool' ? `Done: ${c.messages.at(-1)?.content}` : { toolCalls: [{ name: 'weather', arguments: { city: 'Paris' } }] },
        ),
      },
      faults: [{ target: 'llm:*', kind: 'corrupt', when: { calls: [0] }, params: { fact: 'name' } }],
    });
    const [taint] = marks(r, 'taint');
    expect(taint).toMatchObject({ where: 'tool:weather', original: 'Paris' });
    expect(r.value?.text).toContain(String(taint?.corrupted));
  });

  it('version-skew: the `model` field changes after when.afterMs', async () => {
    const r = await run(
      async (world) => {
        const client = new OpenAI({ apiKey: 'sk-test', fetch: world.fetch });
        const first = await client.responses.create({ model: MODEL, input: 'hi' });
        await world.sleep(20_000);
        const second = await client.responses.stream({ model: MODEL, input: 'hi' }).finalResponse();
        return [first.model, second.model];
      },
      {
        models: { [MODEL]: { brain: scripted(['hello']), version: 'gpt-4o-mini-2024-07-18', versions: { 'gpt-4o-mini-2025-06-01': scripted(['hi!']) } } },
        faults: [{ target: `llm:${MODEL}`, kind: 'version-skew', when: { afterMs: 10_000 }, params: { to: 'gpt-4o-mini-2025-06-01' } }],
      },
    );
    expect(r.outcome, r.message).toBe('ok');
    expect(r.value).toEqual(['gpt-4o-mini-2024-07-18', 'gpt-4o-mini-2025-06-01']);
  });
});

describe('determinism', () => {
  it('different seeds give different traces (latencies are drawn from the seed)', async () => {
    expect(await distinctTraces((seed) => loop('stream', { seed }), range(1, 6))).toBeGreaterThan(1);
  });

  it('same seed, same trace, under faults too', async () => {
    const faults = [
      { target: 'llm:*', kind: 'server-error', when: { calls: [0] } },
      { target: 'llm:*', kind: 'stream-stall', params: { stallMs: 1000 } },
    ] as const;
    await expectDeterministic((seed) => loop('stream', { seed, faults }), 12);
  });
});
