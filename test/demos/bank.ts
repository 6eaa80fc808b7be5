// A bank account shared by three agents that each add 10 to it with a read-modify-write, amid
// other work of their own: alice right away, bob halfway through, carol at the end. Without a lock
// the increments race; whether a race happens depends only on the interleaving the seed chooses.
import { type SimulateOptions, simulate, type World } from '../../harness/index.ts';

const WORK = 24;

async function worker(world: World, before: number, locked: boolean): Promise<void> {
  const kv = world.stores.kv('bank');
  const chores = async (n: number, from: number) => {
    for (let i = 0; i < n; i++) await kv.set(`${world.actor}:note:${from + i}`, i);
  };
  const deposit = async () => {
    const balance = (await kv.get<number>('account')) ?? 0;
    await kv.set('account', balance + 10);
  };
  await chores(before, 0);
  if (locked) await world.mutex('account').withLock(deposit);
  else await deposit();
  await chores(WORK - before, before);
}

export function bank(locked: boolean) {
  return async (world: World): Promise<number | undefined> => {
    const kv = world.stores.kv('bank');
    await kv.set('account', 100);
    await Promise.all([
      world.spawn('alice', (w) => worker(w, 0, locked)),
      world.spawn('bob', (w) => worker(w, WORK / 2, locked)),
      world.spawn('carol', (w) => worker(w, WORK, locked)),
    ]);
    return kv.get<number>('account');
  };
}

/** Store calls take no virtual time, so every interleaving is the strategy's choice. */
export function runBank(seed: number, schedule: SimulateOptions['schedule'], locked = false) {
  return simulate(bank(locked), { seed, schedule, storeLatency: { kind: 'fixed', ms: 0 } });
}
