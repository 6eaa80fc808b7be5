// The run as a Chrome trace (the Trace Event Format's JSON object form), which Perfetto and
// chrome://tracing open. One process for the run, one thread per actor, a complete ('X') event per
// finished span and an instant ('i') event per mark; virtual milliseconds become microseconds.
// The format wants the slices on a thread to nest, but an actor that fans out (Promise.all) has
// overlapping calls, so such calls move to extra threads named after the actor: `planner (2)`.

import type { JsonValue } from '../../harness/sim/trace.ts';
import { type Span, spansOf } from '../../harness/sim/trace.ts';
import { redactReport } from '../jsonReport.ts';
import type { Report } from '../reportSchema.ts';
import { traceOf, violatingSpansOf } from '../timelineModel.ts';

export interface ChromeTraceEvent {
  readonly name: string;
  readonly ph: 'X' | 'B' | 'i' | 'M';
  readonly pid: number;
  readonly tid: number;
  readonly ts?: number;
  readonly dur?: number;
  readonly cat?: string;
  /** Scope of an instant event: thread, process or global. */
  readonly s?: 't' | 'p' | 'g';
  readonly args?: { readonly [key: string]: JsonValue };
}

export interface ChromeTrace {
  readonly traceEvents: readonly ChromeTraceEvent[];
  readonly displayTimeUnit: 'ms';
  readonly otherData: { readonly [key: string]: JsonValue };
}

const PID = 1;

/** Virtual milliseconds as whole-nanosecond-precise microseconds. */
export function toMicros(ms: number): number {
  return Math.round(ms * 1_000_000) / 1_000;
}

interface Track {
  readonly actor: string;
  readonly index: number;
  readonly tid: number;
  readonly open: Span[];
}

/** Places each span on a thread of its actor where it nests inside whatever is still open there. */
export function assignThreads(spans: readonly Span[], totalMs: number): { tracks: Track[]; tidOf: Map<number, number> } {
  const tracks: Track[] = [];
  const tidOf = new Map<number, number>();
  const endOf = (s: Span) => s.end ?? totalMs;
  for (const span of spans) {
    const own = tracks.filter((t) => t.actor === span.actor);
    let track = own.find((t) => {
      while (t.open.length > 0 && endOf(t.open.at(-1) as Span) <= span.start) t.open.pop();
      const top = t.open.at(-1);
      return top === undefined || endOf(span) <= endOf(top);
    });
    if (track === undefined) {
      track = { actor: span.actor, index: own.length, tid: tracks.length + 1, open: [] };
      tracks.push(track);
    }
    track.open.push(span);
    tidOf.set(span.span, track.tid);
  }
  return { tracks, tidOf };
}

function metadata(report: Report, tracks: readonly Track[], actors: readonly string[]): ChromeTraceEvent[] {
  const process = `${report.scenario.name}${report.agent === undefined ? '' : ` × ${report.agent}`} · seed ${report.seed}`;
  const out: ChromeTraceEvent[] = [{ name: 'process_name', ph: 'M', pid: PID, tid: 0, args: { name: process } }];
  for (const t of tracks) {
    out.push({ name: 'thread_name', ph: 'M', pid: PID, tid: t.tid, args: { name: t.index === 0 ? t.actor : `${t.actor} (${t.index + 1})` } });
    out.push({ name: 'thread_sort_index', ph: 'M', pid: PID, tid: t.tid, args: { sort_index: actors.indexOf(t.actor) * 1_000 + t.index } });
  }
  return out;
}

function spanEvent(span: Span, tid: number, violating: boolean): ChromeTraceEvent {
  const args: { [key: string]: JsonValue } = { span: span.span, actor: span.actor, target: span.target, outcome: span.outcome };
  if (span.parent !== undefined) args.parent = span.parent;
  if (violating) args.violating = true;
  if (Object.keys(span.data).length > 0) args.data = span.data as JsonValue;
  const cat = violating ? `${span.kind},violating` : span.kind;
  const base = { name: span.target, cat, pid: PID, tid, ts: toMicros(span.start), args };
  return span.end === undefined ? { ...base, ph: 'B' } : { ...base, ph: 'X', dur: toMicros(span.end - span.start) };
}

/** The Chrome trace of a report's run. */
export function chromeTrace(input: Report): ChromeTrace {
  const report = redactReport(input);
  const trace = traceOf(report);
  const spans = spansOf(trace);
  const { tracks, tidOf } = assignThreads(spans, report.virtualTimeMs);
  const actors = [...new Set(tracks.map((t) => t.actor))];
  const violating = violatingSpansOf(report, spans);
  const mainTid = (actor: string | undefined) => tracks.find((t) => t.actor === actor && t.index === 0)?.tid;
  const events: ChromeTraceEvent[] = [...metadata(report, tracks, actors), ...spans.map((s) => spanEvent(s, tidOf.get(s.span) ?? 0, violating.has(s.span)))];
  for (const e of trace) {
    if (e.type !== 'mark') continue;
    const tid = (e.span === undefined ? undefined : tidOf.get(e.span)) ?? mainTid(e.actor);
    const rule = e.name === 'fault' && typeof e.data?.rule === 'string' ? ` ${e.data.rule}` : '';
    const args: { [key: string]: JsonValue } = { ...(e.data as { [key: string]: JsonValue } | undefined) };
    if (e.span !== undefined) args.span = e.span;
    events.push({ name: `${e.name}${rule}`, cat: 'mark', ph: 'i', s: tid === undefined ? 'p' : 't', pid: PID, tid: tid ?? 0, ts: toMicros(e.t), args });
  }
  return {
    traceEvents: events,
    displayTimeUnit: 'ms',
    otherData: {
      generator: 'faultline',
      scenario: report.scenario.name,
      agent: report.agent ?? null,
      seed: report.seed,
      outcome: report.outcome,
      passed: report.passed,
      traceHash: report.traceHash,
      replay: report.replay ?? null,
      clock: 'virtual time: ts 0 is the start of the run',
    },
  };
}

export function chromeTraceJson(report: Report): string {
  return `${JSON.stringify(chromeTrace(report))}\n`;
}
