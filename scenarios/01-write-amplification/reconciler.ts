// The reconciliation job that runs after the chaos (the scenario's heal phase): it replays every
// pending outbox entry with the writer's own idempotency keys, so stores that already hold a write
// are left alone, and clears the entry once all six copies are in place.
import type { World } from '../../harness/index.ts';
import { idempotencyKeyOf, type MemoryStore, writeMemory } from './memory.ts';

export const OUTBOX = 'outbox';

/** One store write still to be applied (the shape consistency checks read from the outbox). */
export interface PendingMemoryWrite {
  readonly store: MemoryStore;
  readonly key: string;
  readonly version: number;
  readonly text: string;
}

export async function drainOutbox(world: World): Promise<number> {
  const outbox = world.stores.kv(OUTBOX);
  let drained = 0;
  for (const key of await outbox.keys()) {
    for (const p of (await outbox.get<PendingMemoryWrite[]>(key)) ?? []) await writeMemory(world, p.store, p, idempotencyKeyOf(p, p.store));
    await outbox.delete(key);
    drained++;
  }
  return drained;
}
