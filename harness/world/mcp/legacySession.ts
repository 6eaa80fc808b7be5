// One session of a simulated MCP server over the legacy HTTP+SSE transport (protocol 2024-11-05):
// a GET opens an event stream whose first event names the endpoint to POST messages to, and every
// answer comes back on that one stream. The protocol is the MCP SDK's own SSEServerTransport,
// which writes to a Node ServerResponse; here it writes to a small stand-in whose bytes become the
// body of the GET's Response, carried to the client in virtual time by a relay. The stream has no
// event ids, so a dropped stream loses whatever it was carrying, and a client that reconnects gets
// a new session.
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  isJSONRPCErrorResponse,
  isJSONRPCNotification,
  isJSONRPCResultResponse,
  type JSONRPCMessage,
  type RequestId,
} from '@modelcontextprotocol/sdk/types.js';
import type { TraceData } from '../../sim/trace.ts';
import { BodyRelay } from './bodyRelay.ts';
import type { SessionConfig } from './httpSession.ts';
import { linkServer } from './messageLink.ts';
import type { RequestSpans } from './requestSpans.ts';
import { type LiveLink, TRANSIT } from './site.ts';

/** As an HTTP session's config, without the session id the legacy transport draws itself. */
export interface LegacySessionConfig extends Omit<SessionConfig, 'sessionIds' | 'onClosed'> {
  readonly onClosed: (session: LegacySession) => void;
}

const encoder = new TextEncoder();

/** What SSEServerTransport needs of a Node ServerResponse: a head, writes, an end, and 'close'. */
class ResponseStandIn {
  status = 200;
  headers: Record<string, string> = {};
  body = '';
  private controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  private readonly onClose: Array<() => void> = [];
  readonly stream = new ReadableStream<Uint8Array>({
    start: (controller) => {
      this.controller = controller;
    },
    cancel: () => this.closed(),
  });

  writeHead(status: number, headers?: Record<string, string>): this {
    this.status = status;
    this.headers = headers ?? {};
    return this;
  }
  write(chunk: string): boolean {
    this.controller?.enqueue(encoder.encode(chunk));
    return true;
  }
  end(text?: string): this {
    if (text !== undefined) this.body += text;
    try {
      this.controller?.close();
    } catch {
      // Already closed.
    }
    return this;
  }
  on(event: string, listener: () => void): this {
    if (event === 'close') this.onClose.push(listener);
    return this;
  }
  /** The connection closed (the client went away, or it dropped). */
  closed(): void {
    for (const listener of this.onClose.splice(0)) listener();
  }
}

export class LegacySession implements LiveLink {
  readonly number: number;
  readonly spans: RequestSpans;
  private readonly transport: SSEServerTransport;
  private readonly stream = new ResponseStandIn();
  private readonly link: Transport;
  private relay: BodyRelay | undefined;
  /** Messages sent so far for each request with an sse-drop planned. */
  private readonly sent = new Map<RequestId, number>();
  private closed = false;

  constructor(
    private readonly config: LegacySessionConfig,
    messagesPath: string,
  ) {
    this.number = config.number;
    this.spans = config.spans;
    this.transport = config.kernel.globals.withCryptoRandom(config.serverRandom, () => new SSEServerTransport(messagesPath, this.stream as never));
    this.link = linkServer(this.transport, {
      kernel: config.kernel,
      site: config.site,
      spans: this.spans,
      mark: (name, data, span) => this.mark(name, data, span),
      loseAnswer: () => this.relay?.terminate(),
      closed: () => this.closed,
      beforeSend: (_message, request) => this.beforeSend(request),
    });
  }

  get id(): string {
    return this.transport.sessionId;
  }

  /** Connects the server (which opens the event stream and names the endpoint) and answers the GET with the stream. */
  async open(signal: AbortSignal | undefined): Promise<Response> {
    const { kernel, actor, site } = this.config;
    this.mark('mcp.connect', { transport: 'sse' });
    await this.config.deployment.server.connect(this.link);
    this.relay = new BodyRelay({
      kernel,
      actor,
      host: site.config.url.host,
      transit: TRANSIT,
      transitStream: site.transitStream,
      signal,
      onMessage: (message) => this.delivered(message),
      // The client went away, or the stream dropped: the server's side of the connection closes.
      onEnd: () => this.stream.closed(),
    });
    const head = new Response(this.stream.stream, { status: this.stream.status, headers: this.stream.headers });
    return this.relay.wrap(head);
  }

  /** Serves a POST of messages to the session: the SDK transport answers 202, the answers go on the stream. */
  async post(request: Request, parsedBody: unknown): Promise<Response> {
    const url = new URL(request.url);
    const req = { headers: Object.fromEntries(request.headers), url: `${url.pathname}${url.search}`, socket: {} };
    const res = new ResponseStandIn();
    // It answers 500 and throws when its stream is gone: the answer is what the client sees.
    await this.transport.handlePostMessage(req as never, res as never, parsedBody).catch(() => undefined);
    return new Response(res.body, { status: res.status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  }

  /** The event stream drops (a timed disconnect): a legacy client can only open a new session. */
  disconnect(): void {
    this.relay?.terminate();
  }

  /** The server forgets the session: its stream drops and POSTs to it are answered 404. */
  expire(): void {
    if (this.closed) return;
    this.closed = true;
    this.relay?.terminate();
    this.spans.endAll('fault', { closedBy: 'expired', fault: 'session-expired' });
    this.mark('mcp.close', { by: 'expired' });
    this.config.onClosed(this);
  }

  /** An sse-drop on a request: the stream drops before its message afterEvents + 1 (there is no resuming it). */
  private beforeSend(request: RequestId | undefined): boolean {
    const flight = this.spans.get(request);
    const hit = flight?.fate?.sseDrop;
    if (flight === undefined || hit === undefined || request === undefined) return true;
    const sent = this.sent.get(request) ?? 0;
    if (sent < hit.params.afterEvents) {
      this.sent.set(request, sent + 1);
      return true;
    }
    hit.effect({ afterEvents: hit.params.afterEvents, mode: hit.params.mode, resume: false });
    flight.fault = { kind: 'sse-drop', rule: hit.id };
    this.relay?.terminate(hit.params.mode);
    return false;
  }

  private delivered(message: JSONRPCMessage): void {
    if (isJSONRPCResultResponse(message) || isJSONRPCErrorResponse(message)) {
      if (message.id !== undefined) this.spans.answered(message.id, message);
    } else if (isJSONRPCNotification(message)) this.mark('mcp.notification', { method: message.method });
  }

  private mark(name: string, data: TraceData, span?: number): void {
    const { kernel, actor, site } = this.config;
    if (kernel.ended) return;
    const fields: TraceData = { target: site.target, session: this.number, ...data };
    kernel.trace.record(
      span === undefined ? { type: 'mark', name, actor: actor.name, data: fields } : { type: 'mark', name, actor: actor.name, span, data: fields },
    );
  }
}
