// Two memory writers behind the same assistant. The naive one writes the six stores one after
// another and retries a failed write once, blind: a crash between two writes leaves the stores
// disagreeing for good, and a retry after a lost acknowledgement appends a second event and a
// second audit entry. The hardened one records its intent in an outbox first, gives every write an
// idempotency key, retries with backoff under a timeout (cockatiel), and clears the outbox only
// when all six writes are known to have landed, so a reconciler can finish whatever it could not.
import { ExponentialBackoff, handleAll, retry, TimeoutStrategy, timeout, wrap } from 'cockatiel';
import type { World } from '../../harness/index.ts';
import { converse, type MemoryInput } from './assistant.ts';
import { idempotencyKeyOf, MEMORY_STORES, type Memory, writeMemory } from './memory.ts';
import { OUTBOX, type PendingMemoryWrite } from './reconciler.ts';

/** Writes every store in turn; a failed write is tried once more, then the error goes up. */
async function writeEverywhere(world: World, m: Memory): Promise<string> {
  for (const store of MEMORY_STORES) {
    try {
      await writeMemory(world, store, m);
    } catch {
      await writeMemory(world, store, m);
    }
  }
  return 'saved';
}

/** Up to three retries with exponential backoff, each attempt bounded by two seconds. */
const storePolicy = () =>
  wrap(
    retry(handleAll, { maxAttempts: 3, backoff: new ExponentialBackoff({ initialDelay: 50, maxDelay: 1_000 }) }),
    timeout(2_000, TimeoutStrategy.Aggressive),
  );

/**
 * The transactional-outbox writer. The outbox holds one entry per entity with the latest version's
 * six pending writes; it is written first (so a crash at any later point leaves a record of what is
 * missing) and deleted last. Each store write carries a key derived from entity, version and store,
 * so retries, redeliveries and the reconciler's replays apply it once.
 */
async function writeThroughOutbox(world: World, m: Memory): Promise<string> {
  const policy = storePolicy();
  // cockatiel hangs its listeners on the signal it is given, or on one module-wide signal; a write
  // cut short by a crash never settles, so each write gets its own to keep nothing past the run.
  const { signal } = new AbortController();
  const outbox = world.stores.kv(OUTBOX);
  const intent: PendingMemoryWrite[] = MEMORY_STORES.map((store) => ({ store, key: m.key, version: m.version, text: m.text }));
  try {
    await policy.execute(() => outbox.set(m.key, intent, { idempotencyKey: `outbox:${m.key}@${m.version}` }), signal);
  } catch (error) {
    return `ERROR: the memory could not be recorded (${(error as Error).message}); nothing was saved`;
  }
  const pending: string[] = [];
  for (const store of MEMORY_STORES) {
    try {
      await policy.execute(() => writeMemory(world, store, m, idempotencyKeyOf(m, store)), signal);
    } catch {
      pending.push(store);
    }
  }
  if (pending.length > 0) return `saved; ${pending.join(', ')} will be brought up to date from the outbox`;
  try {
    await policy.execute(() => outbox.delete(m.key, { idempotencyKey: `outbox-done:${m.key}@${m.version}` }), signal);
  } catch {
    // Harmless: the reconciler replays the entry (every write is idempotent) and clears it.
  }
  return 'saved in all six stores';
}

export const naive = (world: World, input: MemoryInput) => converse(world, input, writeEverywhere);

export const hardened = (world: World, input: MemoryInput) => converse(world, input, writeThroughOutbox);
