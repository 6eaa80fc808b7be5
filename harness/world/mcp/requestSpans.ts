// The spans of MCP requests, the same on every transport: each JSON-RPC request a client sends to a
// simulated server is an `mcp` span (target `mcp:<server>`, its method, tool and a digest of its
// params) during which the sending actor waits, and it ends when the answer reaches the client —
// `ok`, `error` (a JSON-RPC error, or a tool result with isError), `fault` (a fault decided the
// answer), `aborted` (the client gave up) — or when the transport fails under it.
import { isJSONRPCErrorResponse, type JSONRPCErrorResponse, type JSONRPCResultResponse, type RequestId } from '@modelcontextprotocol/sdk/types.js';
import type { Actor, Wait } from '../../sim/actors.ts';
import { digest } from '../../sim/digest.ts';
import type { Kernel } from '../../sim/kernel.ts';
import type { SpanOutcome, TraceData } from '../../sim/trace.ts';
import type { RequestFate } from './requestFaults.ts';

export type McpResponse = JSONRPCResultResponse | JSONRPCErrorResponse;

/** A request the client has sent and whose answer has not reached it yet. */
export interface Flight {
  readonly actor: Actor;
  readonly span: number;
  readonly wait: Wait;
  readonly method: string;
  readonly tool: string | undefined;
  /** What the plan does to the request; set once decided, right after the span opens. */
  fate: RequestFate | undefined;
  /** The fault that decided this request's answer, once one has. */
  fault: { readonly kind: string; readonly rule: string } | undefined;
}

export class RequestSpans {
  private readonly flights = new Map<RequestId, Flight>();

  constructor(
    private readonly kernel: Kernel,
    private readonly server: string,
  ) {}

  get target(): string {
    return `mcp:${this.server}`;
  }

  /** Opens the span of a request `actor` sent, and registers the actor as waiting on it. */
  open(actor: Actor, id: RequestId, method: string, params: unknown): Flight {
    const tool = method === 'tools/call' ? String((params as { name?: unknown } | undefined)?.name) : undefined;
    const wait = this.kernel.beginWait(actor, {
      kind: 'mcp',
      target: this.target,
      what: `mcp ${this.server} ${method}${tool === undefined ? '' : ` ${tool}`}`,
      data: tool === undefined ? { method, params: digest(params) } : { method, tool, params: digest(params) },
    });
    const flight: Flight = { actor, span: wait.span, wait, method, tool, fate: undefined, fault: undefined };
    this.flights.set(id, flight);
    return flight;
  }

  get(id: RequestId | undefined): Flight | undefined {
    return id === undefined ? undefined : this.flights.get(id);
  }

  /** The answer reached the client: the span ends with what it says (or with the fault that decided it). */
  answered(id: RequestId, answer: McpResponse): void {
    const flight = this.take(id);
    if (flight === undefined) return;
    if (flight.fault !== undefined) this.finish(flight, 'fault', { fault: flight.fault.kind, rule: flight.fault.rule });
    else if (isJSONRPCErrorResponse(answer)) this.finish(flight, 'error', { error: `${answer.error.code}: ${answer.error.message}` });
    else if (answer.result.isError === true) this.finish(flight, 'error', { isError: true, error: firstText(answer.result).slice(0, 200) });
    else this.finish(flight, 'ok', { result: digest(answer.result) });
  }

  /** The client gave up on a request (its timeout fired, or its signal aborted). */
  cancelled(id: RequestId | undefined, reason: unknown): void {
    const flight = id === undefined ? undefined : this.take(id);
    if (flight === undefined) return;
    const data: TraceData = { reason: String(reason) };
    // A request a fault lost (a hang, an answer lost with its stream) ends when the client gives up.
    if (flight.fault !== undefined) this.finish(flight, 'fault', { fault: flight.fault.kind, rule: flight.fault.rule, ...data });
    else this.finish(flight, 'aborted', data);
  }

  /** Ends one request's span without an answer (its HTTP exchange failed, say). */
  end(id: RequestId, outcome: SpanOutcome, data?: TraceData): void {
    const flight = this.take(id);
    if (flight !== undefined) this.finish(flight, outcome, data);
  }

  /** Ends every open span, in the order the requests were sent (the transport failed under them). */
  endAll(outcome: SpanOutcome, data?: TraceData): void {
    for (const id of [...this.flights.keys()]) this.end(id, outcome, data);
  }

  private take(id: RequestId): Flight | undefined {
    const flight = this.flights.get(id);
    this.flights.delete(id);
    return flight;
  }

  private finish(flight: Flight, outcome: SpanOutcome, data?: TraceData): void {
    this.kernel.endWait(flight.actor, flight.wait, outcome, data);
  }
}

/**
 * A tool failure as servers built on McpServer report it: when a tool's callback throws, the SDK
 * answers a *result* with `isError: true` and the message as text, not a JSON-RPC error, which the
 * MCP specification reserves for protocol problems; an agent (or its LLM) is meant to see it.
 */
export function toolFailure(id: RequestId, message: string): JSONRPCResultResponse {
  return { jsonrpc: '2.0', id, result: { content: [{ type: 'text', text: message }], isError: true } };
}

function firstText(result: Record<string, unknown>): string {
  const content = Array.isArray(result.content) ? (result.content as unknown[]) : [];
  const text = content.find((c): c is { text: string } => typeof (c as { text?: unknown })?.text === 'string');
  return text?.text ?? '';
}
