// Goal: the trace exports load in the tools teams already use — Chrome trace event format for
// Perfetto, OTLP/JSON for OpenTelemetry collectors, JUnit XML for CI — and say the same thing as
// the trace. Method: export a real failing run and a fan-out run, parse the output back, check it
// against the formats' documented shapes (as zod schemas), and compare every event with the spans.

import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool, type Span, simulate, spansOf, type TraceEvent } from '../../harness/index.ts';
import { type ChromeTraceEvent, chromeTraceJson } from '../../reports/exports/chromeTrace.ts';
import { junitXml } from '../../reports/exports/junit.ts';
import { OTLP_EPOCH_MS, type OtlpTrace, otlpJson } from '../../reports/exports/otlp.ts';
import { buildReport } from '../../reports/jsonReport.ts';
import type { Report } from '../../reports/reportSchema.ts';
import { deadlockInput } from './fixtures.ts';
import { parseXml, type XmlElement } from './xml.ts';

let report: Report;
let spans: Span[];

beforeAll(async () => {
  report = buildReport(await deadlockInput());
  spans = spansOf(report.trace as unknown as TraceEvent[]);
});

/** An actor whose calls overlap without nesting: a tool call, and another that starts 50 ms into it. */
async function fanOutReport(): Promise<Report> {
  const slow = defineTool({ name: 'slow', description: 'takes 100 ms', input: z.object({}), handler: () => 'done' });
  const result = await simulate(async (world) => Promise.all([world.tools.call('slow', {}), world.sleep(50).then(() => world.tools.call('slow', {}))]), {
    tools: [slow],
    faults: [{ target: 'tool:slow', kind: 'latency', params: { latency: { kind: 'fixed', ms: 100 } } }],
  });
  return buildReport({ scenario: { name: 'fan-out' }, result, verdicts: [] });
}

// The Trace Event Format (https://docs.google.com/document/d/1CvAClvFfyA5R-PhYUmn5OOQtYMH4h6I0nSsKchNAySU).
const chromeEvent = z.discriminatedUnion('ph', [
  z
    .object({
      ph: z.literal('X'),
      name: z.string(),
      cat: z.string(),
      pid: z.number().int(),
      tid: z.number().int(),
      ts: z.number().min(0),
      dur: z.number().min(0),
      args: z.record(z.string(), z.unknown()),
    })
    .strict(),
  z
    .object({
      ph: z.literal('B'),
      name: z.string(),
      cat: z.string(),
      pid: z.number().int(),
      tid: z.number().int(),
      ts: z.number().min(0),
      args: z.record(z.string(), z.unknown()),
    })
    .strict(),
  z
    .object({
      ph: z.literal('i'),
      name: z.string(),
      cat: z.string(),
      pid: z.number().int(),
      tid: z.number().int(),
      ts: z.number().min(0),
      s: z.enum(['t', 'p', 'g']),
      args: z.record(z.string(), z.unknown()),
    })
    .strict(),
  z
    .object({
      ph: z.literal('M'),
      name: z.enum(['process_name', 'thread_name', 'thread_sort_index']),
      pid: z.number().int(),
      tid: z.number().int(),
      args: z.record(z.string(), z.unknown()),
    })
    .strict(),
]);
const chromeTraceShape = z
  .object({ traceEvents: z.array(chromeEvent).min(1), displayTimeUnit: z.enum(['ms', 'ns']), otherData: z.record(z.string(), z.unknown()) })
  .strict();

const complete = (events: readonly ChromeTraceEvent[]) => events.filter((e) => e.ph === 'X');
const threadNames = (events: readonly ChromeTraceEvent[]) => new Map(events.filter((e) => e.name === 'thread_name').map((e) => [e.tid, String(e.args?.name)]));

/** Slices on one thread must nest: each starts after, or ends within, the ones still open. */
function nestingProblems(events: readonly ChromeTraceEvent[]): string[] {
  const problems: string[] = [];
  const byTid = new Map<number, ChromeTraceEvent[]>();
  for (const e of complete(events)) byTid.set(e.tid, [...(byTid.get(e.tid) ?? []), e]);
  for (const [tid, list] of byTid) {
    const open: ChromeTraceEvent[] = [];
    for (const e of [...list].sort((a, b) => (a.ts ?? 0) - (b.ts ?? 0) || (b.dur ?? 0) - (a.dur ?? 0))) {
      const end = (x: ChromeTraceEvent) => (x.ts ?? 0) + (x.dur ?? 0);
      while (open.length > 0 && end(open.at(-1) as ChromeTraceEvent) <= (e.ts ?? 0)) open.pop();
      const top = open.at(-1);
      if (top !== undefined && end(e) > end(top)) problems.push(`tid ${tid}: ${e.name}@${e.ts} overlaps ${top.name}@${top.ts}`);
      open.push(e);
    }
  }
  return problems;
}

