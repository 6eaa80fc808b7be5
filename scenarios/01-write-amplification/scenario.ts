// Failure mode 1, write amplification: "remember this" fans out to six stores, and faults between,
// during and after those writes must not leave the stores disagreeing or holding duplicates.
import { defineScenario, eventuallyConverges } from '../../harness/index.ts';
import { hardened, naive } from './agents.ts';
import { type MemoryInput, MODEL, memoryBrain } from './assistant.ts';
import { APPEND_ONLY_STORES, MEMORY_STORES } from './memory.ts';
import { noDuplicateAppends } from './properties.ts';
import { drainOutbox, OUTBOX } from './reconciler.ts';

const TOPICS = ['invoices', 'outage alerts', 'release notes', 'security notices'];
const CHANNELS = ['email', 'Slack', 'SMS', 'Teams'];

export const scenario = defineScenario<MemoryInput, string[]>({
  name: '01-write-amplification',
  failureMode: 'Write amplification',
  description:
    'An assistant saves a user preference, then its update, to six stores (vector, relational, cache, event log, audit trail, context); ' +
    'crashes, errors, lost acknowledgements and duplicate deliveries hit the writes, and after a reconciliation phase every store must hold the latest version, once.',
  world: { llm: { models: { [MODEL]: memoryBrain } } },
  input: ({ faker }) => {
    const topic = faker.helpers.arrayElement(TOPICS);
    const [first, then] = faker.helpers.arrayElements(CHANNELS, 2) as [string, string];
    return { messages: [`Remember that I prefer ${first} for ${topic}.`, `Actually, I now prefer ${then} for ${topic}.`] };
  },
  faults: [
    // The writer's process dies right after a write lands (the narrowed variants pick which one).
    { target: 'store:*', kind: 'crash' },
    { target: 'store:*', kind: 'error', when: { probability: 0.3 }, params: { message: 'connection reset by peer' } },
    { target: 'store:*', kind: 'lost-ack', when: { probability: 0.25 } },
    { target: 'store:*', kind: 'duplicate', when: { probability: 0.25 } },
    { target: 'store:*', kind: 'latency', params: { latency: { kind: 'uniform', minMs: 1, maxMs: 300 } } },
  ],
  heal: { agent: drainOutbox },
  agents: { naive, hardened },
  expectations: { naive: 'fail', hardened: 'pass' },
  properties: [eventuallyConverges({ stores: MEMORY_STORES, outbox: OUTBOX }), noDuplicateAppends(APPEND_ONLY_STORES)],
});
