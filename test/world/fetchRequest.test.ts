// Goal: the world's fetch builds a Request object only when something reads it, and nothing can
// tell: a handler sees the same request, the trace is the same whichever way the agent described
// the request, and every input fetch refuses is refused with fetch's own error.
// Method: the same requests made as (url, init) and as a Request; handlers that read the request
// and handlers that do not; inputs that `new Request` rejects, compared with its own error.
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { route, simulate, type World } from '../../harness/index.ts';

type Seen = { method: string; url: string; auth: string | null; type: string | null; body: string };

function echo(seen: Seen[]) {
  return async ({ request }: { request: Request }) => {
    seen.push({
      method: request.method,
      url: request.url,
      auth: request.headers.get('x-api-key'),
      type: request.headers.get('content-type'),
      body: await request.text(),
    });
    return HttpResponse.json({ ok: true });
  };
}

const init = { method: 'post', headers: { 'x-api-key': 'k-123456789', 'content-type': 'application/json' }, body: '{"a":1}' };

describe("the world's fetch", () => {
  it('gives a route that reads the request exactly what a Request would carry, and the same trace either way', async () => {
    const results: Array<{ seen: Seen[]; hash: string }> = [];
    // Light (no Request until the handler asks), built at once (an init field the light path leaves
    // to Request: `redirect`, here at its default), and a Request made by the agent.
    for (const form of ['light', 'built', 'request'] as const) {
      const seen: Seen[] = [];
      const r = await simulate(
        async (world: World) => {
          const url = 'https://svc.test/items/7?x=1#frag';
          const res =
            form === 'light'
              ? await world.fetch(url, init)
              : form === 'built'
                ? await world.fetch(url, { ...init, redirect: 'follow' })
                : await world.fetch(new Request(url, init));
          return { status: res.status, url: res.url, json: await res.json() };
        },
        { seed: 3, handlers: [route.post('https://svc.test/items/:id', echo(seen))] },
      );
      expect(r.outcome).toBe('ok');
      expect(r.value).toEqual({ status: 200, url: 'https://svc.test/items/7?x=1#frag', json: { ok: true } });
      results.push({ seen, hash: r.traceHash });
    }
    expect(results[0]?.seen).toEqual([
      { method: 'POST', url: 'https://svc.test/items/7?x=1#frag', auth: 'k-123456789', type: 'application/json', body: '{"a":1}' },
    ]);
    expect(results[1]?.seen).toEqual(results[0]?.seen);
    expect(results[2]?.seen).toEqual(results[0]?.seen);
    // Whether the Request was built up front or on demand does not show in the trace.
    expect(results[1]?.hash).toBe(results[0]?.hash);
  });

  it('serves plain msw handlers (which always get a Request) the same request', async () => {
    const seen: Seen[] = [];
    const r = await simulate(async (world: World) => (await world.fetch('https://svc.test/items/7', init)).status, {
      handlers: [http.post('https://svc.test/items/:id', echo(seen))],
    });
    expect(r.value).toBe(200);
    expect(seen[0]).toMatchObject({ method: 'POST', auth: 'k-123456789', body: '{"a":1}' });
  });

  it('masks a credential in headers whether or not the handler ever looks at the request', async () => {
    const r = await simulate(
      async (world: World) => (await world.fetch('https://svc.test/ping', { headers: { authorization: 'Bearer sk-secret-abcdef123456' } })).status,
      {
        handlers: [route.get('https://svc.test/ping', () => new Response('pong'))],
      },
    );
    expect(r.value).toBe(200);
    expect(JSON.stringify(r.trace)).not.toContain('sk-secret-abcdef123456');
  });

  const refused: Array<[string, RequestInfo | URL, RequestInit | undefined]> = [
    ['a relative URL', '/relative', undefined],
    ['credentials in the URL', 'https://user:pw@svc.test/x', undefined],
    ['a GET with a body', 'https://svc.test/x', { body: 'x' }],
    ['a forbidden method', 'https://svc.test/x', { method: 'CONNECT' }],
    ['an invalid method token', 'https://svc.test/x', { method: 'GE T' }],
    ['an invalid header name', 'https://svc.test/x', { headers: { 'bad header': 'x' } }],
    ['a signal that is not an AbortSignal', 'https://svc.test/x', { signal: {} as AbortSignal }],
    ['an invalid mode', 'https://svc.test/x', { mode: 'navigate' }],
  ];
  it.each(refused)('refuses %s with the error fetch gives', async (_name, input, requestInit) => {
    let expected: unknown;
    try {
      new Request(input, requestInit);
    } catch (error) {
      expected = error;
    }
    expect(expected).toBeInstanceOf(TypeError);
    const r = await simulate(
      async (world: World) => {
        try {
          await world.fetch(input, requestInit);
          return 'no error';
        } catch (error) {
          return `${(error as Error).name}: ${(error as Error).message}`;
        }
      },
      { handlers: [route.all('https://svc.test/x', () => new Response('x'))] },
    );
    expect(r.value).toBe(`${(expected as Error).name}: ${(expected as Error).message}`);
  });

  it('keeps a non-standard method as written, as a Request does', async () => {
    const seen: string[] = [];
    const r = await simulate(async (world: World) => (await world.fetch('https://svc.test/x', { method: 'purge' })).status, {
      handlers: [
        route.all('https://svc.test/x', ({ request }) => {
          seen.push(request.method);
          return new Response('x');
        }),
      ],
    });
    expect(r.value).toBe(200);
    expect(seen).toEqual([new Request('https://svc.test/x', { method: 'purge' }).method]);
  });
});
