// Goal: simulated models answer deterministically from their brains, count tokens with the real
// tokenizer, bill exactly by the price table, and apply LLM faults. Method: world.llm (no HTTP),
// so these tests isolate the service that every wire adapter renders.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cassette, type LlmError, rules, scripted, simulate, spansOf, tokensIn, type World } from '../../../harness/index.ts';

const ask =
  (text: string, model = 'gpt-4o-mini') =>
  async (world: World) =>
    (await world.llm.complete({ model, messages: [{ role: 'user', content: text }] })).text;

describe('brains', () => {
  it('scripted: answers in order and says clearly when the script runs out', async () => {
    const brain = scripted(['first', { text: 'second' }]);
    const r = await simulate(async (world) => [await ask('a')(world), await ask('b')(world), await ask('c')(world)], {
      llm: { models: { 'gpt-4o-mini': brain } },
    });
    expect(r.outcome).toBe('threw');
    expect(r.message).toContain('The scripted brain of model "gpt-4o-mini" has 2 replies, and call #3 asked for another');
    const again = await simulate(async (world) => [await ask('a')(world), await ask('b')(world)], { llm: { models: { 'gpt-4o-mini': brain } } });
    expect(again.value).toEqual(['first', 'second']);
  });

  it('rules: a function of the conversation, with a seeded random for variety', async () => {
    const brain = rules((conversation, { random, call }) => `${call}:${conversation.messages.at(-1)?.content.toUpperCase()}:${random.int(0, 9)}`);
    const run = (seed: number) =>
      simulate(async (world) => [await ask('hi')(world), await ask('yo')(world)], { seed, llm: { models: { 'gpt-4o-mini': brain } } });
    const a = await run(1);
    expect(a.value).toEqual([expect.stringMatching(/^0:HI:\d$/), expect.stringMatching(/^1:YO:\d$/)]);
    expect((await run(1)).value).toEqual(a.value);
  });

  it('cassette: replays recorded exchanges by request, or in sequence', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'faultline-'));
    const file = path.join(dir, 'cassette.json');
    writeFileSync(
      file,
      JSON.stringify({
        faultline: 'cassette/v1',
        interactions: [
          { request: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'capital of France?' }] }, reply: { text: 'Paris' } },
          { request: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'capital of Italy?' }] }, reply: { text: 'Rome' } },
        ],
      }),
    );
    const byRequest = await simulate(async (world) => [await ask('capital of Italy?')(world), await ask('capital of France?')(world)], {
      llm: { models: { 'gpt-4o-mini': cassette(file) } },
    });
    expect(byRequest.value).toEqual(['Rome', 'Paris']);
    const miss = await simulate(ask('capital of Spain?'), { llm: { models: { 'gpt-4o-mini': cassette(file) } } });
    expect(miss.message).toContain(`No interaction in ${file} matches call #1 to "gpt-4o-mini" (last message: "capital of Spain?")`);
    const sequence = await simulate(async (world) => [await ask('x')(world), await ask('y')(world)], {
      llm: { models: { 'gpt-4o-mini': cassette(file, { match: 'sequence' }) } },
    });
    expect(sequence.value).toEqual(['Paris', 'Rome']);
    expect(() => cassette({ faultline: 'cassette/v1', interactions: [{ request: { model: 'm' }, reply: {} }] } as never)).toThrow(
      /interactions\.0\.request\.messages/,
    );
  });
});

describe('tokens and spend', () => {
  it('counts tokens with the tokenizer and bills them at the price table', async () => {
    const r = await simulate(ask('How many moons does Mars have?'), {
      llm: { models: { 'gpt-4o-mini': scripted(['Mars has two moons, Phobos and Deimos.']) } },
    });
    const [entry] = r.spend.entries;
    // One user message: 3 tokens of reply priming, 3 of message framing, then the text.
    expect(entry?.inputTokens).toBe(3 + 3 + tokensIn('How many moons does Mars have?'));
    expect(entry?.outputTokens).toBe(tokensIn('Mars has two moons, Phobos and Deimos.'));
    const expected = ((entry?.inputTokens ?? 0) * 0.15 + (entry?.outputTokens ?? 0) * 0.6) / 1_000_000;
    expect(r.spend.usd).toBeCloseTo(expected, 12);
    expect(r.spend.byActor.main?.calls).toBe(1);
    expect(r.spend.byModel['gpt-4o-mini']?.usd).toBe(r.spend.usd);
  });

  it('takes price overrides, and refuses models it cannot price', async () => {
    const r = await simulate(ask('hi', 'house-model'), {
      llm: { models: { 'house-model': scripted(['hello']) }, prices: { 'house-model': { inputPerMTok: 1_000_000, outputPerMTok: 0 } } },
    });
    expect(r.spend.usd).toBe(r.spend.inputTokens);
    await expect(simulate(ask('hi', 'house-model'), { llm: { models: { 'house-model': scripted(['x']) } } })).rejects.toThrow(
      /llm.models\["house-model"\]: no price for "house-model"; add llm.prices\["house-model"\]/,
    );
  });

  it('waits generation time in virtual time: first token, then per output token', async () => {
    const r = await simulate(ask('hi'), {
      llm: { models: { 'gpt-4o-mini': scripted(['one two three four']) }, timing: { firstTokenMs: { kind: 'fixed', ms: 400 }, perTokenMs: 25 } },
    });
    expect(r.virtualTimeMs).toBe(400 + 25 * tokensIn('one two three four'));
  });
});

