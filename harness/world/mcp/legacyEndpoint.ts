// A simulated MCP server's legacy HTTP+SSE endpoints (protocol 2024-11-05), as a deployment of the
// SDK's SSEServerTransport serves them: a GET to the SSE URL opens a session (its own McpServer and
// event stream), and POSTs to the messages URL with `?sessionId=` carry the client's messages to
// it; a POST to a session the server does not have is answered 404 `Session not found`, as the
// SDK's example servers answer. Requests meet the same faults at the door as over Streamable HTTP.
import { isJSONRPCRequest, type JSONRPCRequest } from '@modelcontextprotocol/sdk/types.js';
import type { Actor } from '../../sim/actors.ts';
import type { ServeContext } from '../../sim/kernel.ts';
import type { RandomStream } from '../../sim/rng.ts';
import { atTheDoor, decideRequest, parse, resetInOutage } from './httpDoor.ts';
import { LegacySession } from './legacySession.ts';
import { RequestSpans } from './requestSpans.ts';
import type { EndpointContext } from './streamableEndpoint.ts';

export class LegacyEndpoint {
  private readonly sessions = new Map<string, LegacySession>();
  /** The numbers of sessions that ended, by id (ids are never reused). */
  private readonly ended = new Map<string, number>();
  private opened = 0;
  private readonly serverRandom: RandomStream;

  constructor(private readonly context: EndpointContext) {
    this.serverRandom = context.kernel.rng.stream(`${context.site.target}:legacy`);
  }

  /** The GET that opens a session: the event stream, whose first event names the endpoint. */
  async stream(call: ServeContext): Promise<Response> {
    resetInOutage(this.context);
    const { kernel, site } = this.context;
    const deployment = this.context.open(call.actor);
    const messages = site.config.legacy?.messages.pathname ?? '/messages';
    const session: LegacySession = new LegacySession(
      {
        kernel,
        actor: call.actor,
        site,
        deployment,
        spans: new RequestSpans(kernel, site.name),
        number: ++this.opened,
        serverRandom: this.serverRandom,
        onClosed: (closed) => {
          this.sessions.delete(closed.id);
          this.ended.set(closed.id, closed.number);
          site.live.delete(closed);
        },
      },
      messages,
    );
    site.live.set(session, deployment);
    this.sessions.set(session.id, session);
    return session.open(call.signal);
  }

  /** A POST of messages to a session. */
  async message(request: Request, call: ServeContext): Promise<Response> {
    const id = new URL(request.url).searchParams.get('sessionId');
    if (id === null) return new Response('Missing sessionId parameter', { status: 400 });
    const session = this.sessions.get(id);
    const text = await request.text();
    const body = parse(text);
    const forward = new Request(request.url, { method: 'POST', headers: request.headers, body: text });
    const requests = (body?.messages ?? []).filter(isJSONRPCRequest);
    if (session === undefined) return this.deadSession(id, requests, call.actor);
    if (body === undefined || requests.length === 0) {
      resetInOutage(this.context);
      return session.post(forward, body?.value ?? text);
    }
    const fates = requests.map((r) => decideRequest(this.context, session.spans, call.actor, r));
    call.signal?.addEventListener('abort', () => {
      for (const r of requests) session.spans.cancelled(r.id, 'the client aborted the HTTP request');
    });
    const early = await atTheDoor(this.context, session.spans, requests, fates, call.actor);
    if (early !== undefined) return early;
    if (this.sessions.get(id) !== session) return this.deadSession(id, [], call.actor);
    return session.post(forward, body.value);
  }

  /** A POST to a session the server does not have: 404, its requests traced with the session's number. */
  private deadSession(id: string, requests: readonly JSONRPCRequest[], actor: Actor): Response {
    const spans = new RequestSpans(this.context.kernel, this.context.site.name);
    const number = this.ended.get(id);
    for (const r of requests) {
      spans.open(actor, r.id, r.method, r.params);
      spans.end(r.id, 'error', { status: 404, error: 'Session not found', ...(number === undefined ? {} : { session: number }) });
    }
    return new Response('Session not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  }
}
