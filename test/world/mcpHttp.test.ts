// Goal: the MCP SDK's own StreamableHTTPClientTransport reaches a simulated McpServer over HTTP —
// served by the SDK's own server transport inside the run — and sees what it would see from a
// deployed server: session ids, SSE and JSON answers, the GET stream with list_changed, progress,
// DELETE, the SDK's 404 and 400 answers; all in virtual time, the same trace for the same seed.
// Method: a small CRM server whose lookup reports progress; agents that use the SDK client over
// world.fetch (and over the global fetch in global mode), with the trace's mcp spans and marks read.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport, type StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { type FaultPlanInput, isFaultlineError, type SimulateOptions, simulate, spansOf, type World } from '../../harness/index.ts';
import { distinctTraces, expectDeterministic, range } from '../helpers/determinism.ts';
import { buildCrm, INFO, marks, mcpSpans, textOf } from './mcpHttpFixtures.ts';

type Options = Omit<SimulateOptions, 'seed' | 'faults'>;
const run = <T>(agent: (world: World) => Promise<T>, faults: FaultPlanInput = [], seed = 1, options: Options = { mcp: { crm: buildCrm } }) =>
  simulate(agent, { seed, faults, ...options });

/** Lists the tools, waits for a list_changed that may come, then calls lookup with a progress handler. */
async function session(world: World): Promise<{ tools: string[]; name: string; progress: number[]; changed: number; sessionId: boolean }> {
  const client = new Client(INFO);
  let changed = 0;
  client.setNotificationHandler(ToolListChangedNotificationSchema, () => void changed++);
  const transport = new StreamableHTTPClientTransport(new URL(world.mcp.url('crm')), { fetch: world.fetch });
  await client.connect(transport);
  const { tools } = await client.listTools();
  await world.sleep(1_000);
  const progress: number[] = [];
  const result = await client.callTool({ name: 'lookup', arguments: { id: '42' } }, undefined, { onprogress: (p) => progress.push(p.progress) });
  const sessionId = typeof transport.sessionId === 'string';
  await transport.terminateSession();
  await client.close();
  return { tools: tools.map((t) => t.name), name: (JSON.parse(textOf(result)) as { name: string }).name, progress, changed, sessionId };
}

