// The run as OpenTelemetry spans in OTLP/JSON (the body of a POST to /v1/traces), so a simulated
// run can be read in Jaeger, Tempo, Honeycomb or any collector. Ids are deterministic: the trace id
// is a hash of the scenario, agent and seed, and a span id is the trace's span number in hex, so
// the same run always exports the same bytes. Times are the virtual clock laid on a fixed epoch
// (2025-01-01T00:00:00Z, the simulator's default start), in nanoseconds as decimal strings.
import { createHash } from 'node:crypto';
import { type Span, spansOf } from '../../harness/sim/trace.ts';
import { redactReport } from '../jsonReport.ts';
import type { Report } from '../reportSchema.ts';
import { spanFailed, traceOf, violationsBySpan } from '../timelineModel.ts';

export const OTLP_EPOCH_MS = Date.UTC(2025, 0, 1);

export type AnyValue =
  | { readonly stringValue: string }
  | { readonly intValue: string }
  | { readonly doubleValue: number }
  | { readonly boolValue: boolean }
  | { readonly arrayValue: { readonly values: readonly AnyValue[] } };

export interface KeyValue {
  readonly key: string;
  readonly value: AnyValue;
}

export interface OtlpSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  /** 1 internal, 3 client (SpanKind). */
  readonly kind: 1 | 3;
  readonly startTimeUnixNano: string;
  readonly endTimeUnixNano: string;
  readonly attributes: readonly KeyValue[];
  readonly events: ReadonlyArray<{ readonly timeUnixNano: string; readonly name: string; readonly attributes: readonly KeyValue[] }>;
  /** 0 unset, 1 ok, 2 error (StatusCode). */
  readonly status: { readonly code: 0 | 1 | 2; readonly message?: string };
}

export interface OtlpTrace {
  readonly resourceSpans: ReadonlyArray<{
    readonly resource: { readonly attributes: readonly KeyValue[] };
    readonly scopeSpans: ReadonlyArray<{ readonly scope: { readonly name: string; readonly version: string }; readonly spans: readonly OtlpSpan[] }>;
  }>;
}

/** 16 bytes of hex from the run's identity; never all zeros, which OTLP forbids. */
export function otlpTraceId(report: Pick<Report, 'seed' | 'agent' | 'scenario'>): string {
  const hex = createHash('sha256')
    .update(`faultline\0${report.scenario.name}\0${report.agent ?? ''}\0${report.seed}`)
    .digest('hex')
    .slice(0, 32);
  return /^0+$/.test(hex) ? `${hex.slice(0, 31)}1` : hex;
}

/** 8 bytes of hex: the trace's span number (from 1, so never all zeros). */
export function otlpSpanId(span: number): string {
  return span.toString(16).padStart(16, '0');
}

/** Virtual milliseconds since the run started, as Unix nanoseconds on the fixed epoch. */
export function unixNano(t: number): string {
  return (BigInt(OTLP_EPOCH_MS) * 1_000_000n + BigInt(Math.round(t * 1_000_000))).toString();
}

export function anyValue(value: unknown): AnyValue {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
  if (Array.isArray(value) && value.every((v) => ['string', 'number', 'boolean'].includes(typeof v))) return { arrayValue: { values: value.map(anyValue) } };
  return { stringValue: JSON.stringify(value) ?? 'null' };
}

function attributes(entries: ReadonlyArray<readonly [string, unknown]>): KeyValue[] {
  return entries.filter(([, v]) => v !== undefined && v !== null).map(([key, v]) => ({ key, value: anyValue(v) }));
}

const CLIENT_KINDS = new Set(['fetch', 'llm', 'tool', 'mcp', 'store']);

