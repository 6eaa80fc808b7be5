// Goal: each transport fault of an MCP server reached over Streamable HTTP leaves a naive client
// wedged or failing and lets a hardened one recover, in virtual time, the same way every time.
// Method: the MCP SDK's StreamableHTTPClientTransport over world.fetch against a CRM server; the
// naive agent keeps one client for the life of the process and trusts it (as the SDK invites), the
// hardened one bounds every handshake and call, starts a new session when the server answers 404
// (the MCP specification's session management, point 4), presents fresh credentials after a 401,
// and retries a call that failed at the transport once it has backed off. Each plan is run against
// both; outcomes, errors, virtual times and the trace (mcp spans, fault marks, HTTP exchanges) are read.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, type McpError } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { type FaultPlanInput, type RunResult, simulate, spansOf, type World } from '../../harness/index.ts';
import { expectDeterministic } from '../helpers/determinism.ts';
import { buildCrm, INFO, marks, mcpSpans, textOf } from './mcpHttpFixtures.ts';

const run = <T>(agent: (world: World) => Promise<T>, faults: FaultPlanInput, seed = 1, resumable = true) =>
  simulate(agent, { seed, faults, mcp: { crm: { server: buildCrm, resumable } } });

const transportTo = (world: World, token = 'token-1') =>
  new StreamableHTTPClientTransport(new URL(world.mcp.url('crm')), { fetch: world.fetch, requestInit: { headers: { authorization: `Bearer ${token}` } } });

const nameOf = (result: unknown) => (JSON.parse(textOf(result)) as { name: string }).name;

/** One client for the life of the process: connect, list, wait, look up; any error ends the agent. */
async function naive(world: World): Promise<string> {
  const client = new Client(INFO);
  await client.connect(transportTo(world));
  await client.listTools();
  await world.sleep(1_000);
  return nameOf(await client.callTool({ name: 'lookup', arguments: { id: '42' } }));
}

/** The naive client with a retry loop: it retries on the same client, so a dead session stays dead. */
async function naiveRetrying(world: World): Promise<string[]> {
  const client = new Client(INFO);
  await client.connect(transportTo(world));
  await world.sleep(1_000);
  const seen: string[] = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      seen.push(nameOf(await client.callTool({ name: 'lookup', arguments: { id: '42' } })));
      break;
    } catch (error) {
      seen.push(`${(error as StreamableHTTPError).code}`);
      await world.sleep(500);
    }
  }
  return seen;
}

interface Recovered {
  readonly name?: string;
  readonly error?: string;
  /** Sessions the agent initialized. */
  readonly sessions: number;
  /** What it recovered from, in order. */
  readonly recovered: readonly string[];
}

const httpStatus = (error: unknown) => (error instanceof StreamableHTTPError ? error.code : undefined);

/** What went wrong, as the hardened agent classifies it. */
function diagnose(error: unknown): 'session-lost' | 'unauthorized' | 'transient' {
  // Spec, session management, point 4: a 404 to a request that carried a session id ends the session.
  if (httpStatus(error) === 404) return 'session-lost';
  if (httpStatus(error) === 401) return 'unauthorized';
  return 'transient';
}

/** Bounded handshakes and calls; a new session after a 404, new credentials after a 401, a backed-off retry otherwise. */
async function hardened(world: World, attempts = 4): Promise<Recovered> {
  let token = 1;
  let client: Client | undefined;
  let sessions = 0;
  const recovered: string[] = [];
  const open = async (): Promise<Client> => {
    const fresh = new Client(INFO);
    await fresh.connect(transportTo(world, `token-${token}`), { timeout: 2_000 });
    sessions++;
    return fresh;
  };
  let lastError = '';
  for (let attempt = 0; attempt < attempts; attempt++) {
    try {
      client ??= await open();
      if (attempt === 0) {
        await client.listTools(undefined, { timeout: 2_000 });
        await world.sleep(1_000);
      }
      const result = await client.callTool({ name: 'lookup', arguments: { id: '42' } }, undefined, { timeout: 3_000 });
      return { name: nameOf(result), sessions, recovered };
    } catch (error) {
      const why = diagnose(error);
      lastError = (error as Error).message;
      recovered.push(why);
      if (why === 'unauthorized') token++;
      if (why !== 'transient' || client === undefined) {
        await client?.close().catch(() => undefined);
        client = undefined;
      }
      if (why === 'transient') await world.sleep(250 * 2 ** attempt);
    }
  }
  return { error: lastError, sessions, recovered };
}

