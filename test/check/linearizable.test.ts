// Goal: checkLinearizable accepts exactly the register histories that have a linearization, per
// (store, key), names a small counterexample in one sentence, and reports "unknown" rather than
// hanging. Method: classic hand-written histories, plus large generated ones for the search's work.
import { describe, expect, it } from 'vitest';
import { checkLinearizable } from '../../harness/check/index.ts';
import { isFaultlineError } from '../../harness/index.ts';
import { historyBuilder } from './builder.ts';
import { runWorkload, type Step } from './workload.ts';

describe('checkLinearizable: reads and writes', () => {
  it('rejects a stale read after a completed write, naming the three ops', () => {
    const h = historyBuilder();
    const w1 = h.invoke('p1', 'write', 'x', 1, 0);
    h.ok(w1, 2);
    const w2 = h.invoke('p2', 'write', 'x', 2, 3);
    h.ok(w2, 4);
    const r = h.invoke('p3', 'read', 'x', undefined, 5);
    h.ok(r, 6, { value: 1 });
    const verdict = checkLinearizable(h.history);
    expect(verdict.valid).toBe(false);
    expect(verdict.outcome).toBe('invalid');
    expect(verdict.violations).toEqual([
      {
        message:
          "Stale read on x in store kv: p3 read 1 (t=5–6ms), although p2's write of 2 had completed at t=4ms, after p1's write of 1 (t=0–2ms) and before the read began.",
        ops: [0, 1, 2, 3, 4, 5],
        key: 'x',
      },
    ]);
  });

  it('rejects reading nothing after a write completed', () => {
    const h = historyBuilder();
    const w = h.invoke('p1', 'write', 'x', 1, 0);
    h.ok(w, 1);
    const r = h.invoke('p2', 'read', 'x', undefined, 2);
    h.ok(r, 3, { value: null });
    expect(checkLinearizable(h.history).violations.map((v) => v.message)).toEqual([
      "Stale read on x in store kv: p2 read nothing (t=2–3ms), although p1's write of 1 had completed at t=1ms, before the read began.",
    ]);
  });

  it('accepts a read concurrent with a write whichever value it returns', () => {
    for (const seen of [undefined, 1]) {
      const h = historyBuilder();
      const w = h.invoke('p1', 'write', 'x', 1, 0);
      const r = h.invoke('p2', 'read', 'x', undefined, 2);
      h.ok(r, 5, { value: seen });
      h.ok(w, 10);
      expect(checkLinearizable(h.history)).toMatchObject({ valid: true, outcome: 'valid', violations: [] });
    }
  });

  it('rejects a read of a value nobody wrote', () => {
    const h = historyBuilder();
    const r = h.invoke('p2', 'read', 'x', undefined, 5);
    h.ok(r, 6, { value: 7 });
    expect(checkLinearizable(h.history).violations[0]?.message).toBe(
      'Impossible read on x in store kv: p2 read 7 (t=5–6ms), but no write or cas had begun to produce 7 before it completed.',
    );
  });

  it('compares object values by content', () => {
    const h = historyBuilder();
    const w = h.invoke('p1', 'write', 'x', { a: 1, b: [2] }, 0);
    h.ok(w, 1);
    const r = h.invoke('p2', 'read', 'x', undefined, 2);
    h.ok(r, 3, { value: { b: [2], a: 1 } });
    expect(checkLinearizable(h.history).valid).toBe(true);
  });
});

