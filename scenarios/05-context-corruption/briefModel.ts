// The model both agents use through the official openai client: in a tool loop it looks the
// account up in both systems, then writes the brief; asked for an email, it drafts one from a
// brief. Its sentences carry the facts as they were given, so a wrong fact travels onwards.
import { type Conversation, rules } from '../../harness/index.ts';
import { type BillingRecord, type CrmRecord, usd } from './accounts.ts';

export const MODEL = 'gpt-4o';

export const BRIEF_SYSTEM = 'You prepare account briefs for account managers. Look the account up in the CRM and in billing, then write one sentence.';
export const EMAIL_SYSTEM = 'You draft short renewal emails from an account brief.';

const BRIEF = /^Account brief for (.+?): primary contact (.+?), customer since (\S+), annual contract value (\S+)\.$/;

function parse<T>(text: string | undefined): T | undefined {
  try {
    return text === undefined ? undefined : (JSON.parse(text) as T);
  } catch {
    return undefined;
  }
}

export const briefBrain = rules((conversation: Conversation) => {
  const last = conversation.messages.at(-1);
  if (conversation.system === EMAIL_SYSTEM) {
    const brief = BRIEF.exec(last?.content.replace(/^Brief: /, '') ?? '');
    if (brief === null) return 'I need a brief to draft the email from.';
    const [, company, contact, since, value] = brief as unknown as [string, string, string, string, string];
    return `${contact}, thank you for working with us since ${since.slice(0, 4)}. The renewal for ${company} is worth ${value} a year; could we meet next week to go over it?`;
  }
  if (last?.role === 'user') {
    const accountId = /ACC-[A-Z]{4}/.exec(last.content)?.[0] ?? '';
    return {
      toolCalls: [
        { name: 'crm_lookup', arguments: { accountId } },
        { name: 'billing_account', arguments: { accountId } },
      ],
    };
  }
  const results = conversation.messages.filter((m) => m.role === 'tool').map((m) => parse<Partial<CrmRecord & BillingRecord>>(m.content) ?? {});
  const crm = results.find((r) => 'company' in r) ?? {};
  const billing = results.find((r) => 'contract_value' in r) ?? {};
  return `Account brief for ${crm.company}: primary contact ${crm.contact_name}, customer since ${crm.customer_since}, annual contract value ${usd(Number(billing.contract_value))}.`;
});
