// Goal: the official @anthropic-ai/sdk runs unmodified against simulated models, on the wire format it expects, under every LLM fault. Method: a real tool-using agent (create, stream helper, raw event iteration) over world.fetch in seeded runs, asserting on what the agent sees, the wire bodies, the trace's virtual times and the spend ledger.
import Anthropic from '@anthropic-ai/sdk';
import { getResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { anthropicRoutes } from '../../adapters/anthropic/index.ts';
import { type Conversation, type FaultPlanInput, isFaultlineError, type RunResult, rules, simulate, spansOf, type World } from '../../harness/index.ts';
import type { LlmService } from '../../harness/world/llm/llmService.ts';
import { distinctTraces, expectDeterministic, range } from '../helpers/determinism.ts';
import { MODEL, type Mode, runWeather, SYSTEM, type Transcript, weather, weatherBrain } from './anthropicAgent.ts';

const URL = 'https://api.anthropic.com/v1/messages';
const MODES: readonly Mode[] = ['create', 'stream', 'iterate'];

const fetchSpans = (r: RunResult) => spansOf(r.trace).filter((s) => s.kind === 'fetch');
const marks = (r: RunResult, name: string) => r.trace.filter((e) => e.type === 'mark' && e.name === name);
const valueOfRun = (r: RunResult<Transcript>): Transcript => {
  expect(r.outcome, r.message).toBe('ok');
  return r.value as Transcript;
};

/** Runs `agent` with the weather model and tool, returning what it returned. */
function runRaw<T>(agent: (world: World) => Promise<T>, faults: FaultPlanInput = []) {
  return simulate(agent, { seed: 4, llm: { models: { [MODEL]: weatherBrain() } }, tools: [weather], faults });
}

const request = {
  model: MODEL,
  max_tokens: 256,
  messages: [{ role: 'user', content: 'Weather in Paris?' }],
  tools: [{ name: 'weather', description: 'Weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }],
};

describe('a tool-using agent on the Anthropic SDK', () => {
  for (const mode of MODES) {
    it(`calls the tool, sends its result back and gets the answer (${mode})`, async () => {
      const seen: Conversation[] = [];
      const r = await runWeather(mode, { seen });
      const t = valueOfRun(r);
      expect(t.text).toBe('It is 21°C in Paris.');
      expect(t.stopReasons).toEqual(['tool_use', 'end_turn']);
      expect(t.inputs).toEqual([{ city: 'Paris' }]);
      expect(t.models).toEqual([MODEL, MODEL]);
      expect(fetchSpans(r).map((s) => s.data.status)).toEqual([200, 200]);
      // The second request, as the brain saw it: system blocks, the assistant's tool_use, the tool_result.
      const second = seen[1] as Conversation;
      expect(second.system).toBe(SYSTEM);
      expect(second.tools.map((tool) => tool.name)).toEqual(['weather']);
      expect(second.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool']);
      const call = second.messages[1]?.toolCalls?.[0];
      expect(call?.id).toMatch(/^toolu_[0-9a-z]{24}$/);
      expect(call?.arguments).toEqual({ city: 'Paris' });
      expect(second.messages[2]).toMatchObject({ toolCallId: call?.id, isError: false, content: '{"city":"Paris","tempC":21,"sunny":true}' });
    });

    it(`reports usage equal to the run's ledger, priced from the table (${mode})`, async () => {
      const r = await runWeather(mode);
      const t = valueOfRun(r);
      expect(t.usage).toEqual(r.spend.entries.map((e) => ({ input: e.inputTokens, output: e.outputTokens })));
      // claude-sonnet-4-6 is priced as claude-sonnet-4: $3 in, $15 out per million tokens.
      const priced = r.spend.entries.map((e) => Math.round(((e.inputTokens * 3 + e.outputTokens * 15) / 1e6) * 1e8) / 1e8);
      expect(r.spend.entries.map((e) => e.usd)).toEqual(priced);
      expect(r.spend.usd).toBeCloseTo(
        priced.reduce((a, b) => a + b, 0),
        10,
      );
      expect(r.spend.calls).toBe(2);
    });
  }

  it('is deterministic for a seed, and other seeds draw other latencies', async () => {
    for (const mode of ['create', 'stream'] as const) {
      const run = (seed: number) => runWeather(mode, { seed });
      await expectDeterministic(run, 7);
      expect(await distinctTraces(run, range(1, 4))).toBe(4);
    }
  });
});

describe('the wire format', () => {
  it('answers with a Message: ids, content blocks, stop reason, usage and a request-id', async () => {
    const r = await runRaw(async (world) => {
      const response = await world.fetch(URL, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) });
      return {
        status: response.status,
        type: response.headers.get('content-type'),
        requestId: response.headers.get('request-id'),
        body: await response.json(),
      };
    });
    expect(r.outcome, r.message).toBe('ok');
    const { body, ...head } = r.value as { status: number; type: string; requestId: string; body: Record<string, unknown> };
    expect(head).toMatchObject({ status: 200, type: 'application/json', requestId: expect.stringMatching(/^req_/) });
    expect(body).toEqual({
      id: expect.stringMatching(/^msg_[0-9a-z]{24}$/),
      type: 'message',
      role: 'assistant',
      model: MODEL,
      content: [
        { type: 'text', text: 'Let me check.' },
        { type: 'tool_use', id: expect.stringMatching(/^toolu_/), name: 'weather', input: { city: 'Paris' } },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: {
        input_tokens: r.spend.inputTokens,
        output_tokens: r.spend.outputTokens,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        service_tier: 'standard',
      },
    });
  });

  it('streams named events: message_start, blocks with text and partial_json deltas, ping, message_delta, message_stop', async () => {
    const r = await runRaw(async (world) => {
      const response = await world.fetch(URL, { method: 'POST', body: JSON.stringify({ ...request, stream: true }) });
      return { type: response.headers.get('content-type'), text: await response.text() };
    });
    expect(r.outcome, r.message).toBe('ok');
    const { type, text } = r.value as { type: string; text: string };
    expect(type).toMatch(/^text\/event-stream/);
    const events = text
      .trim()
      .split('\n\n')
      .map((raw) => {
        const [name, data] = raw.split('\n');
        // biome-ignore lint/suspicious/noExplicitAny: the test reads the provider's event payloads freely.
        return { name: name?.replace(/^event: /, ''), data: JSON.parse(data?.replace(/^data: /, '') ?? '') as Record<string, any> };
      });
    for (const e of events) expect(e.name).toBe(e.data.type);
    const names = events.map((e) => e.name).filter((n, i, all) => n !== 'content_block_delta' || all[i - 1] !== 'content_block_delta');
    expect(names).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const deltas = events.filter((e) => e.name === 'content_block_delta').map((e) => e.data.delta);
    expect(deltas.filter((d) => d.type === 'input_json_delta')[0]).toEqual({ type: 'input_json_delta', partial_json: '' });
    expect(
      deltas
        .filter((d) => d.type === 'input_json_delta')
        .map((d) => d.partial_json)
        .join(''),
    ).toBe('{"city":"Paris"}');
    expect(
      deltas
        .filter((d) => d.type === 'text_delta')
        .map((d) => d.text)
        .join(''),
    ).toBe('Let me check.');
    expect(events[0]?.data.message.usage.input_tokens).toBe(r.spend.inputTokens);
    expect(events.at(-2)?.data).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: { input_tokens: r.spend.inputTokens, output_tokens: r.spend.outputTokens },
    });
  });

  it('serves the beta client too (POST /v1/messages?beta=true)', async () => {
    const r = await runRaw(async (world) => {
      const client = new Anthropic({ apiKey: 'sk-ant-test', fetch: world.fetch });
      return client.beta.messages.create({ model: MODEL, max_tokens: 64, messages: [{ role: 'user', content: 'Weather in Paris?' }] });
    });
    expect(r.outcome, r.message).toBe('ok');
    expect(r.value).toMatchObject({ type: 'message', model: MODEL, stop_reason: 'tool_use' });
  });

  it('rejects a request without max_tokens with a 400 invalid_request_error, as the API does', async () => {
    const r = await runRaw(async (world) => {
      const client = new Anthropic({ apiKey: 'sk-ant-test', fetch: world.fetch });
      const { max_tokens: _dropped, ...rest } = request;
      return client.messages.create(rest as unknown as Anthropic.MessageCreateParamsNonStreaming);
    });
    expect(r.error).toBeInstanceOf(Anthropic.BadRequestError);
    expect(r.error).toMatchObject({ status: 400, type: 'invalid_request_error', apiMessage: expect.stringMatching(/^max_tokens: Field required/) });
  });

  it('refuses to answer outside a simulated run, saying how to use it', async () => {
    const handlers = anthropicRoutes({} as LlmService);
    const thrown = await getResponse(handlers, new Request(URL, { method: 'POST', body: JSON.stringify(request) })).catch((e: unknown) => e);
    expect(isFaultlineError(thrown)).toBe(true);
    expect((thrown as Error).message).toMatch(/outside a simulated run.*world\.fetch/);
  });
});

describe('provider errors and retries', () => {
  for (const [header, retryAfterMs] of [
    ['retry-after', 3000],
    ['retry-after-ms', 1234],
  ] as const) {
    it(`waits exactly the ${header} of a 429 in virtual time, then retries`, async () => {
      const r = await runWeather('create', {
        faults: [{ target: `llm:${MODEL}`, kind: 'rate-limit', when: { calls: [0] }, params: { retryAfterMs, header } }],
      });
      valueOfRun(r);
      const [limited, retried] = fetchSpans(r);
      expect([limited?.data.status, retried?.data.status]).toEqual([429, 200]);
      expect((retried?.start ?? 0) - (limited?.end ?? 0)).toBe(retryAfterMs);
    });
  }

  it('renders a 429 as a rate_limit_error with retry-after headers and a request-id', async () => {
    const r = await runWeather('create', {
      clientOptions: { maxRetries: 0 },
      faults: [{ target: 'llm:*', kind: 'rate-limit', params: { retryAfterMs: 2000, header: 'both' } }],
    });
    expect(r.error).toBeInstanceOf(Anthropic.RateLimitError);
    const error = r.error as InstanceType<typeof Anthropic.RateLimitError>;
    expect(error).toMatchObject({ status: 429, type: 'rate_limit_error', requestID: expect.stringMatching(/^req_/) });
    expect(error.error).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    expect([error.headers.get('retry-after'), error.headers.get('retry-after-ms')]).toEqual(['2', '2000']);
  });

  it('retries a 529 overloaded_error and a 503 api_error, then succeeds; only the answered calls are billed', async () => {
    const r = await runWeather('stream', {
      faults: [
        { target: `llm:${MODEL}`, kind: 'server-error', when: { calls: [0] }, params: { status: 529 } },
        { target: `llm:${MODEL}`, kind: 'server-error', when: { calls: [1] }, params: { status: 503 } },
      ],
    });
    expect(valueOfRun(r).text).toBe('It is 21°C in Paris.');
    expect(fetchSpans(r).map((s) => s.data.status)).toEqual([529, 503, 200, 200]);
    expect(r.spend.calls).toBe(2);
  });

  it('surfaces a 529 as overloaded_error once retries are spent', async () => {
    const r = await runWeather('create', { faults: [{ target: 'llm:*', kind: 'server-error', params: { status: 529 } }] });
    expect(r.error).toBeInstanceOf(Anthropic.InternalServerError);
    expect(r.error).toMatchObject({ status: 529, type: 'overloaded_error' });
    expect(fetchSpans(r)).toHaveLength(3);
  });

  it('turns an outage into an APIConnectionError after the SDK retries twice', async () => {
    const r = await runWeather('create', { faults: [{ target: 'llm:*', kind: 'outage', params: { mode: 'reset' } }] });
    expect(r.error).toBeInstanceOf(Anthropic.APIConnectionError);
    expect(r.error).not.toBeInstanceOf(Anthropic.APIConnectionTimeoutError);
    expect(fetchSpans(r).map((s) => s.outcome)).toEqual(['error', 'error', 'error']);
  });

  it("lets the SDK's own timeout fire on a hang, in virtual time", async () => {
    const r = await runWeather('create', { clientOptions: { timeout: 5000 }, faults: [{ target: 'llm:*', kind: 'hang' }] });
    expect(r.error).toBeInstanceOf(Anthropic.APIConnectionTimeoutError);
    const spans = fetchSpans(r);
    expect(spans.map((s) => s.outcome)).toEqual(['aborted', 'aborted', 'aborted']);
    expect(spans.map((s) => (s.end ?? 0) - s.start)).toEqual([5000, 5000, 5000]);
    expect(r.virtualTimeMs).toBeGreaterThan(15_000);
  });

  it('answers an unknown model with a 404 not_found_error, which the SDK does not retry', async () => {
    const r = await runWeather('create', { model: 'claude-opus-9' });
    expect(r.error).toBeInstanceOf(Anthropic.NotFoundError);
    expect(r.error).toMatchObject({ status: 404, type: 'not_found_error', apiMessage: 'model: claude-opus-9' });
    expect(fetchSpans(r)).toHaveLength(1);
    expect(r.problems.map((p) => p.kind)).toEqual(['unknown-model']);
  });
});

describe('damaged answers', () => {
  it('delays a stalled stream by exactly stallMs of virtual time', async () => {
    const baseline = await runWeather('stream', { seed: 3 });
    const stalled = await runWeather('stream', {
      seed: 3,
      faults: [{ target: 'llm:*', kind: 'stream-stall', when: { calls: [0] }, params: { afterChunks: 1, stallMs: 7000 } }],
    });
    expect(valueOfRun(stalled).text).toBe(valueOfRun(baseline).text);
    expect(stalled.virtualTimeMs - baseline.virtualTimeMs).toBe(7000);
    expect(marks(stalled, 'stream.stall')).toHaveLength(1);
  });

  it("fails the streaming agent when the stream is cut by a network error ('error')", async () => {
    for (const mode of ['stream', 'iterate'] as const) {
      const r = await runWeather(mode, { faults: [{ target: 'llm:*', kind: 'stream-cut', params: { afterChunks: 1, mode: 'error' } }] });
      expect(r.outcome).toBe('threw');
      expect(String(r.error)).toMatch(/terminated/);
      expect(marks(r, 'stream.cut')).toHaveLength(1);
    }
  });

  it("fails the stream helper when the stream ends early ('close'); a raw consumer gets a message with no stop reason", async () => {
    const fault = [{ target: 'llm:*', kind: 'stream-cut', params: { afterChunks: 1, mode: 'close' } }] as const;
    const helper = await runWeather('stream', { faults: fault });
    expect(helper.error).toBeInstanceOf(Anthropic.AnthropicError);
    expect((helper.error as Error).message).toMatch(/stream ended without producing a Message/);
    const raw = valueOfRun(await runWeather('iterate', { faults: fault }));
    expect(raw.stopReasons).toEqual([null]);
  });

  it('fails the non-streaming call when the body is truncated', async () => {
    const r = await runWeather('create', { faults: [{ target: 'llm:*', kind: 'truncate', params: { keepFraction: 0.5 } }] });
    expect(r.error).toBeInstanceOf(TypeError);
    expect((r.error as Error).message).toBe('terminated');
  });

  it('truncates a stream as a dropped connection part-way through its events', async () => {
    const r = await runWeather('stream', { faults: [{ target: 'llm:*', kind: 'truncate', params: { keepFraction: 0.5 } }] });
    expect(r.error).toBeInstanceOf(Anthropic.AnthropicError);
    expect((r.error as Error).message).toBe('terminated');
    expect(marks(r, 'stream.cut')).toHaveLength(1);
  });

  it("keeps a whole response's tool input an object under malformed, as the API parses it server-side", async () => {
    const input = async (mode: string) => {
      const r = await runRaw(
        async (world) => (await world.fetch(URL, { method: 'POST', body: JSON.stringify(request) })).json(),
        [{ target: 'llm:*', kind: 'malformed', params: { mode } } as FaultPlanInput[number]],
      );
      const body = r.value as { content: Array<{ type: string; input?: unknown }>; stop_reason: string };
      return { input: body.content.find((b) => b.type === 'tool_use')?.input, stop: body.stop_reason, marked: marks(r, 'fault').length };
    };
    // A cut keeps the fields that were complete ({} here) and ends with max_tokens, as a real cut does.
    expect(await input('truncated-json')).toEqual({ input: {}, stop: 'max_tokens', marked: 1 });
    expect(await input('wrong-type')).toEqual({ input: { city: ['Paris'] }, stop: 'tool_use', marked: 1 });
    expect(await input('empty-arguments')).toEqual({ input: {}, stop: 'tool_use', marked: 1 });
    // No whole Messages response carries unparsed or null input: the rule changes nothing and leaves no mark.
    expect(await input('not-json')).toEqual({ input: { city: 'Paris' }, stop: 'tool_use', marked: 0 });
    expect(await input('null-arguments')).toEqual({ input: { city: 'Paris' }, stop: 'tool_use', marked: 0 });
  });

  it('streams malformed tool input as broken partial_json: repaired, rejected or fatal depending on the consumer', async () => {
    const malformed = (mode: 'truncated-json' | 'not-json'): FaultPlanInput => [{ target: 'llm:*', kind: 'malformed', when: { calls: [0] }, params: { mode } }];
    // The SDK's partial-JSON parser completes a truncated object, and the cut ends with max_tokens,
    // so an agent that checks the stop reason stops instead of running the tool.
    const cut = valueOfRun(await runWeather('stream', { faults: malformed('truncated-json') }));
    expect(cut).toMatchObject({ inputs: [], stopReasons: ['max_tokens'] });
    // Text that is not JSON at all makes the SDK's stream fail when the block ends.
    const broken = await runWeather('stream', { faults: malformed('not-json') });
    expect(broken.error).toBeInstanceOf(Anthropic.AnthropicError);
    expect((broken.error as Error).cause).toBeInstanceOf(SyntaxError);
    // An agent that parses partial_json itself meets the SyntaxError directly.
    const raw = await runWeather('iterate', { faults: malformed('truncated-json') });
    expect(raw.error).toBeInstanceOf(SyntaxError);
  });

  it('answers an empty reply with content [] and end_turn', async () => {
    for (const mode of MODES) {
      const t = valueOfRun(await runWeather(mode, { faults: [{ target: 'llm:*', kind: 'empty' }] }));
      expect(t).toMatchObject({ text: '', stopReasons: ['end_turn'], inputs: [] });
    }
  });

  it('answers off-schema with a 200 that is not a Message, which breaks code that trusts the schema', async () => {
    const fault = [{ target: 'llm:*', kind: 'off-schema' }] as const;
    const body = await runRaw(async (world) => (await world.fetch(URL, { method: 'POST', body: JSON.stringify(request) })).json(), fault);
    expect(body.value).toMatchObject({ type: 'completion', completion: 'Let me check.' });
    expect(body.value).not.toHaveProperty('content');
    const created = await runWeather('create', { faults: fault });
    expect(created.error).toBeInstanceOf(TypeError);
    const streamed = await runWeather('stream', { faults: fault });
    expect((streamed.error as Error).message).toMatch(/request ended without sending any chunks/);
  });

  it('marks a corrupted tool argument as a taint in the trace, and the agent acts on it', async () => {
    const r = await runWeather('create', { faults: [{ target: 'llm:*', kind: 'corrupt', when: { calls: [0] }, params: { fact: 'name' } }] });
    const t = valueOfRun(r);
    const taints = marks(r, 'taint');
    expect(taints).toHaveLength(1);
    const taint = taints[0]?.type === 'mark' ? taints[0].data : undefined;
    expect(taint).toMatchObject({ where: 'tool:weather', path: 'city', original: 'Paris' });
    expect(t.inputs).toEqual([{ city: taint?.corrupted }]);
    expect(t.text).toBe(`It is 21°C in ${String(taint?.corrupted)}.`);
  });

  it("changes the response's model after when.afterMs on version skew", async () => {
    const next = `${MODEL}-20260601`;
    const fahrenheit = rules((c) =>
      c.messages.at(-1)?.role === 'tool' ? 'It is 70°F in Paris.' : { toolCalls: [{ name: 'weather', arguments: { city: 'Paris' } }] },
    );
    const r = await runWeather('stream', {
      models: { [MODEL]: { brain: weatherBrain(), versions: { [next]: fahrenheit } } },
      llm: { timing: { firstTokenMs: { kind: 'fixed', ms: 1500 } } },
      faults: [{ target: `llm:${MODEL}`, kind: 'version-skew', when: { afterMs: 1000 }, params: { to: next } }],
    });
    const t = valueOfRun(r);
    expect(t.models).toEqual([MODEL, next]);
    expect(t.text).toBe('It is 70°F in Paris.');
    expect(r.spend.entries.map((e) => e.model)).toEqual([MODEL, next]);
  });
});
