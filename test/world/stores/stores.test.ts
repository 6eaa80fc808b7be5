// Goal: the simulated stores behave like their real counterparts, record a Jepsen-style history of
// what clients saw and what was applied, and suffer every store fault the way production stores do.
// Method: one agent per store or fault, checking values, histories, effects and snapshots.
import { describe, expect, it } from 'vitest';
import { type FaultRuleInput, simulate, type World } from '../../../harness/index.ts';
import { expectDeterministic } from '../../helpers/determinism.ts';

const ops = (r: { history: readonly { type: string; f: string; key: string }[] }) => r.history.map((h) => `${h.type}:${h.f}:${h.key}`);

describe('stores', () => {
  it('kv: reads, writes, compare-and-set and deletes, with versions in the history', async () => {
    const r = await expectDeterministic(
      (seed) =>
        simulate(
          async (world) => {
            const kv = world.stores.kv('bank');
            await kv.set('acct', 100);
            const before = await kv.get<number>('acct');
            await kv.cas('acct', 100, 150);
            const conflict = await kv.cas('acct', 100, 999).catch((e: Error) => e.message);
            await kv.delete('acct');
            return [before, conflict, await kv.get('acct')];
          },
          { seed },
        ),
      1,
    );
    expect(r.value).toEqual([100, 'bank.cas(acct) expected 100 but found 150', undefined]);
    expect(ops(r)).toEqual([
      'invoke:write:acct',
      'ok:write:acct',
      'invoke:read:acct',
      'ok:read:acct',
      'invoke:cas:acct',
      'ok:cas:acct',
      'invoke:cas:acct',
      'fail:cas:acct',
      'invoke:delete:acct',
      'ok:delete:acct',
      'invoke:read:acct',
      'ok:read:acct',
    ]);
    expect(r.history.filter((h) => h.type === 'ok').map((h) => h.version)).toEqual([1, 1, 2, 3, 0]);
    expect(r.stores.bank).toEqual({});
  });

  it('cache: entries expire after their TTL in virtual time', async () => {
    const r = await simulate(async (world) => {
      const cache = world.stores.cache();
      await cache.set('session:1', { user: 'ada' }, { ttlMs: 5_000 });
      const fresh = await cache.get('session:1');
      await world.sleep(6_000);
      return [fresh, await cache.get('session:1')];
    });
    expect(r.value).toEqual([{ user: 'ada' }, undefined]);
  });

  it('vector: ranks by similarity of words, deterministically', async () => {
    const r = await simulate(async (world) => {
      const memories = world.stores.vector('memories');
      await memories.upsert('m1', 'The user prefers email over Slack', { kind: 'preference' });
      await memories.upsert('m2', 'The user lives in Lisbon');
      await memories.upsert('m3', 'Invoices are due at the end of the month');
      return (await memories.query('how does the user prefer to be contacted, email or slack?', 2)).map((m) => m.id);
    });
    expect(r.value).toEqual(['m1', 'm2']);
  });

  it('relational: optimistic concurrency and atomic transactions', async () => {
    const r = await simulate(async (world) => {
      const db = world.stores.relational();
      await db.put('users', { id: 'u1', email: 'a@x.test' });
      const stale = await db.put('users', { id: 'u1', email: 'b@x.test' }, { expectVersion: 0 }).catch((e: Error) => e.message);
      await db.transaction([
        { table: 'users', row: { id: 'u2', email: 'c@x.test' } },
        { table: 'orders', row: { id: 'o1', user: 'u2' } },
      ]);
      return [stale, (await db.select('users')).map((u) => u.id), await db.get('orders', 'o1')];
    });
    expect(r.value).toEqual(['db: row users/u1 is at version 1, not 0', ['u1', 'u2'], { id: 'o1', user: 'u2', _version: 1 }]);
  });

  it('event log and audit trail: append-only, with offsets and entity versions', async () => {
    const r = await simulate(async (world) => {
      const log = world.stores.eventLog();
      const audit = world.stores.audit();
      await log.append('memory', { fact: 'prefers email' }, { entity: { key: 'pref:1', version: 1 } });
      await log.append('memory', { fact: 'prefers slack' }, { entity: { key: 'pref:1', version: 2 } });
      await audit.record({ action: 'remember', by: 'agent' });
      return [(await log.read('memory')).map((e) => e.offset), (await audit.list()).length];
    });
    expect(r.value).toEqual([[0, 1], 1]);
    expect(r.stores.events).toEqual({
      'memory#0': { version: 1, value: { fact: 'prefers email' }, entry: true },
      'memory#1': { version: 1, value: { fact: 'prefers slack' }, entry: true },
      'pref:1': { version: 2, value: { fact: 'prefers slack' } },
    });
  });
});

