// A simulated MCP server's Streamable HTTP endpoint (MCP specification, transports, 2025-03-26 and
// later): the router in front of its sessions, as a deployment of the SDK server writes it. An
// initialize without a session id opens a new session (a fresh McpServer and SDK transport); any
// other request is handed to the session its Mcp-Session-Id names, and one that names no live
// session is answered by the SDK transport's own 404 `Session not found`. Before a request reaches
// a session, the faults of the plan decide its fate at the HTTP layer: a refused or reset
// connection, a 401 challenge, a 5xx from the proxy, a lost request or a late one.
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { isInitializeRequest, isJSONRPCRequest, type JSONRPCMessage, type JSONRPCRequest } from '@modelcontextprotocol/sdk/types.js';
import type { FaultInjector } from '../../faults/injector.ts';
import { challengeDescription } from '../../faults/kinds/unauthorized.ts';
import type { Actor } from '../../sim/actors.ts';
import type { Kernel, ServeContext } from '../../sim/kernel.ts';
import type { RandomStream } from '../../sim/rng.ts';
import { connectionError } from '../httpFaults.ts';
import { HttpSession } from './httpSession.ts';
import { decideFate, isScheduled, lostOnTheWay, type RequestFate } from './requestFaults.ts';
import { RequestSpans } from './requestSpans.ts';
import type { Deployment } from './serverFaults.ts';
import type { Site } from './site.ts';

export interface EndpointContext {
  readonly kernel: Kernel;
  readonly injector: FaultInjector;
  readonly site: Site;
  /** Builds the server of a new session (and schedules the site's timed faults on the first). */
  readonly open: (actor: Actor) => Deployment;
}

const REASONS: Readonly<Record<number, string>> = { 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' };

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
      this.resetInOutage();
      if (session === undefined) return id === null ? this.unopened(request) : this.gone(request);
      return request.method === 'GET' ? session.get(call.actor, request, call.signal) : session.other(request);
    }
    const text = await request.text();
    const body = parse(text);
    const forward = new Request(request.url, { method: 'POST', headers: request.headers, body: text });
    const requests = (body?.messages ?? []).filter(isJSONRPCRequest);
    if (id !== null && session === undefined) return this.deadSession(forward, id, requests, call.actor);
    if (body === undefined || requests.length === 0) {
      this.resetInOutage();
      return session === undefined ? this.unopened(forward) : session.post(call.actor, forward, body?.value, [], call.signal);
    }
    if (session === undefined && !requests.some(isInitializeRequest)) return this.unopened(forward);
    const spans = session?.spans ?? new RequestSpans(this.context.kernel, this.context.site.name);
    const fates = requests.map((r) => this.decide(spans, call.actor, r));
    // A client that aborts its POST (it closed, or gave up on a handshake) abandons the requests in it.
    call.signal?.addEventListener('abort', () => {
      for (const r of requests) spans.cancelled(r.id, 'the client aborted the HTTP request');
    });
    const early = await this.atTheDoor(spans, requests, fates, call.actor);
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

  /** Every session of the server, in the order they were opened. */
  get live(): readonly HttpSession[] {
    return [...this.sessions.values()];
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

  /** Opens the span of a request and decides what the plan does to it. */
  private decide(spans: RequestSpans, actor: Actor, request: JSONRPCRequest): RequestFate {
    const { injector, site } = this.context;
    const flight = spans.open(actor, request.id, request.method, request.params);
    const fate = decideFate({ injector, target: site.target, actor: actor.name, method: request.method, span: flight.span, stream: site.faultStream });
    flight.fate = fate;
    return fate;
  }

  /**
   * Applies the faults that act before the request reaches its session: a delay, a refused or
   * reset connection, a 401, a 5xx, a lost request. Returns the answer when one of them gave it.
   */
  private async atTheDoor(
    spans: RequestSpans,
    requests: readonly JSONRPCRequest[],
    fates: readonly RequestFate[],
    actor: Actor,
  ): Promise<Response | undefined> {
    const { kernel, site } = this.context;
    const extraMs = Math.max(0, ...fates.map((f) => f.extraMs));
    if (extraMs > 0) await kernel.delay(actor, extraMs);
    const fault = (kind: string, rule: string) => {
      for (const r of requests) spans.end(r.id, 'fault', { fault: kind, rule });
    };
    for (const fate of fates) {
      const connection = fate.outage ?? fate.disconnect;
      if (connection !== undefined) {
        const mode = connection.kind === 'outage' ? connection.params.mode : 'reset';
        connection.effect({ mode });
        fault(connection.kind, connection.id);
        throw connectionError(mode, site.config.url.host);
      }
      if (fate.unauthorized !== undefined) {
        const { params, id } = fate.unauthorized;
        const description = challengeDescription(params);
        fate.unauthorized.effect({ status: 401, error: params.error });
        fault('unauthorized', id);
        return new Response(JSON.stringify({ error: params.error, error_description: description }), {
          status: 401,
          headers: { 'content-type': 'application/json', 'www-authenticate': `Bearer error="${params.error}", error_description="${description}"` },
        });
      }
      if (fate.serverError !== undefined) {
        const { params, id } = fate.serverError;
        fate.serverError.effect({ status: params.status });
        fault('server-error', id);
        return new Response(params.message ?? REASONS[params.status] ?? 'Server Error', {
          status: params.status,
          headers: { 'content-type': 'text/plain; charset=utf-8' },
        });
      }
    }
    for (const [i, fate] of fates.entries()) {
      const lost = lostOnTheWay(fate);
      if (lost === undefined) continue;
      // The request is lost on its way: no response head ever comes, only the client's timeout or abort ends it.
      lost.effect(lost.kind === 'slow-initialize' ? { forever: true } : undefined);
      const flight = spans.get(requests[i]?.id);
      if (flight !== undefined) flight.fault = { kind: lost.kind, rule: lost.id };
      return new Promise<Response>(() => undefined);
    }
    return undefined;
  }

  /** Inside a timed disconnect's window, every connection attempted is reset, not only JSON-RPC requests. */
  private resetInOutage(): void {
    const { injector, site } = this.context;
    const outage = injector.activeNow(site.target, ['disconnect']).find((hit) => isScheduled(hit.rule));
    if (outage === undefined) return;
    outage.effect({ mode: 'reset' });
    throw connectionError('reset', site.config.url.host);
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

/** A POST body as JSON, and its messages (one, or a batch), or undefined when it is not JSON. */
function parse(text: string): { value: unknown; messages: JSONRPCMessage[] } | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return { value, messages: (Array.isArray(value) ? value : [value]) as JSONRPCMessage[] };
  } catch {
    return undefined;
  }
}
