// Goal: an unmodified MCP Client talks to real McpServers through Faultline in virtual time, every
// run is a pure function of its seed, and each MCP fault kind hurts a naive agent while a hardened
// agent fails closed, times out, re-lists or reconnects. Method: a small CRM server built per
// connection; for each fault, a naive and a hardened agent run under the same plan and their
// outcomes, values and traces (mcp spans, fault and taint marks) are compared.
import { Client, type ClientOptions } from '@modelcontextprotocol/sdk/client/index.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ErrorCode, McpError, type Tool as McpTool, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type FaultPlanInput, isFaultlineError, type RunResult, simulate, spansOf, type TraceEvent, type World } from '../../harness/index.ts';
import { distinctTraces, expectDeterministic, range } from '../helpers/determinism.ts';

interface Customer {
  readonly id: string;
  readonly name: string;
  readonly balance: number;
  readonly since: string;
}

const ADA: Customer = { id: '42', name: 'Ada Lovelace', balance: 1250, since: '2019-03-14' };

/** A CRM server as a team would write it with the SDK; it keeps notes, so state is per server. */
function buildCrm(): McpServer {
  const server = new McpServer({ name: 'crm', version: '1.0.0' });
  const notes: string[] = [];
  server.registerTool('lookup', { description: 'Look up a customer by id', inputSchema: { id: z.string() } }, ({ id }) => {
    if (id !== ADA.id) return { content: [{ type: 'text', text: `No customer ${id}` }], isError: true };
    return { content: [{ type: 'text', text: JSON.stringify(ADA) }] };
  });
  server.registerTool('add_note', { description: 'Attach a note to a customer', inputSchema: { id: z.string(), text: z.string() } }, ({ id, text }) => {
    notes.push(`${id}: ${text}`);
    return { content: [{ type: 'text', text: `${notes.length} note(s)` }] };
  });
  return server;
}

const INFO = { name: 'agent', version: '1.0.0' };

async function connect(world: World, options?: ClientOptions): Promise<Client> {
  const client = new Client(INFO, options);
  await client.connect(world.mcp.connect('crm'));
  return client;
}

function textOf(result: unknown): string {
  const content = (result as { content?: Array<{ type: string; text?: string }> }).content ?? [];
  return content.find((c) => c.type === 'text')?.text ?? '';
}

const run = <T>(agent: (world: World) => Promise<T>, faults: FaultPlanInput = [], seed = 1): Promise<RunResult<T>> =>
  simulate(agent, { seed, faults, mcp: { crm: buildCrm } });

const mcpSpans = (r: RunResult) => spansOf(r.trace).filter((s) => s.kind === 'mcp');
const marks = (r: RunResult, name: string) => r.trace.filter((e): e is Extract<TraceEvent, { type: 'mark' }> => e.type === 'mark' && e.name === name);
const toolCalls = (r: RunResult) => mcpSpans(r).filter((s) => s.data.method === 'tools/call');

/** Lists, waits, then calls `lookup` trusting everything: the tool list, the schema, the answer. */
async function naiveLookup(world: World, waitMs = 1000): Promise<string> {
  const client = await connect(world);
  await client.listTools();
  await world.sleep(waitMs);
  const result = await client.callTool({ name: 'lookup', arguments: { id: '42' } });
  return (JSON.parse(textOf(result)) as Customer).name;
}

/**
 * Keeps its tool list current through the client's `listChanged` option, fails closed when the tool
 * it planned with is missing or its schema changed, bounds every request, and reports errors.
 */
