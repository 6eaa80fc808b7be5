// The support desk of scenario 12: the workload (one customer, three tickets about their loyalty
// points), the model that reads a ticket and asks for a points adjustment, and the shape of a ticket
// agent's day. The agents themselves (agents.ts) differ only in how they apply the adjustment.
import OpenAI from 'openai';
import type { WorkloadContext } from '../../harness/check/scenario.ts';
import { lastUserText, rules, type World } from '../../harness/index.ts';

export const MODEL = 'gpt-4o-mini';

export interface Ticket {
  readonly id: string;
  readonly text: string;
  /** The adjustment the ticket calls for (what the model will ask for), for checking the answer. */
  readonly delta: number;
}

export interface Desk {
  readonly customer: { readonly id: string; readonly name: string; readonly points: number };
  readonly tickets: readonly Ticket[];
}

export interface DeskAnswer {
  readonly balance: number | undefined;
  readonly reply: string;
}

/** One customer with an opening balance and three tickets that each change it. */
export function deskWorkload({ faker }: WorkloadContext): Desk {
  const order = () => faker.number.int({ min: 1000, max: 9999 });
  const credit = faker.number.int({ min: 5, max: 40 });
  const goodwill = faker.number.int({ min: 5, max: 40 });
  const redeemed = faker.number.int({ min: 5, max: 40 });
  return {
    customer: { id: `cus_${faker.string.alphanumeric(8)}`, name: faker.person.fullName(), points: faker.number.int({ min: 100, max: 500 }) },
    tickets: [
      { id: `T-${order()}`, text: `Order #${order()} arrived late. Credit ${credit} points as an apology.`, delta: credit },
      { id: `T-${order()}`, text: `Customer reviewed order #${order()}. Credit ${goodwill} points for the review.`, delta: goodwill },
      { id: `T-${order()}`, text: `Customer used a coupon on order #${order()}. Redeem ${redeemed} points.`, delta: -redeemed },
    ],
  };
}

/** The tool the model is offered; the agent carries it out against the customer record. */
export const adjustPointsTool: OpenAI.Chat.ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'adjust_points',
    description: "Adds (or, negative, removes) loyalty points on the customer's record",
    parameters: {
      type: 'object',
      properties: { customerId: { type: 'string' }, delta: { type: 'integer' }, reason: { type: 'string' } },
      required: ['customerId', 'delta', 'reason'],
    },
  },
};

/**
 * The model: given a ticket, it asks for the adjustment the ticket calls for; asked to write to the
 * customer, it states the balance it was given.
 */
export const deskBrain = rules((conversation) => {
  const text = lastUserText(conversation);
  const balance = /balance is (-?\d+)/.exec(text);
  if (balance !== null) return `${/^Customer: (.+)$/m.exec(text)?.[1] ?? 'Hello'}, your loyalty balance is now ${balance[1]} points.`;
  const customerId = /customer (cus_\w+)/.exec(text)?.[1] ?? 'unknown';
  const credit = /Credit (\d+) points/.exec(text);
  const redeem = /Redeem (\d+) points/.exec(text);
  const delta = credit !== null ? Number(credit[1]) : redeem !== null ? -Number(redeem[1]) : 0;
  return { toolCalls: [{ name: 'adjust_points', arguments: { customerId, delta, reason: text.split('\n').at(-1) ?? '' } }] };
});

export const client = (world: World) => new OpenAI({ apiKey: 'sk-sim', fetch: world.fetch, maxRetries: 2 });

/** Asks the model what the ticket calls for; returns the adjustment it asked for. */
export async function decide(world: World, customerId: string, ticket: Ticket): Promise<{ delta: number; reason: string }> {
  const completion = await client(world).chat.completions.create({
    model: MODEL,
    messages: [
      { role: 'system', content: 'You are a support agent. Resolve the ticket with the tools you have.' },
      { role: 'user', content: `Ticket ${ticket.id} for customer ${customerId}:\n${ticket.text}` },
    ],
    tools: [adjustPointsTool],
  });
  const call = completion.choices[0]?.message.tool_calls?.[0];
  if (call?.type !== 'function') throw new Error(`ticket ${ticket.id}: the model did not ask for an adjustment`);
  const args = JSON.parse(call.function.arguments) as { delta: number; reason: string };
  return { delta: args.delta, reason: args.reason };
}

/**
 * A ticket agent's day: the model decides, the agent files its notes on the ticket (store writes
 * that take no time), applying the adjustment after `before` of them. Agents that start together
 * reach their read-modify-writes at different points, so whether two overlap is the scheduler's call.
 */
export async function workTicket(
  world: World,
  desk: Desk,
  ticket: Ticket,
  before: number,
  apply: (delta: number, reason: string) => Promise<void>,
): Promise<void> {
  const { delta, reason } = await decide(world, desk.customer.id, ticket);
  const notes = world.stores.kv('tickets');
  const file = async (from: number, to: number) => {
    for (let i = from; i < to; i++) await notes.set(`${ticket.id}/note:${i}`, `${world.actor} step ${i}`);
  };
  await file(0, before);
  await apply(delta, reason);
  await file(before, NOTES);
}

/** Notes each agent files on its ticket. */
export const NOTES = 8;

/** The desk's run: open the record, work the three tickets at once, tell the customer the balance. */
export function runDesk(apply: (world: World, key: string, delta: number, reason: string) => Promise<void>) {
  return async (world: World, desk: Desk): Promise<DeskAnswer> => {
    const crm = world.stores.kv('crm');
    const key = `customer:${desk.customer.id}`;
    await crm.set(key, { name: desk.customer.name, points: desk.customer.points });
    await Promise.all(
      desk.tickets.map((ticket, i) =>
        world.spawn(`agent-${ticket.id}`, (w) =>
          workTicket(w, desk, ticket, Math.round((i * NOTES) / (desk.tickets.length - 1)), (delta, reason) => apply(w, key, delta, reason)),
        ),
      ),
    );
    const record = await crm.get<{ points: number }>(key);
    const completion = await client(world).chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: `Customer: ${desk.customer.name}\nTheir balance is ${record?.points}. Write them a one-line update.` }],
    });
    return { balance: record?.points, reply: completion.choices[0]?.message.content ?? '' };
  };
}