describe('requests the model should push back on', () => {
  it('stops at max_tokens with stop reason length, billing only what was produced', async () => {
    const long = 'one two three four five six seven eight nine ten eleven twelve';
    const r = await simulate(
      async (world) => {
        const res = await world.llm.complete({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'count' }], maxTokens: 5 });
        return [res.text, res.usage.outputTokens];
      },
      { llm: { models: { 'gpt-4o-mini': scripted([long]) } } },
    );
    expect(r.value).toEqual(['one two three four five', 5]);
    expect(r.spend.outputTokens).toBe(5);
  });

  it('reports a brain that calls a tool the request did not offer', async () => {
    const r = await simulate(
      async (world) => (await world.llm.complete({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })).toolCalls.length,
      {
        llm: { models: { 'gpt-4o-mini': rules(() => ({ toolCalls: [{ name: 'search', arguments: {} }] })) } },
      },
    );
    expect(r.value).toBe(1);
    expect(r.problems.map((p) => p.message)).toEqual(['The brain of "gpt-4o-mini" called tool "search", which the request did not offer (it offered none)']);
  });
});

describe('LLM faults through world.llm', () => {
  const models = { 'gpt-4o': { brain: scripted(['v1', 'v1', 'v1']), version: 'gpt-4o-2024-08-06', versions: { 'gpt-4o-2025-06-01': rules(() => 'v2') } } };

  it('version-skew: the alias answers as another version after the fault time', async () => {
    const r = await simulate(
      async (world) => {
        const out: string[] = [];
        for (let i = 0; i < 3; i++) {
          const res = await world.llm.complete({ model: 'gpt-4o', messages: [{ role: 'user', content: 'v?' }] });
          out.push(`${res.model}:${res.text}`);
          await world.sleep(10_000);
        }
        return out;
      },
      { llm: { models }, faults: [{ target: 'llm:gpt-4o', kind: 'version-skew', params: { to: 'gpt-4o-2025-06-01' }, when: { afterMs: 15_000 } }] },
    );
    expect(r.value).toEqual(['gpt-4o-2024-08-06:v1', 'gpt-4o-2024-08-06:v1', 'gpt-4o-2025-06-01:v2']);
  });

  it('rate limits and server errors throw LlmError with the status, and are not billed', async () => {
    const r = await simulate(async (world) => ask('hi')(world).catch((e: LlmError) => `${e.name} ${e.status} ${e.headers['retry-after-ms']}`), {
      llm: { models: { 'gpt-4o-mini': scripted(['x']) } },
      faults: [{ target: 'llm:*', kind: 'rate-limit', params: { retryAfterMs: 2_500 } }],
    });
    expect(r.value).toBe('LlmError 429 2500');
    expect(r.spend.calls).toBe(0);
    expect(spansOf(r.trace).find((s) => s.kind === 'llm')?.outcome).toBe('fault');
  });

  it('an unknown model answers 404 and is reported as a problem', async () => {
    const r = await simulate(ask('hi', 'gpt-5-turbo'), { llm: { models: { 'gpt-4o-mini': scripted(['x']) } } });
    expect(r.message).toContain('404 The model `gpt-5-turbo` does not exist');
    expect(r.problems[0]?.message).toContain('The agent asked for model "gpt-5-turbo", which the world does not simulate (it has "gpt-4o-mini")');
  });

  it('corrupt: changes a fact of the answer and leaves a taint mark', async () => {
    const r = await simulate(ask('When was the invoice due?'), {
      seed: 2,
      llm: { models: { 'gpt-4o-mini': scripted(['The invoice of $1,250.00 was due on 2024-03-15.']) } },
      faults: [{ target: 'llm:*', kind: 'corrupt', params: { fact: 'date' } }],
    });
    const taint = r.trace.find((e) => e.type === 'mark' && e.name === 'taint') as { data: { original: string; corrupted: string } } | undefined;
    expect(taint?.data.original).toBe('2024-03-15');
    expect(r.value).toBe(`The invoice of $1,250.00 was due on ${taint?.data.corrupted}.`);
  });

  it('malformed: breaks tool-call arguments so they no longer parse', async () => {
    const r = await simulate(
      async (world) => {
        const res = await world.llm.complete({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'weather?' }] });
        return res.toolCalls.map((c) => [c.rawArguments, c.arguments]);
      },
      {
        llm: { models: { 'gpt-4o-mini': rules(() => ({ toolCalls: [{ name: 'weather', arguments: { city: 'Paris' } }] })) } },
        tools: [],
        faults: [{ target: 'llm:*', kind: 'malformed' }],
      },
    );
    expect(r.value).toEqual([['{"city":', undefined]]);
  });
});
