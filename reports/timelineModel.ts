// The timeline of a run as geometry: one lane per actor, each lane's calls packed into rows so
// that concurrent calls (a fan-out, an LLM call and its attempts) sit under one another, the marks
// that matter placed on the lane they hit, and the spans a failed property points at flagged.
// Pure data, so the HTML and its tests share one computation.
import { type Span, spansOf, type TraceEvent } from '../harness/sim/trace.ts';
import type { Report, ReportHistoryOp } from './reportSchema.ts';

export interface PlacedSpan {
  readonly span: Span;
  readonly row: number;
  readonly violating: boolean;
  readonly label: string;
  /** Too short for its label, which is then drawn beside the bar. */
  readonly narrow: boolean;
  /** Near the right edge: a label drawn beside the bar goes on its left. */
  readonly flip: boolean;
  /** The fault rules that hit this span. */
  readonly faults: readonly string[];
}

export interface PlacedMark {
  readonly mark: Extract<TraceEvent, { type: 'mark' }>;
  /** Labelled marks are stacked into rows so their labels do not overlap. */
  readonly row: number;
  readonly labelled: boolean;
  /** Near the right edge: the label extends to the left of the mark. */
  readonly flip: boolean;
}

export interface Lane {
  readonly actor: string;
  /** The actor's own span: its lifetime. */
  readonly life: Span | undefined;
  readonly spans: readonly PlacedSpan[];
  readonly rows: number;
  readonly marks: readonly PlacedMark[];
  readonly markRows: number;
}

export interface Timeline {
  /** The virtual time the run took, at least 1 ms. */
  readonly totalMs: number;
  /** The virtual time the axis spans: a little more than the run, so marks at its end show. */
  readonly axisMs: number;
  readonly lanes: readonly Lane[];
  readonly violatingSpans: ReadonlySet<number>;
}

/** True when a span failed: it ended in an error or fault, or it is an HTTP call answered 4xx/5xx. */
export function spanFailed(span: Span): boolean {
  if (['error', 'fault', 'aborted'].includes(span.outcome)) return true;
  return span.kind === 'fetch' && typeof span.data.status === 'number' && span.data.status >= 400;
}

/** Marks worth a label on the timeline; the others are drawn as unlabelled ticks. */
export function isLabelledMark(name: string): boolean {
  return ['fault', 'taint', 'crash', 'deadlock', 'heal.start', 'stream.stall', 'stream.cut'].includes(name) || name.startsWith('problem:');
}

/** The label a mark shows: the rule id for a fault, the mark's name otherwise. */
export function markLabel(mark: Extract<TraceEvent, { type: 'mark' }>): string {
  const rule = mark.data?.rule;
  if (mark.name === 'fault' && typeof rule === 'string') return rule;
  return mark.name;
}

/**
 * The spans behind the history ops a verdict names: a store call's span starts when its invoke is
 * recorded, by the same actor, on the same store, operation and key.
 */
export function spansOfOps(report: Report, ops: readonly number[], spans: readonly Span[]): number[] {
  const out: number[] = [];
  for (const index of ops) {
    const op = report.history[index];
    if (op === undefined) continue;
    const invoke: ReportHistoryOp | undefined = op.type === 'invoke' ? op : report.history.find((h) => h.op === op.op && h.type === 'invoke');
    if (invoke === undefined) continue;
    const match = spans.find(
      (s) =>
        s.kind === 'store' &&
        s.actor === invoke.process &&
        s.start === invoke.t &&
        s.data.store === invoke.store &&
        s.data.f === invoke.f &&
        s.data.key === invoke.key,
    );
    if (match !== undefined) out.push(match.span);
  }
  return out;
}

/** The properties each span violates: the spans a failed verdict names, directly or through its history ops. */
export function violationsBySpan(report: Report, spans: readonly Span[]): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const v of report.verdicts) {
    if (v.ok) continue;
    for (const s of new Set([...(v.spans ?? []), ...spansOfOps(report, v.ops ?? [], spans)])) out.set(s, [...(out.get(s) ?? []), v.property]);
  }
  return out;
}

