// Goal: the checkers never reject a correct execution, and find exactly the lost updates a buggy
// client causes. Method: fast-check generates workloads (steps by a few processes on a few keys),
// which are executed one at a time against an in-memory map and recorded either serially or with
// overlapping windows around each op's place in that order; fixed seeds keep every run reproducible.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkLinearizable, checkLostUpdates, type HistoryOp } from '../../harness/check/index.ts';
import { runWorkload, type Step } from './workload.ts';

const step = (processes: number, keys: number): fc.Arbitrary<Step> =>
  fc.record({
    process: fc.nat(processes - 1),
    key: fc.nat(keys - 1),
    kind: fc.constantFrom('read', 'read', 'write', 'cas', 'append'),
    fate: fc.oneof(
      { weight: 12, arbitrary: fc.constant('ok' as const) },
      { weight: 1, arbitrary: fc.constantFrom('fail' as const, 'info-applied' as const, 'info-dropped' as const, 'open' as const) },
    ),
    lead: fc.integer({ min: 0, max: 100 }),
    lag: fc.integer({ min: 0, max: 100 }),
  });

const workload = fc.array(step(4, 3), { maxLength: 120, size: 'max' });

describe('checkers on correct executions', () => {
  it('accept every serialised execution (clients doing their read-modify-writes with cas)', () => {
    fc.assert(
      fc.property(workload, (steps) => {
        const { history } = runWorkload(steps, { serial: true });
        expect(checkLinearizable(history).outcome).toBe('valid');
        expect(checkLostUpdates(history).violations).toEqual([]);
      }),
      { seed: 20_261_126, numRuns: 300 },
    );
  });

  it('accept concurrent histories whose ops each take effect inside their window', () => {
    fc.assert(
      fc.property(workload, (steps) => {
        const { history } = runWorkload(steps);
        expect(checkLinearizable(history).outcome).toBe('valid');
        expect(checkLostUpdates(history).violations).toEqual([]);
      }),
      { seed: 7_041, numRuns: 300 },
    );
  });
});

describe('checkers on faulty executions', () => {
  it('checkLostUpdates reports exactly the writes that blind read-modify-writes overwrote', () => {
    fc.assert(
      fc.property(fc.array(step(3, 2), { maxLength: 80, size: 'max' }), fc.boolean(), (steps, serial) => {
        const { history, lostOps } = runWorkload(steps, { naiveWrites: true, serial });
        const lost = checkLostUpdates(history).violations.map((v) => lostOpOf(history, v.ops));
        expect(new Set(lost)).toEqual(lostOps);
        expect(lost).toHaveLength(lostOps.size);
      }),
      { seed: 99, numRuns: 300 },
    );
  });

  it('checkLinearizable rejects a history in which one read returns a value nobody wrote, on that key only', () => {
    fc.assert(
      fc.property(workload, fc.nat(), (steps, pick) => {
        const { history } = runWorkload(steps);
        const reads = history.filter((op) => op.f === 'read' && op.type === 'ok');
        fc.pre(reads.length > 0);
        const target = reads[pick % reads.length] as HistoryOp;
        const corrupted = history.map((op) => (op === target ? { ...op, value: 'never-written' } : op));
        const verdict = checkLinearizable(corrupted);
        expect(verdict.outcome).toBe('invalid');
        expect(verdict.violations.map((v) => v.key)).toEqual([target.key]);
        expect(verdict.violations[0]?.message).toContain(`${target.process} read "never-written"`);
      }),
      { seed: 314, numRuns: 200 },
    );
  });
});

/** The lost write named by a lost-update violation: of the two writes among its ops, the older version. */
function lostOpOf(history: readonly HistoryOp[], indices: readonly number[]): number {
  const writes = indices
    .map((i) => history[i] as HistoryOp)
    .filter((op) => op.type === 'ok' && op.f !== 'read')
    .sort((x, y) => (x.version ?? 0) - (y.version ?? 0));
  expect(writes).toHaveLength(2);
  return (writes[0] as HistoryOp).op;
}
