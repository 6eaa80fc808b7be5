// Goal: a route answers through world.fetch's fast lane exactly as it would as a plain msw handler,
// and keeps msw's first-match order when mixed with ordinary handlers.
import { getResponse, HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { route, routeOf, simulate } from '../../harness/index.ts';

const orders = route.get('https://shop.test/orders/:id', ({ params }) => Response.json({ id: params.id, via: 'route' }));

describe('route', () => {
  it('serves world.fetch with path parameters', async () => {
    const r = await simulate(async (world) => (await world.fetch('https://shop.test/orders/42?x=1')).json(), { handlers: [orders] });
    expect(r.value).toEqual({ id: '42', via: 'route' });
  });

  it('is a genuine msw handler that msw itself resolves the same way', async () => {
    expect(routeOf(orders)?.method).toBe('GET');
    const response = await getResponse([orders], new Request('https://shop.test/orders/7'));
    expect(await response?.json()).toEqual({ id: '7', via: 'route' });
  });

  it('keeps first-match order across routes and msw handlers', async () => {
    const handlers = [
      http.get('https://shop.test/orders/1', () => HttpResponse.json({ via: 'msw first' })),
      orders,
      http.get('https://shop.test/orders/:id', () => HttpResponse.json({ via: 'msw last' })),
    ];
    const r = await simulate(async (world) => Promise.all(['1', '2'].map(async (id) => (await world.fetch(`https://shop.test/orders/${id}`)).json())), {
      handlers,
    });
    expect(r.value).toEqual([{ via: 'msw first' }, { id: '2', via: 'route' }]);
  });

  it('matches method and origin, and lets a resolver throw a Response', async () => {
    const handlers = [
      route.post('https://shop.test/pay', () => {
        throw Response.json({ error: 'declined' }, { status: 402 });
      }),
    ];
    const r = await simulate(
      async (world) => {
        const paid = await world.fetch('https://shop.test/pay', { method: 'POST', body: '{}' });
        const wrongMethod = await world.fetch('https://shop.test/pay').catch((e: Error) => e.message);
        const wrongOrigin = await world.fetch('https://other.test/pay', { method: 'POST' }).catch((e: Error) => e.message);
        return [paid.status, wrongMethod, wrongOrigin];
      },
      { handlers },
    );
    expect(r.value).toEqual([
      402,
      expect.stringContaining('Unhandled request: GET https://shop.test/pay'),
      expect.stringContaining('Unhandled request: POST https://other.test/pay'),
    ]);
  });
});
