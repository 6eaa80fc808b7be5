// Scenario 09: agentic deadlock. A refunds agent and a reconciliation batch share an order's lock
// and the ledger's lock. Slow payments, slow model replies and failed payments line their critical
// sections up; a correct pair finishes or degrades in bounded virtual time whatever the timing.
import { defineScenario, gracefulDegradation, noDeadlock } from '../../harness/index.ts';
import { hardened, naive } from './agents.ts';
import { backOfficeBrain, bankStatement, MODEL, paymentsRefund, type RefundCase, refundWorkload } from './backOffice.ts';

export const scenario = defineScenario<RefundCase, string>({
  name: '09-agentic-deadlock',
  failureMode: 'Agentic deadlock',
  description:
    'A refunds agent and a reconciliation batch both need an order lock and the ledger lock. ' +
    'Slow payments or model replies line up their critical sections; taken in opposite orders, or leaked on an early return, the locks leave both waiting forever.',
  world: { llm: { models: { [MODEL]: backOfficeBrain } }, tools: [paymentsRefund, bankStatement] },
  faults: [
    { target: 'tool:payments_refund', kind: 'latency', params: { latency: { kind: 'uniform', minMs: 1_000, maxMs: 5_000 } } },
    { target: 'llm:*', kind: 'latency', params: { latency: { kind: 'uniform', minMs: 1_000, maxMs: 4_000 } } },
    { target: 'tool:payments_refund', kind: 'error', params: { message: 'card issuer declined the refund' } },
    { target: 'tool:bank_statement', kind: 'latency', params: { latency: { kind: 'uniform', minMs: 500, maxMs: 3_000 } } },
  ],
  schedules: ['fifo', 'random', 'pct'],
  input: refundWorkload,
  agents: { naive, hardened },
  expectations: { naive: 'fail', hardened: 'pass' },
  properties: [noDeadlock(), gracefulDegradation({ withinMs: 30_000 })],
});
