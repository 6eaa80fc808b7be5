// Which faults of the plan hit one MCP request, decided when the client sends it. A request's fate
// is settled at that moment, like a packet's: whether it is delayed, lost (hang), answered with a
// tool failure, corrupted on its way back, or whether the connection drops under it.
import type { FaultInjector, HitOf } from '../../faults/injector.ts';
import { firstOf } from '../../faults/injector.ts';
import type { FaultKind, FaultRule } from '../../faults/plan.ts';
import { sampleLatency } from '../../sim/latency.ts';
import type { RandomStream } from '../../sim/rng.ts';

/**
 * Kinds that can hit a `tools/call`. A rule's `when.calls` counts the requests it could hit, so an
 * `error` rule with `calls: [0]` hits the first tools/call while a `latency` rule with `calls: [0]`
 * hits the `initialize` request (a slow handshake).
 */
const TOOL_CALL_KINDS: readonly FaultKind[] = ['latency', 'error', 'hang', 'corrupt', 'disconnect', 'lost-ack'];

/** Kinds that can hit any other request (initialize, tools/list, ping…): only the transport's. */
const REQUEST_KINDS: readonly FaultKind[] = ['latency', 'hang', 'disconnect'];

/**
 * Kinds that change the server itself at `when.afterMs`, once per run, through the SDK's
 * RegisteredTool API, so that the server announces the change the way a real one does.
 */
export const SERVER_KINDS: readonly FaultKind[] = ['tool-removed', 'tool-renamed', 'schema-drift', 'description-changed', 'list-changed'];

/** Kinds the hub fires as events at a virtual time rather than per request. */
export const SCHEDULED_KINDS: readonly FaultKind[] = [...SERVER_KINDS, 'disconnect'];

/** What the plan does to one request. */
export interface RequestFate {
  /** Extra virtual milliseconds before the request reaches the server. */
  readonly extraMs: number;
  readonly disconnect: HitOf<'disconnect'> | undefined;
  readonly hang: HitOf<'hang'> | undefined;
  readonly error: HitOf<'error'> | undefined;
  readonly corrupt: HitOf<'corrupt'> | undefined;
  /** The server runs the request; its reply is then lost (the connection resets) or late. */
  readonly lostAck: HitOf<'lost-ack'> | undefined;
}

export interface FateQuery {
  readonly injector: FaultInjector;
  readonly target: string;
  readonly actor: string;
  readonly method: string;
  readonly span: number;
  /** The server's fault stream, for latency draws. */
  readonly stream: RandomStream;
}

/**
 * Asks the injector which rules select this request and sums them up. A latency that adds time is
 * recorded at once; the other hits record their effect when the connection applies them.
 */
export function decideFate(query: FateQuery): RequestFate {
  const kinds = query.method === 'tools/call' ? TOOL_CALL_KINDS : REQUEST_KINDS;
  const hits = query.injector.decide(query.target, query.actor, kinds, query.span);
  let extraMs = 0;
  for (const hit of hits) {
    if (hit.kind !== 'latency') continue;
    const ms = sampleLatency(hit.params.latency, query.stream);
    if (ms > 0) hit.effect({ ms });
    extraMs += ms;
  }
  return {
    extraMs,
    disconnect: firstOf(hits, 'disconnect'),
    hang: firstOf(hits, 'hang'),
    error: firstOf(hits, 'error'),
    corrupt: firstOf(hits, 'corrupt'),
    lostAck: firstOf(hits, 'lost-ack'),
  };
}

/**
 * True for a rule the hub fires at `when.afterMs` as an event. Server changes always are; a
 * `disconnect` is when it names a time and no particular calls (then it also drops, per request,
 * every connection attempted inside its window, so the server stays down until `beforeMs`).
 */
export function isScheduled(rule: FaultRule): boolean {
  if (SERVER_KINDS.includes(rule.kind)) return true;
  return rule.kind === 'disconnect' && rule.when?.afterMs !== undefined && rule.when.calls === undefined && rule.when.probability === undefined;
}