describe('Chrome trace export', () => {
  it('has the documented shape, one complete event per finished span with µs times, and a named thread per actor', () => {
    const parsed = chromeTraceShape.parse(JSON.parse(chromeTraceJson(report)));
    const events = parsed.traceEvents as ChromeTraceEvent[];
    const finished = spans.filter((s) => s.end !== undefined);
    expect(complete(events)).toHaveLength(finished.length);
    const names = threadNames(events);
    for (const s of finished) {
      const e = complete(events).find((x) => x.args?.span === s.span);
      expect(e).toMatchObject({ name: s.target, ts: s.start * 1000, dur: ((s.end as number) - s.start) * 1000 });
      expect(names.get(e?.tid ?? -1)).toMatch(new RegExp(`^${s.actor}( \\(\\d+\\))?$`));
    }
    expect([...new Set(names.values())].filter((n) => !n.includes('('))).toEqual(['main', 'planner', 'executor']);
    expect(events.find((e) => e.name === 'process_name')?.args?.name).toBe('reports/deadlock-demo × naive · seed 7');
  });

  it('marks faults as instant events on the thread of the span they hit, and flags violating spans', () => {
    const events = JSON.parse(chromeTraceJson(report)).traceEvents as ChromeTraceEvent[];
    const fault = events.find((e) => e.ph === 'i' && e.name === 'fault tool-outage');
    const hit = complete(events).find((e) => e.args?.span === fault?.args?.span);
    expect(fault).toMatchObject({ s: 't', ts: 120_000, args: { kind: 'error', rule: 'tool-outage' } });
    expect(fault?.tid).toBe(hit?.tid);
    const violating = complete(events)
      .filter((e) => e.cat?.endsWith(',violating'))
      .map((e) => Number(e.args?.span));
    // The stuck lock waits the deadlock verdict names, and the store write behind the other verdict's history op.
    const write = spans.find((s) => s.kind === 'store' && s.data.key === 'summary')?.span;
    expect(violating.sort((a, b) => a - b)).toEqual([...(report.verdicts[0]?.spans ?? []), write].sort((a, b) => Number(a) - Number(b)));
  });

  it('keeps slices nested on every thread, moving overlapping calls of one actor to a second thread', async () => {
    expect(nestingProblems(JSON.parse(chromeTraceJson(report)).traceEvents)).toEqual([]);
    const fan = JSON.parse(chromeTraceJson(await fanOutReport())).traceEvents as ChromeTraceEvent[];
    expect(nestingProblems(fan)).toEqual([]);
    expect([...threadNames(fan).values()]).toEqual(['main', 'main (2)']);
  });
});

const hex = (n: number) =>
  z
    .string()
    .regex(new RegExp(`^[0-9a-f]{${n}}$`))
    .refine((s) => !/^0+$/.test(s), 'all zeros');
const anyValue = z.union([
  z.object({ stringValue: z.string() }).strict(),
  z.object({ intValue: z.string().regex(/^-?\d+$/) }).strict(),
  z.object({ doubleValue: z.number() }).strict(),
  z.object({ boolValue: z.boolean() }).strict(),
  z.object({ arrayValue: z.object({ values: z.array(z.unknown()) }).strict() }).strict(),
]);
const keyValues = z.array(z.object({ key: z.string().min(1), value: anyValue }).strict());
const nanos = z.string().regex(/^\d{19}$/);
// OTLP/JSON (opentelemetry-proto, trace/v1/trace.proto with the protobuf JSON mapping; ids as hex).
const otlpShape = z
  .object({
    resourceSpans: z.array(
      z
        .object({
          resource: z.object({ attributes: keyValues }).strict(),
          scopeSpans: z.array(
            z
              .object({
                scope: z.object({ name: z.string(), version: z.string() }).strict(),
                spans: z.array(
                  z
                    .object({
                      traceId: hex(32),
                      spanId: hex(16),
                      parentSpanId: hex(16).optional(),
                      name: z.string().min(1),
                      kind: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]),
                      startTimeUnixNano: nanos,
                      endTimeUnixNano: nanos,
                      attributes: keyValues,
                      events: z.array(z.object({ timeUnixNano: nanos, name: z.string(), attributes: keyValues }).strict()),
                      status: z.object({ code: z.union([z.literal(0), z.literal(1), z.literal(2)]), message: z.string().optional() }).strict(),
                    })
                    .strict(),
                ),
              })
              .strict(),
          ),
        })
        .strict(),
    ),
  })
  .strict();

