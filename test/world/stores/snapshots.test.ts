// Goal: RunResult.stores holds everything every store kind holds at the end of a run, so a property
// reading a store never passes because the snapshot left something out; and log entries, which are
// a log's own records, are not taken for entities the other stores must hold. Method: one run that
// writes to each kind, then the snapshot of each; a consistentStores check over a run with plain
// appends beside agreeing keyed stores.
import { describe, expect, it } from 'vitest';
import { consistentStores, type RunResult, simulate } from '../../../harness/index.ts';

describe('store snapshots', () => {
  it('hold every live key of keyed stores and every entry of logs', async () => {
    const r = (await simulate(async (world) => {
      await world.stores.kv('kv').set('a', 1);
      await world.stores.kv('kv').set('b', 2);
      await world.stores.kv('kv').delete('b');
      await world.stores.context('ctx').set('s1', 'user', { id: 'u1' });
      await world.stores.cache('cache').set('hot', 'x', { ttlMs: 10 });
      await world.stores.relational('db').put('orders', { id: 'o1', total: 5 });
      await world.stores.vector('vec').upsert('d1', 'refund policy', { lang: 'en' });
      await world.stores.eventLog('sms-outbox').append('sms', { to: 'P1', text: 'Your refill is ready' });
      await world.stores.eventLog('sms-outbox').append('sms', { to: 'P2', text: 'Reminder' }, { entity: { key: 'order:o1', version: 1 } });
      await world.stores.audit('audit').record({ who: 'agent', did: 'refund' });
      await world.stores.audit('audit').append('sent', { to: 'P1' });
      return 'done';
    })) as RunResult;
    expect(r.outcome).toBe('ok');
    expect(r.stores.kv).toEqual({ a: { version: 1, value: 1 } });
    expect(r.stores.ctx).toEqual({ 's1/user': { version: 1, value: { id: 'u1' } } });
    expect(Object.keys(r.stores.cache ?? {})).toEqual(['hot']);
    expect(JSON.stringify(r.stores.db)).toContain('"total":5');
    expect(JSON.stringify(r.stores.vec)).toContain('refund policy');
    expect(r.stores['sms-outbox']).toEqual({
      'sms#0': { version: 1, value: { to: 'P1', text: 'Your refill is ready' }, entry: true },
      'sms#1': { version: 1, value: { to: 'P2', text: 'Reminder' }, entry: true },
      'order:o1': { version: 1, value: { to: 'P2', text: 'Reminder' } },
    });
    expect(r.stores.audit).toEqual({
      'audit#0': { version: 1, value: { who: 'agent', did: 'refund' }, entry: true },
      'sent#1': { version: 1, value: { to: 'P1' }, entry: true },
    });
  });

  it('do not make log entries entities that other stores must hold', async () => {
    const r = (await simulate(async (world) => {
      await world.stores.kv('ledger').set('order:o1', 5);
      await world.stores.eventLog('events').append('order', { id: 'o1', total: 5 }, { entity: { key: 'order:o1', version: 1 } });
      await world.stores.eventLog('events').append('note', 'a plain entry no other store holds');
      return 'done';
    })) as RunResult;
    expect(Object.keys(r.stores.events ?? {})).toEqual(['order#0', 'order:o1', 'note#1']);
    expect(consistentStores({ stores: ['ledger', 'events'] }).check(r, {})).toMatchObject({ ok: true });
  });
});
