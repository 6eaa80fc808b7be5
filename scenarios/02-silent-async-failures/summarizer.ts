// The statement's one-line summary, written by a model through the official openai client. The
// simulated model restates the figures it is given; faults may empty, reshape or alter its answer.
import OpenAI from 'openai';
import { type Conversation, rules, type WorldFetch } from '../../harness/index.ts';
import { monthName, usd } from './billing.ts';

export const MODEL = 'gpt-4o-mini';

export interface StatementFigures {
  readonly account: string;
  readonly month: string;
  readonly count: number;
  readonly total: number;
}

const FIGURES = /Account (\S+), month (\d{4}-\d{2}): (\d+) invoices totalling ([\d.]+) USD/;

export const summaryBrain = rules((conversation: Conversation) => {
  const asked = FIGURES.exec(conversation.messages.at(-1)?.content ?? '');
  if (asked === null) return 'Please give me the statement figures.';
  const [, account, month, count, total] = asked as unknown as [string, string, string, string, string];
  return `${account} was billed ${usd(Number(total))} across ${count} invoices in ${monthName(month)}.`;
});

export function summaryRequest(f: StatementFigures): OpenAI.Chat.ChatCompletionCreateParamsNonStreaming {
  return {
    model: MODEL,
    messages: [
      { role: 'system', content: 'You write one-sentence billing statement summaries. Restate the figures exactly.' },
      { role: 'user', content: `Account ${f.account}, month ${f.month}: ${f.count} invoices totalling ${f.total.toFixed(2)} USD.` },
    ],
  };
}

export const newClient = (fetch: WorldFetch): OpenAI => new OpenAI({ apiKey: 'sk-sim', fetch, maxRetries: 2, timeout: 30_000 });
