// Goal: stream faults count one unit on every API and act where they say: a boundary means the same
// content chunk on Chat Completions, Responses and Messages; a stall after the last chunk holds the
// closing events back; an in-stream provider error arrives in each provider's own shape; a body can
// stall after its head or stay open after its end. Each behaviour is shown failing a naive agent on
// the official SDK and passing a hardened one. Method: one-rule plans through world.fetch and the
// openai / @anthropic-ai/sdk clients, compared by trace marks, errors and virtual time; each run
// twice from one seed for the same trace.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { type FaultPlanInput, type RunResult, rules, scripted, simulate, type World } from '../../harness/index.ts';
import { distinctTraces, expectDeterministic, range } from '../helpers/determinism.ts';

const MODEL = 'gpt-4o-mini';
const ANSWER = 'The quick brown fox jumps over the lazy dog, again and again and again.'; // 72 characters: 5 content chunks
const llm = { models: { [MODEL]: rules(() => ANSWER) } };
const faultMarks = (r: RunResult) => r.trace.filter((e) => e.type === 'mark' && e.name === 'fault');

const toolReply = { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] }; // '{"city":"Paris"}': 1 content chunk
const streamed: Record<string, [string, unknown]> = {
  chat: [
    'https://api.openai.com/v1/chat/completions',
    {
      model: MODEL,
      stream: true,
      messages: [{ role: 'user', content: 'x' }],
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }],
    },
  ],
  responses: [
    'https://api.openai.com/v1/responses',
    { model: MODEL, stream: true, input: 'x', tools: [{ type: 'function', name: 'get_weather', parameters: { type: 'object' } }] },
  ],
  messages: [
    'https://api.anthropic.com/v1/messages',
    {
      model: MODEL,
      max_tokens: 100,
      stream: true,
      messages: [{ role: 'user', content: 'x' }],
      tools: [{ name: 'get_weather', input_schema: { type: 'object' } }],
    },
  ],
};

async function rawStream(api: string, faults: FaultPlanInput) {
  const [url, body] = streamed[api] as [string, unknown];
  return simulate(async (world) => (await world.fetch(url, { method: 'POST', body: JSON.stringify(body) })).text(), {
    seed: 1,
    llm: { models: { [MODEL]: scripted([toolReply]) } },
    faults,
  });
}

const CLOSING = /\[DONE\]|response\.completed|message_stop/;