describe('store faults', () => {
  const write = async (world: World) => {
    const kv = world.stores.kv();
    try {
      await kv.set('k', 'v1');
      return 'ok';
    } catch (error) {
      return (error as Error).message;
    }
  };
  const fault = (kind: string, params?: object): FaultRuleInput[] => [
    { target: 'store:kv', kind, ...(params === undefined ? {} : { params }) } as FaultRuleInput,
  ];

  it('error: the write fails and is not applied (fail in the history)', async () => {
    const r = await simulate(write, { faults: fault('error') });
    expect(r.value).toBe('kv.write(k) failed: simulated failure');
    expect(ops(r)).toEqual(['invoke:write:k', 'fail:write:k']);
    expect([r.effects.length, r.stores.kv]).toEqual([0, {}]);
  });

  it('lost-ack: the write is applied but reported failed (info in the history)', async () => {
    const r = await simulate(write, { faults: fault('lost-ack') });
    expect(r.value).toBe('kv.write(k) timed out waiting for the acknowledgement');
    expect(ops(r)).toEqual(['invoke:write:k', 'info:write:k']);
    expect(r.stores.kv).toEqual({ k: { version: 1, value: 'v1' } });
  });

  it('duplicate: the write is applied twice, unless an idempotency key makes the second a no-op', async () => {
    const plain = await simulate(async (world) => world.stores.eventLog().append('t', 'paid'), { faults: [{ target: 'store:events', kind: 'duplicate' }] });
    expect(plain.effects).toHaveLength(2);
    const keyed = await simulate(async (world) => world.stores.eventLog().append('t', 'paid', { idempotencyKey: 'pay-1' }), {
      faults: [{ target: 'store:events', kind: 'duplicate' }],
    });
    expect(keyed.effects).toHaveLength(1);
  });

  it('stale-read: a lagging replica serves the value from lagMs ago', async () => {
    const r = await simulate(
      async (world) => {
        const kv = world.stores.kv();
        await kv.set('k', 'old');
        await world.sleep(5_000);
        await kv.set('k', 'new');
        return kv.get('k');
      },
      { faults: [{ target: 'store:kv', kind: 'stale-read', params: { lagMs: 2_000 } }] },
    );
    expect(r.value).toBe('old');
  });

  it('partial-write: a transaction applies only part of its rows, then fails', async () => {
    const r = await simulate(
      async (world) =>
        world.stores
          .relational()
          .transaction([1, 2, 3, 4].map((n) => ({ table: 't', row: { id: `r${n}` } })))
          .catch((e: Error) => e.message),
      { faults: [{ target: 'store:db', kind: 'partial-write', params: { keepFraction: 0.5 } }] },
    );
    expect(r.value).toBe('db.txn() was interrupted after part of the write was applied');
    expect(Object.keys(r.stores.db ?? {})).toEqual(['t/r1', 't/r2']);
  });

  it('crash: the writer dies right after a write, so the next write never happens', async () => {
    const r = await simulate(
      async (world) => {
        await world.stores.kv().set('a', 1);
        await world.stores.kv().set('b', 2);
        return 'both written';
      },
      { faults: [{ target: 'store:*', kind: 'crash', when: { calls: [0] } }] },
    );
    expect(r.outcome).toBe('crashed');
    expect(r.message).toContain('The agent crashed at t=1ms (crashed right after kv.write(a) was applied)');
    expect(r.stores.kv).toEqual({ a: { version: 1, value: 1 } });
    expect(ops(r)).toEqual(['invoke:write:a']);
  });

  it('hang: the call never returns; a caller with a timeout moves on', async () => {
    const r = await simulate(
      async (world) => {
        const timeout = new Promise((resolve) => setTimeout(() => resolve('timed out'), 1_000));
        return Promise.race([world.stores.kv().get('k'), timeout]);
      },
      { faults: [{ target: 'store:kv', kind: 'hang' }] },
    );
    expect(r.value).toBe('timed out');
    expect(ops(r)).toEqual(['invoke:read:k']);
  });
});

describe('world.wrap', () => {
  class EmbeddedDb {
    private readonly rows = new Map<string, string>();
    async put(key: string, value: string): Promise<void> {
      this.rows.set(key, value);
    }
    async get(key: string): Promise<string | undefined> {
      return this.rows.get(key);
    }
  }

  it('puts a real client behind yield points, store faults and the history', async () => {
    const r = await simulate(
      async (world) => {
        const db = world.wrap('embedded', new EmbeddedDb());
        await db.put('user:1', 'ada');
        const first = await db.get('user:1');
        const second = await db.put('user:2', 'bob').catch((e: Error) => e.message);
        return [first, second];
      },
      // A lost-ack rule counts the calls it can affect: writes. calls: [1] is the second put.
      { faults: [{ target: 'store:embedded', kind: 'lost-ack', when: { calls: [1] } }] },
    );
    expect(r.value).toEqual(['ada', 'embedded.put(user:2) timed out waiting for the acknowledgement']);
    expect(ops(r)).toEqual(['invoke:put:user:1', 'ok:put:user:1', 'invoke:get:user:1', 'ok:get:user:1', 'invoke:put:user:2', 'info:put:user:2']);
    expect(r.effects.map((e) => e.key)).toEqual(['user:1', 'user:2']);
  });
});

describe('chaos, then heal', () => {
  it('runs a fault-free heal phase after the agent, whose work the result reports', async () => {
    const r = await simulate(
      async (world) => {
        await world.stores
          .kv()
          .set('a', 1)
          .catch(() => undefined);
        return 'done';
      },
      {
        faults: [{ target: 'store:*', kind: 'error' }],
        heal: {
          agent: async (world) => {
            await world.stores.kv().set('a', 1);
            return 'repaired';
          },
        },
      },
    );
    expect([r.outcome, r.heal?.outcome, r.heal?.value]).toEqual(['ok', 'ok', 'repaired']);
    expect(r.stores.kv).toEqual({ a: { version: 1, value: 1 } });
    expect(r.trace.some((e) => e.type === 'mark' && e.name === 'heal.start')).toBe(true);
  });
});
