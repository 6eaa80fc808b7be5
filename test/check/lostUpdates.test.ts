// Goal: checkLostUpdates finds every acknowledged write that an acknowledged read-modify-write
// overwrote without having read it — two RMWs on one version, a blind write slipping in between, a
// stale read — and accepts cas-protected and sequential RMWs. Method: hand-written histories.
import { describe, expect, it } from 'vitest';
import { checkLostUpdates } from '../../harness/check/index.ts';
import { type Builder, historyBuilder } from './builder.ts';

/** A process's read of `key` returning `version` and `value`, from `from` to `to`. */
function read(h: Builder, process: string, key: string, version: number, value: unknown, from: number, to: number): void {
  const op = h.invoke(process, 'read', key, undefined, from);
  h.ok(op, to, { value, version });
}

function write(h: Builder, process: string, key: string, value: unknown, from: number, to: number, version?: number): void {
  const op = h.invoke(process, 'write', key, value, from);
  h.ok(op, to, version === undefined ? undefined : { value, version });
}

describe('checkLostUpdates', () => {
  it('rejects two read-modify-writes based on one version: the first to commit is lost', () => {
    const h = historyBuilder('db');
    read(h, 'executor', 'account:1', 3, { balance: 100 }, 2, 3);
    read(h, 'planner', 'account:1', 3, { balance: 100 }, 3, 4);
    write(h, 'executor', 'account:1', 120, 5, 7, 4);
    write(h, 'planner', 'account:1', 110, 6, 9, 5);
    const verdict = checkLostUpdates(h.history);
    expect(verdict.valid).toBe(false);
    expect(verdict.violations).toEqual([
      {
        message:
          "Lost update on account:1 in store db: planner read version 3 (balance 100) at t=4ms and wrote 110 at t=9ms, while executor, which also read version 3, wrote 120 at t=7ms; executor's update is lost.",
        ops: [0, 1, 2, 3, 4, 5, 6, 7],
        key: 'account:1',
      },
    ]);
  });

  it('rejects two read-modify-writes that the store numbered as one version', () => {
    const h = historyBuilder('db');
    read(h, 'executor', 'account:1', 3, 100, 0, 1);
    read(h, 'planner', 'account:1', 3, 100, 0, 1);
    write(h, 'executor', 'account:1', 120, 2, 3, 4);
    write(h, 'planner', 'account:1', 110, 2, 4, 4);
    expect(checkLostUpdates(h.history).violations.map((v) => v.message)).toEqual([
      "Lost update on account:1 in store db: planner read version 3 (100) at t=1ms and wrote 110 at t=4ms, while executor, which also read version 3, wrote 120 at t=3ms; executor's update is lost.",
    ]);
  });

  it('uses completion order when the store does not report created versions', () => {
    const h = historyBuilder('db');
    read(h, 'executor', 'account:1', 3, 100, 2, 3);
    read(h, 'planner', 'account:1', 3, 100, 3, 4);
    write(h, 'planner', 'account:1', 110, 5, 6);
    write(h, 'executor', 'account:1', 120, 5, 8);
    expect(checkLostUpdates(h.history).violations.map((v) => v.message)).toEqual([
      "Lost update on account:1 in store db: executor read version 3 (100) at t=3ms and wrote 120 at t=8ms, while planner, which also read version 3, wrote 110 at t=6ms; planner's update is lost.",
    ]);
  });

  it('rejects an RMW whose read was stale: a write had already committed before the read began', () => {
    const h = historyBuilder('db');
    write(h, 'executor', 'account:1', 120, 0, 2, 4);
    read(h, 'planner', 'account:1', 3, 100, 3, 4);
    write(h, 'planner', 'account:1', 110, 5, 9, 5);
    expect(checkLostUpdates(h.history).violations.map((v) => v.message)).toEqual([
      "Lost update on account:1 in store db: planner read version 3 (100) at t=4ms, although executor's write of 120 (version 4) had committed at t=2ms, and then wrote 110 at t=9ms over it; executor's update is lost.",
    ]);
  });

  it('rejects an RMW that overwrites a blind write committed between its read and its write', () => {
    const h = historyBuilder('db');
    read(h, 'planner', 'account:1', 3, 100, 0, 1);
    write(h, 'executor', 'account:1', 0, 2, 3, 4);
    const cas = h.invoke('planner', 'cas', 'account:1', [100, 110], 4);
    h.ok(cas, 5, { value: [100, 110], version: 5 });
    expect(checkLostUpdates(h.history).violations.map((v) => v.message)).toEqual([
      "Lost update on account:1 in store db: planner read version 3 (100) at t=1ms and wrote 110 at t=5ms, while executor wrote 0 (version 4) at t=3ms in between; executor's update is lost.",
    ]);
  });

  it('accepts cas-protected RMWs: the loser of the race fails instead of overwriting', () => {
    const h = historyBuilder('db');
    read(h, 'executor', 'account:1', 3, 100, 0, 1);
    read(h, 'planner', 'account:1', 3, 100, 0, 1);
    const a = h.invoke('executor', 'cas', 'account:1', [100, 120], 2);
    const b = h.invoke('planner', 'cas', 'account:1', [100, 110], 2);
    h.ok(a, 3, { value: [100, 120], version: 4 });
    h.fail(b, 4);
    expect(checkLostUpdates(h.history)).toEqual({ valid: true, violations: [] });
  });

  it('accepts sequential RMWs, blind writes, unacknowledged writes and reads of other keys', () => {
    const h = historyBuilder('db');
    read(h, 'planner', 'a', 3, 100, 0, 1);
    read(h, 'planner', 'b', 7, 'x', 1, 2);
    write(h, 'planner', 'a', 110, 2, 3, 4);
    read(h, 'executor', 'a', 4, 110, 4, 5);
    const lost = h.invoke('auditor', 'write', 'a', 0, 5);
    h.info(lost, 6);
    write(h, 'executor', 'a', 120, 6, 7, 6);
    write(h, 'auditor', 'a', 1, 8, 9, 7);
    write(h, 'planner', 'a', 2, 8, 10, 8);
    expect(checkLostUpdates(h.history)).toEqual({ valid: true, violations: [] });
  });

  it('bases an RMW on the latest of its process reads, and a missing key on version 0', () => {
    const h = historyBuilder('db');
    read(h, 'planner', 'a', 3, 100, 0, 1);
    write(h, 'executor', 'a', 0, 1, 2, 4);
    read(h, 'planner', 'a', 4, 0, 3, 4);
    write(h, 'planner', 'a', 10, 5, 6, 5);
    const create = h.invoke('p', 'read', 'new', undefined, 7);
    h.ok(create, 8, { value: undefined });
    write(h, 'q', 'new', 'q', 8, 9, 1);
    write(h, 'p', 'new', 'p', 9, 10, 2);
    expect(checkLostUpdates(h.history).violations.map((v) => v.message)).toEqual([
      'Lost update on new in store db: p read version 0 (nothing) at t=8ms and wrote "p" at t=10ms, while q wrote "q" (version 1) at t=9ms in between; q\'s update is lost.',
    ]);
  });
});
