// Goal: the trace hash depends on the data only, never on key order or formatting, and spans are
// rebuilt correctly from start and end events.
import { describe, expect, it } from 'vitest';
import { canonicalJson, hashTrace, spansOf, type TraceEvent } from '../../harness/index.ts';

describe('canonical JSON and the trace hash', () => {
  it('sorts keys at every depth, so key order does not change the hash', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 0, y: 1 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"y":1,"z":0}]},"b":1}');
    const one: TraceEvent[] = [{ type: 'run.start', seed: '1', seq: 0, t: 0 }];
    const other = [{ t: 0, seq: 0, seed: '1', type: 'run.start' }] as TraceEvent[];
    expect(hashTrace(one)).toBe(hashTrace(other));
    expect(hashTrace(one)).not.toBe(hashTrace([{ ...one[0]!, seed: '2' } as TraceEvent]));
  });

  it('joins span starts and ends, keeping unfinished spans', () => {
    const trace: TraceEvent[] = [
      { type: 'span.start', span: 1, actor: 'main', kind: 'actor', target: 'actor:main', seq: 0, t: 0 },
      { type: 'span.start', span: 2, parent: 1, actor: 'main', kind: 'sleep', target: 'sleep', data: { ms: 5 }, seq: 1, t: 0 },
      { type: 'span.end', span: 2, outcome: 'ok', seq: 2, t: 5 },
    ];
    const spans = spansOf(trace);
    expect(spans.map((s) => [s.span, s.parent, s.start, s.end, s.outcome])).toEqual([
      [1, undefined, 0, undefined, 'unfinished'],
      [2, 1, 0, 5, 'ok'],
    ]);
    expect(spans[1]?.data).toEqual({ ms: 5 });
  });
});
