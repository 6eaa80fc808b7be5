// What the hardened agent uses to keep a wrong fact from spreading: corroboration (a fact is kept
// only when the CRM and billing agree on it) and grounding (a model's sentence must state the
// corroborated facts it is about, verbatim, and nothing that looks like another fact: no other
// date or number, no other proper name). Checking presence rather than recognising names matters:
// a wrong name may be spelled any way ("Ara O'Keefe"), but the right one is then missing.
import { type AccountFacts, type BillingRecord, type CrmRecord, usd } from './accounts.ts';

export type FactName = keyof AccountFacts;

export interface Corroboration {
  readonly verified: Partial<AccountFacts>;
  /** Facts the two systems disagree on (or one of them lacks). */
  readonly conflicts: readonly FactName[];
}

const FIELDS: ReadonlyArray<readonly [FactName, keyof CrmRecord, keyof BillingRecord]> = [
  ['company', 'company', 'account_name'],
  ['contact', 'contact_name', 'billing_contact'],
  ['since', 'customer_since', 'start_date'],
  ['value', 'annual_value', 'contract_value'],
];

export function corroborate(crm: unknown, billing: unknown): Corroboration {
  const a = (crm ?? {}) as Partial<Record<string, unknown>>;
  const b = (billing ?? {}) as Partial<Record<string, unknown>>;
  const verified: Record<string, unknown> = {};
  const conflicts: FactName[] = [];
  for (const [fact, inCrm, inBilling] of FIELDS) {
    const x = a[inCrm];
    if (x !== undefined && x !== null && x === b[inBilling]) verified[fact] = x;
    else conflicts.push(fact);
  }
  return { verified: verified as Partial<AccountFacts>, conflicts };
}

const DATES = /\b\d{4}-\d{2}-\d{2}\b|\b(?:January|February|March|April|May|June|July|August|September|October|November|December) \d{1,2}, \d{4}\b/g;
const NUMBERS = /(?<![\w.-])\$?\d[\d,]*(?:\.\d+)?(?![\w-])/g;
/** A capitalised word that does not start a sentence. */
const MID_SENTENCE_CAPITAL = /(?<![.!?]\s|^)(?<=\s|^)[A-Z][^\s,.;:!?]*/g;

/** How each fact is stated in a sentence (the year alone, for `since` in an email). */
function renderings(f: Partial<AccountFacts>, sinceAsYear: boolean): Partial<Record<FactName, string>> {
  return {
    ...(f.company === undefined ? {} : { company: f.company }),
    ...(f.contact === undefined ? {} : { contact: f.contact }),
    ...(f.since === undefined ? {} : { since: sinceAsYear ? f.since.slice(0, 4) : f.since }),
    ...(f.value === undefined ? {} : { value: usd(f.value) }),
  };
}

/**
 * What is wrong with a model's sentence about verified facts `f`: required facts it does not state
 * verbatim, and anything else that looks like a fact. Empty when the sentence is grounded.
 */
export function ungrounded(text: string, f: Partial<AccountFacts>, required: readonly FactName[], sinceAsYear = false): string[] {
  const stated = renderings(f, sinceAsYear);
  const problems = required.filter((k) => stated[k] === undefined || !text.includes(stated[k] as string)).map((k) => `missing ${k}`);
  let rest = text;
  for (const value of Object.values(stated)) rest = rest.split(value as string).join(' ');
  const foreign = [...(rest.match(DATES) ?? []), ...(rest.replace(DATES, ' ').match(NUMBERS) ?? []), ...(rest.match(MID_SENTENCE_CAPITAL) ?? [])];
  return [...problems, ...foreign.map((x) => `unverified "${x}"`)];
}

const LABELS: Readonly<Record<FactName, string>> = { company: 'company', contact: 'primary contact', since: 'customer since', value: 'annual contract value' };

/** The brief in the model's own format, from verified facts only, naming what could not be verified. */
export function briefFrom(f: Partial<AccountFacts>, conflicts: readonly FactName[]): string {
  const known = [
    f.contact === undefined ? undefined : `primary contact ${f.contact}`,
    f.since === undefined ? undefined : `customer since ${f.since}`,
    f.value === undefined ? undefined : `annual contract value ${usd(f.value)}`,
  ].filter((p): p is string => p !== undefined);
  const doubt =
    conflicts.length === 0 ? '' : `${known.length > 0 ? '; ' : ''}${conflicts.map((c) => LABELS[c]).join(', ')} unverified (the CRM and billing disagree)`;
  return `Account brief for ${f.company ?? 'an account whose company name is unverified'}: ${known.join(', ')}${doubt}.`;
}

export function emailFrom(f: AccountFacts): string {
  return `${f.contact}, thank you for working with us since ${f.since.slice(0, 4)}. The renewal for ${f.company} is worth ${usd(f.value)} a year; could we meet next week to go over it?`;
}