/** Every span a failed verdict involves. */
export function violatingSpansOf(report: Report, spans: readonly Span[]): Set<number> {
  return new Set(violationsBySpan(report, spans).keys());
}

/** Greedy interval packing: each item goes in the first row that is free by its start. */
function pack<T>(items: readonly T[], start: (item: T) => number, end: (item: T) => number): { rows: number[]; count: number } {
  const rowEnds: number[] = [];
  const rows = items.map((item) => {
    let row = rowEnds.findIndex((e) => e <= start(item));
    if (row === -1) row = rowEnds.push(0) - 1;
    rowEnds[row] = end(item);
    return row;
  });
  return { rows, count: rowEnds.length };
}

/** The report's trace in the kernel's types (the schema's are the same shape, typed loosely). */
export function traceOf(report: Report): readonly TraceEvent[] {
  return report.trace as unknown as readonly TraceEvent[];
}

/** Labels are assumed to be this many pixels per character on a track this many pixels wide. */
const PX_PER_CHAR = 6.6;
const TRACK_PX = 1_000;
/** Labels start on the left of what they label past this fraction of the axis. */
const FLIP_AT = 0.8;

interface LaneContext {
  readonly spans: readonly Span[];
  readonly marks: ReadonlyArray<Extract<TraceEvent, { type: 'mark' }>>;
  readonly totalMs: number;
  readonly axisMs: number;
  readonly violatingSpans: ReadonlySet<number>;
  readonly faultsOf: ReadonlyMap<number, readonly string[]>;
  readonly spanActor: ReadonlyMap<number, string>;
}

export function buildTimeline(report: Report): Timeline {
  const trace = traceOf(report);
  const spans = spansOf(trace);
  const totalMs = Math.max(
    report.virtualTimeMs,
    trace.reduce((max, e) => Math.max(max, e.t), 0),
    1,
  );
  // Digests of what the agent read ('observed' marks) are for the trace hash, not for the timeline.
  const marks = trace.filter((e): e is Extract<TraceEvent, { type: 'mark' }> => e.type === 'mark' && e.name !== 'observed');
  const faultsOf = new Map<number, string[]>();
  for (const m of marks) if (m.name === 'fault' && m.span !== undefined) faultsOf.set(m.span, [...(faultsOf.get(m.span) ?? []), markLabel(m)]);
  const context: LaneContext = {
    spans,
    marks,
    totalMs,
    // A little room after the run's end, so marks and labels there stay on the page.
    axisMs: totalMs * 1.03,
    violatingSpans: violatingSpansOf(report, spans),
    faultsOf,
    spanActor: new Map(spans.map((s) => [s.span, s.actor])),
  };
  return { totalMs, axisMs: context.axisMs, lanes: laneOrder(report, spans).map((actor) => laneOf(actor, context)), violatingSpans: context.violatingSpans };
}

