// Goal: servers that still speak the legacy HTTP+SSE transport (protocol 2024-11-05) are reached by
// the SDK's own SSEClientTransport, served by the SDK's SSEServerTransport inside the run, and its
// faults behave as they do on that transport: one event stream per session, no event ids, so a
// dropped stream loses its answers and a reconnecting client lands in a new session.
// Method: the CRM server of the HTTP tests at world.mcp.url('crm', 'sse'); a naive agent with one
// client, a hardened one with deadlines and a new client when the server forgot its session.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { ErrorCode, type McpError, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { type FaultPlanInput, isFaultlineError, simulate, spansOf, type World } from '../../harness/index.ts';
import { distinctTraces, expectDeterministic, range } from '../helpers/determinism.ts';
import { buildCrm, INFO, marks, mcpSpans, textOf } from './mcpHttpFixtures.ts';

const run = <T>(agent: (world: World) => Promise<T>, faults: FaultPlanInput = [], seed = 1) => simulate(agent, { seed, faults, mcp: { crm: buildCrm } });

const transportTo = (world: World) => new SSEClientTransport(new URL(world.mcp.url('crm', 'sse')), { fetch: world.fetch });
const nameOf = (result: unknown) => (JSON.parse(textOf(result)) as { name: string }).name;

async function session(world: World) {
  const client = new Client(INFO);
  let changed = 0;
  client.setNotificationHandler(ToolListChangedNotificationSchema, () => void changed++);
  await client.connect(transportTo(world));
  const { tools } = await client.listTools();
  await world.sleep(1_000);
  const progress: number[] = [];
  const result = await client.callTool({ name: 'lookup', arguments: { id: '42' } }, undefined, { onprogress: (p) => progress.push(p.progress) });
  await client.close();
  return { tools: tools.map((t) => t.name), name: nameOf(result), progress, changed };
}

/** One client for the process's life. */
async function naive(world: World): Promise<string> {
  const client = new Client(INFO);
  await client.connect(transportTo(world));
  await world.sleep(1_000);
  return nameOf(await client.callTool({ name: 'lookup', arguments: { id: '42' } }));
}

/** A deadline on every call; after a failure, a new client (a new session) and one more try. */
async function hardened(world: World): Promise<{ name?: string; error?: string; clients: number }> {
  let clients = 0;
  const open = async () => {
    const client = new Client(INFO);
    await client.connect(transportTo(world), { timeout: 2_000 });
    clients++;
    return client;
  };
  let client = await open();
  await world.sleep(1_000);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      return { name: nameOf(await client.callTool({ name: 'lookup', arguments: { id: '42' } }, undefined, { timeout: 3_000 })), clients };
    } catch {
      await client.close().catch(() => undefined);
      client = await open();
    }
  }
  return { error: 'crm unavailable', clients };
}

describe('an unmodified MCP Client over the legacy HTTP+SSE transport', () => {
  it('opens a session with a GET, posts its messages, and gets answers, progress and list_changed on the stream', async () => {
    const r = await run(session, [{ target: 'mcp:crm', kind: 'list-changed', when: { afterMs: 500 } }]);
    expect(r.outcome, r.message).toBe('ok');
    expect(r.value).toEqual({ tools: ['lookup'], name: 'Ada Lovelace', progress: [1, 2], changed: 1 });
    expect(mcpSpans(r).map((s) => [s.data.method, s.outcome])).toEqual([
      ['initialize', 'ok'],
      ['tools/list', 'ok'],
      ['tools/call', 'ok'],
    ]);
    const fetches = spansOf(r.trace).filter((s) => s.kind === 'fetch');
    expect(fetches[0]?.data).toMatchObject({ method: 'GET', url: 'https://crm.mcp.test/sse', status: 200 });
    // Every message goes in its own POST to the endpoint the stream named, answered 202.
    expect(
      fetches
        .slice(1)
        .every((s) => s.data.method === 'POST' && String(s.data.url).startsWith('https://crm.mcp.test/messages?sessionId=') && s.data.status === 202),
    ).toBe(true);
    expect(marks(r, 'mcp.connect').map((m) => m.data?.transport)).toEqual(['sse']);
  });

  it('gives the same trace for the same seed, and other timings for other seeds', async () => {
    await expectDeterministic((seed) => run(session, [], seed), 3);
    expect(await distinctTraces((seed) => run(session, [], seed), range(1, 4))).toBeGreaterThan(1);
  });

  it('is reached through the global fetch in global mode, as code that cannot be handed world.fetch does', async () => {
    const r = await simulate(
      async (world) => {
        const client = new Client(INFO);
        await client.connect(new SSEClientTransport(new URL(world.mcp.url('crm', 'sse'))));
        return (await client.listTools()).tools.map((t) => t.name);
      },
      { seed: 1, mcp: { crm: buildCrm }, network: 'global' },
    );
    expect(r.outcome, r.message).toBe('ok');
    expect(r.value).toEqual(['lookup']);
  });

  it('is not served where the options say sseUrl: false', async () => {
    const r = await simulate(async (world) => world.mcp.url('crm', 'sse'), { mcp: { crm: { server: buildCrm, sseUrl: false } } });
    expect(isFaultlineError(r.error)).toBe(true);
    expect((r.error as Error).message).toContain('does not serve the legacy HTTP+SSE transport');
  });
});

describe('faults on the legacy transport', () => {
  it('session-expired: POSTs to the forgotten session get 404; a naive client fails, a hardened one opens a new session', async () => {
    const plan: FaultPlanInput = [{ target: 'mcp:crm', kind: 'session-expired', when: { afterMs: 500 } }];
    const naiveRun = await run(naive, plan);
    expect((naiveRun.error as Error).message).toBe('Error POSTing to endpoint (HTTP 404): Session not found');
    expect(mcpSpans(naiveRun).at(-1)?.data).toMatchObject({ method: 'tools/call', status: 404, session: 1 });
    const r = await expectDeterministic((seed) => run(hardened, plan, seed), 2);
    expect(r.value).toEqual({ name: 'Ada Lovelace', clients: 2 });
    expect(marks(r, 'mcp.connect').map((m) => m.data?.session)).toEqual([1, 2]);
  });

  it('sse-drop: the session stream drops before the answer, which is lost (no event ids); a deadline and a retry recover', async () => {
    const plan: FaultPlanInput = [{ target: 'mcp:crm', kind: 'sse-drop', when: { calls: [1] } }];
    const naiveRun = await run(naive, plan);
    expect((naiveRun.error as McpError).code).toBe(ErrorCode.RequestTimeout);
    expect(naiveRun.virtualTimeMs).toBeGreaterThan(60_000);
    expect(marks(naiveRun, 'fault')[0]?.data).toMatchObject({ kind: 'sse-drop', resume: false });
    const r = await expectDeterministic((seed) => run(hardened, plan, seed), 2);
    expect(r.value).toEqual({ name: 'Ada Lovelace', clients: 2 });
    expect(r.virtualTimeMs).toBeLessThan(6_000);
  });
});
