// The link between a simulated McpServer and the SDK server transport that serves it over HTTP
// (Streamable HTTP, or the legacy HTTP+SSE transport): it passes every JSON-RPC message through,
// and is where the per-request faults that act on messages happen — a tool failure instead of the
// call, a corrupted answer, an answer lost with its connection or delivered late — the same on
// every HTTP transport, and the same as in-process (mcpConnection.ts).
import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  isJSONRPCErrorResponse,
  isJSONRPCNotification,
  isJSONRPCRequest,
  isJSONRPCResultResponse,
  type JSONRPCMessage,
  type MessageExtraInfo,
  type RequestId,
} from '@modelcontextprotocol/sdk/types.js';
import type { Kernel } from '../../sim/kernel.ts';
import type { TraceData } from '../../sim/trace.ts';
import { damageAnswer } from './damageAnswer.ts';
import { type RequestSpans, toolFailure } from './requestSpans.ts';
import type { Site } from './site.ts';

export interface LinkHooks {
  readonly kernel: Kernel;
  readonly site: Site;
  readonly spans: RequestSpans;
  /** Records a mark of the session (a taint). */
  readonly mark: (name: string, data: TraceData, span?: number) => void;
  /** The answer to request `id` is lost with its connection: drop whatever carries it. */
  readonly loseAnswer: (id: RequestId) => void;
  /** True once the session is over: messages are then dropped. */
  readonly closed: () => boolean;
  /**
   * Sees each message the server sends before it goes out (with the request it belongs to, if
   * any); returning false keeps it from going out (the transport's stream dropped first).
   */
  readonly beforeSend?: (message: JSONRPCMessage, request: RequestId | undefined) => boolean;
}

/** The transport McpServer connects to: `inner` (the SDK server transport), with Faultline between the two. */
export function linkServer(inner: Transport, hooks: LinkHooks): Transport {
  const forward = async (message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> => {
    if (hooks.closed() || hooks.kernel.ended) return;
    const request = isJSONRPCResultResponse(message) || isJSONRPCErrorResponse(message) ? message.id : options?.relatedRequestId;
    if (hooks.beforeSend?.(message, request) === false) return;
    // A stream that dropped without a cursor cannot take the message; the server would only log it.
    await inner.send(message, options).catch(() => undefined);
  };
  const link: Transport = {
    start: () => inner.start(),
    close: () => inner.close(),
    send: (message, options) => fromServer(message, options),
  };
  Object.defineProperty(link, 'sessionId', { get: () => inner.sessionId });

  /** A message from the client, on its way into the server. */
  const fromClient = (message: JSONRPCMessage, extra: MessageExtraInfo | undefined): void => {
    if (isJSONRPCRequest(message)) {
      const flight = hooks.spans.get(message.id);
      const error = flight?.fate?.error;
      if (flight !== undefined && error !== undefined) {
        // The tool fails before it runs: the answer is a tool failure, as McpServer reports one.
        error.effect({ message: error.params.message });
        flight.fault = { kind: 'error', rule: error.id };
        void forward(toolFailure(message.id, error.params.message), { relatedRequestId: message.id });
        return;
      }
    } else if (isJSONRPCNotification(message) && message.method === 'notifications/cancelled') {
      hooks.spans.cancelled(message.params?.requestId as RequestId | undefined, message.params?.reason);
    }
    link.onmessage?.(message, extra);
  };

  /** A message from the server, on its way to the client: where answers are corrupted, lost or late. */
  const fromServer = async (message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> => {
    const isAnswer = isJSONRPCResultResponse(message) || isJSONRPCErrorResponse(message);
    const id = isAnswer ? message.id : undefined;
    const flight = hooks.spans.get(id);
    if (!isAnswer || id === undefined || flight === undefined) return forward(message, options);
    const { site } = hooks;
    const answer = damageAnswer(message, flight, { stream: site.faultStream, target: site.target, taint: (data, span) => hooks.mark('taint', data, span) });
    const lost = flight.fate?.lostAck;
    if (lost === undefined) return forward(answer, options);
    // The server ran the request; its reply is lost with the connection, or arrives late.
    lost.effect({ mode: lost.params.mode, ...(lost.params.mode === 'late' ? { lateMs: lost.params.lateMs } : {}) });
    flight.fault = { kind: 'lost-ack', rule: lost.id };
    if (lost.params.mode === 'reset') hooks.loseAnswer(id);
    else hooks.kernel.schedule(lost.params.lateMs, flight.actor, () => void forward(answer, options));
  };

  inner.onmessage = (message, extra) => fromClient(message, extra);
  inner.onclose = () => link.onclose?.();
  inner.onerror = (error) => link.onerror?.(error);
  return link;
}
