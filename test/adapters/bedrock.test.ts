// Goal: agents on Amazon Bedrock — @aws-sdk/client-bedrock-runtime, which speaks HTTP/2 and takes
// no fetch (global network mode), and @ai-sdk/amazon-bedrock over world.fetch — run unchanged
// against the simulated models through Converse and ConverseStream, with Bedrock's exceptions and
// the SDK's own retry strategy running in virtual time. Method: real agents in simulate();
// assertions read answers, decoded event-stream messages, spans (virtual times) and the ledger.
import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';
import { ServiceUnavailableException, ThrottlingException, ValidationException } from '@aws-sdk/client-bedrock-runtime';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { describe, expect, it } from 'vitest';
import { type FaultPlanInput, simulate, type World } from '../../harness/index.ts';
import { distinctTraces, expectDeterministic, range } from '../helpers/determinism.ts';
import { aiSdkAgent } from './aiSdkAgent.ts';
import { bedrockAgent, CLAUDE_ON_BEDROCK } from './bedrockAgent.ts';
import { ANSWER, expectedUsd, fetchSpans, gaps, llmSpans, marks, weather, weatherBrain } from './openaiFixtures.ts';

const HOST = 'https://bedrock-runtime.us-east-1.amazonaws.com';
const PROFILE = `us.${CLAUDE_ON_BEDROCK}`;

function go<T>(agent: (world: World) => Promise<T>, options: { seed?: number; faults?: FaultPlanInput; global?: boolean } = {}) {
  return simulate(agent, {
    seed: options.seed ?? 2,
    llm: { models: { [CLAUDE_ON_BEDROCK]: weatherBrain, [PROFILE]: weatherBrain } },
    tools: [weather],
    faults: options.faults ?? [],
    ...(options.global === false ? {} : { network: 'global' as const }),
  });
}

const aiBedrock = (world: World) =>
  createAmazonBedrock({ region: 'us-east-1', accessKeyId: 'AKIDSIMULATED', secretAccessKey: 'secret', fetch: world.fetch })(CLAUDE_ON_BEDROCK);

describe.each([false, true])('@aws-sdk/client-bedrock-runtime in global mode, a tool-using agent (ConverseStream: %s)', (stream) => {
  it('calls the tool with a toolUse block, sends the toolResult back and gets the answer, over HTTP/2', async () => {
    const r = await go(bedrockAgent(stream));
    expect(r.outcome, r.message).toBe('ok');
    expect(r.value).toEqual({ text: ANSWER, stopReasons: ['tool_use', 'end_turn'] });
    const path = `${HOST}/model/${encodeURIComponent(CLAUDE_ON_BEDROCK)}/${stream ? 'converse-stream' : 'converse'}`;
    expect(fetchSpans(r).map((s) => s.data.url)).toEqual([path, path]);
    expect(llmSpans(r).map((s) => [s.data.api, s.data.provider, s.data.model])).toEqual([
      ['bedrock.converse', 'bedrock', CLAUDE_ON_BEDROCK],
      ['bedrock.converse', 'bedrock', CLAUDE_ON_BEDROCK],
    ]);
    expect(r.spend.usd).toBe(expectedUsd(r, 'claude-3-5-haiku').total);
  });

  it('is deterministic, and other seeds time it differently', async () => {
    await expectDeterministic((seed) => go(bedrockAgent(stream), { seed }), 6);
    expect(await distinctTraces((seed) => go(bedrockAgent(stream), { seed }), range(1, 3))).toBe(3);
  });
});

describe('Bedrock’s shapes on the wire', () => {
  const converse = (world: World, operation: string, model = CLAUDE_ON_BEDROCK) =>
    world.fetch(`${HOST}/model/${encodeURIComponent(model)}/${operation}`, {
      method: 'POST',
      headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKIDSIMULATED/20250101/us-east-1/bedrock/aws4_request' },
      body: JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'Hi' }] }] }),
    });

  it('writes Converse JSON with sorted keys, and ConverseStream as event-stream messages with padded payloads', async () => {
    const r = await go(
      async (world) => {
        const whole = await converse(world, 'converse');
        const stream = await converse(world, 'converse-stream', PROFILE);
        return {
          whole: await whole.text(),
          requestId: whole.headers.get('x-amzn-requestid'),
          type: stream.headers.get('content-type'),
          bytes: new Uint8Array(await stream.arrayBuffer()),
        };
      },
      { global: false },
    );
    const v = r.value as { whole: string; requestId: string; type: string; bytes: Uint8Array };
    expect(v.whole).toMatch(
      /^\{"metrics":\{"latencyMs":\d+\},"output":\{"message":\{"content":\[\{"toolUse":\{"input":\{"city":"Paris"\},"name":"weather","toolUseId":"tooluse_[a-z0-9]+"\}\}\],"role":"assistant"\}\},"stopReason":"tool_use","usage":\{"inputTokens":\d+,"outputTokens":\d+,"totalTokens":\d+\}\}$/,
    );
    expect(v.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(v.type).toBe('application/vnd.amazon.eventstream');
    const codec = new EventStreamCodec(
      (b) => new TextDecoder().decode(b),
      (s) => new TextEncoder().encode(s),
    );
    const messages: Array<{ type: unknown; payload: Record<string, unknown> }> = [];
    for (let at = 0; at < v.bytes.length; ) {
      const length = new DataView(v.bytes.buffer, v.bytes.byteOffset + at).getUint32(0);
      const m = codec.decode(v.bytes.subarray(at, at + length));
      messages.push({ type: m.headers[':event-type']?.value, payload: JSON.parse(new TextDecoder().decode(m.body)) });
      at += length;
    }
    // The arguments, {"city":"Paris"}, are one 16-character chunk.
    expect(messages.map((m) => m.type)).toEqual(['messageStart', 'contentBlockStart', 'contentBlockDelta', 'contentBlockStop', 'messageStop', 'metadata']);
    const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
    for (const m of messages) expect(String(m.payload.p).length > 0 && alphabet.startsWith(String(m.payload.p))).toBe(true);
    expect(Object.keys(messages[0]?.payload ?? {})).toEqual(['p', 'role']);
    expect(messages[4]?.payload).toMatchObject({ stopReason: 'tool_use' });
  });

  it('refuses an unknown model id with a ValidationException, and a conversation that leaves a toolUse unanswered', async () => {
    const r = await go(async (world) => {
      const unknown = await bedrockAgent(false, { maxAttempts: 1 }, 'anthropic.claude-9-v1:0')(world).catch((e: Error) => e);
      const unanswered = await world.fetch(`${HOST}/model/${encodeURIComponent(CLAUDE_ON_BEDROCK)}/converse`, {
        method: 'POST',
        headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKIDSIMULATED/20250101/us-east-1/bedrock/aws4_request' },
        body: JSON.stringify({
          messages: [
            { role: 'user', content: [{ text: 'Weather?' }] },
            { role: 'assistant', content: [{ toolUse: { toolUseId: 'tooluse_1', name: 'weather', input: { city: 'Paris' } } }] },
            { role: 'user', content: [{ text: 'Well?' }] },
          ],
        }),
      });
      return { unknown, unanswered: [unanswered.status, unanswered.headers.get('x-amzn-errortype'), await unanswered.json()] };
    });
    expect(r.value?.unknown).toBeInstanceOf(ValidationException);
    expect((r.value?.unknown as Error | undefined)?.message).toBe('The provided model identifier is invalid.');
    expect(r.value?.unanswered).toEqual([
      400,
      'ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/',
      { message: 'Expected toolResult blocks at messages.2.content for the following Ids: tooluse_1' },
    ]);
  });
});