describe('checkLinearizable: cas, fail and info', () => {
  it('accepts a swap from the current value and rejects one from a value the register never held', () => {
    const good = historyBuilder();
    const w = good.invoke('p1', 'write', 'x', 1, 0);
    good.ok(w, 1);
    const c = good.invoke('p2', 'cas', 'x', [1, 2], 2);
    good.ok(c, 3);
    const r = good.invoke('p1', 'read', 'x', undefined, 4);
    good.ok(r, 5, { value: 2 });
    expect(checkLinearizable(good.history).valid).toBe(true);

    const bad = historyBuilder();
    const w3 = bad.invoke('p1', 'write', 'x', 3, 0);
    bad.ok(w3, 1);
    const c2 = bad.invoke('p2', 'cas', 'x', [1, 2], 2);
    bad.ok(c2, 3);
    expect(checkLinearizable(bad.history).violations[0]?.message).toBe(
      'Impossible cas on x in store kv: p2 cas 1→2 (t=2–3ms) succeeded, but no write or cas had begun to produce 1 before it completed.',
    );
  });

  it('drops failed ops: a failed cas or write constrains nothing and produces nothing', () => {
    const h = historyBuilder();
    const w = h.invoke('p1', 'write', 'x', 1, 0);
    h.ok(w, 1);
    const c = h.invoke('p2', 'cas', 'x', [5, 6], 2);
    h.fail(c, 3);
    const w2 = h.invoke('p2', 'write', 'x', 2, 4);
    h.fail(w2, 5);
    const r = h.invoke('p3', 'read', 'x', undefined, 6);
    h.ok(r, 7, { value: 1 });
    expect(checkLinearizable(h.history).valid).toBe(true);

    const r2 = h.invoke('p3', 'read', 'x', undefined, 8);
    h.ok(r2, 9, { value: 2 });
    expect(checkLinearizable(h.history).violations[0]?.message).toMatch(/^Impossible read on x in store kv: p3 read 2 \(t=8–9ms\)/);
  });

  it('lets an info write take effect, or not, but only once', () => {
    const base = (): ReturnType<typeof historyBuilder> => {
      const h = historyBuilder();
      const w1 = h.invoke('p1', 'write', 'x', 1, 0);
      h.ok(w1, 1);
      const w2 = h.invoke('p2', 'write', 'x', 2, 2);
      h.info(w2, 3);
      return h;
    };
    for (const seen of [1, 2]) {
      const h = base();
      const r = h.invoke('p3', 'read', 'x', undefined, 10);
      h.ok(r, 11, { value: seen });
      expect(checkLinearizable(h.history).valid).toBe(true);
    }
    const h = base();
    const r2 = h.invoke('p3', 'read', 'x', undefined, 10);
    h.ok(r2, 11, { value: 2 });
    const r1 = h.invoke('p3', 'read', 'x', undefined, 12);
    h.ok(r1, 13, { value: 1 });
    expect(checkLinearizable(h.history).violations[0]?.message).toBe(
      'Not linearizable on x in store kv: no single order of these 4 operations fits both a register and their real-time windows — ' +
        'p1 wrote 1 (t=0–1ms), p2 wrote 2 (t=2–3ms, outcome unknown), p3 read 2 (t=10–11ms) and p3 read 1 (t=12–13ms).',
    );
  });

  it('treats an op still open at the end like an info op', () => {
    const h = historyBuilder();
    h.invoke('p2', 'write', 'x', 2, 2);
    const r = h.invoke('p3', 'read', 'x', undefined, 10);
    h.ok(r, 11, { value: 2 });
    expect(checkLinearizable(h.history).valid).toBe(true);
  });

  it('ignores operations that are not register operations', () => {
    const h = historyBuilder();
    const a = h.invoke('p1', 'append', 'x', 9, 0);
    h.ok(a, 1);
    const q = h.invoke('p1', 'query', '', 'select', 2);
    h.ok(q, 3, { value: [9] });
    const r = h.invoke('p2', 'read', 'x', undefined, 4);
    h.ok(r, 5, { value: undefined });
    expect(checkLinearizable(h.history)).toMatchObject({ valid: true, stats: { partitions: 1, ops: 1 } });
  });

  it('rejects a cas recorded without [expected, next]', () => {
    const h = historyBuilder();
    const c = h.invoke('p1', 'cas', 'x', 5, 0);
    h.ok(c, 1);
    let error: unknown;
    try {
      checkLinearizable(h.history);
    } catch (e) {
      error = e;
    }
    expect(isFaultlineError(error)).toBe(true);
    expect((error as Error).message).toContain('cas op 0 by p1 on x (history index 0) has value 5');
  });
});

