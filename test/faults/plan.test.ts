// Goal: fault plans are validated as data — good plans get their defaults, bad plans are rejected
// with every problem's field path and expected shape at once. Method: hand-written and fuzzed plans.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isFaultlineError, parseFaultPlan, ruleIds } from '../../harness/index.ts';

describe('parseFaultPlan', () => {
  it('fills in defaults', () => {
    expect(
      parseFaultPlan([
        { target: 'llm:*', kind: 'rate-limit' },
        { target: 'http:svc.test', kind: 'outage' },
      ]),
    ).toEqual([
      { target: 'llm:*', kind: 'rate-limit', params: { retryAfterMs: 1000, header: 'both', limit: 'requests' } },
      { target: 'http:svc.test', kind: 'outage', params: { mode: 'refused' } },
    ]);
  });

  it('rejects a bad plan with each field path and the expected shape', () => {
    let message = '';
    try {
      parseFaultPlan([
        { target: 'llm:*', kind: 'rate-limit', params: { retryAfterMs: 100_000_000 } },
        { target: 'llm:*', kind: 'explode' },
        { target: 'tool:search', kind: 'latency', when: { probability: 2, often: true }, params: { latency: { kind: 'fixed', ms: 5 } } },
      ]);
    } catch (error) {
      expect(isFaultlineError(error)).toBe(true);
      message = (error as Error).message;
    }
    expect(message).toContain('Invalid fault plan (4 problems)');
    expect(message).toContain('faults[0].params.retryAfterMs: at most 86400000 (a day) (got 100000000)');
    expect(message).toMatch(/faults\[1\]\.kind: unknown kind \(got "explode"\); expected one of latency, .*, stale-read/);
    expect(message).toContain('faults[2].when.probability');
    expect(message).toContain('faults[2].when.often: unknown field "often"; expected one of calls, probability, afterMs, beforeMs, actor, times');
  });

  it('names the nearest valid kind and field when one is misspelt', () => {
    expect(() => parseFaultPlan([{ target: 'llm:*', kind: 'latncy' }])).toThrow('faults[0].kind: unknown kind "latncy"; did you mean "latency"?');
    expect(() => parseFaultPlan([{ target: 'llm:*', kind: 'rate-limit', parms: { retryAfterMs: 5 } }])).toThrow(
      'faults[0].parms: unknown field "parms"; did you mean "params"?',
    );
    expect(() => parseFaultPlan([{ target: 'llm:*', kind: 'latency', params: { latency: { kind: 'fixed', mss: 5 } } }])).toThrow(
      'faults[0].params.latency.mss: unknown field "mss"; did you mean "ms"?',
    );
  });

  it('rejects a kind that cannot happen at its target layer, and an empty time window', () => {
    expect(() => parseFaultPlan([{ target: 'tool:search', kind: 'stream-cut' }])).toThrow(
      /faults\[0\]\.kind: "stream-cut" cannot happen at "tool:search"; at tool: targets the kinds are latency, error/,
    );
    expect(() => parseFaultPlan([{ target: 'db:main', kind: 'hang' }])).toThrow(/unknown layer "db:"/);
    expect(() => parseFaultPlan([{ target: 'llm:*', kind: 'hang', when: { afterMs: 10, beforeMs: 5 } }])).toThrow(
      /afterMs \(10\) must be less than beforeMs \(5\)/,
    );
  });

  it('never crashes on arbitrary input: it returns a plan or throws a FaultlineError', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        try {
          parseFaultPlan(input);
        } catch (error) {
          expect(isFaultlineError(error)).toBe(true);
        }
      }),
      { seed: 3, numRuns: 500 },
    );
  });

  it('gives rules ids that do not depend on their position', () => {
    const plan = parseFaultPlan([
      { target: 'llm:*', kind: 'hang' },
      { target: 'tool:a', kind: 'error' },
      { target: 'tool:a', kind: 'error' },
      { id: 'mine', target: 'tool:b', kind: 'error' },
    ]);
    expect(ruleIds(plan)).toEqual(['hang@llm:*', 'error@tool:a', 'error@tool:a#2', 'mine']);
    expect(ruleIds(plan.slice(1))).toEqual(['error@tool:a', 'error@tool:a#2', 'mine']);
  });
});
