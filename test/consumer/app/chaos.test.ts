// vitest in the user's app: a chaos test over the installed package, and the matchers.
import { gracefulDegradation, noDeadlock, simulate } from 'faultline';
import { chaosTest } from 'faultline/vitest';
import { expect, it } from 'vitest';
import { hardened, model, naive, tools } from './agent.js';

const faults = [
  { target: 'tool:search_orders', kind: 'error' as const },
  { target: 'llm:*', kind: 'server-error' as const, when: { probability: 0.3 } },
];

chaosTest(
  'the hardened refund agent degrades gracefully',
  {
    name: 'refund',
    world: { tools, llm: { models: { 'gpt-4o-mini': model } } },
    faults,
    agent: hardened,
    properties: [gracefulDegradation({ withinMs: 60_000 }), noDeadlock()],
  },
  { runs: 50 },
);

it('a run is a value the matchers read', async () => {
  const result = await simulate(naive, { seed: 1, tools, llm: { models: { 'gpt-4o-mini': model } }, faults: [faults[0]!] });
  expect(result).toHaveOutcome('threw');
  expect(result).toKeep(noDeadlock());
});
