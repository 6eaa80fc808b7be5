// One memory, six stores: what "remember this" fans out to in a typical agent platform. This file
// holds the memory's shape and the one write per store; the agents differ only in how they drive
// these writes (in order and hoping, or behind an outbox with idempotency keys).
import type { World } from '../../harness/index.ts';

export interface Memory {
  /** The entity: `pref:<topic>`. Store keys end with it, so the stores can be compared entity by entity. */
  readonly key: string;
  /** The memory's version in this session: 1 for the first fact about the key, 2 for its update. */
  readonly version: number;
  readonly text: string;
}

/** The six stores in the order a memory is written to them. */
export const MEMORY_STORES = ['vector', 'db', 'cache', 'events', 'audit', 'context'] as const;
export type MemoryStore = (typeof MEMORY_STORES)[number];

/** The append-only stores: writing to them twice leaves two entries, so a blind retry duplicates. */
export const APPEND_ONLY_STORES: readonly MemoryStore[] = ['events', 'audit'];

export const SESSION = 'session-1';

/** The key that makes one store's copy of one memory version idempotent. */
export const idempotencyKeyOf = (m: Memory, store: MemoryStore): string => `${m.key}@${m.version}:${store}`;

/** Writes one store's copy of the memory; with an idempotency key, a redelivery changes nothing. */
export async function writeMemory(world: World, store: MemoryStore, m: Memory, idempotencyKey?: string): Promise<void> {
  const options = idempotencyKey === undefined ? {} : { idempotencyKey };
  const entity = { key: m.key, version: m.version };
  switch (store) {
    case 'vector':
      await world.stores.vector().upsert(m.key, m.text, { version: m.version }, options);
      return;
    case 'db':
      await world.stores.relational().put('memories', { id: m.key, text: m.text, version: m.version }, options);
      return;
    case 'cache':
      await world.stores.cache().set(m.key, { text: m.text, version: m.version }, options);
      return;
    case 'events':
      await world.stores.eventLog().append('memory.saved', { key: m.key, version: m.version, text: m.text }, { entity, ...options });
      return;
    case 'audit':
      await world.stores.audit().record({ action: 'remember', key: m.key, version: m.version }, { entity, ...options });
      return;
    case 'context':
      await world.stores.context().set(SESSION, m.key, { text: m.text, version: m.version }, options);
      return;
  }
}
