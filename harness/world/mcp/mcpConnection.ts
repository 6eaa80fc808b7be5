// One client connection to a simulated MCP server: the Transport an unmodified MCP Client is given.
// It wraps the client end of an in-memory pair, and every JSON-RPC message crossing it, in either
// direction, is a kernel event in virtual time, so message order is the kernel's. Messages keep
// their order per direction, as on a real stream (stdio, one HTTP connection), while each request's
// faults (latency, loss, a tool failure, corruption, a dropped connection) apply to that request.
import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  isJSONRPCErrorResponse,
  isJSONRPCNotification,
  isJSONRPCRequest,
  isJSONRPCResultResponse,
  type JSONRPCMessage,
  type JSONRPCRequest,
  type MessageExtraInfo,
  type RequestId,
} from '@modelcontextprotocol/sdk/types.js';
import type { FaultInjector } from '../../faults/injector.ts';
import type { Actor } from '../../sim/actors.ts';
import { safeString } from '../../sim/errors.ts';
import type { Kernel } from '../../sim/kernel.ts';
import { type LatencyModel, sampleLatency } from '../../sim/latency.ts';
import type { RandomStream } from '../../sim/rng.ts';
import type { SpanOutcome, TraceData } from '../../sim/trace.ts';
import { damageAnswer } from './damageAnswer.ts';
import { decideFate, lostOnTheWay, notOverHttp } from './requestFaults.ts';
import { type Flight, type McpResponse, RequestSpans, toolFailure } from './requestSpans.ts';

export interface ConnectionConfig {
  readonly kernel: Kernel;
  readonly injector: FaultInjector;
  /** The actor that connected; the connection's spans and events are attributed to it. */
  readonly actor: Actor;
  readonly server: string;
  /** The connection's number in the run, from 1, for the trace. */
  readonly number: number;
  /** The client end of a linked in-memory pair whose server end a real McpServer holds. */
  readonly inner: Transport;
  /** One-way transit time of every message. */
  readonly transit: LatencyModel;
  readonly transitStream: RandomStream;
  readonly faultStream: RandomStream;
  readonly onClosed: (connection: McpConnection) => void;
}

type Direction = 'up' | 'down';
type ClosedBy = 'client' | 'server' | 'fault' | 'expired';

export class McpConnection implements Transport {
  onclose?: (() => void) | undefined;
  onerror?: ((error: Error) => void) | undefined;
  onmessage?: (<T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => void) | undefined;

  readonly target: string;
  private closed = false;
  private readonly spans: RequestSpans;
  /** When the last message in each direction arrives: later messages never overtake it. */
  private readonly lastArrival: Record<Direction, number> = { up: 0, down: 0 };

  constructor(private readonly config: ConnectionConfig) {
    this.target = `mcp:${config.server}`;
    this.spans = new RequestSpans(config.kernel, config.server);
    config.inner.onmessage = (message) => this.fromServer(message);
    config.inner.onclose = () => this.drop('server');
    config.inner.onerror = (error) => this.onerror?.(error);
    this.mark('mcp.connect', {});
  }

  async start(): Promise<void> {
    await this.config.inner.start();
  }

  async send(message: JSONRPCMessage, _options?: TransportSendOptions): Promise<void> {
    this.config.kernel.assertLive(this.config.actor, `An MCP message to "${this.config.server}"`);
    // The in-memory transport's own words, so that clients which match on them keep working.
    if (this.closed) throw new Error('Not connected');
    if (isJSONRPCRequest(message)) {
      this.sendRequest(message);
      return;
    }
    if (isJSONRPCNotification(message) && message.method === 'notifications/cancelled') {
      this.cancelled(message.params?.requestId as RequestId | undefined, message.params?.reason);
    }
    this.transmit('up', 0, () => this.toServer(message));
  }

  async close(): Promise<void> {
    this.drop('client');
  }

  /** Drops the connection on a fault's behalf: the client sees onclose and its requests in flight fail. */
  disconnect(): void {
    this.drop('fault');
  }

  /** The server forgot the session (a restart): the connection ends as a restarted process's does. */
  expire(): void {
    this.drop('expired');
  }

