// Failing on purpose, only when the smoke test asks (FAULTLINE_CONSUMER_FIXTURES=1): a naive agent
// the faults catch, and an agent that keeps state between runs, caught by the determinism check.
import { gracefulDegradation, noDeadlock, scripted } from 'faultline';
import { chaosTest } from 'faultline/vitest';
import { describe } from 'vitest';
import { model, naive, tools } from './agent.js';

let calls = 0;

describe.runIf(process.env.FAULTLINE_CONSUMER_FIXTURES === '1')('fixtures', () => {
  chaosTest(
    'the naive refund agent degrades gracefully',
    {
      name: 'naive refund',
      world: { tools, llm: { models: { 'gpt-4o-mini': model } } },
      faults: [{ target: 'tool:search_orders', kind: 'error' }],
      agent: naive,
      properties: [gracefulDegradation({ withinMs: 60_000 }), noDeadlock()],
    },
    { runs: 30 },
  );

  chaosTest(
    'an agent that remembers between runs is deterministic',
    {
      name: 'stateful',
      world: { llm: { models: { 'gpt-4o-mini': scripted(['yes', 'no']) } } },
      agent: async (world) => {
        calls += 1;
        const reply = await world.llm.complete({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: calls % 2 === 0 ? 'even?' : 'odd?' }] });
        return reply.text;
      },
      properties: [noDeadlock()],
    },
    { runs: 10, determinism: true },
  );
});
