// The door of a simulated MCP server's HTTP endpoints (Streamable HTTP and legacy HTTP+SSE): each
// JSON-RPC request that arrives opens its span and has its fate decided, and the faults that act
// before a request reaches its session happen here, in the shapes a deployed server behind a proxy
// produces: a delay, a refused or reset connection (undici's `TypeError: fetch failed`), a 401 with
// the SDK bearer middleware's challenge, a 5xx with its reason phrase, a request that is lost.
import type { JSONRPCMessage, JSONRPCRequest } from '@modelcontextprotocol/sdk/types.js';
import type { FaultInjector } from '../../faults/injector.ts';
import { challengeDescription } from '../../faults/kinds/unauthorized.ts';
import type { Actor } from '../../sim/actors.ts';
import type { Kernel } from '../../sim/kernel.ts';
import { connectionError } from '../httpFaults.ts';
import { decideFate, isScheduled, lostOnTheWay, type RequestFate } from './requestFaults.ts';
import type { RequestSpans } from './requestSpans.ts';
import type { Site } from './site.ts';

export interface DoorContext {
  readonly kernel: Kernel;
  readonly injector: FaultInjector;
  readonly site: Site;
}

const REASONS: Readonly<Record<number, string>> = { 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' };

/** Opens the span of a request and decides what the plan does to it. */
export function decideRequest(context: DoorContext, spans: RequestSpans, actor: Actor, request: JSONRPCRequest): RequestFate {
  const { injector, site } = context;
  const flight = spans.open(actor, request.id, request.method, request.params);
  const fate = decideFate({ injector, target: site.target, actor: actor.name, method: request.method, span: flight.span, stream: site.faultStream });
  flight.fate = fate;
  return fate;
}

/**
 * Applies the faults that act before the request reaches its session: a delay, a refused or
 * reset connection, a 401, a 5xx, a lost request. Returns the answer when one of them gave it.
 */
export async function atTheDoor(
  context: DoorContext,
  spans: RequestSpans,
  requests: readonly JSONRPCRequest[],
  fates: readonly RequestFate[],
  actor: Actor,
): Promise<Response | undefined> {
  const { kernel, site } = context;
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
export function resetInOutage(context: DoorContext): void {
  const { injector, site } = context;
  const outage = injector.activeNow(site.target, ['disconnect']).find((hit) => isScheduled(hit.rule));
  if (outage === undefined) return;
  outage.effect({ mode: 'reset' });
  throw connectionError('reset', site.config.url.host);
}

/** A POST body as JSON, and its messages (one, or a batch), or undefined when it is not JSON. */
export function parse(text: string): { value: unknown; messages: JSONRPCMessage[] } | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return { value, messages: (Array.isArray(value) ? value : [value]) as JSONRPCMessage[] };
  } catch {
    return undefined;
  }
}
