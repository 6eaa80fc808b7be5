// Which faults of the plan hit one MCP request, decided when the request sets out (in-process: as
// the client sends it; over HTTP: as its POST reaches the server). A request's fate is settled at
// that moment, like a packet's: whether it is delayed, lost (hang), refused at the HTTP layer
// (connection, 401, 5xx), answered with a tool failure, corrupted on its way back, whether the
// connection or the stream carrying its answer drops under it. Both transports ask with the same
// kinds, so a rule's `when.calls` counts the same requests whichever transport the agent uses, and
// a kind one transport cannot show (an HTTP status in-process) records why it changed nothing.
import type { FaultInjector, HitOf } from '../../faults/injector.ts';
import { firstOf } from '../../faults/injector.ts';
import type { FaultKind, FaultRule } from '../../faults/plan.ts';
import { sampleLatency } from '../../sim/latency.ts';
import type { RandomStream } from '../../sim/rng.ts';

/** Kinds that act on the HTTP exchange of any request (no-ops in-process, with their reason). */
const HTTP_KINDS: readonly FaultKind[] = ['server-error', 'outage', 'unauthorized', 'sse-drop'];

/**
 * Kinds that can hit a `tools/call`. A rule's `when.calls` counts the requests it could hit, so an
 * `error` rule with `calls: [0]` hits the first tools/call while a `latency` rule with `calls: [0]`
 * hits the `initialize` request (a slow handshake).
 */
const TOOL_CALL_KINDS: readonly FaultKind[] = ['latency', 'error', 'hang', 'corrupt', 'disconnect', 'lost-ack', ...HTTP_KINDS];

/** Kinds that can hit any other request (tools/list, ping…): only the transport's. */
const REQUEST_KINDS: readonly FaultKind[] = ['latency', 'hang', 'disconnect', ...HTTP_KINDS];

/** Kinds that can hit an `initialize` request: the transport's, and the slow handshake. */
const INITIALIZE_KINDS: readonly FaultKind[] = [...REQUEST_KINDS, 'slow-initialize'];

/**
 * Kinds that change the server itself at `when.afterMs`, once per run, through the SDK's
 * RegisteredTool API, so that the server announces the change the way a real one does.
 */
export const SERVER_KINDS: readonly FaultKind[] = ['tool-removed', 'tool-renamed', 'schema-drift', 'description-changed', 'list-changed'];

/** Kinds the hub fires as events at a virtual time rather than per request. */
export const SCHEDULED_KINDS: readonly FaultKind[] = [...SERVER_KINDS, 'disconnect', 'session-expired'];

/** What the plan does to one request. */
export interface RequestFate {
  /** Extra virtual milliseconds before the request reaches the server (latency, a slow handshake). */
  readonly extraMs: number;
  readonly disconnect: HitOf<'disconnect'> | undefined;
  readonly hang: HitOf<'hang'> | undefined;
  /** An initialize that is never answered (slow-initialize without delayMs). */
  readonly lostInitialize: HitOf<'slow-initialize'> | undefined;
  readonly error: HitOf<'error'> | undefined;
  readonly corrupt: HitOf<'corrupt'> | undefined;
  /** The server runs the request; its reply is then lost (the connection resets) or late. */
  readonly lostAck: HitOf<'lost-ack'> | undefined;
  readonly outage: HitOf<'outage'> | undefined;
  readonly serverError: HitOf<'server-error'> | undefined;
  readonly unauthorized: HitOf<'unauthorized'> | undefined;
  readonly sseDrop: HitOf<'sse-drop'> | undefined;
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

function kindsFor(method: string): readonly FaultKind[] {
  if (method === 'tools/call') return TOOL_CALL_KINDS;
  return method === 'initialize' ? INITIALIZE_KINDS : REQUEST_KINDS;
}

/**
 * Asks the injector which rules select this request and sums them up. A latency that adds time is
 * recorded at once; the other hits record their effect when the transport applies them.
 */
export function decideFate(query: FateQuery): RequestFate {
  const hits = query.injector.decide(query.target, query.actor, kindsFor(query.method), query.span);
  let extraMs = 0;
  let lostInitialize: HitOf<'slow-initialize'> | undefined;
  for (const hit of hits) {
    if (hit.kind === 'latency') {
      const ms = sampleLatency(hit.params.latency, query.stream);
      if (ms > 0) hit.effect({ ms });
      extraMs += ms;
    } else if (hit.kind === 'slow-initialize') {
      if (hit.params.delayMs === undefined) lostInitialize ??= hit;
      else {
        hit.effect({ delayMs: hit.params.delayMs });
        extraMs += hit.params.delayMs;
      }
    }
  }
  return {
    extraMs,
    disconnect: firstOf(hits, 'disconnect'),
    hang: firstOf(hits, 'hang'),
    lostInitialize,
    error: firstOf(hits, 'error'),
    corrupt: firstOf(hits, 'corrupt'),
    lostAck: firstOf(hits, 'lost-ack'),
    outage: firstOf(hits, 'outage'),
    serverError: firstOf(hits, 'server-error'),
    unauthorized: firstOf(hits, 'unauthorized'),
    sseDrop: firstOf(hits, 'sse-drop'),
  };
}

/** The request is lost on its way: a hang, or an initialize that is never answered. */
export function lostOnTheWay(fate: RequestFate): HitOf<'hang'> | HitOf<'slow-initialize'> | undefined {
  return fate.hang ?? fate.lostInitialize;
}

/** Tells the HTTP-only kinds among a request's hits that the in-process transport cannot show them. */
export function notOverHttp(fate: RequestFate): void {
  fate.outage?.noEffect('the in-process transport has no HTTP connection to refuse or reset (disconnect is its connection fault)');
  fate.serverError?.noEffect('the in-process transport has no HTTP status to answer with');
  fate.unauthorized?.noEffect('the in-process transport carries no credentials to reject');
  fate.sseDrop?.noEffect('the in-process transport has no SSE stream to drop');
}

/**
 * True for a rule the hub fires at `when.afterMs` as an event. Server changes and a session expiry
 * always are; a `disconnect` is when it names a time and no particular calls (then it also drops,
 * per request, every connection attempted inside its window, so the server stays down until `beforeMs`).
 */
export function isScheduled(rule: FaultRule): boolean {
  if (SERVER_KINDS.includes(rule.kind) || rule.kind === 'session-expired') return true;
  return rule.kind === 'disconnect' && rule.when?.afterMs !== undefined && rule.when.calls === undefined && rule.when.probability === undefined;
}
