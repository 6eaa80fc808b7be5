// Scenario 10: backpressure. A research agent fans a question out to planner sub-agents and a queue
// of searches. A model snapshot that always decomposes, a search index that finds nothing and slow
// searches turn an unbounded plan into a runaway; limits.budget stops it early, naming the call graph.
import { boundedSpend, boundedWork, defineScenario, gracefulDegradation } from '../../harness/index.ts';
import { hardened, naive } from './agents.ts';
import { EAGER, models, type Question, researchWorkload, webSearch } from './research.ts';

export const scenario = defineScenario<Question, string>({
  name: '10-backpressure',
  failureMode: 'Backpressure',
  description:
    'A research agent splits a question into subtasks for planner sub-agents, whose queries queue up for two researchers. ' +
    'An eager model snapshot, empty searches and slow searches turn unbounded fan-out into a runaway, stopped by the budget.',
  world: {
    llm: { models },
    tools: [webSearch],
    // The hard stop: a runaway costs at most 30 model calls before the run ends with outcome `budget`.
    limits: { budget: { llmCalls: 30, actors: 60, spawnDepth: 6 } },
  },
  faults: [
    { target: 'llm:gpt-4o-mini', kind: 'version-skew', params: { to: EAGER } },
    { target: 'tool:web_search', kind: 'empty' },
    { target: 'tool:web_search', kind: 'latency', params: { latency: { kind: 'uniform', minMs: 2_000, maxMs: 8_000 } } },
  ],
  input: researchWorkload,
  agents: { naive, hardened },
  expectations: { naive: 'fail', hardened: 'pass' },
  properties: [
    boundedSpend({ llmCalls: 20, usd: 0.01 }),
    boundedWork({ actors: 12, spawnDepth: 2, queueDepth: 6 }),
    gracefulDegradation({ withinMs: 120_000 }),
  ],
});
