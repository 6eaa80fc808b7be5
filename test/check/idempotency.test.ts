// Goal: checkIdempotent rejects a write applied twice — by idempotency key, or without one by the
// same op (a duplicate delivery) — naming both effects, and ignores reads and distinct writes.
// Method: hand-written effects beside the history that caused them.
import { describe, expect, it } from 'vitest';
import { checkIdempotent, type Effect } from '../../harness/check/index.ts';
import { historyBuilder } from './builder.ts';

describe('checkIdempotent', () => {
  it('rejects two effects with one idempotency key, naming both ops and their processes', () => {
    const h = historyBuilder('payments');
    const first = h.invoke('planner', 'write', 'charge:9', 100, 1, { idempotencyKey: 'k1' });
    h.info(first, 4);
    const retry = h.invoke('planner', 'write', 'charge:9', 100, 10, { idempotencyKey: 'k1' });
    h.ok(retry, 13);
    const effects: Effect[] = [
      { store: 'payments', key: 'charge:9', f: 'write', op: first, idempotencyKey: 'k1', value: 100, t: 5 },
      { store: 'payments', key: 'charge:9', f: 'write', op: retry, idempotencyKey: 'k1', value: 100, t: 12 },
    ];
    expect(checkIdempotent(effects, h.history)).toEqual({
      valid: false,
      violations: [
        {
          message:
            'Duplicate effect in store payments: idempotency key "k1" was applied twice — by op 0 (planner\'s write of 100 to charge:9) at t=5ms and by op 1 (planner\'s write of 100 to charge:9) at t=12ms.',
          ops: [0, 2],
          key: 'charge:9',
        },
      ],
    });
  });

  it('rejects a keyless op applied twice (a duplicate delivery), with or without the history', () => {
    const effects: Effect[] = [
      { store: 'crm', key: 'lead:1', f: 'append', op: 4, value: 'note', t: 5 },
      { store: 'crm', key: 'lead:1', f: 'append', op: 4, value: 'note', t: 6 },
      { store: 'crm', key: 'lead:1', f: 'append', op: 4, value: 'note', t: 9 },
    ];
    expect(checkIdempotent(effects).violations).toEqual([
      {
        message:
          'Duplicate effect in store crm: op 4 (append of "note" to lead:1) was applied 3 times, at t=5ms, t=6ms and t=9ms, although it carries no idempotency key to deduplicate a redelivery.',
        ops: [],
        key: 'lead:1',
      },
    ]);
  });

  it('accepts one effect per key and per op, several entities per op, and repeated reads', () => {
    const effects: Effect[] = [
      { store: 'payments', key: 'charge:9', f: 'write', op: 0, idempotencyKey: 'k1', t: 5 },
      { store: 'payments', key: 'charge:9', f: 'write', op: 1, idempotencyKey: 'k2', t: 6 },
      { store: 'ledger', key: 'charge:9', f: 'write', op: 1, idempotencyKey: 'k2', t: 6 },
      { store: 'crm', key: 'lead:1', f: 'write', op: 2, t: 7 },
      { store: 'crm', key: 'lead:2', f: 'write', op: 2, t: 7 },
      { store: 'crm', key: 'lead:1', f: 'read', op: 3, t: 8 },
      { store: 'crm', key: 'lead:1', f: 'read', op: 3, t: 9 },
      { store: 'crm', key: '', f: 'query', op: 5, t: 9 },
      { store: 'crm', key: '', f: 'query', op: 5, t: 10 },
    ];
    expect(checkIdempotent(effects)).toEqual({ valid: true, violations: [] });
  });
});
