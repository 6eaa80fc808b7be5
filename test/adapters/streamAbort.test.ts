// Goal: aborting a request stops its streamed body too, in virtual time, as undici does — so a
// client's timeout can end a stalled stream. Method: a stream stalled for a minute, aborted after 2 s.
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { scripted, simulate } from '../../harness/index.ts';

describe('aborting a streamed response', () => {
  it('fails the body with the abort reason while a chunk is still on its way', async () => {
    const r = await simulate(
      async (world) => {
        const client = new OpenAI({ apiKey: 'sk-sim', fetch: world.fetch });
        const controller = new AbortController();
        const stream = await client.chat.completions.create(
          { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'tell me a story' }], stream: true },
          { signal: controller.signal },
        );
        setTimeout(() => controller.abort(), 2_000);
        let text = '';
        try {
          for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
        } catch (error) {
          return { text, error: (error as Error).name, at: world.now() };
        }
        return { text, error: 'none', at: world.now() };
      },
      {
        llm: {
          models: { 'gpt-4o-mini': scripted(['Once upon a time there was a very long stream that stalled.']) },
          timing: { firstTokenMs: { kind: 'fixed', ms: 100 }, perTokenMs: 10 },
        },
        faults: [{ target: 'llm:*', kind: 'stream-stall', params: { afterChunks: 1, stallMs: 60_000 } }],
        latency: { kind: 'fixed', ms: 10 },
      },
    );
    // The SDK ends its iteration quietly when its own signal aborts; what matters is that it ends now.
    expect(r.value).toMatchObject({ text: 'Once upon a time', error: 'none' });
    // Headers arrived at t=120ms (10 ms each way and 100 ms to the first token); the abort came 2 s later.
    expect((r.value as { at: number }).at).toBe(2_120);
    expect(r.trace.some((e) => e.type === 'mark' && e.name === 'stream.aborted')).toBe(true);
  });
});
