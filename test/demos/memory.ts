// "Remember that the user prefers email": one memory write that fans out to six stores. The naive
// writer writes them one after another; the hardened writer records its intent in an outbox first,
// writes each store with an idempotency key, and clears the outbox when done, so that a reconciler
// can finish the job after a crash.
import type { World } from '../../harness/index.ts';

export interface Memory {
  readonly key: string;
  readonly version: number;
  readonly text: string;
}

const STORES = ['vector', 'db', 'cache', 'events', 'audit', 'context'] as const;
type StoreName = (typeof STORES)[number];

/** Writes one store's copy of the memory. */
async function writeTo(world: World, store: StoreName, m: Memory): Promise<void> {
  const idempotencyKey = `${m.key}@${m.version}:${store}`;
  const entity = { key: m.key, version: m.version };
  switch (store) {
    case 'vector':
      await world.stores.vector().upsert(m.key, m.text, { version: m.version }, { idempotencyKey });
      return;
    case 'db':
      await world.stores.relational().put('memories', { id: m.key, text: m.text, version: m.version }, { idempotencyKey });
      return;
    case 'cache':
      await world.stores.cache().set(m.key, { text: m.text, version: m.version }, { idempotencyKey });
      return;
    case 'events':
      await world.stores.eventLog().append('memory', { text: m.text }, { entity, idempotencyKey });
      return;
    case 'audit':
      await world.stores.audit().record({ action: 'remember', key: m.key }, { entity, idempotencyKey });
      return;
    case 'context':
      await world.stores.context().set('session-1', m.key, { text: m.text, version: m.version }, { idempotencyKey });
      return;
  }
}

export async function naiveRemember(world: World, m: Memory): Promise<string> {
  for (const store of STORES) await writeTo(world, store, m);
  return 'remembered';
}

export async function outboxRemember(world: World, m: Memory): Promise<string> {
  const outbox = world.stores.kv('outbox');
  await outbox.set(
    m.key,
    STORES.map((store) => ({ store, key: m.key, version: m.version, text: m.text })),
  );
  for (const store of STORES) await writeTo(world, store, m);
  await outbox.delete(m.key);
  return 'remembered';
}

/** The reconciler the heal phase runs: it re-applies every pending outbox entry, then clears it. */
export async function drainOutbox(world: World): Promise<number> {
  const outbox = world.stores.kv('outbox');
  let drained = 0;
  for (const key of await outbox.keys()) {
    const pending = (await outbox.get<Array<{ store: StoreName; key: string; version: number; text: string }>>(key)) ?? [];
    for (const p of pending) await writeTo(world, p.store, { key: p.key, version: p.version, text: p.text });
    await outbox.delete(key);
    drained++;
  }
  return drained;
}

export const PREFERENCE: Memory = { key: 'pref:contact', version: 1, text: 'The user prefers email over Slack' };
export const STORE_NAMES = STORES;