describe('an unmodified MCP Client over Streamable HTTP', () => {
  it('initializes a session, lists tools, calls one with progress, and receives list_changed on the GET stream', async () => {
    const plan: FaultPlanInput = [{ target: 'mcp:crm', kind: 'list-changed', when: { afterMs: 500 } }];
    const r = await run(session, plan);
    expect(r.outcome, r.message).toBe('ok');
    expect(r.value).toEqual({ tools: ['lookup'], name: 'Ada Lovelace', progress: [1, 2], changed: 1, sessionId: true });
    expect(r.problems).toEqual([]);
    expect(mcpSpans(r).map((s) => [s.target, s.data.method, s.data.tool, s.outcome])).toEqual([
      ['mcp:crm', 'initialize', undefined, 'ok'],
      ['mcp:crm', 'tools/list', undefined, 'ok'],
      ['mcp:crm', 'tools/call', 'lookup', 'ok'],
    ]);
    expect(marks(r, 'mcp.notification').map((m) => m.data?.method)).toEqual([
      'notifications/tools/list_changed',
      'notifications/progress',
      'notifications/progress',
    ]);
    // The SDK client's own HTTP exchanges: initialize, initialized (202), the GET stream, tools/list, tools/call, DELETE.
    const fetches = spansOf(r.trace).filter((s) => s.kind === 'fetch');
    expect(fetches.map((s) => [s.data.method, s.data.status ?? s.outcome])).toEqual([
      ['POST', 200],
      ['POST', 202],
      ['GET', 200],
      ['POST', 200],
      ['POST', 200],
      ['DELETE', 200],
    ]);
    expect(fetches.every((s) => s.target === 'http:crm.mcp.test')).toBe(true);
    expect(marks(r, 'mcp.connect').map((m) => m.data)).toEqual([{ target: 'mcp:crm', session: 1, transport: 'streamable-http' }]);
    expect(marks(r, 'mcp.close').map((m) => m.data?.by)).toEqual(['client']);
    // Each answer reaches the client after its response head: a span never ends before its fetch.
    const call = mcpSpans(r)[2];
    const callFetch = fetches[4];
    expect(call?.end ?? 0).toBeGreaterThan(callFetch?.start ?? 0);
  });

  it('gives the same trace for the same seed, and other timings for other seeds', async () => {
    await expectDeterministic((seed) => run(session, [], seed), 3);
    expect(await distinctTraces((seed) => run(session, [], seed), range(1, 5))).toBeGreaterThan(1);
  });

  it('issues session ids from the seed, not from the agent’s randomness', async () => {
    const ids = async (seed: number) => {
      const r = await run(
        async (world) => {
          const transport = new StreamableHTTPClientTransport(new URL(world.mcp.url('crm')), { fetch: world.fetch });
          await new Client(INFO).connect(transport);
          return { session: transport.sessionId, agent: crypto.randomUUID() };
        },
        [],
        seed,
      );
      return r.value as { session: string; agent: string };
    };
    const [a, b, c] = [await ids(1), await ids(1), await ids(2)];
    expect(a).toEqual(b);
    expect(c.session).not.toBe(a.session);
    // The server's own draws do not shift what the agent's crypto.randomUUID returns.
    const alone = await simulate(async () => crypto.randomUUID(), { seed: 1 });
    expect(a.agent).toBe(alone.value);
  });

  it('answers with one JSON body when the server is configured so (progress is then not sent, as with the SDK)', async () => {
    const r = await run(session, [], 1, { mcp: { crm: { server: buildCrm, response: 'json' } } });
    expect(r.outcome, r.message).toBe('ok');
    expect(r.value).toMatchObject({ tools: ['lookup'], name: 'Ada Lovelace', progress: [] });
    expect(mcpSpans(r).map((s) => s.outcome)).toEqual(['ok', 'ok', 'ok']);
  });

  it('serves a server at its configured URL, and reaches it through the global fetch in global mode', async () => {
    const options: Options = { mcp: { crm: { server: buildCrm, url: 'https://tools.example.test/v1/crm/mcp' } }, network: 'global' };
    const r = await run(
      async (world) => {
        const client = new Client(INFO);
        await client.connect(new StreamableHTTPClientTransport(new URL(world.mcp.url('crm'))));
        return { url: world.mcp.url('crm'), tools: (await client.listTools()).tools.map((t) => t.name) };
      },
      [],
      1,
      options,
    );
    expect(r.outcome, r.message).toBe('ok');
    expect(r.value).toEqual({ url: 'https://tools.example.test/v1/crm/mcp', tools: ['lookup'] });
    expect(spansOf(r.trace).filter((s) => s.kind === 'fetch')[0]?.target).toBe('http:tools.example.test');
  });

  it('gives each actor its own session and server, and interleaves their requests deterministically', async () => {
    const fanOut = async (world: World) => {
      const worker = async (w: World) => {
        const client = new Client(INFO);
        await client.connect(new StreamableHTTPClientTransport(new URL(w.mcp.url('crm')), { fetch: w.fetch }));
        const calls = range(0, 3).map((i) => client.callTool({ name: 'lookup', arguments: { id: `${i}` } }));
        return (await Promise.all(calls)).map((r) => (JSON.parse(textOf(r)) as { id: string }).id);
      };
      return Promise.all([world.spawn('a', worker), world.spawn('b', worker)]);
    };
    const r = await expectDeterministic((seed) => run(fanOut, [], seed), 4);
    expect(r.value).toEqual([
      ['0', '1', '2'],
      ['0', '1', '2'],
    ]);
    expect(marks(r, 'mcp.connect').map((m) => [m.actor, m.data?.session])).toEqual(
      expect.arrayContaining([
        ['a', expect.any(Number)],
        ['b', expect.any(Number)],
      ]),
    );
    expect(new Set(mcpSpans(r).map((s) => s.actor))).toEqual(new Set(['a', 'b']));
  });

  it('answers a request without a session 400 and one with an unknown session 404, in the SDK transport’s words', async () => {
    const r = await run(async (world) => {
      const post = (headers: Record<string, string>) =>
        world.fetch(world.mcp.url('crm'), {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
          body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
        });
      const none = await post({});
      const unknown = await post({ 'mcp-session-id': 'f00' });
      return [
        [none.status, (await none.json()) as unknown],
        [unknown.status, (await unknown.json()) as unknown],
      ];
    });
    expect(r.value).toEqual([
      [400, { jsonrpc: '2.0', error: { code: -32000, message: 'Bad Request: Server not initialized' }, id: null }],
      [404, { jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null }],
    ]);
  });

  it('ends a session on DELETE: the old id is answered 404 and the SDK client says so', async () => {
    const r = await run(async (world) => {
      const transport = new StreamableHTTPClientTransport(new URL(world.mcp.url('crm')), { fetch: world.fetch });
      const client = new Client(INFO);
      await client.connect(transport);
      const id = transport.sessionId;
      await transport.terminateSession();
      const stale = new StreamableHTTPClientTransport(new URL(world.mcp.url('crm')), { fetch: world.fetch, sessionId: id });
      const again = new Client(INFO);
      // With a session id, Client.connect skips initialize (a reconnection), so the first request finds out.
      await again.connect(stale);
      return again.listTools().then(
        () => 'listed',
        (error: StreamableHTTPError) => [error.code, error.message],
      );
    });
    expect(r.value).toEqual([
      404,
      'Streamable HTTP error: Error POSTing to endpoint: {"jsonrpc":"2.0","error":{"code":-32001,"message":"Session not found"},"id":null}',
    ]);
    expect(mcpSpans(r).at(-1)).toMatchObject({ outcome: 'error', data: { method: 'tools/list', status: 404, session: 1 } });
  });

  it('rejects bad server options with every problem at once, and names a server that does not exist', async () => {
    const bad = simulate(async () => 1, {
      mcp: {
        crm: { server: buildCrm, url: 'ftp://x', response: 'xml' as never },
        kb: { server: buildCrm, url: 'https://crm.mcp.test/mcp' },
        billing: 3 as never,
      },
    });
    await expect(bad).rejects.toThrow(
      /mcp\["crm"\]\.url: expected an absolute http\(s\) URL[\s\S]*response: expected "sse" or "json"[\s\S]*mcp\["billing"\]: expected a factory/,
    );
    const clash = simulate(async () => 1, { mcp: { crm: buildCrm, kb: { server: buildCrm, url: 'https://crm.mcp.test/mcp' } } });
    await expect(clash).rejects.toThrow('https://crm.mcp.test/mcp is already where MCP server "crm" is served');
    const unknown = await run(async (world) => world.mcp.url('billing'));
    expect(isFaultlineError(unknown.error)).toBe(true);
    expect((unknown.error as Error).message).toContain('there is no simulated MCP server "billing"; the servers are "crm"');
  });
});
