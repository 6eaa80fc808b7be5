// A simulated MCP server's Streamable HTTP endpoint (MCP specification, transports, 2025-03-26 and
// later): the router in front of its sessions, as a deployment of the SDK server writes it. An
// initialize without a session id opens a new session (a fresh McpServer and SDK transport); any
// other request is handed to the session its Mcp-Session-Id names, and one that names no live
// session is answered by the SDK transport's own 404 `Session not found`. Before a request reaches
// a session, the faults of the plan decide its fate at the HTTP layer (httpDoor.ts).
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { isInitializeRequest, isJSONRPCRequest, type JSONRPCRequest } from '@modelcontextprotocol/sdk/types.js';
import type { Actor } from '../../sim/actors.ts';
import type { ServeContext } from '../../sim/kernel.ts';
import type { RandomStream } from '../../sim/rng.ts';
import { atTheDoor, type DoorContext, decideRequest, parse, resetInOutage } from './httpDoor.ts';
import { HttpSession } from './httpSession.ts';
import { RequestSpans } from './requestSpans.ts';
import type { Deployment } from './serverFaults.ts';

export interface EndpointContext extends DoorContext {
  /** Builds the server of a new session (and schedules the site's timed faults on the first). */
  readonly open: (actor: Actor) => Deployment;
}

export class StreamableEndpoint {
  private readonly sessions = new Map<string, HttpSession>();
  /** The numbers of sessions that ended, by id (ids are never reused). */
  private readonly ended = new Map<string, number>();
  private opened = 0;
  private readonly sessionIds: RandomStream;
  private readonly serverRandom: RandomStream;

  constructor(private readonly context: EndpointContext) {
    const { kernel, site } = context;
    this.sessionIds = kernel.rng.stream(`${site.target}:sessions`);
    this.serverRandom = kernel.rng.stream(`${site.target}:server`);
  }

  /** Serves one HTTP request to the server's URL. */
  async serve(request: Request, call: ServeContext): Promise<Response> {
    const id = request.headers.get('mcp-session-id');
    const session = id === null ? undefined : this.sessions.get(id);
    if (request.method !== 'POST') {
      resetInOutage(this.context);
      if (session === undefined) return id === null ? this.unopened(request) : this.gone(request);
      return request.method === 'GET' ? session.get(call.actor, request, call.signal) : session.other(request);
    }
    const text = await request.text();
    const body = parse(text);
    const forward = new Request(request.url, { method: 'POST', headers: request.headers, body: text });
    const requests = (body?.messages ?? []).filter(isJSONRPCRequest);
    if (id !== null && session === undefined) return this.deadSession(forward, id, requests, call.actor);
    if (body === undefined || requests.length === 0) {
      resetInOutage(this.context);
      return session === undefined ? this.unopened(forward) : session.post(call.actor, forward, body?.value, [], call.signal);
    }
    if (session === undefined && !requests.some(isInitializeRequest)) return this.unopened(forward);
    const spans = session?.spans ?? new RequestSpans(this.context.kernel, this.context.site.name);
    const fates = requests.map((r) => decideRequest(this.context, spans, call.actor, r));
    // A client that aborts its POST (it closed, or gave up on a handshake) abandons the requests in it.
    call.signal?.addEventListener('abort', () => {
      for (const r of requests) spans.cancelled(r.id, 'the client aborted the HTTP request');
    });
    const early = await atTheDoor(this.context, spans, requests, fates, call.actor);
    if (early !== undefined) return early;
    // The session may have ended while the request was on its way (a restart during a delay).
    if (session !== undefined && this.sessions.get(id as string) !== session) {
      for (const r of requests) spans.end(r.id, 'error', { status: 404, error: 'Session not found', session: session.number });
      return this.gone(forward);
    }
    const target = session ?? (await this.openSession(call.actor, spans));
    const response = await target.post(
      call.actor,
      forward,
      body.value,
      requests.map((r) => r.id),
      call.signal,
    );
    // The SDK transport issued the session id while it handled the initialize.
    if (session === undefined && target.id !== undefined && !target.isClosed) this.sessions.set(target.id, target);
    return response;
  }

  private async openSession(actor: Actor, spans: RequestSpans): Promise<HttpSession> {
    const { kernel, site } = this.context;
    const deployment = this.context.open(actor);
    const session: HttpSession = new HttpSession({
      kernel,
      actor,
      site,
      deployment,
      spans,
      number: ++this.opened,
      sessionIds: this.sessionIds,
      serverRandom: this.serverRandom,
      onClosed: (closed) => {
        if (closed.id === undefined) return;
        this.sessions.delete(closed.id);
        this.ended.set(closed.id, closed.number);
        site.live.delete(closed);
      },
    });
    site.live.set(session, deployment);
    await session.start();
    return session;
  }

  /**
   * A POST to a session the server no longer has: the SDK transport's 404. Its requests are traced
   * as `mcp` spans that end at once, with the session's number, so a property can see a client
   * that keeps sending a dead session id.
   */
  private async deadSession(request: Request, id: string, requests: readonly JSONRPCRequest[], actor: Actor): Promise<Response> {
    const spans = new RequestSpans(this.context.kernel, this.context.site.name);
    const number = this.ended.get(id);
    for (const r of requests) {
      spans.open(actor, r.id, r.method, r.params);
      spans.end(r.id, 'error', { status: 404, error: 'Session not found', ...(number === undefined ? {} : { session: number }) });
    }
    return this.gone(request);
  }

  /** The SDK transport's own answer to a session id it does not know: 404 `Session not found`. */
  private async gone(request: Request): Promise<Response> {
    const closed = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: () => '' });
    await closed.close();
    return closed.handleRequest(request);
  }

  /** The SDK transport's own answer to a request without a session that does not open one (400). */
  private async unopened(request: Request): Promise<Response> {
    const fresh = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: () => '', keepAliveMs: 0 });
    return fresh.handleRequest(request);
  }
}