/** Semantic-convention attributes for the spans OpenTelemetry has conventions for. */
function conventionAttributes(span: Span): Array<readonly [string, unknown]> {
  const d = span.data;
  switch (span.kind) {
    case 'llm':
    case 'llm.call':
      return [
        ['gen_ai.request.model', d.model],
        ['gen_ai.response.model', d.version],
        ['gen_ai.usage.input_tokens', d.inputTokens],
        ['gen_ai.usage.output_tokens', d.outputTokens],
      ];
    case 'tool':
      return [
        ['gen_ai.operation.name', 'execute_tool'],
        ['gen_ai.tool.name', d.tool],
      ];
    case 'fetch':
      return [
        ['http.request.method', d.method],
        ['url.full', d.url],
        ['http.response.status_code', d.status],
      ];
    case 'store':
      return [
        ['db.collection.name', d.store],
        ['db.operation.name', d.f],
      ];
    default:
      return [];
  }
}

function toOtlpSpan(span: Span, ctx: { traceId: string; totalMs: number; violated: readonly string[]; events: OtlpSpan['events'] }): OtlpSpan {
  const failed = spanFailed(span);
  const error =
    typeof span.data.error === 'string' ? span.data.error : span.outcome === 'ok' ? `HTTP ${String(span.data.status)}` : `span ended: ${span.outcome}`;
  return {
    traceId: ctx.traceId,
    spanId: otlpSpanId(span.span),
    ...(span.parent === undefined ? {} : { parentSpanId: otlpSpanId(span.parent) }),
    name: span.target,
    kind: CLIENT_KINDS.has(span.kind) ? 3 : 1,
    startTimeUnixNano: unixNano(span.start),
    endTimeUnixNano: unixNano(span.end ?? ctx.totalMs),
    attributes: attributes([
      ['faultline.span.id', span.span],
      ['faultline.span.kind', span.kind],
      ['faultline.actor', span.actor],
      ['faultline.target', span.target],
      ['faultline.outcome', span.outcome],
      ['faultline.violated', ctx.violated.length === 0 ? undefined : ctx.violated],
      ...conventionAttributes(span),
      ...Object.entries(span.data).map(([k, v]) => [`faultline.data.${k}`, v] as const),
    ]),
    events: ctx.events,
    status: failed ? { code: 2, message: error } : span.outcome === 'ok' ? { code: 1 } : { code: 0 },
  };
}

/** The OTLP/JSON export of a report's run. */
export function otlpTrace(input: Report): OtlpTrace {
  const report = redactReport(input);
  const trace = traceOf(report);
  const spans = spansOf(trace);
  const traceId = otlpTraceId(report);
  const violations = violationsBySpan(report, spans);
  const actorSpan = new Map(spans.filter((s) => s.kind === 'actor').map((s) => [s.actor, s.span]));
  const events = new Map<number, Array<OtlpSpan['events'][number]>>();
  for (const e of trace) {
    if (e.type !== 'mark') continue;
    const owner = e.span ?? (e.actor === undefined ? undefined : actorSpan.get(e.actor)) ?? spans[0]?.span;
    if (owner === undefined) continue;
    const list = events.get(owner) ?? [];
    list.push({ timeUnixNano: unixNano(e.t), name: e.name, attributes: attributes(Object.entries(e.data ?? {})) });
    events.set(owner, list);
  }
  const otlpSpans = spans.map((s) =>
    toOtlpSpan(s, { traceId, totalMs: report.virtualTimeMs, violated: violations.get(s.span) ?? [], events: events.get(s.span) ?? [] }),
  );
  const resource = attributes([
    ['service.name', 'faultline'],
    ['faultline.scenario', report.scenario.name],
    ['faultline.failure_mode', report.scenario.failureMode],
    ['faultline.agent', report.agent],
    ['faultline.seed', report.seed],
    ['faultline.outcome', report.outcome],
    ['faultline.passed', report.passed],
    ['faultline.trace_hash', report.traceHash],
    ['faultline.replay', report.replay],
  ]);
  return { resourceSpans: [{ resource: { attributes: resource }, scopeSpans: [{ scope: { name: 'faultline', version: '1' }, spans: otlpSpans }] }] };
}

export function otlpJson(report: Report): string {
  return `${JSON.stringify(otlpTrace(report))}\n`;
}
