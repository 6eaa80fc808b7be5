// Goal: tools are called through the world with zod-validated input, and every tool fault kind
// shows up the way it would in production. Method: a naive agent that trusts its tool and a
// hardened one (timeout, retries, result validation, re-reading the tool list), one plan per kind.

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool, type FaultRuleInput, simulate, ToolError, type World } from '../../harness/index.ts';
import { expectDeterministic } from '../helpers/determinism.ts';

const lookup = defineTool({
  name: 'lookup_order',
  description: 'Finds an order by id',
  input: z.object({ orderId: z.string(), includeItems: z.boolean().optional() }),
  handler: ({ orderId }) => ({ orderId, customer: 'Ada Lovelace', total: 120.5, shipped: true, items: ['pen', 'ink', 'paper', 'nib'] }),
});
type Order = { orderId: string; customer: string; total: number; shipped: boolean; items: string[] };

async function naive(world: World): Promise<string> {
  const order = await world.tools.call<Order>('lookup_order', { orderId: 'A-7' });
  return `${order.customer} owes ${order.total.toFixed(2)} for ${order.items.length} items`;
}

const valid = z.object({ orderId: z.string(), customer: z.string(), total: z.number(), items: z.array(z.string()).min(1) });

async function hardened(world: World): Promise<string> {
  for (let attempt = 0; attempt < 2; attempt++) {
    // Find the tool by what it does, with its current schema, instead of a hard-coded name.
    const spec = world.tools.list().find((t) => t.description === 'Finds an order by id');
    if (spec === undefined) return 'order lookup unavailable';
    const idField = Object.keys((spec.parameters as { properties: Record<string, unknown> }).properties)[0] as string;
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 1_000));
    try {
      const result = await Promise.race([world.tools.call(spec.name, { [idField]: 'A-7' }), timeout]);
      if (result === 'timeout') throw new Error('tool timed out');
      const order = valid.parse(result);
      return `${order.customer} owes ${order.total.toFixed(2)} for ${order.items.length} items`;
    } catch (error) {
      if (error instanceof ToolError && error.reason === 'invalid-input') continue;
      await world.sleep(200);
    }
  }
  return 'order lookup unavailable';
}

const HAPPY = 'Ada Lovelace owes 120.50 for 4 items';
const target = 'tool:lookup_order';
const cases: Array<{ kind: string; fault: FaultRuleInput; naive: RegExp; hardened: RegExp }> = [
  { kind: 'error', fault: { target, kind: 'error' }, naive: /threw.*ToolError: Tool "lookup_order" failed: simulated failure/, hardened: /unavailable/ },
  { kind: 'hang', fault: { target, kind: 'hang' }, naive: /deadlock.*waits on tool lookup_order/, hardened: /unavailable/ },
  { kind: 'empty', fault: { target, kind: 'empty' }, naive: /threw.*TypeError/, hardened: /unavailable/ },
  {
    kind: 'truncate',
    fault: { target, kind: 'truncate' },
    naive: /ok:Ada Lovelace owes 120.50 for 2 items/,
    hardened: /ok:Ada Lovelace owes 120.50 for 2 items/,
  },
  {
    kind: 'tool-removed',
    fault: { target, kind: 'tool-removed' },
    naive: /threw.*Tool "lookup_order" not found; the tools on offer are none/,
    hardened: /ok:order lookup unavailable/,
  },
  {
    kind: 'tool-renamed',
    fault: { target, kind: 'tool-renamed', params: { to: 'find_order' } },
    naive: /threw.*not found; the tools on offer are "find_order"/,
    hardened: /ok:Ada Lovelace owes 120.50 for 4 items/,
  },
  {
    kind: 'description-changed',
    fault: { target, kind: 'description-changed' },
    naive: /ok:Ada Lovelace owes 120.50 for 4 items/,
    hardened: /ok:order lookup unavailable/,
  },
  {
    kind: 'schema-drift',
    fault: { target, kind: 'schema-drift', params: { field: 'orderId', to: 'order_id' } },
    naive: /threw.*rejected its input: order_id: Invalid input/,
    hardened: /ok:Ada Lovelace owes 120.50 for 4 items/,
  },
];

describe('tools', () => {
  it('serve validated calls as yield points, deterministically', async () => {
    const r = await expectDeterministic((seed) => simulate(naive, { seed, tools: [lookup] }), 1);
    expect(r.value).toBe(HAPPY);
    const bad = await simulate((world) => world.tools.call('lookup_order', { orderId: 7 }), { tools: [lookup] });
    expect(bad.message).toContain('Tool "lookup_order" rejected its input: orderId: Invalid input: expected string, received number');
  });

  it('offer JSON Schemas of their input', async () => {
    const r = await simulate((world) => world.tools.list(), { tools: [lookup] });
    expect(r.value).toEqual([
      {
        name: 'lookup_order',
        description: 'Finds an order by id',
        parameters: {
          type: 'object',
          properties: { orderId: { type: 'string' }, includeItems: { type: 'boolean' } },
          required: ['orderId'],
          additionalProperties: false,
        },
      },
    ]);
  });

  for (const c of cases) {
    it(`${c.kind}: hurts the naive agent; the hardened agent copes`, async () => {
      const n = await simulate(naive, { tools: [lookup], faults: [c.fault] });
      expect(`${n.outcome}:${n.outcome === 'ok' ? String(n.value) : n.message}`).toMatch(c.naive);
      const h = await simulate(hardened, { tools: [lookup], faults: [c.fault] });
      expect(`${h.outcome}:${h.outcome === 'ok' ? String(h.value) : h.message}`).toMatch(c.hardened);
      expect(h.trace.some((e) => e.type === 'mark' && e.name === 'fault')).toBe(true);
    });
  }

  it('corrupt: changes one fact plausibly and records a taint the output can be checked against', async () => {
    const r = await simulate(naive, { seed: 4, tools: [lookup], faults: [{ target, kind: 'corrupt', params: { fact: 'number' } }] });
    const taint = r.trace.find((e) => e.type === 'mark' && e.name === 'taint');
    expect(taint?.type === 'mark' && taint.data).toMatchObject({ target, fact: 'number', original: '120.5' });
    const corrupted = Number((taint as unknown as { data: { corrupted: string } }).data.corrupted);
    expect(corrupted).not.toBe(120.5);
    expect(Math.abs(corrupted - 120.5) / 120.5).toBeLessThanOrEqual(0.4);
    expect(r.value).toBe(`Ada Lovelace owes ${corrupted.toFixed(2)} for 4 items`);
  });

  it('latency: delays the call by the fault, and the hardened agent times out when it is too slow', async () => {
    const slow = (ms: number): FaultRuleInput => ({ target, kind: 'latency', params: { latency: { kind: 'fixed', ms } } });
    const n = await simulate(naive, { tools: [lookup], faults: [slow(300)] });
    expect([n.value, n.virtualTimeMs]).toEqual([HAPPY, 300]);
    const h = await simulate(hardened, { tools: [lookup], faults: [slow(5_000)] });
    expect(h.value).toBe('order lookup unavailable');
  });

  it('drift and renames take effect at their virtual time', async () => {
    const r = await simulate(
      async (world) => {
        const before = world.tools.list().map((t) => t.name);
        await world.sleep(1_000);
        return [before, world.tools.list().map((t) => t.name)];
      },
      { tools: [lookup], faults: [{ target, kind: 'tool-renamed', params: { to: 'find_order' }, when: { afterMs: 500 } }] },
    );
    expect(r.value).toEqual([['lookup_order'], ['find_order']]);
  });
});
