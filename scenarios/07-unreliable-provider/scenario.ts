// The LLM provider is an unreliable upstream: 429s with retry-after, 5xx, reset connections, hangs,
// streams that stall or are cut off, malformed tool-call JSON, empty replies and plausible but
// wrong answers. A triage agent streams a `file_ticket` call from its primary provider; a correct
// one bounds and backs off its retries, times out, takes its fallback, and files nothing it has not
// checked.
import { boundedSpend, defineScenario, gracefulDegradation, noDeadlock } from '../../harness/index.ts';
import { hardened, naive } from './agents.ts';
import { noGarbageAnswer, retriesBackOff } from './properties.ts';
import { FALLBACK, PRIMARY, type TicketInput, ticketFor, triageModel } from './tickets.ts';

export const scenario = defineScenario<TicketInput>({
  name: '07-unreliable-provider',
  failureMode: 'The LLM provider is an unreliable upstream',
  description:
    'A ticket-triage agent streams a file_ticket tool call from gpt-4o (openai SDK), with claude-sonnet-4-6 (Anthropic SDK) to fall back on, while the providers rate-limit, fail, hang, stall or cut streams, and send malformed, empty or subtly wrong replies.',
  world: { llm: { models: { [PRIMARY]: triageModel, [FALLBACK]: triageModel } } },
  input: ticketFor,
  faults: [
    // Failures the client sees as failures.
    { target: `llm:${PRIMARY}`, kind: 'rate-limit', params: { retryAfterMs: 2_000, header: 'both' } },
    { target: 'llm:*', kind: 'server-error', params: { status: 503 } },
    { target: `llm:${PRIMARY}`, kind: 'outage', params: { mode: 'reset' } },
    { target: 'llm:*', kind: 'hang' },
    // Streams that stall or end early.
    { target: `llm:${PRIMARY}`, kind: 'stream-stall', params: { afterChunks: 2, stallMs: 45_000 } },
    { target: `llm:${PRIMARY}`, kind: 'stream-cut', params: { afterChunks: 3, mode: 'close' } },
    { target: `llm:${PRIMARY}`, kind: 'truncate', params: { keepFraction: 0.6 } },
    // 200 OK with garbage.
    { target: 'llm:*', kind: 'malformed', params: { mode: 'truncated-json' } },
    { target: 'llm:*', kind: 'empty' },
    { target: `llm:${PRIMARY}`, kind: 'off-schema' },
    { target: 'llm:*', kind: 'corrupt', params: { fact: 'number' } },
  ],
  agents: { naive, hardened },
  expectations: { naive: 'fail', hardened: 'pass' },
  properties: [
    gracefulDegradation({ withinMs: 30_000 }),
    noDeadlock(),
    boundedSpend({ llmCalls: 4 }),
    retriesBackOff({ maxAttempts: 6, minBackoffMs: 250 }),
    noGarbageAnswer(),
  ],
  runs: 100,
});