describe('one content-chunk unit on every API', () => {
  it('cuts all three APIs at the same boundary, and marks only the cuts that happened', async () => {
    for (const api of Object.keys(streamed)) {
      // The tool call's arguments are one content chunk; headers and Anthropic's empty first partial_json are framing.
      const atLast = await rawStream(api, [{ target: 'llm:*', kind: 'stream-cut', params: { afterChunks: 1 } }]);
      expect(atLast.value, api).toContain('Paris');
      expect(atLast.value, `${api} lost its closing events`).not.toMatch(CLOSING);
      expect(faultMarks(atLast)).toHaveLength(1);
      const beyond = await rawStream(api, [{ target: 'llm:*', kind: 'stream-cut', params: { afterChunks: 2 } }]);
      expect(beyond.value, api).toMatch(CLOSING);
      expect(faultMarks(beyond), `${api}: a cut the stream never reached is not a fault`).toHaveLength(0);
      expect(beyond.coverage.rules[0]).toMatchObject({ fired: 1, changed: 0, noEffect: ['the stream has only 1 content chunks'] });
    }
  });

  it('cuts inside the tool call’s arguments at the same argument chunk on every API (within: arguments)', async () => {
    const reply = { text: 'Let me check the weather for you.', toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris', days: 3, units: 'metric' } }] };
    for (const api of Object.keys(streamed)) {
      const [url, body] = streamed[api] as [string, unknown];
      const r = await simulate(async (world) => (await world.fetch(url, { method: 'POST', body: JSON.stringify(body) })).text(), {
        seed: 1,
        llm: { models: { [MODEL]: scripted([reply]) } },
        faults: [{ target: 'llm:*', kind: 'stream-cut', params: { afterChunks: 1, within: 'arguments' } }],
      });
      const sse = String(r.value);
      // The text (three chunks) arrived whole; of the arguments only their first chunk did.
      expect(sse, api).toContain(' weather for you');
      expect(sse, api).toContain('{\\"city\\":\\"Paris\\",');
      expect(sse, api).not.toContain('metric');
      const mark = faultMarks(r)[0];
      expect(mark?.type === 'mark' ? mark.data : undefined).toMatchObject({ afterChunks: 1, within: 'arguments' });
    }
  });

  it('stalls before the closing events when placed after the last chunk, so an SDK iterator waits', async () => {
    const finishedAt = async (afterChunks: number) => {
      const r = await simulate(
        async (world: World) => {
          const client = new OpenAI({ apiKey: 'sk-sim', fetch: world.fetch });
          const stream = await client.chat.completions.create({ model: MODEL, stream: true, messages: [{ role: 'user', content: 'hi' }] });
          for await (const _ of stream) {
            // read to the end
          }
          return world.now();
        },
        { seed: 7, llm, faults: [{ target: 'llm:*', kind: 'stream-stall', params: { afterChunks, stallMs: 3_600_000 } }] },
      );
      return { t: r.value as number, marks: faultMarks(r).length };
    };
    const clean = await finishedAt(6);
    expect(clean.marks).toBe(0);
    expect((await finishedAt(5)).t).toBe(clean.t + 3_600_000);
    expect((await finishedAt(4)).t).toBe(clean.t + 3_600_000);
    expect((await finishedAt(5)).marks).toBe(1);
  });

  it('is deterministic per seed, and other seeds give other timings', async () => {
    const run = (seed: number) =>
      simulate(async (world) => (await world.fetch(streamed.chat?.[0] as string, { method: 'POST', body: JSON.stringify(streamed.chat?.[1]) })).text(), {
        seed,
        llm,
        faults: [{ target: 'llm:*', kind: 'stream-stall', params: { afterChunks: 1, stallMs: 500 } }],
      });
    await expectDeterministic(run, 3);
    expect(await distinctTraces(run, range(1, 5))).toBeGreaterThan(1);
  });
});

/** Asks once; a hardened agent retries an in-stream overload, which the SDKs do not. */
function anthropicAgent(hardened: boolean) {
  return async (world: World): Promise<string> => {
    const client = new Anthropic({ apiKey: 'sk-ant-sim', fetch: world.fetch });
    for (let attempt = 0; ; attempt++) {
      try {
        const m = await client.messages.stream({ model: MODEL, max_tokens: 200, messages: [{ role: 'user', content: 'hi' }] }).finalMessage();
        return m.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
      } catch (error) {
        const overloaded = error instanceof Anthropic.APIError && (error.error as { error?: { type?: string } })?.error?.type === 'overloaded_error';
        if (!hardened || !overloaded || attempt >= 2) throw error;
        await world.sleep(1_000 * 2 ** attempt);
      }
    }
  };
}

function responsesAgent(hardened: boolean) {
  return async (world: World): Promise<string> => {
    const client = new OpenAI({ apiKey: 'sk-sim', fetch: world.fetch });
    for (let attempt = 0; ; attempt++) {
      try {
        return (await client.responses.stream({ model: MODEL, input: 'hi' }).finalResponse()).output_text;
      } catch (error) {
        const overloaded = error instanceof OpenAI.APIError && error.code === 'server_is_overloaded';
        if (!hardened || !overloaded || attempt >= 2) throw error;
        await world.sleep(1_000 * 2 ** attempt);
      }
    }
  };
}

function chatAgent(hardened: boolean) {
  return async (world: World): Promise<string> => {
    const client = new OpenAI({ apiKey: 'sk-sim', fetch: world.fetch });
    for (let attempt = 0; ; attempt++) {
      try {
        let text = '';
        const stream = await client.chat.completions.create({ model: MODEL, stream: true, messages: [{ role: 'user', content: 'hi' }] });
        for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
        return text;
      } catch (error) {
        if (!hardened || !(error instanceof OpenAI.APIError) || error.status !== undefined || attempt >= 2) throw error;
        await world.sleep(1_000 * 2 ** attempt);
      }
    }
  };
}

describe('stream-error: the provider’s error inside a 200 stream', () => {
  const once: FaultPlanInput = [{ target: 'llm:*', kind: 'stream-error', when: { calls: [0] }, params: { afterChunks: 2 } }];

  it('fails a naive Anthropic agent with the SDK’s APIError carrying overloaded_error, and a retrying one answers', async () => {
    const naive = await simulate(anthropicAgent(false), { seed: 2, llm, faults: once });
    expect(naive.outcome).toBe('threw');
    expect(naive.error).toBeInstanceOf(Anthropic.APIError);
    expect((naive.error as InstanceType<typeof Anthropic.APIError>).error).toEqual({
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded' },
    });
    // HTTP 200: the SDK's own retries never saw a status to retry.
    expect(naive.trace.some((e) => e.type === 'span.end' && e.data?.status === 200)).toBe(true);
    const hardened = await expectDeterministic((seed) => simulate(anthropicAgent(true), { seed, llm, faults: once }), 2);
    expect(hardened.value).toBe(ANSWER);
  });

  it('sends Responses an error event (or response.failed), and Chat Completions a final error object', async () => {
    const naive = await simulate(responsesAgent(false), { seed: 2, llm, faults: once });
    expect(naive.error).toBeInstanceOf(OpenAI.APIError);
    expect(naive.error).toMatchObject({ code: 'server_is_overloaded', type: 'service_unavailable_error', status: undefined });
    expect((await simulate(responsesAgent(true), { seed: 2, llm, faults: once })).value).toBe(ANSWER);

    const failed = await rawStream('responses', [{ target: 'llm:*', kind: 'stream-error', params: { error: 'server', form: 'response.failed' } }]);
    expect(failed.value).toMatch(
      /event: response\.failed\ndata: \{"type":"response\.failed","sequence_number":\d+,"response":\{[^\n]*"status":"failed"[^\n]*"error":\{"code":"server_error"/,
    );
    expect(failed.value).not.toContain('response.completed');

    const chat = await simulate(chatAgent(false), { seed: 2, llm, faults: once });
    expect(chat.error).toBeInstanceOf(OpenAI.APIError);
    expect((chat.error as Error).message).toContain('Our servers are currently overloaded');
    expect((await simulate(chatAgent(true), { seed: 2, llm, faults: once })).value).toBe(ANSWER);
    const raw = await rawStream('chat', [{ target: 'llm:*', kind: 'stream-error', params: { error: 'server' } }]);
    expect(raw.value).toMatch(
      /data: \{"error":\{"message":"The server had an error while processing your request\. Sorry about that!","type":"server_error","param":null,"code":null\}\}\n\n$/,
    );
    expect(raw.value).not.toContain('[DONE]');
  });
});

describe('body-stall and held-open: a body that stops after its head, or never ends', () => {
  it('body-stall hangs a naive OpenAI call (the SDK timeout stops at the head); an agent with its own deadline retries', async () => {
    const ask = (deadline: boolean) => async (world: World) => {
      const client = new OpenAI({ apiKey: 'sk-sim', fetch: world.fetch, maxRetries: 0 });
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          const c = await client.chat.completions.create(
            { model: MODEL, messages: [{ role: 'user', content: 'hi' }] },
            deadline ? { signal: AbortSignal.timeout(30_000) } : {},
          );
          return c.choices[0]?.message.content;
        } catch (error) {
          if (!deadline) throw error;
        }
      }
      return 'gave up';
    };
    const faults: FaultPlanInput = [{ target: 'llm:*', kind: 'body-stall', when: { calls: [0] } }];
    const naive = await simulate(ask(false), { seed: 1, llm, faults, limits: { virtualTimeMs: 3_600_000 } });
    expect(naive.outcome).not.toBe('ok');
    const hardened = await simulate(ask(true), { seed: 1, llm, faults });
    expect(hardened.value).toBe(ANSWER);
    expect(faultMarks(hardened)).toHaveLength(1);
  });

  it('held-open keeps a naive `for await` waiting after [DONE]; an agent that stops at the finish reason answers', async () => {
    const read = (stopAtFinish: boolean) => async (world: World) => {
      const client = new OpenAI({ apiKey: 'sk-sim', fetch: world.fetch });
      const stream = await client.chat.completions.create({ model: MODEL, stream: true, messages: [{ role: 'user', content: 'hi' }] });
      let text = '';
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? '';
        if (stopAtFinish && chunk.choices[0]?.finish_reason != null) break;
      }
      return { text, at: world.now() };
    };
    const faults: FaultPlanInput = [{ target: 'llm:*', kind: 'held-open' }];
    const naive = await simulate(read(false), { seed: 1, llm, faults, limits: { virtualTimeMs: 3_600_000 } });
    expect(naive.outcome).not.toBe('ok');
    const hardened = await simulate(read(true), { seed: 1, llm, faults });
    expect(hardened.value).toMatchObject({ text: ANSWER });
    // The hardened agent stopped reading before the end of the body, so the body never got to be held open.
    expect(faultMarks(hardened)).toHaveLength(0);
    const timed = await simulate(read(false), { seed: 1, llm, faults: [{ target: 'llm:*', kind: 'held-open', params: { holdMs: 90_000 } }] });
    const clean = await simulate(read(false), { seed: 1, llm });
    expect((timed.value as { at: number }).at).toBe((clean.value as { at: number }).at + 90_000);
  });
});