describe('faults on Bedrock, and the SDK’s own retry strategy in virtual time', () => {
  it('a ThrottlingException is retried with the SDK’s jittered backoff (base 1 s, doubling), up to three attempts', async () => {
    const faults: FaultPlanInput = [{ target: 'llm:bedrock/*', kind: 'rate-limit', when: { calls: [0, 1] } }];
    const r = await go(bedrockAgent(false), { faults });
    expect(r.value?.text).toBe(ANSWER);
    const spans = fetchSpans(r);
    expect(spans.map((s) => s.data.status)).toEqual([429, 429, 200, 200]);
    const [first, second] = gaps(spans);
    expect(first).toBeGreaterThanOrEqual(0);
    expect(first).toBeLessThan(1_000);
    expect(second).toBeLessThan(2_000);
    const exhausted = await go(bedrockAgent(false), { faults: [{ target: 'llm:bedrock/*', kind: 'rate-limit' }] });
    expect(exhausted.error).toBeInstanceOf(ThrottlingException);
    expect((exhausted.error as ThrottlingException).message).toBe('Too many requests, please wait before trying again.');
    expect((exhausted.error as ThrottlingException).$metadata.attempts).toBe(3);
  });

  it('a stream cut ends ConverseStream quietly before messageStop: a naive agent keeps the part it got', async () => {
    const faults: FaultPlanInput = [{ target: 'llm:bedrock/*', kind: 'stream-cut', when: { calls: [1] }, params: { afterChunks: 1 } }];
    const r = await go(bedrockAgent(true), { faults });
    expect(marks(r, 'fault')).toEqual([expect.objectContaining({ kind: 'stream-cut', afterChunks: 1 })]);
    expect(r.value).toEqual({ text: ANSWER.slice(0, 16), stopReasons: ['tool_use', 'none'] });
  });

  it('an error inside the stream is an exception message the SDK throws as ServiceUnavailableException', async () => {
    const faults: FaultPlanInput = [{ target: 'llm:bedrock/*', kind: 'stream-error', when: { calls: [1] }, params: { afterChunks: 1 } }];
    const r = await go(bedrockAgent(true), { faults });
    expect(r.outcome).toBe('threw');
    expect(r.error).toBeInstanceOf(ServiceUnavailableException);
  });

  it('outside global mode, the SDK’s HTTP/2 connection is refused with an error that names the host and the fix', async () => {
    const r = await go(bedrockAgent(false), { global: false });
    expect(r.outcome).toBe('threw');
    expect(r.problems[0]?.kind).toBe('real-network');
    expect(String(r.error)).toMatch(/connection to https:\/\/bedrock-runtime\.us-east-1\.amazonaws\.com, made through node:http2.*network: 'global'/);
  });
});

describe('broken tool calls on Bedrock', () => {
  it('whole, not-json is the service’s malformed_tool_use without the toolUse block', async () => {
    const r = await go(bedrockAgent(false), { faults: [{ target: 'llm:bedrock/*', kind: 'malformed', when: { calls: [0] }, params: { mode: 'not-json' } }] });
    expect(r.value).toEqual({ text: '', stopReasons: ['malformed_tool_use'] });
  });

  it('streamed, truncated JSON reaches the client in the input fragments, and a naive JSON.parse throws', async () => {
    const r = await go(bedrockAgent(true), {
      faults: [{ target: 'llm:bedrock/*', kind: 'malformed', when: { calls: [0] }, params: { mode: 'truncated-json' } }],
    });
    expect(r.outcome).toBe('threw');
    expect(String(r.error)).toMatch(/SyntaxError/);
  });
});

describe('@ai-sdk/amazon-bedrock over world.fetch', () => {
  it.each(['generate', 'stream'] as const)('%s: calls the tool and answers, deterministically (requests signed with SigV4)', async (mode) => {
    const r = await expectDeterministic((seed) => go(aiSdkAgent(aiBedrock, mode), { seed, global: false }), 5);
    expect(r.outcome, r.message).toBe('ok');
    expect(r.value).toMatchObject({ text: ANSWER, steps: 2 });
    expect(llmSpans(r).map((s) => s.data.provider)).toEqual(['bedrock', 'bedrock']);
  });

  it('retries a ThrottlingException after the AI SDK’s own 2 s', async () => {
    const faults: FaultPlanInput = [{ target: 'llm:bedrock/*', kind: 'rate-limit', when: { calls: [0] } }];
    const r = await go(aiSdkAgent(aiBedrock, 'generate'), { faults, global: false });
    expect(r.value).toMatchObject({ text: ANSWER });
    expect(gaps(fetchSpans(r))[0]).toBe(2_000);
  });

  it('a dropped connection mid-stream ends streamText with an error', async () => {
    const faults: FaultPlanInput = [{ target: 'llm:bedrock/*', kind: 'stream-cut', when: { calls: [0] }, params: { afterChunks: 0, mode: 'error' } }];
    const r = await go(aiSdkAgent(aiBedrock, 'stream'), { faults, global: false });
    expect(r.value?.error).toMatch(/terminated/);
  });
});