function laneOf(actor: string, c: LaneContext): Lane {
  const msPerChar = (c.axisMs * PX_PER_CHAR) / TRACK_PX;
  // Spans occupy at least this much time on screen, so packing keeps them apart.
  const minSpanMs = (c.axisMs * 6) / TRACK_PX;
  const calls = c.spans
    .filter((s) => s.actor === actor && s.kind !== 'actor')
    .map((span) => {
      const label = `${c.violatingSpans.has(span.span) ? '⚠ ' : ''}${spanLabel(span)}`;
      const labelMs = (label.length + 2) * msPerChar;
      const narrow = (span.end ?? c.totalMs) - span.start < labelMs;
      return { span, label, narrow, flip: narrow && span.start > c.axisMs * FLIP_AT, labelMs };
    });
  const packed = pack(
    calls,
    (x) => (x.flip ? x.span.start - x.labelMs : x.span.start),
    (x) => Math.max(x.span.end ?? c.totalMs, x.span.start + minSpanMs) + (x.narrow && !x.flip ? x.labelMs : 0),
  );
  const own = c.marks.filter((m) => (m.actor ?? (m.span === undefined ? undefined : c.spanActor.get(m.span)) ?? 'main') === actor);
  const labelled = own
    .filter((m) => isLabelledMark(m.name))
    .map((mark) => ({ mark, flip: mark.t > c.axisMs * FLIP_AT, labelMs: (markLabel(mark).length + 6) * msPerChar }));
  const markPack = pack(
    labelled,
    (m) => (m.flip ? m.mark.t - m.labelMs : m.mark.t),
    (m) => (m.flip ? m.mark.t : m.mark.t + m.labelMs),
  );
  return {
    actor,
    life: c.spans.find((s) => s.actor === actor && s.kind === 'actor'),
    spans: calls.map(({ span, label, narrow, flip }, i) => ({
      span,
      label,
      narrow,
      flip,
      row: packed.rows[i] ?? 0,
      violating: c.violatingSpans.has(span.span),
      faults: c.faultsOf.get(span.span) ?? [],
    })),
    rows: packed.count,
    marks: [
      ...labelled.map(({ mark, flip }, i) => ({ mark, flip, row: markPack.rows[i] ?? 0, labelled: true })),
      ...own.filter((m) => !isLabelledMark(m.name)).map((mark) => ({ mark, row: 0, labelled: false, flip: false })),
    ],
    markRows: markPack.count,
  };
}

/** Actors in the order they were spawned; actors known only from the summary come last. */
function laneOrder(report: Report, spans: readonly Span[]): string[] {
  const names: string[] = [];
  const add = (name: string) => {
    if (!names.includes(name)) names.push(name);
  };
  for (const s of spans) add(s.actor);
  for (const a of report.actors) add(a.name);
  for (const e of traceOf(report)) if (e.type === 'mark' && e.actor !== undefined) add(e.actor);
  if (names.length === 0) add('main');
  return names;
}

/** Tick marks for an axis from 0 to `total`: about `count` of them, at 1, 2 or 5 × 10^k. */
export function ticks(total: number, count = 8): number[] {
  const raw = total / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let t = 0; t <= total + step * 1e-9; t += step) out.push(Number(t.toPrecision(12)));
  return out;
}

/** `850ms`, `12.5s`, `3m 20s`, `2h 5m`: virtual time as people read it, rounded before it is split. */
export function formatMs(ms: number): string {
  const millis = Number(ms.toFixed(3));
  if (millis < 1_000) return `${millis}ms`;
  const seconds = Number((ms / 1_000).toFixed(3));
  if (seconds < 60) return `${seconds}s`;
  // Round to tenths of a second first, so 599 999 ms reads "10m", never "9m 60s".
  const tenths = Math.round(ms / 100);
  const hours = Math.floor(tenths / 36_000);
  const minutes = Math.floor((tenths % 36_000) / 600);
  const rest = (tenths % 600) / 10;
  if (hours > 0) return minutes === 0 ? `${hours}h` : `${hours}h ${minutes}m`;
  return rest === 0 ? `${minutes}m` : `${minutes}m ${rest}s`;
}

/** A short label for a bar: the model, the tool, the store operation, the URL's host. */
export function spanLabel(span: Span): string {
  const d = span.data;
  const after = (prefix: string) => (span.target.startsWith(prefix) ? span.target.slice(prefix.length) : span.target);
  switch (span.kind) {
    case 'llm.call':
      return `${after('llm:')} call`;
    case 'llm':
      return `${after('llm:')}${d.stream === true ? ' (stream)' : ''}`;
    case 'tool':
      return after('tool:');
    case 'store':
      return `${String(d.f ?? 'op')} ${String(d.store ?? after('store:'))}${d.key === undefined || d.key === '' ? '' : `/${String(d.key)}`}`;
    case 'fetch':
      return `${String(d.method ?? 'GET')} ${after('http:')}`;
    case 'sleep':
      return typeof d.ms === 'number' ? `sleep ${formatMs(d.ms)}` : 'sleep';
    default:
      return span.target;
  }
}
