// Goal: every HTTP-level fault kind hits world.fetch the way it happens on a real network, a naive
// agent is hurt by it and a hardened one (timeouts, bounded retries with backoff, body validation,
// a fallback) degrades gracefully. Method: one service, one agent pair, one plan per fault kind.
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { type FaultRuleInput, simulate, spansOf, type World } from '../../harness/index.ts';
import { distinctTraces, expectDeterministic, range } from '../helpers/determinism.ts';

const URL_ = 'https://pricing.test/quote';
const handlers = [http.get(URL_, () => HttpResponse.json({ price: 42 }))];

/** Trusts the network: one attempt, no timeout, no validation. */
async function naive(world: World): Promise<string> {
  const res = await world.fetch(URL_);
  const body = (await res.json()) as { price: number };
  return `price ${body.price}`;
}

/** Times out after 2 s, retries 3 times with backoff, validates the body, degrades to a stated fallback. */
async function hardened(world: World): Promise<string> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const res = await world.fetch(URL_, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 429 || res.status >= 500) throw new Error(`status ${res.status}`);
      const body = (await res.json()) as { price?: unknown };
      if (typeof body.price !== 'number') throw new Error('no price in the answer');
      return `price ${body.price}`;
    } catch {
      await world.sleep(500 * 2 ** attempt);
    }
  }
  return 'price unavailable (pricing service down); showing last known price';
}

const cases: Array<{ kind: string; fault: FaultRuleInput; naive: RegExp }> = [
  { kind: 'outage (refused)', fault: { target: 'http:pricing.test', kind: 'outage' }, naive: /threw.*fetch failed/ },
  { kind: 'outage (reset)', fault: { target: 'http:pricing.test', kind: 'outage', params: { mode: 'reset' } }, naive: /threw.*fetch failed/ },
  { kind: 'rate-limit', fault: { target: 'http:pricing.test', kind: 'rate-limit' }, naive: /ok:price undefined/ },
  { kind: 'server-error', fault: { target: 'http:pricing.test', kind: 'server-error' }, naive: /ok:price undefined/ },
  { kind: 'hang', fault: { target: 'http:pricing.test', kind: 'hang' }, naive: /deadlock.*"main" waits on fetch GET https:\/\/pricing.test\/quote/ },
  { kind: 'truncate', fault: { target: 'http:pricing.test', kind: 'truncate' }, naive: /threw.*terminated/ },
  { kind: 'empty', fault: { target: 'http:pricing.test', kind: 'empty' }, naive: /threw.*JSON/ },
];

describe('HTTP faults', () => {
  for (const c of cases) {
    it(`${c.kind}: the naive agent fails, the hardened agent degrades`, async () => {
      const n = await simulate(naive, { handlers, faults: [c.fault] });
      expect(`${n.outcome}:${n.outcome === 'ok' ? String(n.value) : n.message}`).toMatch(c.naive);
      const h = await expectDeterministic((seed) => simulate(hardened, { seed, handlers, faults: [c.fault] }), 1);
      expect(h.outcome).toBe('ok');
      expect(h.value).toBe('price unavailable (pricing service down); showing last known price');
      expect(h.trace.filter((e) => e.type === 'mark' && e.name === 'fault')).toHaveLength(3);
    });
  }

  it('lets the hardened agent recover when the fault only hits the first call', async () => {
    const r = await simulate(hardened, { handlers, faults: [{ target: 'http:*', kind: 'server-error', when: { calls: [0] } }] });
    expect(r.value).toBe('price 42');
    expect(
      spansOf(r.trace)
        .filter((s) => s.kind === 'fetch')
        .map((s) => s.data.status),
    ).toEqual([503, 200]);
  });

  it('adds latency from the fault, and the hang ends when the client times out in virtual time', async () => {
    const slow = await simulate(naive, {
      handlers,
      latency: { kind: 'fixed', ms: 10 },
      faults: [{ target: 'http:*', kind: 'latency', params: { latency: { kind: 'fixed', ms: 3_000 } } }],
    });
    expect(slow.virtualTimeMs).toBe(3_020);
    const hung = await simulate(hardened, { handlers, latency: { kind: 'fixed', ms: 10 }, faults: [{ target: 'http:*', kind: 'hang', when: { calls: [0] } }] });
    expect(hung.value).toBe('price 42');
    const [first] = spansOf(hung.trace).filter((s) => s.kind === 'fetch');
    expect([first?.outcome, first?.end]).toEqual(['aborted', 2_000]);
  });

  it('selects calls by probability from the seed: same seed same hits, other seeds other hits', async () => {
    const run = (seed: number) => simulate(hardened, { seed, handlers, faults: [{ target: 'http:*', kind: 'server-error', when: { probability: 0.5 } }] });
    await expectDeterministic(run, 5, 3);
    expect(await distinctTraces(run, range(1, 12))).toBeGreaterThan(3);
  });

  it('limits hits with times and a virtual-time window', async () => {
    const r = await simulate(
      async (world) => {
        const statuses: number[] = [];
        for (let i = 0; i < 6; i++) {
          statuses.push((await world.fetch(URL_)).status);
          await world.sleep(1_000);
        }
        return statuses;
      },
      {
        handlers,
        latency: { kind: 'fixed', ms: 0 },
        faults: [{ target: 'http:*', kind: 'server-error', when: { afterMs: 1_000, beforeMs: 5_000, times: 2 } }],
      },
    );
    expect(r.value).toEqual([200, 503, 503, 200, 200, 200]);
  });
});