const fetches = (r: RunResult) => spansOf(r.trace).filter((s) => s.kind === 'fetch');
const faultMarks = (r: RunResult) => marks(r, 'fault').map((m) => m.data?.kind);

describe('session-expired: the server restarts and forgets its sessions', () => {
  const plan: FaultPlanInput = [{ target: 'mcp:crm', kind: 'session-expired', when: { afterMs: 500 } }];

  it('wedges a client kept for the life of the process: every retry sends the dead session id and gets 404', async () => {
    const r = await run(naiveRetrying, plan);
    expect(r.value).toEqual(['404', '404', '404']);
    const dead = mcpSpans(r).filter((s) => s.data.status === 404);
    expect(dead.map((s) => [s.data.method, s.data.session])).toEqual([
      ['tools/call', 1],
      ['tools/call', 1],
      ['tools/call', 1],
    ]);
    expect(marks(r, 'mcp.close').map((m) => [m.t, m.data?.by])).toEqual([[500, 'expired']]);
    const naiveRun = await run(naive, plan);
    expect(naiveRun.outcome).toBe('threw');
    expect(httpStatus(naiveRun.error)).toBe(404);
    expect((naiveRun.error as Error).message).toContain('Session not found');
  });

  it('a hardened client starts a new session on the 404 and finishes at once', async () => {
    const r = await expectDeterministic((seed) => run(hardened, plan, seed), 3);
    expect(r.value).toEqual({ name: 'Ada Lovelace', sessions: 2, recovered: ['session-lost'] });
    expect(marks(r, 'mcp.connect').map((m) => m.data?.session)).toEqual([1, 2]);
    expect(r.virtualTimeMs).toBeLessThan(1_500);
  });

  it('ends an in-process connection as a restarted server process does: naive fails, one that reconnects on close recovers', async () => {
    const inProcess = async (world: World, reconnect: boolean) => {
      let client = new Client(INFO);
      let closed = false;
      const watch = (c: Client) => {
        c.onclose = () => void (closed = true);
      };
      watch(client);
      await client.connect(world.mcp.connect('crm'));
      await world.sleep(1_000);
      if (closed && reconnect) {
        client = new Client(INFO);
        await client.connect(world.mcp.connect('crm'));
      }
      return nameOf(await client.callTool({ name: 'lookup', arguments: { id: '42' } }));
    };
    const naiveRun = await run((w) => inProcess(w, false), plan);
    expect((naiveRun.error as Error).message).toBe('Not connected');
    expect(marks(naiveRun, 'mcp.close').map((m) => m.data?.by)).toEqual(['expired']);
    const recovered = await run((w) => inProcess(w, true), plan);
    expect(recovered.value).toBe('Ada Lovelace');
  });
});

