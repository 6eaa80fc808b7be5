// Two systems that both know a customer account: the CRM and billing. They hold the same four facts
// under their own names, which is what lets an agent corroborate one with the other. Both answer
// from a pure function of the account id, so every run sees the same truth for the same input.
import { z } from 'zod';
import { defineTool } from '../../harness/index.ts';

export interface AccountFacts {
  readonly company: string;
  readonly contact: string;
  /** ISO date. */
  readonly since: string;
  /** US dollars a year. */
  readonly value: number;
}

const COMPANIES = ['Northwind Traders', 'Contoso Pharma', 'Fabrikam Robotics', 'Tailspin Toys', 'Wingtip Aviation', 'Litware Labs'];
const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Niklaus'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Wirth'];

function generator(text: string): () => number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return () => {
    h = (Math.imul(h, 1664525) + 1013904223) >>> 0;
    return h / 0x1_0000_0000;
  };
}

const pick = <T>(next: () => number, list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;

/** The true facts of an account. */
export function factsOf(accountId: string): AccountFacts {
  const next = generator(accountId);
  const day = new Date(Date.UTC(2015, 0, 1) + Math.floor(next() * 8 * 365) * 86_400_000).toISOString().slice(0, 10);
  return {
    company: pick(next, COMPANIES),
    contact: `${pick(next, FIRST)} ${pick(next, LAST)}`,
    since: day,
    value: 12_000 + Math.floor(next() * 4_800) * 50,
  };
}

// Account ids carry no digits, so no fact's digits can be mistaken for part of an id.
export interface CrmRecord {
  readonly account_id: string;
  readonly company: string;
  readonly contact_name: string;
  readonly customer_since: string;
  readonly annual_value: number;
}

export interface BillingRecord {
  readonly account_id: string;
  readonly account_name: string;
  readonly billing_contact: string;
  readonly start_date: string;
  readonly contract_value: number;
}

const input = z.object({ accountId: z.string().regex(/^ACC-[A-Z]{4}$/) });

export const crmLookup = defineTool({
  name: 'crm_lookup',
  description: 'The CRM record of an account: company, primary contact, customer since, annual value',
  input,
  handler: ({ accountId }): CrmRecord => {
    const f = factsOf(accountId);
    return { account_id: accountId, company: f.company, contact_name: f.contact, customer_since: f.since, annual_value: f.value };
  },
});

export const billingAccount = defineTool({
  name: 'billing_account',
  description: 'The billing account: legal name, billing contact, contract start, contract value per year',
  input,
  handler: ({ accountId }): BillingRecord => {
    const f = factsOf(accountId);
    return { account_id: accountId, account_name: f.company, billing_contact: f.contact, start_date: f.since, contract_value: f.value };
  },
});

/** `$48,250`. */
export const usd = (n: number): string => `$${n.toLocaleString('en-US')}`;
