// The billing system the statement job reads: a tool that returns one account's invoices for a
// month. Its data is a pure function of (account, month), so the property that judges a run can
// recompute the truth from the run's input.
import { z } from 'zod';
import { defineTool } from '../../harness/index.ts';

export interface StatementRequest {
  /** `ACC-1042`. */
  readonly account: string;
  /** `2024-05`. */
  readonly month: string;
}

export interface Invoice {
  readonly id: string;
  readonly amount: number;
  readonly issued: string;
}

/** What the billing API answers: the invoices and, computed server-side, their count and total. */
export interface InvoicePage {
  readonly account: string;
  readonly month: string;
  readonly count: number;
  readonly total: number;
  readonly invoices: readonly Invoice[];
}

/** A small deterministic generator (FNV-1a seed, then an LCG): no randomness outside the run. */
function generator(text: string): () => number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return () => {
    h = (Math.imul(h, 1664525) + 1013904223) >>> 0;
    return h / 0x1_0000_0000;
  };
}

export const cents = (n: number): number => Math.round(n * 100) / 100;

/** The invoices an account really has in a month: 4 to 7 of them, $120 to $4,800 each. */
export function invoicesFor(account: string, month: string): InvoicePage {
  const next = generator(`${account}|${month}`);
  const count = 4 + Math.floor(next() * 4);
  const invoices = Array.from({ length: count }, (_, i) => ({
    id: `INV-${month.replace('-', '')}-${String(i + 1).padStart(3, '0')}`,
    amount: cents(120 + next() * 4_680),
    issued: `${month}-${String(1 + Math.floor(next() * 28)).padStart(2, '0')}`,
  }));
  return { account, month, count, total: cents(invoices.reduce((sum, inv) => sum + inv.amount, 0)), invoices };
}

export const fetchInvoices = defineTool({
  name: 'fetch_invoices',
  description: "Lists an account's invoices for a month, with their count and total",
  input: z.object({ account: z.string(), month: z.string().regex(/^\d{4}-\d{2}$/) }),
  handler: ({ account, month }) => invoicesFor(account, month),
});

/** `$12,345.67`. */
export const usd = (n: number): string => `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** `May 2024`. */
export const monthName = (month: string): string =>
  new Date(`${month}-01T00:00:00Z`).toLocaleDateString('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });
