// A ticket-triage agent: the model reads a customer's ticket and files it through a `file_ticket`
// tool call, streamed from the primary provider (openai SDK), and the agent returns the filed
// ticket. The naive agent switches the SDK's retries off for a loop of its own that retries at once
// (ignoring retry-after), waits on a stream as long as it takes, and parses the tool call leniently,
// filling in defaults — so a 429 is hammered, a stalled stream holds it for minutes, and a broken,
// empty or wrong reply is filed as if it were an answer. The hardened agent keeps the SDK's bounded,
// backing-off retries with a request timeout, watches the stream for silence, validates every reply
// (strict JSON, schema, and facts grounded in the ticket) and falls back to a second provider
// (Anthropic SDK), then to a person — never to a guess.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { z } from 'zod';
import type { World } from '../../harness/index.ts';
import { CATEGORIES, FALLBACK, PRIMARY, type Ticket, type TicketInput } from './tickets.ts';

export type Triage =
  | { readonly status: 'filed'; readonly ticket: Ticket; readonly model: string; readonly notes?: readonly string[] }
  | { readonly status: 'needs-human'; readonly reason: string; readonly notes: readonly string[] };

const SYSTEM = 'You triage customer support tickets. File each ticket with the file_ticket tool, stating its facts exactly as the customer wrote them.';
const DESCRIPTION = 'File a support ticket';
const PARAMETERS = {
  type: 'object',
  properties: {
    orderId: { type: 'string', description: 'The order id, as written (ORD-12345)' },
    amount: { type: 'number', description: 'The amount paid, in dollars' },
    category: { type: 'string', enum: [...CATEGORIES] },
    priority: { type: 'string', enum: ['high', 'normal'] },
  },
  required: ['orderId', 'amount', 'category', 'priority'],
} as const;

const chatRequest = (text: string) => ({
  model: PRIMARY,
  stream: true as const,
  messages: [
    { role: 'system' as const, content: SYSTEM },
    { role: 'user' as const, content: text },
  ],
  tools: [{ type: 'function' as const, function: { name: 'file_ticket', description: DESCRIPTION, parameters: PARAMETERS } }],
  tool_choice: { type: 'function' as const, function: { name: 'file_ticket' } },
});

/** Parses whatever came back, and files something whatever it was. */
function parseLoosely(raw: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export async function naive(world: World, input: TicketInput): Promise<Triage> {
  // Retries are handled below, so the SDK's own are switched off.
  const client = new OpenAI({ apiKey: 'sk-sim', fetch: world.fetch, maxRetries: 0 });
  let failure: unknown;
  for (let attempt = 0; attempt < 4; attempt++) {
    try {
      const stream = await client.chat.completions.create(chatRequest(input.text));
      let args = '';
      for await (const chunk of stream) args += chunk.choices[0]?.delta.tool_calls?.[0]?.function?.arguments ?? '';
      const fields = parseLoosely(args);
      const ticket: Ticket = {
        orderId: String(fields.orderId ?? 'unknown'),
        amount: Number(fields.amount ?? 0),
        category: (fields.category as Ticket['category'] | undefined) ?? 'damaged',
        priority: (fields.priority as Ticket['priority'] | undefined) ?? 'normal',
      };
      return { status: 'filed', ticket, model: PRIMARY };
    } catch (error) {
      failure = error;
    }
  }
  throw failure;
}

/** A reply that arrived but cannot be used. */
class Unusable extends Error {}

const ticketSchema = z
  .object({ orderId: z.string().regex(/^ORD-\d{5}$/), amount: z.number().positive(), category: z.enum(CATEGORIES), priority: z.enum(['high', 'normal']) })
  .strict();

function parseStrictly(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new Unusable(`the tool call's arguments are not JSON (${JSON.stringify(raw.slice(0, 40))})`);
  }
}

/** The ticket a reply files, if it is well-formed and states the ticket's own facts. */
function validate(fields: unknown, text: string): Ticket {
  const parsed = ticketSchema.safeParse(fields);
  if (!parsed.success) throw new Unusable(`the ticket does not match its schema (${parsed.error.issues.map((i) => i.path.join('.') || 'input').join(', ')})`);
  const ticket = parsed.data;
  if (!text.includes(ticket.orderId)) throw new Unusable(`order id ${ticket.orderId} is not in the ticket`);
  if (!text.includes(`$${ticket.amount.toFixed(2)}`)) throw new Unusable(`amount ${ticket.amount} is not in the ticket`);
  return ticket;
}

const IDLE_MS = 3_000;

/** `next`, unless the stream stays silent for IDLE_MS: then the request is aborted. */
function beforeSilence<T>(next: Promise<T>, abort: () => void): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const silence = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abort();
      reject(new Error(`the stream went silent for ${IDLE_MS} ms`));
    }, IDLE_MS);
  });
  return Promise.race([next, silence]).finally(() => clearTimeout(timer));
}

/** The primary: a streamed tool call, with the SDK's bounded retries, a request timeout and a silence watchdog. */
async function askPrimary(world: World, text: string, signal: AbortSignal): Promise<unknown> {
  const client = new OpenAI({ apiKey: 'sk-sim', fetch: world.fetch, maxRetries: 1, timeout: 5_000 });
  const stream = await client.chat.completions.create(chatRequest(text), { signal });
  const chunks = stream[Symbol.asyncIterator]();
  let args = '';
  let finished = false;
  for (;;) {
    const next = await beforeSilence(chunks.next(), () => stream.controller.abort());
    if (next.done === true) break;
    const chunk = next.value;
    if (!Array.isArray(chunk.choices)) throw new Unusable('a stream chunk has no choices');
    const choice = chunk.choices[0];
    args += choice?.delta.tool_calls?.[0]?.function?.arguments ?? '';
    if (choice?.finish_reason != null) finished = true;
  }
  if (!finished) throw new Unusable('the stream ended before the model finished');
  return parseStrictly(args);
}

/** The fallback: the other provider, not streamed, with the same bounds. */
async function askFallback(world: World, text: string, signal: AbortSignal): Promise<unknown> {
  const client = new Anthropic({ apiKey: 'sk-ant-sim', fetch: world.fetch, maxRetries: 1, timeout: 5_000 });
  const message = await client.messages.create(
    {
      model: FALLBACK,
      max_tokens: 512,
      system: SYSTEM,
      messages: [{ role: 'user', content: text }],
      tools: [{ name: 'file_ticket', description: DESCRIPTION, input_schema: PARAMETERS as unknown as Anthropic.Tool.InputSchema }],
      tool_choice: { type: 'tool', name: 'file_ticket' },
    },
    { signal },
  );
  const use = message.content.find((block) => block.type === 'tool_use' && block.name === 'file_ticket');
  if (use?.type !== 'tool_use') throw new Unusable('the reply has no file_ticket call');
  return typeof use.input === 'string' ? parseStrictly(use.input) : use.input;
}

export async function hardened(world: World, input: TicketInput): Promise<Triage> {
  const deadline = AbortSignal.timeout(25_000);
  const notes: string[] = [];
  const providers = [
    { model: PRIMARY, ask: askPrimary },
    { model: FALLBACK, ask: askFallback },
  ];
  for (const { model, ask } of providers) {
    try {
      const ticket = validate(await ask(world, input.text, deadline), input.text);
      return { status: 'filed', ticket, model, ...(notes.length > 0 ? { notes } : {}) };
    } catch (error) {
      notes.push(`${model} failed: ${(error as Error).message}`);
    }
  }
  return { status: 'needs-human', reason: 'The ticket could not be filed automatically and was routed to a person.', notes };
}
