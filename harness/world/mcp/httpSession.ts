// One Streamable HTTP session of a simulated MCP server: a real McpServer behind the MCP SDK's own
// WebStandardStreamableHTTPServerTransport, which does the protocol (session ids, SSE or JSON
// answers, the GET stream, DELETE, event ids and replay). Faultline only stands between the two:
// a thin link (messageLink.ts) passes every JSON-RPC message through, so per-request faults act
// on messages, and every response body goes through a relay that carries it to the client in
// virtual time and can drop it.
import { type EventStore, WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  isJSONRPCErrorResponse,
  isJSONRPCNotification,
  isJSONRPCResultResponse,
  type JSONRPCMessage,
  type RequestId,
} from '@modelcontextprotocol/sdk/types.js';
import type { Actor } from '../../sim/actors.ts';
import type { Kernel } from '../../sim/kernel.ts';
import type { RandomStream } from '../../sim/rng.ts';
import type { TraceData } from '../../sim/trace.ts';
import { BodyRelay } from './bodyRelay.ts';
import { OrderedEventStore, streamOf } from './eventStore.ts';
import { linkServer } from './messageLink.ts';
import type { RequestSpans } from './requestSpans.ts';
import type { Deployment } from './serverFaults.ts';
import { type LiveLink, type Site, TRANSIT } from './site.ts';

export interface SessionConfig {
  readonly kernel: Kernel;
  /** The actor whose initialize opened the session: its marks are attributed to it. */
  readonly actor: Actor;
  readonly site: Site;
  readonly deployment: Deployment;
  /** The spans of its requests (opened by the endpoint as they arrive). */
  readonly spans: RequestSpans;
  /** The session's number among the site's sessions in this run, from 1, for the trace. */
  readonly number: number;
  /** Draws the session id the server issues. */
  readonly sessionIds: RandomStream;
  /** The server's own randomness (the SDK transport's stream ids). */
  readonly serverRandom: RandomStream;
  /** The session is over: the endpoint forgets its id. */
  readonly onClosed: (session: HttpSession) => void;
}

type ClosedBy = 'client' | 'expired';

export class HttpSession implements LiveLink {
  readonly spans: RequestSpans;
  readonly number: number;
  private readonly transport: WebStandardStreamableHTTPServerTransport;
  private readonly relays = new Set<BodyRelay>();
  private readonly relayOf = new Map<RequestId, BodyRelay>();
  /** Streams whose Last-Event-ID the server no longer honours (an sse-drop without resume). */
  private readonly forgotten = new Set<string>();
  private readonly link: Transport;
  private closed = false;

