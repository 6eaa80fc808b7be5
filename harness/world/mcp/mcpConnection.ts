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
  type JSONRPCErrorResponse,
  type JSONRPCMessage,
  type JSONRPCRequest,
  type JSONRPCResultResponse,
  type MessageExtraInfo,
  type RequestId,
} from '@modelcontextprotocol/sdk/types.js';
import { seededFaker } from '../../faults/corrupt.ts';
import type { FaultInjector } from '../../faults/injector.ts';
import type { Actor, Wait } from '../../sim/actors.ts';
import { digest } from '../../sim/digest.ts';
import { safeString } from '../../sim/errors.ts';
import type { Kernel } from '../../sim/kernel.ts';
import { type LatencyModel, sampleLatency } from '../../sim/latency.ts';
import type { RandomStream } from '../../sim/rng.ts';
import type { SpanOutcome, TraceData } from '../../sim/trace.ts';
import { corruptToolResult } from './corruptToolResult.ts';
import { decideFate, type RequestFate } from './requestFaults.ts';

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

/** A client request the server has not answered yet. */
interface InFlight {
  readonly span: number;
  readonly wait: Wait;
  readonly fate: RequestFate;
  readonly tool: string | undefined;
  /** The fault that decided this request's answer, once one has. */
  fault: { readonly kind: string; readonly rule: string } | undefined;
}

type Direction = 'up' | 'down';
type Response = JSONRPCResultResponse | JSONRPCErrorResponse;
type ClosedBy = 'client' | 'server' | 'fault';

export class McpConnection implements Transport {
  onclose?: (() => void) | undefined;
  onerror?: ((error: Error) => void) | undefined;
  onmessage?: (<T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => void) | undefined;

  readonly target: string;
  private closed = false;
  private readonly inFlight = new Map<RequestId, InFlight>();
  /** When the last message in each direction arrives: later messages never overtake it. */
  private readonly lastArrival: Record<Direction, number> = { up: 0, down: 0 };

  constructor(private readonly config: ConnectionConfig) {
    this.target = `mcp:${config.server}`;
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

  private sendRequest(request: JSONRPCRequest): void {
    const { kernel, actor, injector, faultStream } = this.config;
    const method = request.method;
    const tool = method === 'tools/call' ? String(request.params?.name) : undefined;
    const wait = kernel.beginWait(actor, {
      kind: 'mcp',
      target: this.target,
      what: `mcp ${this.config.server} ${method}${tool === undefined ? '' : ` ${tool}`}`,
      data: tool === undefined ? { method, params: digest(request.params) } : { method, tool, params: digest(request.params) },
    });
    const span = wait.span;
    const fate = decideFate({ injector, target: this.target, actor: actor.name, method, span, stream: faultStream });
    const flight: InFlight = { span, wait, fate, tool, fault: undefined };
    this.inFlight.set(request.id, flight);
    if (fate.disconnect !== undefined) {
      // The connection breaks while the request is on its way: the server never sees it.
      const hit = fate.disconnect;
      flight.fault = { kind: 'disconnect', rule: hit.id };
      this.transmit('up', fate.extraMs, () => {
        hit.effect();
        this.drop('fault');
      });
    } else if (fate.hang !== undefined) {
      // The request is lost on the way, so nothing answers it: only the client's own request
      // timeout (a virtual timer) or its abort signal ends the wait.
      fate.hang.effect();
      flight.fault = { kind: 'hang', rule: fate.hang.id };
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
      const flight = id === undefined ? undefined : this.inFlight.get(id);
      const answer = flight === undefined ? message : this.damage(message, flight);
      const lost = flight?.fate.lostAck;
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
        if (id !== undefined) this.answered(id, answer);
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
  private damage(response: Response, flight: InFlight): Response {
    const hit = flight.fate.corrupt;
    if (hit === undefined || !isJSONRPCResultResponse(response)) return response;
    const stream = this.config.faultStream;
    const changed = corruptToolResult(response.result, hit.params.fact, stream, () => seededFaker(stream));
    if (changed === undefined) {
      hit.noEffect(`the result has no ${hit.params.fact === 'any' ? '' : `${hit.params.fact} `}fact to change`);
      return response;
    }
    hit.effect({ path: changed.taint.path });
    flight.fault = { kind: 'corrupt', rule: hit.id };
    const where = `${this.target}/${flight.tool ?? ''}`;
    this.mark('taint', { rule: hit.id, target: this.target, where, ...changed.taint }, flight.span);
    return { ...response, result: changed.result as JSONRPCResultResponse['result'] };
  }

  private answered(id: RequestId, answer: Response): void {
    const flight = this.inFlight.get(id);
    if (flight === undefined) return;
    this.inFlight.delete(id);
    if (flight.fault !== undefined) this.finish(flight, 'fault', { fault: flight.fault.kind, rule: flight.fault.rule });
    else if (isJSONRPCErrorResponse(answer)) this.finish(flight, 'error', { error: `${answer.error.code}: ${answer.error.message}` });
    else if (answer.result.isError === true) this.finish(flight, 'error', { isError: true, error: firstText(answer.result).slice(0, 200) });
    else this.finish(flight, 'ok', { result: digest(answer.result) });
  }

  /** The client gave up on a request (its timeout fired, or its signal aborted). */
  private cancelled(id: RequestId | undefined, reason: unknown): void {
    const flight = id === undefined ? undefined : this.inFlight.get(id);
    if (id === undefined || flight === undefined) return;
    this.inFlight.delete(id);
    const data: TraceData = { reason: String(reason) };
    if (flight.fault?.kind === 'hang') this.finish(flight, 'fault', { fault: 'hang', rule: flight.fault.rule, ...data });
    else this.finish(flight, 'aborted', data);
  }

  private drop(by: ClosedBy): void {
    if (this.closed) return;
    this.closed = true;
    const outcome: SpanOutcome = by === 'fault' ? 'fault' : by === 'client' ? 'aborted' : 'error';
    for (const flight of this.inFlight.values()) this.finish(flight, outcome, { closedBy: by, ...(by === 'fault' ? { fault: 'disconnect' } : {}) });
    this.inFlight.clear();
    this.mark('mcp.close', { by });
    this.config.onClosed(this);
    // Closing the in-memory pair closes the server's end too, which aborts its handlers in flight.
    if (by !== 'server') this.config.inner.close().catch(() => undefined);
    this.onclose?.();
  }

  private finish(flight: InFlight, outcome: SpanOutcome, data?: TraceData): void {
    this.config.kernel.endWait(this.config.actor, flight.wait, outcome, data);
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

/**
 * A tool failure as servers built on McpServer report it: when a tool's callback throws, the SDK
 * answers a *result* with `isError: true` and the message as text, not a JSON-RPC error, which the
 * MCP specification reserves for protocol problems; an agent (or its LLM) is meant to see it.
 */
function toolFailure(id: RequestId, message: string): JSONRPCResultResponse {
  return { jsonrpc: '2.0', id, result: { content: [{ type: 'text', text: message }], isError: true } };
}

function firstText(result: Record<string, unknown>): string {
  const content = Array.isArray(result.content) ? (result.content as unknown[]) : [];
  const text = content.find((c): c is { text: string } => typeof (c as { text?: unknown })?.text === 'string');
  return text?.text ?? '';
}
