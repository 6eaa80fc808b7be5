// Goal: real clients run unmodified over the world's fetch, in virtual time and deterministically.
// Method: the official openai client against a handler that fails twice, several actors fetching
// concurrently, and the error paths (unhandled request, a handler that throws, aborts).
import { HttpResponse, http } from 'msw';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { simulate, spansOf, type World } from '../../harness/index.ts';
import { distinctTraces, expectDeterministic, range } from '../helpers/determinism.ts';

const COMPLETIONS = 'https://api.openai.com/v1/chat/completions';

/** 503 twice, then a completion: built per run, so every run starts with a fresh counter. */
function flakyOpenAI() {
  let calls = 0;
  return [
    http.post(COMPLETIONS, () => {
      calls++;
      if (calls <= 2) {
        return HttpResponse.json({ error: { message: 'The server is overloaded', type: 'server_error' } }, { status: 503 });
      }
      return HttpResponse.json({
        id: 'chatcmpl-1',
        object: 'chat.completion',
        created: 1_735_689_600,
        model: 'gpt-4o-mini',
        choices: [{ index: 0, message: { role: 'assistant', content: 'Paris', refusal: null }, finish_reason: 'stop', logprobs: null }],
        usage: { prompt_tokens: 9, completion_tokens: 1, total_tokens: 10 },
      });
    }),
  ];
}

async function askCapital(world: World): Promise<string | null | undefined> {
  const client = new OpenAI({ apiKey: 'sk-test-not-a-real-key', fetch: world.fetch });
  const completion = await client.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'Capital of France?' }],
  });
  return completion.choices[0]?.message.content;
}

describe('the openai client over world.fetch', () => {
  const run = (seed: number) => simulate(askCapital, { seed, handlers: flakyOpenAI });

  it('retries two 503s with its own backoff in virtual time, then succeeds', async () => {
    const r = await expectDeterministic(run, 11);
    expect(r.outcome).toBe('ok');
    expect(r.value).toBe('Paris');
    const calls = spansOf(r.trace).filter((s) => s.kind === 'fetch');
    expect(calls.map((s) => s.data.status)).toEqual([503, 503, 200]);
    // The SDK waits ~0.5 s then ~1 s (less up to 25% jitter) between attempts; the waits are the
    // gaps between one response and the next request, and the run's time includes them.
    const gaps = calls.slice(1).map((s, i) => s.start - (calls[i]?.end ?? 0));
    expect(gaps[0]).toBeGreaterThanOrEqual(375);
    expect(gaps[0]).toBeLessThanOrEqual(500);
    expect(gaps[1]).toBeGreaterThanOrEqual(750);
    expect(gaps[1]).toBeLessThanOrEqual(1000);
    expect(r.virtualTimeMs).toBeGreaterThanOrEqual((gaps[0] ?? 0) + (gaps[1] ?? 0));
    expect(JSON.stringify(r.trace)).not.toContain('sk-test-not-a-real-key');
  });

  it('jitters differently under other seeds (the SDK draws from the seeded Math.random)', async () => {
    expect(await distinctTraces(run, range(1, 10))).toBeGreaterThan(5);
  });
});

describe('concurrent actors', () => {
  const handlers = [http.get('https://inventory.test/items/:id', ({ params }) => HttpResponse.json({ id: params.id }))];

  async function fanOut(world: World): Promise<string[]> {
    const order: string[] = [];
    await Promise.all(
      ['alpha', 'beta', 'gamma', 'delta'].map((name) =>
        world.spawn(name, async (w) => {
          for (let i = 0; i < 3; i++) {
            const res = await w.fetch(`https://inventory.test/items/${name}-${i}`);
            order.push(((await res.json()) as { id: string }).id);
          }
        }),
      ),
    );
    return order;
  }
  const run = (seed: number) => simulate(fanOut, { seed, handlers });

  it('gives one trace for 50 runs of one seed', async () => {
    await expectDeterministic(run, 2026, 50);
  });

  it('interleaves differently across 50 seeds', async () => {
    const orders = new Set<string>();
    for (const seed of range(100, 50)) orders.add(JSON.stringify((await run(seed)).value));
    expect(orders.size).toBeGreaterThan(40);
    expect(await distinctTraces(run, range(100, 50))).toBe(50);
  });

  it('attributes each call to the actor that made it', async () => {
    const r = await run(1);
    const fetches = spansOf(r.trace).filter((s) => s.kind === 'fetch');
    expect(fetches).toHaveLength(12);
    for (const s of fetches) expect(String(s.data.url)).toContain(s.actor);
  });
});

describe('requests the handlers cannot serve', () => {
  it('reports an unhandled request with its method, URL and the handler to add', async () => {
    const r = await simulate(async (world) => world.fetch('https://api.test/v1/orders/7', { method: 'DELETE' }));
    expect(r.outcome).toBe('threw');
    expect(r.message).toContain('Unhandled request: DELETE https://api.test/v1/orders/7');
    expect(r.message).toContain("http.delete('https://api.test/v1/orders/7'");
    expect(r.message).toContain('actor "main"');
    expect(r.problems.map((p) => p.kind)).toEqual(['unhandled-request']);
  });

  it('lists the unhandled request even when an SDK swallows it into retries', async () => {
    const r = await simulate(async (world) => {
      const client = new OpenAI({ apiKey: 'sk-x', fetch: world.fetch, maxRetries: 1 });
      try {
        await client.models.list();
      } catch {
        return 'gave up';
      }
      return 'listed';
    });
    expect(r.value).toBe('gave up');
    expect(r.problems).toHaveLength(2);
    expect(r.message).toContain('Unhandled request: GET https://api.openai.com/v1/models');
  });

  it('reports a handler that throws, and turns HttpResponse.error() into a network error', async () => {
    const r = await simulate(
      async (world) => {
        const broken = await world.fetch('https://svc.test/broken').catch((e: Error) => e.message);
        const down = await world.fetch('https://svc.test/down').catch((e: Error) => `${e.name}: ${e.message}`);
        return [broken, down];
      },
      {
        handlers: [
          http.get('https://svc.test/broken', () => {
            throw new Error('handler bug');
          }),
          http.get('https://svc.test/down', () => HttpResponse.error()),
        ],
      },
    );
    expect(r.value).toEqual([expect.stringContaining('The msw handler for GET https://svc.test/broken threw: handler bug'), 'TypeError: fetch failed']);
    expect(r.problems.map((p) => p.kind)).toEqual(['handler-threw']);
  });
});

describe('aborts', () => {
  it('rejects with the signal reason and ends the span as aborted, in virtual time', async () => {
    const r = await simulate(
      async (world) => {
        const controller = new AbortController();
        setTimeout(() => controller.abort(new Error('client timeout')), 100);
        return world.fetch('https://slow.test/', { signal: controller.signal }).catch((e: Error) => e.message);
      },
      { handlers: [http.get('https://slow.test/', () => HttpResponse.text('late'))], latency: { kind: 'fixed', ms: 5_000 } },
    );
    expect(r.value).toBe('client timeout');
    expect(r.virtualTimeMs).toBe(100);
    expect(spansOf(r.trace).find((s) => s.kind === 'fetch')?.outcome).toBe('aborted');
  });

  it('makes an hour of virtual sleeps cost no real hour', async () => {
    const r = await simulate(async (world) => {
      for (let i = 0; i < 60; i++) await world.sleep(60_000);
      return Date.now() - Date.UTC(2025, 0, 1);
    });
    expect(r.value).toBe(3_600_000);
    expect(r.virtualTimeMs).toBe(3_600_000);
  });
});
