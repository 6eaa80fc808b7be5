// The trace of a run: plain events carrying virtual timestamps and sequence numbers only, never wall
// time, so that it is a pure function of (seed, fault plan, scenario) and hashes the same every time.
import { canonicalHash } from './canonicalJson.ts';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue | undefined };
export type TraceData = { readonly [key: string]: JsonValue | undefined };

/** What a span was: one call through a yield point, or an actor's whole life. */
export type SpanKind = 'actor' | 'fetch' | 'sleep' | (string & {});

/** How a span ended. */
export type SpanOutcome = 'ok' | 'error' | 'aborted' | 'fault' | 'unfinished' | (string & {});

interface Stamp {
  /** Position in the trace, from 0. */
  readonly seq: number;
  /** Virtual milliseconds since the run started. */
  readonly t: number;
}

export interface RunStartEvent extends Stamp {
  readonly type: 'run.start';
  readonly seed: string;
}
export interface SpanStartEvent extends Stamp {
  readonly type: 'span.start';
  readonly span: number;
  /** The enclosing span (an actor's span for its calls); absent only for the main actor. */
  readonly parent?: number;
  readonly actor: string;
  readonly kind: SpanKind;
  /** The yield point's name, e.g. `http:api.openai.com` or `sleep`; fault rules match on it. */
  readonly target: string;
  readonly data?: TraceData;
}
export interface SpanEndEvent extends Stamp {
  readonly type: 'span.end';
  readonly span: number;
  readonly outcome: SpanOutcome;
  readonly data?: TraceData;
}
/** A point event: a fault that fired, a problem the harness saw, a mark a property can look for. */
export interface MarkEvent extends Stamp {
  readonly type: 'mark';
  readonly name: string;
  readonly actor?: string;
  readonly span?: number;
  readonly data?: TraceData;
}
export interface RunEndEvent extends Stamp {
  readonly type: 'run.end';
  readonly outcome: string;
}

export type TraceEvent = RunStartEvent | SpanStartEvent | SpanEndEvent | MarkEvent | RunEndEvent;

type Unstamped<E> = E extends Stamp ? Omit<E, 'seq' | 't'> : never;

/** Appends events in order, stamping each with its sequence number and the virtual time. */
export class TraceRecorder {
  readonly events: TraceEvent[] = [];
  private nextSpan = 1;
  private readonly liveSpans = new Set<number>();

  /**
   * `mask` is applied to every string in an event's data (the run's secrets, credential-looking
   * text), so that no credential the run saw reaches its trace.
   */
  constructor(
    private readonly now: () => number,
    private readonly mask: (text: string) => string = (text) => text,
  ) {}

  /** Appends `event`, stamping it in place: callers always pass a fresh object literal. */
  record(event: Unstamped<TraceEvent>): void {
    const withData = event as { data?: TraceData };
    if (withData.data !== undefined) withData.data = maskData(withData.data, this.mask) as TraceData;
    const stamped = event as Unstamped<TraceEvent> & { seq: number; t: number };
    stamped.seq = this.events.length;
    stamped.t = this.now();
    this.events.push(stamped as TraceEvent);
  }

  /** Opens a span and returns its id (ids count up from 1 in the order spans open). */
  open(start: Omit<SpanStartEvent, 'seq' | 't' | 'type' | 'span'>): number {
    const span = this.nextSpan++;
    this.liveSpans.add(span);
    this.record({ type: 'span.start', span, ...start });
    return span;
  }

  /** Closes a span; closing one that is not open (twice, say) is ignored. */
  close(span: number, outcome: SpanOutcome, data?: TraceData): void {
    if (!this.liveSpans.delete(span)) return;
    this.record(data === undefined ? { type: 'span.end', span, outcome } : { type: 'span.end', span, outcome, data });
  }

  /** Spans opened and not yet closed, oldest first. */
  openSpans(): number[] {
    return [...this.liveSpans];
  }
}

function maskData(value: JsonValue | TraceData | undefined, mask: (text: string) => string): unknown {
  if (typeof value === 'string') return value.length < 6 ? value : mask(value);
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((v) => maskData(v, mask));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = maskData(v, mask);
  return out;
}

/** The stable hash of a trace: equal traces, and only equal traces, share it. */
export function hashTrace(trace: readonly TraceEvent[]): string {
  return canonicalHash(trace);
}

/** A span with both ends joined, as reports and properties want to see it. */
export interface Span {
  readonly span: number;
  readonly parent: number | undefined;
  readonly actor: string;
  readonly kind: SpanKind;
  readonly target: string;
  readonly start: number;
  readonly end: number | undefined;
  readonly outcome: SpanOutcome;
  readonly data: TraceData;
}

/** Joins span.start and span.end events into spans, in the order they opened. */
export function spansOf(trace: readonly TraceEvent[]): Span[] {
  const index = new Map<number, number>();
  const out: Span[] = [];
  for (const e of trace) {
    if (e.type === 'span.start') {
      index.set(e.span, out.length);
      out.push({
        span: e.span,
        parent: e.parent,
        actor: e.actor,
        kind: e.kind,
        target: e.target,
        start: e.t,
        end: undefined,
        outcome: 'unfinished',
        data: e.data ?? {},
      });
    } else if (e.type === 'span.end') {
      const i = index.get(e.span);
      const s = i === undefined ? undefined : out[i];
      if (i === undefined || s === undefined) continue;
      out[i] = { ...s, end: e.t, outcome: e.outcome, data: { ...s.data, ...e.data } };
    }
  }
  return out;
}
