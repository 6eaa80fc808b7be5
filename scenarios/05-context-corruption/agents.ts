// Two account-brief agents. The naive one takes the model's brief as written, remembers both raw
// records in the session context, files the brief, and has the model draft the email from it: one
// wrong fact from a tool or the model flows into the brief, the email and the stores. The hardened
// one keeps a fact only when the CRM and billing agree (re-reading both once when they do not),
// accepts a model sentence only if every fact in it is corroborated (else writes it from the
// facts itself), stores corroborated facts only, and says what it could not verify.
import type { World } from '../../harness/index.ts';
import { type AccountFacts, usd } from './accounts.ts';
import { briefFrom, corroborate, emailFrom, type FactName, ungrounded } from './grounding.ts';
import { type BriefInput, draftEmail, openai, research } from './research.ts';

export interface BriefResult {
  readonly brief: string;
  readonly email?: string;
  /** Facts left out because the sources disagreed. */
  readonly unverified?: readonly string[];
}

const SESSION = 'account-review';
const ALL_FACTS: readonly FactName[] = ['company', 'contact', 'since', 'value'];

export async function naive(world: World, { accountId }: BriefInput): Promise<BriefResult> {
  const client = openai(world);
  const { brief, results } = await research(world, client, accountId);
  await world.stores.context().set(SESSION, 'account', results);
  const email = await draftEmail(client, brief);
  await world.stores.relational().put('briefs', { id: accountId, brief, email });
  return { brief, email };
}

export async function hardened(world: World, { accountId }: BriefInput): Promise<BriefResult> {
  const client = openai(world);
  const { brief, results } = await research(world, client, accountId);
  let check = corroborate(results.crm_lookup, results.billing_account);
  if (check.conflicts.length > 0) {
    // A disagreement may be one bad read: read both systems of record again, once.
    const args = { accountId };
    check = corroborate(await world.tools.call('crm_lookup', args), await world.tools.call('billing_account', args));
  }
  const { verified, conflicts } = check;
  const trusted = conflicts.length === 0 && ungrounded(brief, verified, ALL_FACTS).length === 0 ? brief : briefFrom(verified, conflicts);
  let email: string | undefined;
  if (conflicts.length === 0) {
    const drafted = await draftEmail(client, trusted);
    email = ungrounded(drafted, verified, ALL_FACTS, true).length === 0 ? drafted : emailFrom(verified as AccountFacts);
  }
  // Only corroborated facts are remembered; the amount as it is stated, never a raw figure to recompute from.
  const remembered = { ...verified, ...(verified.value === undefined ? {} : { value: usd(verified.value) }), unverified: conflicts };
  await world.stores.context().set(SESSION, 'account', remembered);
  await world.stores
    .relational()
    .put('briefs', { id: accountId, brief: trusted, ...(email === undefined ? {} : { email }), needsReview: conflicts.length > 0 });
  return { brief: trusted, ...(email === undefined ? {} : { email }), ...(conflicts.length === 0 ? {} : { unverified: conflicts }) };
}
