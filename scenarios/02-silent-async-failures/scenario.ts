// Failure mode 2, silent async failures: a background job that "succeeds" on empty, partial,
// reshaped or altered input. The job must flag what it cannot verify, never report success on it.
import { defineScenario } from '../../harness/index.ts';
import { hardened, naive } from './agents.ts';
import { fetchInvoices, type StatementRequest } from './billing.ts';
import { noSilentFailure } from './properties.ts';
import type { StatementResult } from './statementJob.ts';
import { MODEL, summaryBrain } from './summarizer.ts';

export const scenario = defineScenario<StatementRequest, StatementResult>({
  name: '02-silent-async-failures',
  failureMode: 'Silent async failures',
  description:
    "A queued job totals an account's monthly invoices from a billing tool and has a model summarise them; the tool and the model " +
    'answer 200 with empty, truncated, off-schema or subtly altered content, and the job must never report success on such input.',
  world: { tools: [fetchInvoices], llm: { models: { [MODEL]: summaryBrain } } },
  input: ({ faker }) => ({
    account: `ACC-${faker.number.int({ min: 1000, max: 9999 })}`,
    month: `2024-${String(faker.number.int({ min: 1, max: 12 })).padStart(2, '0')}`,
  }),
  faults: [
    { target: 'tool:fetch_invoices', kind: 'truncate' },
    { target: 'tool:fetch_invoices', kind: 'empty' },
    { target: 'tool:fetch_invoices', kind: 'corrupt' },
    { target: 'llm:*', kind: 'empty' },
    { target: 'llm:*', kind: 'off-schema' },
    { target: 'llm:*', kind: 'truncate' },
    { target: 'llm:*', kind: 'corrupt' },
  ],
  agents: { naive, hardened },
  expectations: { naive: 'fail', hardened: 'pass' },
  properties: [noSilentFailure()],
});
