// Goal: checkIdempotent rejects a write applied twice — by idempotency key, or without one by the
// same op (a duplicate delivery) — naming both effects, and ignores reads and distinct writes. It
// judges by effect, not by count: a second application that changed nothing is not a duplicate.
// Method: hand-written effects beside the history that caused them, then real runs whose
// redelivered operations do and do not change the store.
import { describe, expect, it } from 'vitest';
import { checkIdempotent, type Effect } from '../../harness/check/index.ts';
import { consistentStores, eventuallyConverges, simulate, type World } from '../../harness/index.ts';
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

  it('accepts an application recorded as changing nothing, and still rejects one that changed something', () => {
    const effects: Effect[] = [
      { store: 'outbox', key: 'e1', f: 'delete', op: 2, t: 5 },
      { store: 'outbox', key: 'e1', f: 'delete', op: 2, t: 5, changed: false },
    ];
    expect(checkIdempotent(effects)).toEqual({ valid: true, violations: [] });
    expect(checkIdempotent([...effects, { store: 'outbox', key: 'e1', f: 'delete', op: 2, t: 6 }]).valid).toBe(false);
  });

  it('judges a redelivered operation by what it did to the store, in a real run', async () => {
    const run = (work: (world: World) => Promise<unknown>) =>
      simulate(work, { seed: 1, faults: [{ target: 'store:outbox', kind: 'duplicate', when: { calls: [1] } }], heal: { agent: async () => undefined } });
    const options = { stores: ['ledger'], outbox: 'outbox' };
    // A delete and a write of the same value change nothing the second time, and a cas is rejected
    // (its expected value is gone): no duplicate effect, no fault mark, and the caller never knows.
    for (const second of ['delete', 'same-write', 'cas'] as const) {
      const r = await run(async (world) => {
        const outbox = world.stores.kv('outbox');
        await outbox.set('e1', [{ store: 'ledger', key: 'e1', version: 1 }]);
        if (second === 'delete') await outbox.delete('e1');
        else if (second === 'same-write') await outbox.set('e1', [{ store: 'ledger', key: 'e1', version: 1 }]);
        else await outbox.cas('e1', [{ store: 'ledger', key: 'e1', version: 1 }], []);
        await world.stores.kv('ledger').set('e1', { version: 1 });
        if (second !== 'delete') await outbox.delete('e1');
      });
      expect(consistentStores(options).check(r, {}).ok, `${second}: ${consistentStores(options).check(r, {}).message}`).toBe(true);
      expect(eventuallyConverges(options).check(r, {}).ok, second).toBe(true);
      expect(r.outcome, second).toBe('ok');
      expect(
        r.effects.filter((e) => e.changed === false),
        second,
      ).toHaveLength(second === 'cas' ? 0 : 1);
      expect(
        r.trace.some((e) => e.type === 'mark' && e.name === 'fault'),
        second,
      ).toBe(false);
    }
    // An append changes the log the second time too: a duplicate effect, and a fault mark.
    const appended = await run(async (world) => {
      const log = world.stores.eventLog('outbox');
      await log.append('queued', { id: 'e1' });
      await log.append('sent', { id: 'e1' });
    });
    expect(appended.outcome).toBe('ok');
    expect(appended.effects.filter((e) => e.f === 'append' && e.op === 1)).toHaveLength(2);
    expect(appended.trace.filter((e) => e.type === 'mark' && e.name === 'fault')).toHaveLength(1);
  });
});
