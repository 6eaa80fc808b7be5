// Debugging agents as distributed systems: print statements cannot explain step 7 of 12, a trace
// can — if it is complete and replayable. A help-desk agent answers while a background actor writes
// a memory, under ordinary faults (a slow or rate-limited model, a slow store, a failing tool call
// retried). Every run must yield a trace in which each call ended inside the run, under its actor,
// and the same seed must give the same trace (check with `determinism: true`).
import { defineScenario, noDeadlock, traceComplete } from '../../harness/index.ts';
import { hardened, naive } from './agents.ts';
import { noOrphanActors } from './noOrphanActors.ts';
import { ANSWER_MODEL, answerModel, kbSearch, MEMORY_MODEL, memoryModel } from './world.ts';

export const scenario = defineScenario({
  name: '08-debugging-traces',
  failureMode: 'Debugging agents as distributed systems',
  description:
    'A help-desk agent answers with the openai SDK and a knowledge-base tool while a background actor condenses the question into a memory; under ordinary faults every run must leave a complete trace (no call still running when the agent answers) that replays from its seed.',
  world: { llm: { models: { [ANSWER_MODEL]: answerModel, [MEMORY_MODEL]: memoryModel } }, tools: [kbSearch] },
  faults: [
    // Ordinary trouble on the memory path.
    { target: `llm:${MEMORY_MODEL}`, kind: 'latency', params: { latency: { kind: 'uniform', minMs: 2_000, maxMs: 8_000 } } },
    { target: `llm:${MEMORY_MODEL}`, kind: 'rate-limit', params: { retryAfterMs: 3_000 } },
    { target: 'store:memory', kind: 'latency', params: { latency: { kind: 'uniform', minMs: 1_000, maxMs: 5_000 } } },
    { target: 'store:memory', kind: 'error', params: { message: 'memory store unavailable' } },
    { target: 'store:events', kind: 'latency', params: { latency: { kind: 'uniform', minMs: 500, maxMs: 4_000 } } },
    // Ordinary trouble on the answer path.
    { target: `llm:${ANSWER_MODEL}`, kind: 'server-error', params: { status: 502 } },
    { target: 'tool:kb_search', kind: 'latency', params: { latency: { kind: 'uniform', minMs: 100, maxMs: 2_000 } } },
  ],
  agents: { naive, hardened },
  expectations: { naive: 'fail', hardened: 'pass' },
  properties: [traceComplete(), noOrphanActors(), noDeadlock()],
  runs: 100,
});