async function carefulLookup(world: World, waitMs = 1000): Promise<{ name?: string; error?: string }> {
  let tools: McpTool[] = [];
  const client = await connect(world, {
    listChanged: { tools: { onChanged: (error, next) => void (error === null && next !== null && (tools = next)) } },
  });
  tools = (await client.listTools(undefined, { timeout: 2_000 })).tools;
  const planned = JSON.stringify(tools.find((t) => t.name === 'lookup')?.inputSchema);
  const described = tools.find((t) => t.name === 'lookup')?.description;
  await world.sleep(waitMs);
  const tool = tools.find((t) => t.name === 'lookup');
  if (tool === undefined) return { error: 'tool "lookup" is no longer offered by crm' };
  if (JSON.stringify(tool.inputSchema) !== planned) return { error: 'tool "lookup" changed its input schema' };
  if (tool.description !== described) return { error: 'tool "lookup" changed what it says it does' };
  try {
    const result = await client.callTool({ name: 'lookup', arguments: { id: '42' } }, undefined, { timeout: 2_000 });
    if (result.isError === true) return { error: `lookup failed: ${textOf(result)}` };
    return { name: (JSON.parse(textOf(result)) as Customer).name };
  } catch (error) {
    return { error: `lookup unavailable: ${(error as Error).message}` };
  }
}

describe('an unmodified MCP Client against a simulated McpServer', () => {
  const basic = async (world: World) => {
    const client = await connect(world);
    const { tools } = await client.listTools();
    const result = await client.callTool({ name: 'lookup', arguments: { id: '42' } });
    return { tools: tools.map((t) => t.name), customer: JSON.parse(textOf(result)) as Customer };
  };

  it('connects, lists tools and calls one, with an mcp span per request', async () => {
    const r = await run(basic);
    expect(r.outcome).toBe('ok');
    expect(r.value).toEqual({ tools: ['lookup', 'add_note'], customer: ADA });
    const spans = mcpSpans(r);
    expect(spans.map((s) => [s.data.method, s.data.tool, s.outcome])).toEqual([
      ['initialize', undefined, 'ok'],
      ['tools/list', undefined, 'ok'],
      ['tools/call', 'lookup', 'ok'],
    ]);
    const main = spansOf(r.trace).find((s) => s.kind === 'actor');
    for (const s of spans) {
      expect(s.target).toBe('mcp:crm');
      expect(s.parent).toBe(main?.span);
      // A round trip is two transits of 1–5 ms.
      expect((s.end ?? 0) - s.start).toBeGreaterThanOrEqual(2);
      expect((s.end ?? 0) - s.start).toBeLessThanOrEqual(10);
    }
    expect(marks(r, 'mcp.connect')).toHaveLength(1);
  });

  it('gives the same trace for the same seed, and other transit times for other seeds', async () => {
    await expectDeterministic((seed) => run(basic, [], seed), 7);
    expect(await distinctTraces((seed) => run(basic, [], seed), range(1, 6))).toBeGreaterThan(1);
  });

  it('finishes a run whose client is never closed, and traces a client that closes', async () => {
    const open = await run(async (world) => (await connect(world)).getServerVersion()?.name);
    expect(open.outcome).toBe('ok');
    expect(open.value).toBe('crm');
    const closing = await run(async (world) => {
      const client = await connect(world);
      await client.close();
      return client.listTools().then(
        () => 'listed',
        (error: Error) => error.message,
      );
    });
    expect(closing.value).toBe('Not connected');
    expect(marks(closing, 'mcp.close').map((m) => m.data?.by)).toEqual(['client']);
  });

  it('builds a fresh server for every connection', async () => {
    const r = await run(async (world) => {
      const note = async () => textOf(await (await connect(world)).callTool({ name: 'add_note', arguments: { id: '42', text: 'hi' } }));
      return [await note(), await note()];
    });
    expect(r.value).toEqual(['1 note(s)', '1 note(s)']);
  });

  it("keeps concurrent requests of several actors in the kernel's order, deterministically", async () => {
    const fanOut = async (world: World) => {
      const worker = async (w: World) => {
        const client = await connect(w);
        const calls = range(0, 4).map((i) => client.callTool({ name: 'add_note', arguments: { id: '42', text: `n${i}` } }));
        return (await Promise.all(calls)).map(textOf);
      };
      return Promise.all([world.spawn('a', worker), world.spawn('b', worker)]);
    };
    const r = await expectDeterministic((seed) => run(fanOut, [], seed), 4);
    expect(r.outcome).toBe('ok');
    // Each connection has its own server, which saw its four notes one after another.
    for (const notes of r.value as string[][]) expect([...notes].sort()).toEqual(['1 note(s)', '2 note(s)', '3 note(s)', '4 note(s)']);
    expect(new Set(mcpSpans(r).map((s) => s.actor))).toEqual(new Set(['a', 'b']));
  });

  it('rejects a factory that hands out one shared server', async () => {
    const shared = buildCrm();
    const r = await simulate(async (world) => [world.mcp.connect('crm'), world.mcp.connect('crm')], { mcp: { crm: () => shared } });
    expect(r.outcome).toBe('threw');
    expect((r.error as Error).message).toContain('returned a server it had returned before');
  });

  it('rejects an unknown server and a plan that changes a tool the server lacks', async () => {
    const unknown = await run(async (world) => world.mcp.connect('billing'));
    expect(unknown.outcome).toBe('threw');
    expect(isFaultlineError(unknown.error)).toBe(true);
    expect((unknown.error as Error).message).toContain('the servers are "crm"');
    const plan: FaultPlanInput = [{ target: 'mcp:crm', kind: 'tool-removed', params: { tool: 'refund' } }];
    const bad = await run(async (world) => connect(world), plan);
    expect(bad.outcome).toBe('threw');
    expect((bad.error as Error).message).toContain('no tool "refund"; its tools are "lookup", "add_note"');
  });
});

