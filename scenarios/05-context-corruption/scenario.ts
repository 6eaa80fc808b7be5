// Failure mode 5, cascading context corruption: one subtly wrong fact (a name, a date, an amount)
// in one tool or model answer must not reach the brief, the email or the stores unchallenged.
import { defineScenario, noSilentCorruption } from '../../harness/index.ts';
import { billingAccount, crmLookup } from './accounts.ts';
import { type BriefResult, hardened, naive } from './agents.ts';
import { briefBrain, MODEL } from './briefModel.ts';
import type { BriefInput } from './research.ts';

export const scenario = defineScenario<BriefInput, BriefResult>({
  name: '05-context-corruption',
  failureMode: 'Cascading context corruption',
  description:
    'An agent looks an account up in the CRM and in billing, has a model write a brief and then a renewal email from it, and remembers the facts; ' +
    'one fact in one tool result or model answer is subtly wrong (and marked), and it must not reach the output or the stores unflagged.',
  world: { tools: [crmLookup, billingAccount], llm: { models: { [MODEL]: briefBrain } } },
  input: ({ faker }) => ({ accountId: `ACC-${faker.string.alpha({ length: 4, casing: 'upper' })}` }),
  faults: [
    { target: 'tool:crm_lookup', kind: 'corrupt' },
    { target: 'tool:billing_account', kind: 'corrupt' },
    { target: `llm:${MODEL}`, kind: 'corrupt' },
    { target: `llm:${MODEL}`, kind: 'corrupt', params: { fact: 'name' } },
  ],
  agents: { naive, hardened },
  expectations: { naive: 'fail', hardened: 'pass' },
  properties: [noSilentCorruption()],
});