describe('sse-drop: the stream carrying an answer drops after its first progress notification', () => {
  const drop = (resume: boolean, afterEvents = 1): FaultPlanInput => [
    { target: 'mcp:crm', kind: 'sse-drop', when: { calls: [2] }, params: { afterEvents, resume } },
  ];
  const withProgress = async (world: World) => {
    const client = new Client(INFO);
    await client.connect(transportTo(world));
    await client.listTools();
    const progress: number[] = [];
    const result = await client.callTool({ name: 'lookup', arguments: { id: '42' } }, undefined, { onprogress: (p) => progress.push(p.progress) });
    return { name: nameOf(result), progress };
  };

  it('with the server honouring Last-Event-ID, the SDK client resumes with a GET and gets the rest, a second later', async () => {
    const r = await expectDeterministic((seed) => run(withProgress, drop(true), seed), 2);
    expect(r.value).toEqual({ name: 'Ada Lovelace', progress: [1, 2] });
    expect(marks(r, 'fault')[0]?.data).toMatchObject({ kind: 'sse-drop', afterEvents: 1, resume: true });
    const dropAt = marks(r, 'fault')[0]?.t ?? 0;
    // The SDK's first reconnection waits 1 s (initialReconnectionDelay), then GETs with Last-Event-ID.
    const resumed = fetches(r).filter((s) => s.data.method === 'GET' && s.start > dropAt);
    expect(resumed).toHaveLength(1);
    expect(resumed[0]?.start).toBeGreaterThanOrEqual(dropAt + 1_000);
    expect(mcpSpans(r).find((s) => s.data.method === 'tools/call')?.outcome).toBe('ok');
  });

  it('without it, the answer is lost: a naive call waits out the SDK default timeout (60 s); a hardened one retries after 3 s', async () => {
    // These agents ask for no progress: the answer is the stream's first message, and it is lost.
    const naiveRun = await run(naive, drop(false, 0));
    expect(naiveRun.outcome).toBe('threw');
    expect((naiveRun.error as McpError).code).toBe(ErrorCode.RequestTimeout);
    expect(naiveRun.virtualTimeMs).toBeGreaterThan(60_000);
    expect(marks(naiveRun, 'fault')[0]?.data).toMatchObject({ kind: 'sse-drop', afterEvents: 0, resume: false });
    // The resumption GET is answered as a new stream, which the session already has: 409 Conflict.
    expect(fetches(naiveRun).some((s) => s.data.method === 'GET' && s.data.status === 409)).toBe(true);
    const r = await expectDeterministic((seed) => run(hardened, drop(false, 0), seed), 2);
    expect(r.value).toEqual({ name: 'Ada Lovelace', sessions: 1, recovered: ['transient'] });
    expect(r.virtualTimeMs).toBeLessThan(5_000);
  });

  it('a server without an event store sends no priming event, so no client can resume', async () => {
    const r = await run(withProgress, drop(true), 1, false);
    expect(r.outcome).toBe('threw');
    expect((r.error as McpError).code).toBe(ErrorCode.RequestTimeout);
    expect(marks(r, 'fault')[0]?.data).toMatchObject({ resume: false });
  });
});

describe('unauthorized: 401 with a WWW-Authenticate challenge', () => {
  const plan: FaultPlanInput = [{ target: 'mcp:crm', kind: 'unauthorized', when: { calls: [2] } }];

  it('sends the SDK bearer middleware’s challenge and body', async () => {
    const r = await run(
      async (world) => {
        const response = await world.fetch(world.mcp.url('crm'), {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
          body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: INFO } }),
        });
        return { status: response.status, statusText: response.statusText, challenge: response.headers.get('www-authenticate'), body: await response.json() };
      },
      [{ target: 'mcp:crm', kind: 'unauthorized' }],
    );
    expect(r.value).toEqual({
      status: 401,
      statusText: 'Unauthorized',
      challenge: 'Bearer error="invalid_token", error_description="Token has expired"',
      body: { error: 'invalid_token', error_description: 'Token has expired' },
    });
  });

  it('fails a naive client; a hardened one presents fresh credentials in a new session', async () => {
    const naiveRun = await run(naive, plan);
    expect(httpStatus(naiveRun.error)).toBe(401);
    const r = await expectDeterministic((seed) => run(hardened, plan, seed), 2);
    expect(r.value).toEqual({ name: 'Ada Lovelace', sessions: 2, recovered: ['unauthorized'] });
    expect(
      mcpSpans(r)
        .filter((s) => s.outcome === 'fault')
        .map((s) => s.data.fault),
    ).toEqual(['unauthorized']);
  });
});

describe('slow-initialize: the handshake is slow or never answered', () => {
  it('never answered: a naive connect waits out 60 s; a hardened one gives up at 2 s and its second handshake works', async () => {
    const plan: FaultPlanInput = [{ target: 'mcp:crm', kind: 'slow-initialize', when: { calls: [0] } }];
    const naiveRun = await run(naive, plan);
    expect((naiveRun.error as McpError).code).toBe(ErrorCode.RequestTimeout);
    expect(naiveRun.virtualTimeMs).toBeGreaterThanOrEqual(60_000);
    expect(mcpSpans(naiveRun)[0]).toMatchObject({ outcome: 'fault', data: { method: 'initialize', fault: 'slow-initialize' } });
    const r = await expectDeterministic((seed) => run(hardened, plan, seed), 2);
    expect(r.value).toEqual({ name: 'Ada Lovelace', sessions: 1, recovered: ['transient'] });
    expect(r.virtualTimeMs).toBeLessThan(4_000);
  });

  it('slow: the naive agent pays the whole delay in virtual time, at no real cost', async () => {
    const plan: FaultPlanInput = [{ target: 'mcp:crm', kind: 'slow-initialize', params: { delayMs: 45_000 } }];
    const naiveRun = await run(naive, plan);
    expect(naiveRun.value).toBe('Ada Lovelace');
    expect(naiveRun.virtualTimeMs).toBeGreaterThan(46_000);
    expect(marks(naiveRun, 'fault')[0]?.data).toMatchObject({ kind: 'slow-initialize', delayMs: 45_000 });
  });
});