describe('per-request MCP faults', () => {
  it('latency delays a tools/call by the drawn amount', async () => {
    const plan: FaultPlanInput = [{ target: 'mcp:crm', kind: 'latency', when: { calls: [2] }, params: { latency: { kind: 'fixed', ms: 700 } } }];
    const r = await run((world) => naiveLookup(world, 0), plan);
    expect(r.value).toBe('Ada Lovelace');
    const call = toolCalls(r)[0];
    expect((call?.end ?? 0) - (call?.start ?? 0)).toBeGreaterThanOrEqual(702);
    expect(marks(r, 'fault').map((m) => m.data?.kind)).toEqual(['latency']);
  });

  it('a slow handshake (latency on initialize) costs a naive agent the wait; a hardened one bounds connect', async () => {
    const plan: FaultPlanInput = [{ target: 'mcp:crm', kind: 'latency', when: { calls: [0] }, params: { latency: { kind: 'fixed', ms: 30_000 } } }];
    const naive = await run((world) => naiveLookup(world, 0), plan);
    expect(naive.value).toBe('Ada Lovelace');
    expect(naive.virtualTimeMs).toBeGreaterThanOrEqual(30_000);
    const hardened = await run(async (world) => {
      const client = new Client(INFO);
      return client.connect(world.mcp.connect('crm'), { timeout: 2_000 }).then(
        () => 'connected',
        (error: McpError) => `crm skipped: ${error.code === ErrorCode.RequestTimeout ? 'handshake timed out' : error.message}`,
      );
    }, plan);
    expect(hardened.value).toBe('crm skipped: handshake timed out');
    expect(hardened.virtualTimeMs).toBeLessThan(2_100);
    expect(mcpSpans(hardened)[0]?.outcome).toBe('aborted');
  });

  it('hang: a naive agent waits for the SDK default timeout (60 s virtual); a hardened one degrades at its own', async () => {
    const plan: FaultPlanInput = [{ target: 'mcp:crm', kind: 'hang', when: { calls: [2] } }];
    const naive = await expectDeterministic((seed) => run((world) => naiveLookup(world, 0), plan, seed), 3);
    expect(naive.outcome).toBe('threw');
    expect(naive.error).toBeInstanceOf(McpError);
    expect((naive.error as McpError).code).toBe(ErrorCode.RequestTimeout);
    expect(naive.virtualTimeMs).toBeGreaterThanOrEqual(60_000);
    expect(toolCalls(naive)[0]?.outcome).toBe('fault');
    const hardened = await run((world) => carefulLookup(world, 0), plan);
    expect(hardened.outcome).toBe('ok');
    expect(hardened.value).toEqual({ error: 'lookup unavailable: MCP error -32001: Request timed out' });
    expect(hardened.virtualTimeMs).toBeLessThan(2_100);
  });

  it('error: the call answers an isError result; a naive agent parses it as data, a hardened one reports it', async () => {
    const plan: FaultPlanInput = [{ target: 'mcp:crm', kind: 'error', params: { message: 'CRM backend unavailable' } }];
    const naive = await run((world) => naiveLookup(world, 0), plan);
    expect(naive.outcome).toBe('threw');
    expect(naive.error).toBeInstanceOf(SyntaxError);
    expect(toolCalls(naive)[0]?.outcome).toBe('fault');
    const hardened = await run((world) => carefulLookup(world, 0), plan);
    expect(hardened.value).toEqual({ error: 'lookup failed: CRM backend unavailable' });
    // Only the tools/call was hit: initialize and tools/list are not the error kind's calls.
    expect(marks(hardened, 'fault')).toHaveLength(1);
  });

  it('corrupt: one fact of the result changes and a taint mark says which', async () => {
    const plan: FaultPlanInput = [{ target: 'mcp:crm', kind: 'corrupt', when: { times: 1 }, params: { fact: 'number' } }];
    const twice = async (world: World) => {
      const client = await connect(world);
      const ask = async () => JSON.parse(textOf(await client.callTool({ name: 'lookup', arguments: { id: '42' } }))) as Customer;
      const [first, second] = [await ask(), await ask()];
      // The hardened habit: a fact that matters is confirmed before it is used.
      return { naive: first.balance, confirmed: first.balance === second.balance ? first.balance : 'unconfirmed' };
    };
    const r = await expectDeterministic((seed) => run(twice, plan, seed), 5);
    const [taint] = marks(r, 'taint');
    expect(taint?.data).toMatchObject({ target: 'mcp:crm', where: 'mcp:crm/lookup', fact: 'number', path: 'content[0].text#balance', original: '1250' });
    const value = r.value as { naive: number; confirmed: number | string };
    expect(value.naive).toBe(Number(taint?.data?.corrupted));
    expect(value.naive).not.toBe(ADA.balance);
    expect(value.confirmed).toBe('unconfirmed');
    expect(toolCalls(r).map((s) => s.outcome)).toEqual(['fault', 'ok']);
  });

  it('corrupt changes structured content and its text mirror together, so they still agree', async () => {
    const withSchema = () => {
      const server = new McpServer({ name: 'crm', version: '1.0.0' });
      const output = { id: z.string(), name: z.string(), balance: z.number(), since: z.string() };
      server.registerTool('lookup', { inputSchema: { id: z.string() }, outputSchema: output }, () => ({
        content: [{ type: 'text', text: JSON.stringify(ADA, null, 2) }],
        structuredContent: { ...ADA },
      }));
      return server;
    };
    const plan: FaultPlanInput = [{ target: 'mcp:crm', kind: 'corrupt', params: { fact: 'date' } }];
    const r = await simulate(
      async (world) => {
        const client = await connect(world);
        await client.listTools();
        const result = await client.callTool({ name: 'lookup', arguments: { id: '42' } });
        return { text: JSON.parse(textOf(result)) as Customer, structured: result.structuredContent };
      },
      { seed: 2, faults: plan, mcp: { crm: withSchema } },
    );
    const [taint] = marks(r, 'taint');
    expect(taint?.data).toMatchObject({ path: 'structuredContent.since', original: ADA.since });
    expect(r.value?.text).toEqual(r.value?.structured);
    expect(r.value?.text.since).toBe(taint?.data?.corrupted);
  });
});

