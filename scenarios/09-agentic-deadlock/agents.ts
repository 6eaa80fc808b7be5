// Two back-office agents that share two locks. The naive pair takes them in opposite orders — the
// refunds agent locks the order and then the ledger, the reconciler the ledger and then the order —
// and holds them across slow calls. They release carefully (try/finally), yet a slow payment
// provider or a slow model lines their critical sections up into a circular wait that never ends.
// The hardened pair takes every lock in one global order through a helper that releases them
// however the work ends, gives each wait a timeout, and keeps slow model calls outside locks; when
// a lock cannot be had in time it says the work is queued instead of hanging.
import type { World } from '../../harness/index.ts';
import { approveRefund, BATCH_STARTS_AT_MS, matchStatement, openOrder, type RefundCase } from './backOffice.ts';

interface Order {
  readonly customer: string;
  readonly amount: number;
  readonly status: string;
  readonly reconciled?: boolean;
}

const orderLock = (c: RefundCase) => `order:${c.orderId}`;

async function readLedger(world: World): Promise<unknown[]> {
  const ledger = world.stores.kv('ledger');
  return Promise.all((await ledger.keys()).map((key) => ledger.get(key)));
}

async function naiveRefunds(world: World, c: RefundCase): Promise<string> {
  if (!(await approveRefund(world, c))) return `The refund for ${c.orderId} was declined.`;
  const orders = world.stores.kv('orders');
  const releaseOrder = await world.mutex(orderLock(c)).lock();
  try {
    const order = (await orders.get<Order>(c.orderId)) as Order;
    const refund = await world.tools.call<{ refundId: string }>('payments_refund', {
      orderId: c.orderId,
      amount: c.amount,
      idempotencyKey: `refund:${c.orderId}`,
    });
    const releaseLedger = await world.mutex('ledger').lock();
    try {
      await world.stores.kv('ledger').set(`refund:${c.orderId}`, { orderId: c.orderId, amount: -c.amount, refundId: refund.refundId });
      await orders.set(c.orderId, { ...order, status: 'refunded' });
    } finally {
      releaseLedger();
    }
    return `Refunded $${c.amount} to ${c.customer} for ${c.orderId} (${refund.refundId}).`;
  } catch (error) {
    return `The refund for ${c.orderId} could not be issued: ${(error as Error).message}.`;
  } finally {
    releaseOrder();
  }
}

async function naiveReconciler(world: World, c: RefundCase): Promise<string> {
  await world.sleep(BATCH_STARTS_AT_MS);
  const releaseLedger = await world.mutex('ledger').lock();
  try {
    const statement = await world.tools.call('bank_statement', { date: '2025-01-01' });
    const matched = await matchStatement(world, await readLedger(world), statement);
    const releaseOrder = await world.mutex(orderLock(c)).lock();
    try {
      const orders = world.stores.kv('orders');
      await orders.set(c.orderId, { ...((await orders.get<Order>(c.orderId)) as Order), reconciled: matched });
    } finally {
      releaseOrder();
    }
    return matched ? 'Reconciliation: the ledger matches the bank statement.' : 'Reconciliation found entries that do not match.';
  } finally {
    releaseLedger();
  }
}

const LOCK_TIMEOUT_MS = 10_000;

class Busy extends Error {}

/**
 * Runs `fn` holding every named lock, taken in one global order (sorted by name) so that no two
 * agents can each hold what the other waits for; each wait times out, and every lock is released
 * however `fn` ends.
 */
async function withLocks<T>(world: World, names: readonly string[], fn: () => Promise<T>): Promise<T> {
  const releases: Array<() => void> = [];
  try {
    for (const name of [...names].sort()) {
      try {
        releases.push(await world.mutex(name).lock({ timeoutMs: LOCK_TIMEOUT_MS }));
      } catch (error) {
        if ((error as Error).name === 'WaitTimeoutError') throw new Busy(`lock "${name}" was still busy after ${LOCK_TIMEOUT_MS}ms`);
        throw error;
      }
    }
    return await fn();
  } finally {
    for (const release of releases.reverse()) release();
  }
}

async function hardenedRefunds(world: World, c: RefundCase): Promise<string> {
  if (!(await approveRefund(world, c))) return `The refund for ${c.orderId} was declined.`;
  const orders = world.stores.kv('orders');
  try {
    return await withLocks(world, [orderLock(c), 'ledger'], async () => {
      const order = (await orders.get<Order>(c.orderId)) as Order;
      let refund: { refundId: string };
      try {
        refund = await world.tools.call('payments_refund', { orderId: c.orderId, amount: c.amount, idempotencyKey: `refund:${c.orderId}` });
      } catch (error) {
        return `The refund for ${c.orderId} could not be issued (${(error as Error).message}); it is queued for retry.`;
      }
      await world.stores.kv('ledger').set(`refund:${c.orderId}`, { orderId: c.orderId, amount: -c.amount, refundId: refund.refundId });
      await orders.set(c.orderId, { ...order, status: 'refunded' });
      return `Refunded $${c.amount} to ${c.customer} for ${c.orderId} (${refund.refundId}).`;
    });
  } catch (error) {
    if (error instanceof Busy) return `The refund for ${c.orderId} is queued: ${error.message}.`;
    throw error;
  }
}

async function hardenedReconciler(world: World, c: RefundCase): Promise<string> {
  await world.sleep(BATCH_STARTS_AT_MS);
  const statement = await world.tools.call('bank_statement', { date: '2025-01-01' });
  try {
    // A snapshot under the lock; the slow model call happens after it is released.
    const ledger = await withLocks(world, ['ledger'], () => readLedger(world));
    const matched = await matchStatement(world, ledger, statement);
    await withLocks(world, ['ledger', orderLock(c)], async () => {
      const orders = world.stores.kv('orders');
      await orders.set(c.orderId, { ...((await orders.get<Order>(c.orderId)) as Order), reconciled: matched });
    });
    return matched ? 'Reconciliation: the ledger matches the bank statement.' : 'Reconciliation found entries that do not match.';
  } catch (error) {
    if (error instanceof Busy) return `Reconciliation is queued for the next batch: ${error.message}.`;
    throw error;
  }
}

function backOffice(refunds: typeof naiveRefunds, reconciler: typeof naiveReconciler) {
  return async (world: World, c: RefundCase): Promise<string> => {
    await openOrder(world, c);
    const done = await Promise.all([world.spawn('refunds', (w) => refunds(w, c)), world.spawn('reconciler', (w) => reconciler(w, c))]);
    return done.join(' ');
  };
}

export const naive: (world: World, c: RefundCase) => Promise<string> = backOffice(naiveRefunds, naiveReconciler);

export const hardened: (world: World, c: RefundCase) => Promise<string> = backOffice(hardenedRefunds, hardenedReconciler);