describe('OTLP/JSON export', () => {
  it('has the OTLP shape, and parent links, times and ids that match the trace', () => {
    const otlp = otlpShape.parse(JSON.parse(otlpJson(report))) as OtlpTrace;
    const out = otlp.resourceSpans[0]?.scopeSpans[0]?.spans ?? [];
    expect(out).toHaveLength(spans.length);
    expect(new Set(out.map((s) => s.traceId)).size).toBe(1);
    for (const s of spans) {
      const o = out.find((x) => x.spanId === s.span.toString(16).padStart(16, '0'));
      expect(o?.parentSpanId).toBe(s.parent === undefined ? undefined : s.parent.toString(16).padStart(16, '0'));
      expect(BigInt(o?.startTimeUnixNano ?? 0)).toBe(BigInt(OTLP_EPOCH_MS + s.start) * 1_000_000n);
      expect(BigInt(o?.endTimeUnixNano ?? 0)).toBe(BigInt(OTLP_EPOCH_MS + (s.end ?? 0)) * 1_000_000n);
    }
    const failedTool = out.find((o) => o.name === 'tool:lookup_order' && o.status.code === 2);
    expect(failedTool?.status.message).toContain('ToolError');
    expect(failedTool?.events.map((e) => e.name)).toEqual(['fault']);
    expect(otlp.resourceSpans[0]?.resource.attributes).toContainEqual({ key: 'faultline.seed', value: { stringValue: '7' } });
  });

  it('derives the trace id from the run, so the same run exports the same bytes', async () => {
    expect(otlpJson(buildReport(await deadlockInput()))).toBe(otlpJson(report));
    const other = otlpShape.parse(JSON.parse(otlpJson({ ...report, seed: '8' }))) as OtlpTrace;
    expect(other.resourceSpans[0]?.scopeSpans[0]?.spans[0]?.traceId).not.toBe(
      (JSON.parse(otlpJson(report)) as OtlpTrace).resourceSpans[0]?.scopeSpans[0]?.spans[0]?.traceId,
    );
  });
});

const children = (e: XmlElement, name: string) => e.children.filter((c): c is XmlElement => typeof c !== 'string' && c.name === name);

describe('JUnit XML export', () => {
  it('has a testsuite per scenario and a testcase per agent × property, failures carrying the message and replay command', async () => {
    const passing = buildReport({ ...(await deadlockInput()), agent: 'hardened', verdicts: [{ property: 'no-deadlock', ok: true, message: 'held' }] });
    const fan = await fanOutReport();
    const root = parseXml(junitXml([report, passing, fan]));
    expect(root.name).toBe('testsuites');
    expect(root.attributes).toMatchObject({ tests: '5', failures: '2' });
    const suites = children(root, 'testsuite');
    expect(suites.map((s) => s.attributes.name)).toEqual(['reports/deadlock-demo', 'fan-out']);
    const cases = children(suites[0] as XmlElement, 'testcase');
    expect(cases.map((c) => c.attributes.name)).toEqual([
      'naive › no-deadlock',
      'naive › no-untrusted-markup-in-stores',
      'naive › bounded-spend',
      'hardened › no-deadlock',
    ]);
    const failure = children(cases[1] as XmlElement, 'failure')[0];
    expect(failure?.attributes.message).toBe('The model\'s output reached store "notes" unfiltered: <script>window.__pwned = true</script>');
    expect(failure?.text).toContain('replay: npx faultline replay --scenario reports/deadlock-demo --agent naive --seed 7');
    expect(children(cases[2] as XmlElement, 'failure')).toEqual([]);
    expect(children(suites[1] as XmlElement, 'testcase')[0]?.attributes.name).toBe('outcome');
  });

  it('stays well-formed whatever the text: markup, quotes, line breaks, control characters, lone surrogates', () => {
    const nasty = 'a <b> & "c" \'d\' ]]> \n line2\ttab \u0000\u0001 \uD800 end';
    const xml = junitXml([{ ...report, scenario: { name: nasty }, verdicts: [{ property: nasty, ok: false, message: nasty }] }]);
    const root = parseXml(xml);
    const failure = children(children(children(root, 'testsuite')[0] as XmlElement, 'testcase')[0] as XmlElement, 'failure')[0];
    expect(failure?.attributes.message).toBe('a <b> & "c" \'d\' ]]> \n line2\ttab \uFFFD\uFFFD \uFFFD end');
  });
});
