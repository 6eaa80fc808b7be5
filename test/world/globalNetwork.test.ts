// Goal: agent code that uses the global fetch or node:http, and cannot be handed world.fetch, still
// runs in the world in global mode — including SDK retries, which msw's own fetch interceptor would
// hang on Node 20 (mswjs/interceptors issue 799). Method: the openai client built without a fetch
// option against a 429-then-200 handler, a node:http client, and the trap itself for contrast.
import http from 'node:http';
import { HttpResponse, http as mswHttp } from 'msw';
import { setupServer } from 'msw/node';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { simulate, spansOf } from '../../harness/index.ts';
import { expectDeterministic } from '../helpers/determinism.ts';

const COMPLETIONS = 'https://api.openai.com/v1/chat/completions';
const completion = {
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1,
  model: 'gpt-4o-mini',
  choices: [{ index: 0, message: { role: 'assistant', content: 'ok', refusal: null }, finish_reason: 'stop', logprobs: null }],
  usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
};

function rateLimitedOnce() {
  let calls = 0;
  return [
    mswHttp.post(COMPLETIONS, () =>
      ++calls === 1
        ? HttpResponse.json({ error: { message: 'slow down', type: 'rate_limit_error' } }, { status: 429, headers: { 'retry-after-ms': '1500' } })
        : HttpResponse.json(completion),
    ),
  ];
}

async function askWithoutFetchOption(): Promise<string | null | undefined> {
  const client = new OpenAI({ apiKey: 'sk-test' }); // no fetch option: the SDK uses the global fetch
  const reply = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
  return reply.choices[0]?.message.content;
}

describe('global mode', () => {
  it('serves the global fetch from the world, so the SDK retries a 429 after retry-after-ms', async () => {
    const r = await expectDeterministic((seed) => simulate(askWithoutFetchOption, { seed, network: 'global', handlers: rateLimitedOnce }), 4);
    expect(r.outcome).toBe('ok');
    expect(r.value).toBe('ok');
    const calls = spansOf(r.trace).filter((s) => s.kind === 'fetch');
    expect(calls.map((s) => s.data.status)).toEqual([429, 200]);
    expect((calls[1]?.start ?? 0) - (calls[0]?.end ?? 0)).toBe(1500);
    expect(typeof globalThis.fetch).toBe('function');
  });

  it('serves node:http clients through setupServer, as the main actor', async () => {
    const r = await simulate(
      () =>
        new Promise<string>((resolve, reject) => {
          http
            .get('http://inventory.test/items/7', (res) => {
              let body = '';
              res.setEncoding('utf8');
              res.on('data', (chunk: string) => (body += chunk));
              res.on('end', () => resolve(`${res.statusCode} ${body}`));
            })
            .on('error', reject);
        }),
      { network: 'global', handlers: [mswHttp.get('http://inventory.test/items/:id', ({ params }) => HttpResponse.json({ id: params.id }))] },
    );
    expect(r.outcome).toBe('ok');
    expect(r.value).toBe('200 {"id":"7"}');
    expect(
      spansOf(r.trace)
        .filter((s) => s.kind === 'fetch')
        .map((s) => [s.actor, s.data.url]),
    ).toEqual([['main', 'http://inventory.test/items/7']]);
  });

  it('still refuses the global fetch outside global mode', async () => {
    const r = await simulate(askWithoutFetchOption, { handlers: rateLimitedOnce, limits: { virtualTimeMs: 60_000 } });
    expect(r.outcome).toBe('threw');
    expect(r.problems[0]?.kind).toBe('real-network');
  });

  // Why global mode does not let msw intercept fetch: with msw's own fetch interceptor the SDK's
  // cancel-before-retry never settles. If an msw upgrade fixes the interceptor, this test fails and
  // the workaround in harness/world/globalNetwork.ts can go.
  it('(the trap) hangs the SDK retry when msw intercepts fetch itself', async () => {
    const r = await simulate(async () => {
      const server = setupServer(...rateLimitedOnce());
      server.listen({ onUnhandledRequest: 'error' });
      try {
        return await askWithoutFetchOption();
      } finally {
        server.close();
      }
    });
    expect(r.outcome).toBe('deadlock');
  });
});
