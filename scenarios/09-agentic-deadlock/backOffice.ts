// The back office of scenario 09: one order awaiting a refund, the payment provider and the bank
// statement as tools, the model both agents consult, and the workload. Two agents work here at the
// same time: `refunds` issues the refund and posts it to the ledger; `reconciler`, a batch job that
// starts at t=2s, matches the ledger against the bank statement and marks the order reconciled.
// Both need the order's lock and the ledger's lock; agents.ts decides in which order they take them.
import OpenAI from 'openai';
import { z } from 'zod';
import type { WorkloadContext } from '../../harness/check/scenario.ts';
import { defineTool, lastUserText, rules, type World } from '../../harness/index.ts';

export const MODEL = 'gpt-4o-mini';

/** When the reconciliation batch starts, in virtual milliseconds. */
export const BATCH_STARTS_AT_MS = 2_000;

export interface RefundCase {
  readonly orderId: string;
  readonly customer: string;
  readonly amount: number;
  readonly reason: string;
}

export function refundWorkload({ faker }: WorkloadContext): RefundCase {
  return {
    orderId: `A-${faker.number.int({ min: 1000, max: 9999 })}`,
    customer: faker.person.fullName(),
    amount: faker.number.float({ min: 10, max: 400, fractionDigits: 2 }),
    reason: faker.helpers.arrayElement(['arrived damaged', 'never arrived', 'wrong size', 'duplicate charge']),
  };
}

export const paymentsRefund = defineTool({
  name: 'payments_refund',
  description: 'Refunds an amount to the card an order was paid with',
  input: z.object({ orderId: z.string(), amount: z.number(), idempotencyKey: z.string() }),
  handler: ({ orderId, amount }) => ({ refundId: `re_${orderId.replace(/\W/g, '')}`, amount, status: 'succeeded' }),
});

export const bankStatement = defineTool({
  name: 'bank_statement',
  description: "Today's settled card transactions",
  input: z.object({ date: z.string() }),
  handler: ({ date }) => ({ date, lines: [{ ref: 'settlement', amount: 1250.4 }] }),
});

/** The model: approves refunds it is asked about, and reports reconciliations as matching. */
export const backOfficeBrain = rules((conversation) => {
  const text = lastUserText(conversation);
  if (text.startsWith('Refund request')) return JSON.stringify({ approve: true, note: 'Within policy.' });
  return JSON.stringify({ matched: true, note: 'Every ledger entry matches a statement line.' });
});

export const client = (world: World) => new OpenAI({ apiKey: 'sk-sim', fetch: world.fetch, maxRetries: 2, timeout: 30_000 });

/** Asks the model whether to refund; true when it approves. */
export async function approveRefund(world: World, c: RefundCase): Promise<boolean> {
  const completion = await client(world).chat.completions.create({
    model: MODEL,
    messages: [
      { role: 'user', content: `Refund request for order ${c.orderId} from ${c.customer}: $${c.amount} (${c.reason}). Reply as JSON { approve, note }.` },
    ],
  });
  return (JSON.parse(completion.choices[0]?.message.content ?? '{}') as { approve?: boolean }).approve === true;
}

/** Asks the model to match ledger entries against the statement; true when they match. */
export async function matchStatement(world: World, ledger: unknown, statement: unknown): Promise<boolean> {
  const completion = await client(world).chat.completions.create({
    model: MODEL,
    messages: [
      { role: 'user', content: `Reconcile. Ledger: ${JSON.stringify(ledger)}. Statement: ${JSON.stringify(statement)}. Reply as JSON { matched, note }.` },
    ],
  });
  return (JSON.parse(completion.choices[0]?.message.content ?? '{}') as { matched?: boolean }).matched === true;
}

/** Puts the order in the orders store before the agents start. */
export async function openOrder(world: World, c: RefundCase): Promise<void> {
  await world.stores.kv('orders').set(c.orderId, { customer: c.customer, amount: c.amount, status: 'paid' });
}