  constructor(private readonly config: SessionConfig) {
    const { site } = config;
    this.spans = config.spans;
    this.number = config.number;
    const store: EventStore | undefined = site.config.resumable ? new OrderedEventStore() : undefined;
    this.transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => config.sessionIds.uuid(),
      enableJsonResponse: site.config.response === 'json',
      ...(store === undefined ? {} : { eventStore: store }),
      // A keep-alive comment every 15 s is a timer that never ends, which would hide a stuck run;
      // it carries nothing a client reads.
      keepAliveMs: 0,
      onsessionclosed: () => this.close('client'),
    });
    this.link = linkServer(this.transport, {
      kernel: config.kernel,
      site,
      spans: this.spans,
      mark: (name, data, span) => this.mark(name, data, span),
      loseAnswer: (id) => this.relayOf.get(id)?.terminate(),
      closed: () => this.closed,
    });
  }

  /** The id the server issued at initialize (undefined before). */
  get id(): string | undefined {
    return this.transport.sessionId;
  }

  get target(): string {
    return this.config.site.target;
  }

  /** True once the session is over (the client deleted it, or the server forgot it). */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Connects the session's McpServer to the SDK transport, through the link. */
  async start(): Promise<void> {
    this.mark('mcp.connect', { transport: 'streamable-http' });
    await this.config.deployment.server.connect(this.link);
  }

  /** Serves a POST whose JSON-RPC messages are already parsed (and whose request spans are open). */
  async post(actor: Actor, request: Request, parsedBody: unknown, ids: readonly RequestId[], signal: AbortSignal | undefined): Promise<Response> {
    const relay = this.relay(actor, signal);
    for (const id of ids) {
      this.relayOf.set(id, relay);
      this.planDrop(relay, id);
    }
    const { kernel, serverRandom } = this.config;
    const served = kernel.globals.withCryptoRandom(serverRandom, () => this.transport.handleRequest(request, { parsedBody }));
    const response = await Promise.race([served, relay.headFailed]);
    if (!response.ok) {
      const text = await response.clone().text();
      for (const id of ids) this.spans.end(id, 'error', { status: response.status, error: text.slice(0, 200) });
    }
    return relay.wrap(response);
  }

  /** Serves the GET that opens the stream of server-initiated messages (or resumes one). */
  async get(actor: Actor, request: Request, signal: AbortSignal | undefined): Promise<Response> {
    const last = request.headers.get('last-event-id');
    let forwarded = request;
    if (last !== null && this.forgotten.has(streamOf(last))) {
      // The server does not honour this cursor: it answers the GET as a new stream.
      const headers = new Headers(request.headers);
      headers.delete('last-event-id');
      forwarded = new Request(request.url, { method: 'GET', headers });
    }
    return this.relay(actor, signal).wrap(await this.transport.handleRequest(forwarded));
  }

  /** Serves a DELETE (the client ends the session) or any other method the SDK transport answers. */
  async other(request: Request): Promise<Response> {
    return this.transport.handleRequest(request);
  }

  /** Every open stream of the session drops (a timed disconnect); the session itself survives. */
  disconnect(): void {
    for (const relay of [...this.relays]) relay.terminate();
  }

  /** The server forgets the session (a restart): its streams drop and its id is answered 404 from now on. */
  expire(): void {
    this.close('expired');
  }

  /** The stream `relay` carries loses its Last-Event-ID cursor (the server will not replay it). */
  forget(lastEventId: string | undefined): void {
    if (lastEventId !== undefined) this.forgotten.add(streamOf(lastEventId));
  }

  private close(by: ClosedBy): void {
    if (this.closed) return;
    this.closed = true;
    for (const relay of [...this.relays]) relay.terminate();
    this.spans.endAll(by === 'expired' ? 'fault' : 'aborted', { closedBy: by, ...(by === 'expired' ? { fault: 'session-expired' } : {}) });
    this.mark('mcp.close', { by });
    this.config.onClosed(this);
    if (by === 'expired') this.transport.close().catch(() => undefined);
  }

  /** Plans the sse-drop that hit request `id`, on the relay that will carry its answer. */
  private planDrop(relay: BodyRelay, id: RequestId): void {
    const flight = this.spans.get(id);
    const hit = flight?.fate?.sseDrop;
    if (flight === undefined || hit === undefined) return;
    if (this.config.site.config.response === 'json') {
      hit.noEffect('the server answers with one JSON body, not an SSE stream');
      return;
    }
    const { afterEvents, mode, resume } = hit.params;
    const resumable = resume && this.config.site.config.resumable;
    relay.dropAfter({
      afterEvents,
      mode,
      applied: (lastEventId) => {
        hit.effect({ afterEvents, mode, resume: resumable });
        if (!resumable) {
          flight.fault = { kind: 'sse-drop', rule: hit.id };
          this.forget(lastEventId);
        }
      },
    });
  }

  private relay(actor: Actor, signal: AbortSignal | undefined): BodyRelay {
    const { kernel, site } = this.config;
    const relay = new BodyRelay({
      kernel,
      actor,
      host: site.config.url.host,
      transit: TRANSIT,
      transitStream: site.transitStream,
      signal,
      onMessage: (message) => this.delivered(message),
      onEnd: (ended) => this.relays.delete(ended),
    });
    this.relays.add(relay);
    return relay;
  }

  /** A message reached the client: a response ends its request's span; a notification is marked. */
  private delivered(message: JSONRPCMessage): void {
    if (isJSONRPCResultResponse(message) || isJSONRPCErrorResponse(message)) {
      if (message.id !== undefined) {
        this.spans.answered(message.id, message);
        this.relayOf.delete(message.id);
      }
    } else if (isJSONRPCNotification(message)) this.mark('mcp.notification', { method: message.method });
  }

  private mark(name: string, data: TraceData, span?: number): void {
    const { kernel } = this.config;
    if (kernel.ended) return;
    const fields: TraceData = { target: this.target, session: this.config.number, ...data };
    const actor = this.config.actor.name;
    kernel.trace.record(span === undefined ? { type: 'mark', name, actor, data: fields } : { type: 'mark', name, actor, span, data: fields });
  }
}
