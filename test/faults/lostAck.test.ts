// Goal: `lost-ack` means the same on every layer: the server applies the request, then the reply is
// lost (the connection resets) or arrives after the client gave up — the double charge on retry.
// A naive agent that retries charges twice; one that sends an idempotency key charges once. Method:
// a payment backend reached over HTTP (msw), as a world tool and as an MCP server (the official
// client), each with a one-rule plan, counting charges; the LLM's own bill under a reset reply.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { HttpResponse, http } from 'msw';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool, type FaultPlanInput, rules, simulate, type World } from '../../harness/index.ts';
import { expectDeterministic } from '../helpers/determinism.ts';

/** A payment backend: it charges once per idempotency key, and every time without one. */
function backend() {
  const charges: string[] = [];
  const seen = new Set<string>();
  const charge = (order: string, key: string | undefined): string => {
    if (key !== undefined && seen.has(key)) return 'already charged';
    if (key !== undefined) seen.add(key);
    charges.push(order);
    return `charged ${order}`;
  };
  return { charges, charge };
}

/** Charges order A1, retrying up to three times on any failure, with or without an idempotency key. */
async function withRetries(world: World, attempt: (key: string | undefined) => Promise<string>, keyed: boolean): Promise<string> {
  const key = keyed ? `charge:A1:${world.random('keys').int(0, 1e9)}` : undefined;
  for (let i = 0; i < 3; i++) {
    try {
      return await attempt(key);
    } catch {
      await world.sleep(1_000);
    }
  }
  return 'gave up';
}

describe('lost-ack: applied, then the reply is lost', () => {
  it('over HTTP: a reset after the handler ran makes a naive retry charge twice, a keyed one once', async () => {
    const run = async (keyed: boolean, faults: FaultPlanInput) => {
      const b = backend();
      const r = await simulate(
        (world) =>
          withRetries(
            world,
            async (key) => {
              const res = await world.fetch('https://pay.example.com/charges', {
                method: 'POST',
                headers: key === undefined ? {} : { 'idempotency-key': key },
                body: 'A1',
                signal: AbortSignal.timeout(10_000),
              });
              return res.text();
            },
            keyed,
          ),
        {
          seed: 1,
          faults,
          handlers: () => [
            http.post('https://pay.example.com/charges', async ({ request }) =>
              HttpResponse.text(b.charge(await request.text(), request.headers.get('idempotency-key') ?? undefined)),
            ),
          ],
        },
      );
      return { r, charges: b.charges.length };
    };
    for (const params of [{ mode: 'reset' }, { mode: 'late', lateMs: 60_000 }] as const) {
      const faults: FaultPlanInput = [{ target: 'http:pay.example.com', kind: 'lost-ack', when: { calls: [0] }, params }];
      expect((await run(false, faults)).charges, params.mode).toBe(2);
      const keyed = await run(true, faults);
      expect(keyed.charges, params.mode).toBe(1);
      expect(keyed.r.value, params.mode).toBe('already charged');
    }
    expect((await run(false, [])).charges).toBe(1);
  });

  it('on a world tool: the handler ran, the caller got ToolError lost-reply, and a retry runs it again', async () => {
    const run = async (keyed: boolean) => {
      const b = backend();
      const pay = defineTool({
        name: 'pay',
        description: 'Charges an order',
        input: z.object({ order: z.string(), key: z.string().optional() }),
        handler: ({ order, key }) => b.charge(order, key),
      });
      const r = await simulate((world) => withRetries(world, (key) => world.tools.call('pay', { order: 'A1', ...(key === undefined ? {} : { key }) }), keyed), {
        seed: 1,
        tools: [pay],
        faults: [{ target: 'tool:pay', kind: 'lost-ack', when: { calls: [0] } }],
      });
      return { r, charges: b.charges.length };
    };
    const naive = await run(false);
    expect(naive.charges).toBe(2);
    const marks = naive.r.trace.filter((e) => e.type === 'mark' && e.name === 'fault');
    expect(marks.map((m) => (m.type === 'mark' ? m.data?.mode : ''))).toEqual(['reset']);
    expect((await run(true)).charges).toBe(1);
  });

  it('on an MCP server: the server ran the call, the connection dropped before the reply, and a reconnect-and-retry charges again', async () => {
    const run = async (keyed: boolean, seed = 1) => {
      const b = backend();
      const server = () => {
        const s = new McpServer({ name: 'pay', version: '1.0.0' });
        s.registerTool('charge', { description: 'Charges an order', inputSchema: { order: z.string(), key: z.string().optional() } }, ({ order, key }) => ({
          content: [{ type: 'text', text: b.charge(order, key) }],
        }));
        return s;
      };
      const r = await simulate(
        (world) =>
          withRetries(
            world,
            async (key) => {
              const client = new Client({ name: 'agent', version: '1.0.0' });
              await client.connect(world.mcp.connect('pay'));
              const result = await client.callTool({ name: 'charge', arguments: { order: 'A1', ...(key === undefined ? {} : { key }) } });
              await client.close();
              return (result.content as Array<{ text: string }>)[0]?.text ?? '';
            },
            keyed,
          ),
        { seed, mcp: { pay: server }, faults: [{ target: 'mcp:pay', kind: 'lost-ack', when: { calls: [0] } }] },
      );
      return { r, charges: b.charges.length };
    };
    expect((await run(false)).charges).toBe(2);
    const keyed = await run(true);
    expect(keyed.charges).toBe(1);
    expect(keyed.r.value).toBe('already charged');
    await expectDeterministic(async (seed) => (await run(false, seed)).r, 4);
  });

  it('on an LLM call: the provider bills the answer it could not deliver, and the SDK’s retry is billed again', async () => {
    const r = await simulate(
      async (world: World) => {
        const client = new OpenAI({ apiKey: 'sk-sim', fetch: world.fetch });
        return (await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })).choices[0]?.message.content;
      },
      { seed: 1, llm: { models: { 'gpt-4o-mini': rules(() => 'hello') } }, faults: [{ target: 'llm:*', kind: 'lost-ack', when: { calls: [0] } }] },
    );
    expect(r.value).toBe('hello');
    expect(r.spend).toMatchObject({ attempts: 2, calls: 2 });
  });
});
