// Three ticket agents adjust one customer's loyalty points at once. The naive agent applies the
// model's adjustment as read, audit, write: two agents that read the same balance both write their
// own sum, and one adjustment vanishes — the customer is then told a balance that looks invented.
// The hardened agent writes with compare-and-set against what it read, and on a conflict re-reads
// and retries (bounded, with jittered backoff), as with an ETag or a version column.
import type { World } from '../../harness/index.ts';
import { type Desk, type DeskAnswer, runDesk } from './desk.ts';

interface CustomerRecord {
  readonly name: string;
  readonly points: number;
}

/** Read the record, log the change, write the new total. */
async function readModifyWrite(world: World, key: string, delta: number, reason: string): Promise<void> {
  const crm = world.stores.kv('crm');
  const record = (await crm.get<CustomerRecord>(key)) as CustomerRecord;
  await world.stores.audit().record({ key, delta, reason, by: world.actor });
  await crm.set(key, { ...record, points: record.points + delta });
}

const ATTEMPTS = 8;

/** Read, log, then compare-and-set; a conflict means someone else wrote first, so read again. */
async function compareAndSet(world: World, key: string, delta: number, reason: string): Promise<void> {
  const crm = world.stores.kv('crm');
  const jitter = world.random('backoff');
  for (let attempt = 1; ; attempt++) {
    const record = (await crm.get<CustomerRecord>(key)) as CustomerRecord;
    await world.stores.audit().record({ key, delta, reason, by: world.actor, attempt });
    try {
      await crm.cas(key, record, { ...record, points: record.points + delta });
      return;
    } catch (error) {
      if (!/expected .* but found/.test((error as Error).message) || attempt === ATTEMPTS) throw error;
      await world.sleep(jitter.int(1, 10 * 2 ** attempt));
    }
  }
}

export const naive: (world: World, desk: Desk) => Promise<DeskAnswer> = runDesk(readModifyWrite);

export const hardened: (world: World, desk: Desk) => Promise<DeskAnswer> = runDesk(compareAndSet);
