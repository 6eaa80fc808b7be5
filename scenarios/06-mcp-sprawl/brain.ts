// The model behind the support agent: it works through a case in steps (look the customer up; then
// the invoice and the help centre together; then leave a note), using whichever tools it is
// offered, and answers with what it found — naming each step it could not complete.
import { type Conversation, rules } from '../../harness/index.ts';

export const MODEL = 'gpt-4o-mini';
export const QUESTION = 'Customer 42 says invoice INV-7 charged them twice. Look into it, tell me what to say, and note it on their account.';

type Step = 'lookup_customer' | 'get_invoice' | 'search_articles' | 'add_note';

const ARGS: Record<Step, Record<string, string>> = {
  lookup_customer: { customerId: '42' },
  get_invoice: { invoiceId: 'INV-7' },
  search_articles: { query: 'charged twice' },
  add_note: { customerId: '42', text: 'Reported a duplicate charge on INV-7' },
};

const PLAN: readonly (readonly Step[])[] = [['lookup_customer'], ['get_invoice', 'search_articles'], ['add_note']];

/** Each tool result so far by the tool that produced it: its JSON, or undefined when it failed. */
function results(conversation: Conversation): Map<string, Record<string, unknown> | undefined> {
  const names = new Map<string, string>();
  for (const m of conversation.messages) for (const c of m.toolCalls ?? []) names.set(c.id, c.name);
  const out = new Map<string, Record<string, unknown> | undefined>();
  for (const m of conversation.messages) {
    if (m.role !== 'tool') continue;
    let value: Record<string, unknown> | undefined;
    try {
      value = m.content.startsWith('{') ? (JSON.parse(m.content) as Record<string, unknown>) : undefined;
    } catch {
      value = undefined;
    }
    out.set(names.get(m.toolCallId ?? '') ?? '', value);
  }
  return out;
}

export const supportModel = rules((conversation) => {
  const offered = new Set(conversation.tools.map((t) => t.name));
  const done = results(conversation);
  const called = new Set(conversation.messages.flatMap((m) => (m.toolCalls ?? []).map((c) => c.name)));
  for (const step of PLAN) {
    const next = step.filter((tool) => offered.has(tool) && !called.has(tool));
    if (next.length > 0) return { toolCalls: next.map((name) => ({ name, arguments: ARGS[name] })) };
  }
  const customer = done.get('lookup_customer');
  const invoice = done.get('get_invoice');
  const kb = done.get('search_articles');
  const note = done.get('add_note');
  const article = (kb?.articles as Array<{ title: string }> | undefined)?.[0];
  return [
    customer === undefined ? 'I could not look up customer 42.' : `Customer 42 is ${String(customer.name)} (${String(customer.plan)} plan).`,
    invoice === undefined ? 'I could not check invoice INV-7.' : `Invoice INV-7 shows ${String(invoice.charges)} charges of $${String(invoice.amount)}.`,
    article === undefined ? 'I could not check the refund policy.' : `Tell them: ${article.title}.`,
    note === undefined ? 'I could not add a note to the account.' : 'I noted the report on the account.',
  ].join(' ');
});
