// Scenario 11: consensus between agents. Three reviewers vote on a refund; two share gpt-4o-mini,
// so a bad snapshot or a corrupted answer makes them wrong together, and the third, on Claude, is
// the only one that checks fraud signals. A correct panel never outvotes a safety dissent and never
// takes correlated agreement for correctness.
import { defineScenario, gracefulDegradation } from '../../harness/index.ts';
import { hardened, naive } from './agents.ts';
import { type Decision, fraudSignals, models, type RefundRequest, refundWorkload, SKEWED } from './review.ts';
import { independentAgreement, safetyDissentHeard } from './safeConsensus.ts';

export const scenario = defineScenario<RefundRequest, Decision>({
  name: '11-consensus',
  failureMode: 'Consensus between agents',
  description:
    'A panel of three reviewers votes on each refund: policy and support share gpt-4o-mini, risk uses Claude and the fraud-signals service. ' +
    'A skewed or corrupted shared model makes two votes wrong together, and a fraud signal makes risk dissent alone.',
  world: { llm: { models }, tools: [fraudSignals] },
  faults: [
    { target: 'llm:gpt-4o-mini', kind: 'version-skew', params: { to: SKEWED } },
    { target: 'llm:gpt-4o-mini', kind: 'corrupt', params: { fact: 'boolean' } },
    { target: 'tool:fraud_signals', kind: 'corrupt', params: { fact: 'boolean' } },
    { target: 'llm:claude-*', kind: 'server-error', params: { status: 529 } },
    { target: 'llm:claude-*', kind: 'latency', params: { latency: { kind: 'uniform', minMs: 5_000, maxMs: 40_000 } } },
  ],
  input: refundWorkload,
  agents: { naive, hardened },
  expectations: { naive: 'fail', hardened: 'pass' },
  properties: [safetyDissentHeard({ safetyReviewers: ['risk'] }), independentAgreement(), gracefulDegradation({ withinMs: 180_000 })],
});