describe('checkLinearizable: partitions, shrinking and bounds', () => {
  it('reports a violation on key a with key a only, and keeps stores apart', () => {
    const h = historyBuilder();
    const wa = h.invoke('p1', 'write', 'a', 1, 0);
    const wb = h.invoke('p2', 'write', 'b', 1, 0);
    h.ok(wa, 1);
    h.ok(wb, 1);
    const wa2 = h.invoke('p1', 'write', 'a', 2, 2);
    h.ok(wa2, 3);
    const rb = h.invoke('p2', 'read', 'b', undefined, 4);
    h.ok(rb, 5, { value: 1 });
    const ra = h.invoke('p3', 'read', 'a', undefined, 4);
    h.ok(ra, 5, { value: 1 });
    const other = h.invoke('p3', 'read', 'a', undefined, 6, { store: 'cache' });
    h.ok(other, 7, { value: undefined });
    const verdict = checkLinearizable(h.history);
    expect(verdict.stats.partitions).toBe(3);
    expect(verdict.violations).toHaveLength(1);
    expect(verdict.violations[0]?.key).toBe('a');
    expect(verdict.violations[0]?.message).toMatch(/^Stale read on a in store kv: p3 read 1/);
  });

  it('shrinks a stale read buried in a long generated history to the three ops involved', () => {
    const { history } = runWorkload(steps(600, 3, 1), { serial: true });
    const h = historyBuilder();
    for (const op of history) h.recorder.ops.push(op);
    const end = (history[history.length - 1]?.t ?? 0) + 10;
    const first = history.find((op) => op.f === 'write' && op.type === 'ok');
    const w = h.invoke('late', 'write', 'k0', 'late', end);
    h.ok(w, end + 1);
    const r = h.invoke('reader', 'read', 'k0', undefined, end + 2);
    h.ok(r, end + 3, { value: first?.value });
    const verdict = checkLinearizable(h.history);
    expect(verdict.violations).toHaveLength(1);
    expect(verdict.violations[0]?.message).toMatch(
      /^Stale read on k0 in store kv: reader read \d+ \(t=\d+–\d+ms\), although p\d's (write of \d+|cas \S+→\d+) had completed at t=\d+ms, after p\d's write of \d+ /,
    );
    expect(verdict.violations[0]?.ops).toHaveLength(6);
  });

  it('explores about one state per op on a concurrent history of 10,000 ops', () => {
    const { history } = runWorkload(steps(10_000, 5, 40));
    const verdict = checkLinearizable(history);
    expect(verdict.outcome).toBe('valid');
    expect(verdict.stats.partitions).toBe(40);
    expect(verdict.stats.states).toBeLessThan(verdict.stats.ops * 3);
  });

  it('reports unknown, not valid, when a partition exceeds its search bound', () => {
    const h = historyBuilder();
    for (let i = 0; i < 16; i++) h.invoke(`p${i}`, 'write', 'x', i, i);
    const r = h.invoke('reader', 'read', 'x', undefined, 20);
    h.ok(r, 21, { value: 99 });
    const w = h.invoke('writer', 'write', 'x', 99, 22);
    h.ok(w, 23);
    const verdict = checkLinearizable(h.history, { maxStatesPerPartition: 1000 });
    expect(verdict).toMatchObject({ valid: false, outcome: 'unknown', violations: [] });
    expect(verdict.unknown).toEqual([
      {
        store: 'kv',
        key: 'x',
        states: 1001,
        message:
          'Linearizability of x in store kv is unknown: the search over its 18 operations stopped after 1001 states; raise maxStatesPerPartition or record fewer concurrent or unacknowledged operations.',
      },
    ]);
    expect(() => checkLinearizable(h.history, { maxStatesPerPartition: 0 })).toThrow(/maxStatesPerPartition must be a positive integer \(got 0\)/);
  });
});

/** A deterministic mix of steps without randomness: each op's shape follows from its index. */
function steps(count: number, processes: number, keys: number): Step[] {
  const kinds = ['read', 'write', 'read', 'cas', 'write'] as const;
  return Array.from({ length: count }, (_, i) => ({
    process: i % processes,
    key: (i * 7) % keys,
    kind: kinds[(i * 3) % kinds.length] as Step['kind'],
    fate: i % 97 === 0 ? 'info-applied' : 'ok',
    lead: (i * 37) % 101,
    lag: (i * 53) % 101,
  }));
}