describe('connection faults', () => {
  /** Reconnects with a new client when the old connection closed, a few times, then reports. */
  async function reconnectingLookup(world: World): Promise<{ name?: string; error?: string; attempts: number }> {
    let closed = false;
    const open = async () => {
      const client = await connect(world);
      client.onclose = () => void (closed = true);
      closed = false;
      return client;
    };
    let client = await open();
    await world.sleep(600);
    let attempts = 0;
    while (closed && attempts < 5) {
      attempts++;
      client = await open().catch(async () => {
        await world.sleep(200);
        return client;
      });
    }
    if (closed) return { error: 'crm unreachable', attempts };
    const result = await client.callTool({ name: 'lookup', arguments: { id: '42' } }, undefined, { timeout: 2_000 });
    return { name: (JSON.parse(textOf(result)) as Customer).name, attempts };
  }

  it('disconnect at afterMs: the client sees onclose; a naive agent fails, a hardened one reconnects after the outage', async () => {
    const plan: FaultPlanInput = [{ target: 'mcp:crm', kind: 'disconnect', when: { afterMs: 500, beforeMs: 800 } }];
    const naive = await run((world) => naiveLookup(world, 600), plan);
    expect(naive.outcome).toBe('threw');
    expect((naive.error as Error).message).toBe('Not connected');
    expect(marks(naive, 'mcp.close').map((m) => [m.t, m.data?.by])).toEqual([[500, 'fault']]);
    const hardened = await expectDeterministic((seed) => run(reconnectingLookup, plan, seed), 2);
    expect(hardened.value).toEqual({ name: 'Ada Lovelace', attempts: 2 });
    // The first reconnection fell inside the outage window and was dropped at its handshake.
    const closes = marks(hardened, 'mcp.close').map((m) => m.data?.by);
    expect(closes).toEqual(['fault', 'fault']);
    expect(marks(hardened, 'mcp.connect')).toHaveLength(3);
  });

  it('disconnect on a selected call: the request fails with ConnectionClosed', async () => {
    const plan: FaultPlanInput = [{ target: 'mcp:crm', kind: 'disconnect', when: { calls: [2] } }];
    const naive = await run((world) => naiveLookup(world, 0), plan);
    expect(naive.outcome).toBe('threw');
    expect((naive.error as McpError).code).toBe(ErrorCode.ConnectionClosed);
    expect(toolCalls(naive)[0]?.outcome).toBe('fault');
    const hardened = await run((world) => carefulLookup(world, 0), plan);
    expect(hardened.value).toEqual({ error: 'lookup unavailable: MCP error -32000: Connection closed' });
  });
});