  private sendRequest(request: JSONRPCRequest): void {
    const { actor, injector, faultStream } = this.config;
    const flight = this.spans.open(actor, request.id, request.method, request.params);
    const fate = decideFate({ injector, target: this.target, actor: actor.name, method: request.method, span: flight.span, stream: faultStream });
    flight.fate = fate;
    notOverHttp(fate);
    const lost = lostOnTheWay(fate);
    if (fate.disconnect !== undefined) {
      // The connection breaks while the request is on its way: the server never sees it.
      const hit = fate.disconnect;
      flight.fault = { kind: 'disconnect', rule: hit.id };
      this.transmit('up', fate.extraMs, () => {
        hit.effect();
        this.drop('fault');
      });
    } else if (lost !== undefined) {
      // The request is lost on the way, so nothing answers it: only the client's own request
      // timeout (a virtual timer) or its abort signal ends the wait.
      lost.effect(lost.kind === 'slow-initialize' ? { forever: true } : undefined);
      flight.fault = { kind: lost.kind, rule: lost.id };
    } else if (fate.error !== undefined) {
      fate.error.effect({ message: fate.error.params.message });
      flight.fault = { kind: 'error', rule: fate.error.id };
      const answer = toolFailure(request.id, fate.error.params.message);
      this.transmit('up', fate.extraMs, () => this.fromServer(answer));
    } else {
      this.transmit('up', fate.extraMs, () => this.toServer(request));
    }
  }

  private toServer(message: JSONRPCMessage): void {
    this.config.inner.send(message).catch((error: unknown) => this.onerror?.(error instanceof Error ? error : new Error(safeString(error))));
  }

  /** Everything the server sends passes here, synchronously, and travels back in virtual time. */
  private fromServer(message: JSONRPCMessage): void {
    if (this.closed) return;
    if (isJSONRPCResultResponse(message) || isJSONRPCErrorResponse(message)) {
      const id = message.id;
      const flight = this.spans.get(id);
      const answer = flight === undefined ? message : this.damage(message, flight);
      const lost = flight?.fate?.lostAck;
      if (lost !== undefined && flight !== undefined) {
        // The server ran the request; its reply is lost with the connection, or arrives late.
        lost.effect({ mode: lost.params.mode, ...(lost.params.mode === 'late' ? { lateMs: lost.params.lateMs } : {}) });
        flight.fault = { kind: 'lost-ack', rule: lost.id };
        if (lost.params.mode === 'reset') {
          this.drop('fault');
          return;
        }
      }
      this.transmit('down', lost?.params.mode === 'late' ? lost.params.lateMs : 0, () => {
        if (id !== undefined) this.spans.answered(id, answer);
        this.onmessage?.(answer);
      });
      return;
    }
    this.transmit('down', 0, () => {
      if (isJSONRPCNotification(message)) this.mark('mcp.notification', { method: message.method });
      this.onmessage?.(message);
    });
  }

  /** Corrupts one fact of a tools/call result when a `corrupt` rule hit the request. */
  private damage(response: McpResponse, flight: Flight): McpResponse {
    return damageAnswer(response, flight, {
      stream: this.config.faultStream,
      target: this.target,
      taint: (data, span) => this.mark('taint', data, span),
    });
  }

  /** The client gave up on a request (its timeout fired, or its signal aborted). */
  private cancelled(id: RequestId | undefined, reason: unknown): void {
    this.spans.cancelled(id, reason);
  }

  private drop(by: ClosedBy): void {
    if (this.closed) return;
    this.closed = true;
    const outcome: SpanOutcome = by === 'fault' || by === 'expired' ? 'fault' : by === 'client' ? 'aborted' : 'error';
    const fault: TraceData = by === 'fault' ? { fault: 'disconnect' } : by === 'expired' ? { fault: 'session-expired' } : {};
    this.spans.endAll(outcome, { closedBy: by, ...fault });
    this.mark('mcp.close', { by });
    this.config.onClosed(this);
    // Closing the in-memory pair closes the server's end too, which aborts its handlers in flight.
    if (by !== 'server') this.config.inner.close().catch(() => undefined);
    this.onclose?.();
  }

  /**
   * Sends a message across in virtual time: it arrives after one transit time, never before the
   * message sent ahead of it in the same direction, plus any injected delay of its own.
   */
  private transmit(direction: Direction, extraMs: number, deliver: () => void): void {
    const { kernel, actor, transit, transitStream } = this.config;
    if (kernel.ended) return;
    const now = kernel.now();
    const arrival = Math.max(now + sampleLatency(transit, transitStream), this.lastArrival[direction]);
    this.lastArrival[direction] = arrival;
    kernel.schedule(arrival + extraMs - now, actor, () => {
      // Messages still on the wire when the connection drops are lost with it.
      if (!this.closed) deliver();
    });
  }

  private mark(name: string, data: TraceData, span?: number): void {
    const { kernel, actor } = this.config;
    if (kernel.ended) return;
    const fields: TraceData = { target: this.target, connection: this.config.number, ...data };
    kernel.trace.record(
      span === undefined ? { type: 'mark', name, actor: actor.name, data: fields } : { type: 'mark', name, actor: actor.name, span, data: fields },
    );
  }
}
