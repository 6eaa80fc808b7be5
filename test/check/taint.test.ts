// Goal: noSilentCorruption follows a corrupted fact wherever it goes, not only into the final text:
// into a tool call's arguments and into a store write, and names the path (fault, source, sink,
// times). Method: an agent reads an order's amount from a lookup tool (corrupted by a fault) and
// refunds it through a refund tool, answering only "done"; a careful agent checks the amount
// against a second source first. Sinks can be narrowed.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool, noSilentCorruption, type RunResult, simulate, type World } from '../../harness/index.ts';

const order = defineTool({
  name: 'lookup_order',
  description: 'An order and its amount',
  input: z.object({ id: z.string() }),
  handler: ({ id }) => ({ id, amount: 4250 }),
});
const ledger = defineTool({
  name: 'ledger_amount',
  description: 'The amount the ledger has for an order',
  input: z.object({ id: z.string() }),
  handler: () => ({ amount: 4250 }),
});
const refund = defineTool({
  name: 'refund',
  description: 'Refunds an amount',
  input: z.object({ id: z.string(), amount: z.number() }),
  handler: ({ amount }) => ({ refunded: amount }),
});

const corrupt = [{ target: 'tool:lookup_order', kind: 'corrupt' as const, params: { fact: 'number' as const } }];

async function trusting(world: World): Promise<string> {
  const { amount } = await world.tools.call<{ amount: number }>('lookup_order', { id: 'A-1' });
  await world.tools.call('refund', { id: 'A-1', amount });
  return 'done';
}

async function careful(world: World): Promise<string> {
  const { amount } = await world.tools.call<{ amount: number }>('lookup_order', { id: 'A-1' });
  const ledgerAmount = (await world.tools.call<{ amount: number }>('ledger_amount', { id: 'A-1' })).amount;
  if (amount !== ledgerAmount) return 'Not refunded: the order and the ledger disagree on the amount, so it needs review.';
  await world.tools.call('refund', { id: 'A-1', amount });
  return 'done';
}

async function storing(world: World): Promise<string> {
  const { amount } = await world.tools.call<{ amount: number }>('lookup_order', { id: 'A-1' });
  await world.stores.eventLog('payouts').append('refunds', { id: 'A-1', amount });
  return 'done';
}

const run = (agent: (world: World) => Promise<string>, seed = 5): Promise<RunResult> =>
  simulate(agent, { seed, tools: [order, ledger, refund], faults: corrupt }) as Promise<RunResult>;

describe('noSilentCorruption follows taint through tool calls and stores', () => {
  it('names a corrupted amount that reached a tool call, with its path', async () => {
    const result = await run(trusting);
    expect(result.outcome).toBe('ok');
    expect(result.toolCalls.map((c) => c.tool)).toEqual(['lookup_order', 'refund']);
    const verdict = noSilentCorruption().check(result, {});
    expect(verdict.ok).toBe(false);
    expect(verdict.message).toMatch(
      /^A wrong number from fault corrupt@tool:lookup_order \(4250 became -?[\d.]+, in tool:lookup_order at t=\d+ms\) reached tool call refund\(\{.*"amount":-?[\d.]+.*\}\) at t=\d+ms unflagged\.$/,
    );
    expect(verdict.spans?.length).toBe(2);
  });

  it('holds for an agent that checks the amount against a second source', async () => {
    const result = await run(careful);
    expect(noSilentCorruption().check(result, {}).ok).toBe(true);
  });

  it('names a store write, and the sinks can be narrowed', async () => {
    const result = await run(storing);
    const verdict = noSilentCorruption().check(result, {});
    expect(verdict.message).toMatch(/reached store "payouts" \(append refunds = \{.*\}\) at t=\d+ms unflagged\.$/);
    expect(noSilentCorruption({ sinks: ['output', 'tools'] }).check(result, {}).ok).toBe(true);
    expect(noSilentCorruption({ sinks: ['store:payouts'] }).check(result, {}).ok).toBe(false);
    expect(noSilentCorruption({ sinks: ['output'] }).check(await run(trusting), {}).ok).toBe(true);
  });

  it('records tool calls the same way for the same seed, and other seeds corrupt differently', async () => {
    const [a, b] = [await run(trusting, 5), await run(trusting, 5)];
    expect(b.toolCalls).toEqual(a.toolCalls);
    expect(b.traceHash).toBe(a.traceHash);
    const amounts = new Set<unknown>();
    for (let seed = 1; seed <= 8; seed++) amounts.add(((await run(trusting, seed)).toolCalls[1]?.args as { amount: number } | undefined)?.amount);
    expect(amounts.size).toBeGreaterThan(1);
  });
});