describe('server changes at when.afterMs', () => {
  const notified = (r: RunResult) => marks(r, 'mcp.notification').map((m) => m.data?.method);

  it('tool-removed: a naive agent calls the vanished tool and fails; a hardened one fails closed without calling', async () => {
    const plan: FaultPlanInput = [{ target: 'mcp:crm', kind: 'tool-removed', when: { afterMs: 500 } }];
    const naive = await run(naiveLookup, plan);
    expect(naive.outcome).toBe('threw');
    expect(notified(naive)).toEqual(['notifications/tools/list_changed']);
    expect(toolCalls(naive)[0]?.outcome).toBe('error');
    const hardened = await run(carefulLookup, plan);
    expect(hardened.value).toEqual({ error: 'tool "lookup" is no longer offered by crm' });
    expect(toolCalls(hardened)).toHaveLength(0);
    // The client's listChanged handler re-listed after its 300 ms debounce.
    const lists = mcpSpans(hardened).filter((s) => s.data.method === 'tools/list');
    expect(lists.map((s) => s.start >= 800)).toEqual([false, true]);
    expect(marks(hardened, 'fault')[0]?.data).toMatchObject({ kind: 'tool-removed', tool: 'lookup', connections: 1 });
  });

  it('tool-renamed: the old name is gone, the new one answers, and a hardened agent does not guess', async () => {
    const plan: FaultPlanInput = [{ target: 'mcp:crm', kind: 'tool-renamed', when: { afterMs: 500 }, params: { to: 'find_customer' } }];
    const naive = await run(async (world) => {
      const client = await connect(world);
      await world.sleep(1000);
      const old = await client.callTool({ name: 'lookup', arguments: { id: '42' } });
      const renamed = await client.callTool({ name: 'find_customer', arguments: { id: '42' } });
      return { old: textOf(old), renamed: (JSON.parse(textOf(renamed)) as Customer).name };
    }, plan);
    expect(naive.value).toEqual({ old: 'MCP error -32602: Tool lookup not found', renamed: 'Ada Lovelace' });
    const hardened = await run(carefulLookup, plan);
    expect(hardened.value).toEqual({ error: 'tool "lookup" is no longer offered by crm' });
  });

  it('schema-drift: a stale schema gets the server input error; a hardened agent notices the change and fails closed', async () => {
    const plan: FaultPlanInput = [{ target: 'mcp:crm', kind: 'schema-drift', when: { afterMs: 500 } }];
    const naive = await run(async (world) => {
      const client = await connect(world);
      await world.sleep(1000);
      const stale = await client.callTool({ name: 'lookup', arguments: { id: '42' } });
      const current = await client.callTool({ name: 'lookup', arguments: { id_v2: '42' } });
      const { tools } = await client.listTools();
      return {
        stale: stale.isError === true,
        staleText: textOf(stale),
        current: (JSON.parse(textOf(current)) as Customer).name,
        fields: Object.keys(tools[0]?.inputSchema.properties ?? {}),
      };
    }, plan);
    expect(naive.value).toMatchObject({ stale: true, current: 'Ada Lovelace', fields: ['id_v2'] });
    expect(naive.value?.staleText).toContain('Input validation error');
    const hardened = await run(carefulLookup, plan);
    expect(hardened.value).toEqual({ error: 'tool "lookup" changed its input schema' });
    expect(toolCalls(hardened)).toHaveLength(0);
  });

  it('description-changed: the contract changes under the same name; a naive agent calls on, a hardened one fails closed', async () => {
    const plan: FaultPlanInput = [{ target: 'mcp:crm', kind: 'description-changed', when: { afterMs: 500 }, params: { tool: 'lookup' } }];
    const naive = await run(naiveLookup, plan);
    expect(naive.outcome).toBe('ok');
    expect(notified(naive)).toEqual(['notifications/tools/list_changed']);
    const hardened = await run(carefulLookup, plan);
    expect(hardened.value).toEqual({ error: 'tool "lookup" changed what it says it does' });
    expect(toolCalls(hardened)).toHaveLength(0);
  });

  it('list-changed: the server notifies; a naive agent never re-lists, a hardened one does', async () => {
    const plan: FaultPlanInput = [{ target: 'mcp:crm', kind: 'list-changed', when: { afterMs: 300 } }];
    const lists = (r: RunResult) => mcpSpans(r).filter((s) => s.data.method === 'tools/list').length;
    const naive = await run(naiveLookup, plan);
    expect(notified(naive)).toEqual(['notifications/tools/list_changed']);
    expect(lists(naive)).toBe(1);
    const hardened = await run(async (world) => {
      const client = await connect(world);
      let relisted = 0;
      client.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
        relisted += (await client.listTools()).tools.length;
      });
      await world.sleep(1000);
      return relisted;
    }, plan);
    expect(hardened.value).toBe(2);
    expect(lists(hardened)).toBe(1);
  });

  it('a server built after a change starts out changed, without a notification', async () => {
    const plan: FaultPlanInput = [{ target: 'mcp:crm', kind: 'tool-removed', when: { afterMs: 500 } }];
    const r = await run(async (world) => {
      await world.sleep(600);
      const { tools } = await (await connect(world)).listTools();
      return tools.map((t) => t.name);
    }, plan);
    expect(r.value).toEqual(['add_note']);
    expect(notified(r)).toEqual([]);
    expect(marks(r, 'fault')).toHaveLength(1);
  });
});
