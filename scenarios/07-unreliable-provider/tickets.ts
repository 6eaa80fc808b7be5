// The workload and the model of the unreliable-provider scenario: support tickets written by
// customers (a seeded faker builds a fresh one per run, with the facts it states), and a model that
// files each ticket through a `file_ticket` tool call, reading the facts off the ticket's text.
import type { Faker } from '@faker-js/faker';
import { type Conversation, lastUserText, rules } from '../../harness/index.ts';

export const PRIMARY = 'gpt-4o';
export const FALLBACK = 'claude-sonnet-4-6';

export type Category = 'damaged' | 'late' | 'billing' | 'wrong-item';
export const CATEGORIES: readonly Category[] = ['damaged', 'late', 'billing', 'wrong-item'];

export interface Ticket {
  readonly orderId: string;
  readonly amount: number;
  readonly category: Category;
  readonly priority: 'high' | 'normal';
}

export interface TicketInput {
  /** What the customer wrote. */
  readonly text: string;
  /** The facts the text states: what a correct filing must say. */
  readonly truth: Ticket;
}

const TEMPLATES: Record<Category, (id: string, amount: string, name: string) => string> = {
  damaged: (id, amount, name) => `Hi, this is ${name}. Order ${id} arrived with a cracked screen. I paid $${amount} and want my money back.`,
  late: (id, amount, name) => `${name} here: my order ${id} is two weeks late. It cost $${amount}; please refund it or ship it today.`,
  billing: (id, amount, name) => `I was charged $${amount} twice for order ${id}. Please fix this. — ${name}`,
  'wrong-item': (id, amount, name) => `Order ${id} contained the wrong item: I ordered a blue kettle for $${amount} and got a toaster. ${name}`,
};

/** A customer's ticket and the facts it states, from the run's seeded faker. */
export function ticketFor({ faker }: { faker: Faker }): TicketInput {
  const category = faker.helpers.arrayElement(CATEGORIES);
  const orderId = `ORD-${faker.string.numeric(5)}`;
  const amount = faker.commerce.price({ min: 15, max: 480, dec: 2 });
  const text = TEMPLATES[category](orderId, amount, faker.person.fullName());
  return { text, truth: { orderId, amount: Number(amount), category, priority: Number(amount) >= 200 ? 'high' : 'normal' } };
}

const KEYWORDS: ReadonlyArray<readonly [Category, RegExp]> = [
  ['damaged', /\b(?:cracked|broken|damaged)\b/i],
  ['late', /\b(?:late|delayed)\b/i],
  ['billing', /\bcharged\b/i],
  ['wrong-item', /\bwrong item\b/i],
];

/** Reads a ticket the way a good model does: the facts as written, and a category from the wording. */
export function fileTicket(text: string): Ticket {
  const orderId = /ORD-\d{5}/.exec(text)?.[0] ?? 'unknown';
  const amount = Number(/\$(\d+(?:\.\d{2})?)/.exec(text)?.[1] ?? 0);
  const category = KEYWORDS.find(([, pattern]) => pattern.test(text))?.[0] ?? 'damaged';
  return { orderId, amount, category, priority: amount >= 200 ? 'high' : 'normal' };
}

/** Both providers' model: files the ticket in the user's message with one tool call. */
export const triageModel = rules((conversation: Conversation) => ({ toolCalls: [{ name: 'file_ticket', arguments: fileTicket(lastUserText(conversation)) }] }));