describe('HTTP faults at mcp: targets', () => {
  const cases: Array<{ title: string; plan: FaultPlanInput; naive: (r: RunResult) => void }> = [
    {
      title: 'server-error: 503 from the proxy',
      plan: [{ target: 'mcp:crm', kind: 'server-error', when: { calls: [2] } }],
      naive: (r) => {
        expect(httpStatus(r.error)).toBe(503);
        expect((r.error as Error).message).toBe('Streamable HTTP error: Error POSTing to endpoint: Service Unavailable');
      },
    },
    {
      title: 'outage: the connection is reset',
      plan: [{ target: 'mcp:crm', kind: 'outage', when: { calls: [2] }, params: { mode: 'reset' } }],
      naive: (r) => {
        expect((r.error as Error).message).toBe('fetch failed');
        expect(((r.error as Error).cause as { code: string }).code).toBe('ECONNRESET');
      },
    },
    {
      title: 'hang: no response head ever comes',
      plan: [{ target: 'mcp:crm', kind: 'hang', when: { calls: [2] } }],
      naive: (r) => {
        expect((r.error as McpError).code).toBe(ErrorCode.RequestTimeout);
        expect(r.virtualTimeMs).toBeGreaterThan(60_000);
      },
    },
    {
      title: 'lost-ack: the server runs the call, then the stream drops before the answer',
      plan: [{ target: 'mcp:crm', kind: 'lost-ack', when: { calls: [0] } }],
      naive: (r) => {
        expect((r.error as McpError).code).toBe(ErrorCode.RequestTimeout);
        // The server ran the call: its answer was lost with the stream, not its effect.
        expect(marks(r, 'fault')[0]?.data).toMatchObject({ kind: 'lost-ack', mode: 'reset' });
      },
    },
  ];
  for (const c of cases) {
    it(`${c.title}: a naive client fails; a hardened one retries and recovers`, async () => {
      const naiveRun = await run(naive, c.plan);
      expect(naiveRun.outcome).toBe('threw');
      c.naive(naiveRun);
      const r = await expectDeterministic((seed) => run(hardened, c.plan, seed), 2);
      expect(r.value).toEqual({ name: 'Ada Lovelace', sessions: 1, recovered: ['transient'] });
      expect(r.virtualTimeMs).toBeLessThan(5_000);
      expect(faultMarks(r)).toEqual([c.plan[0]?.kind]);
    });
  }

  it('latency: the request reaches the server later, by the drawn amount', async () => {
    const plan: FaultPlanInput = [{ target: 'mcp:crm', kind: 'latency', when: { calls: [2] }, params: { latency: { kind: 'fixed', ms: 7_000 } } }];
    const r = await run(naive, plan);
    const call = mcpSpans(r).find((s) => s.data.method === 'tools/call');
    expect((call?.end ?? 0) - (call?.start ?? 0)).toBeGreaterThanOrEqual(7_000);
    const hardenedRun = await run(hardened, plan);
    // 7 s is over the hardened agent's 3 s bound: it gives up and its retry is answered at once.
    expect(hardenedRun.value).toEqual({ name: 'Ada Lovelace', sessions: 1, recovered: ['transient'] });
  });

  it('disconnect at afterMs: the GET stream drops, and every connection inside the window is reset', async () => {
    const plan: FaultPlanInput = [{ target: 'mcp:crm', kind: 'disconnect', when: { afterMs: 500, beforeMs: 1_500 } }];
    const naiveRun = await run(naive, plan);
    expect((naiveRun.error as Error).message).toBe('fetch failed');
    const r = await expectDeterministic((seed) => run(hardened, plan, seed), 2);
    expect(r.value).toMatchObject({ name: 'Ada Lovelace', sessions: 1 });
    expect(r.virtualTimeMs).toBeGreaterThan(1_500);
  });
});
