// CAP for agents: one tool down takes the whole agent down. The shipping assistant depends on an
// order service, a carrier's HTTP API and a loyalty MCP server; for a window of virtual time any of
// them may fail, slow down, hang or rate-limit. A correct agent still answers within its bound,
// with what it could get, and says what is missing.
import { defineScenario, gracefulDegradation, noDeadlock } from '../../harness/index.ts';
import { hardened, naive } from './agents.ts';
import { assistant, carrierHandlers, loyaltyServer, MODEL, orderStatus } from './world.ts';

const slow = { kind: 'uniform', minMs: 35_000, maxMs: 90_000 } as const;

export const scenario = defineScenario({
  name: '04-cap-for-agents',
  failureMode: 'CAP for agents',
  description:
    'A shipping assistant on the openai SDK calls an order tool, a carrier HTTP API and a loyalty MCP server; any of them goes down, slows down or rate-limits for a while, and the agent must still answer in time with what it got.',
  world: {
    llm: { models: { [MODEL]: assistant } },
    tools: [orderStatus],
    handlers: carrierHandlers,
    mcp: { loyalty: loyaltyServer },
  },
  faults: [
    // The order service: down for the first 20 s, or slow, or stuck.
    { target: 'tool:order_status', kind: 'error', when: { beforeMs: 20_000 }, params: { message: 'orders database unavailable' } },
    { target: 'tool:order_status', kind: 'latency', when: { beforeMs: 20_000 }, params: { latency: slow } },
    { target: 'tool:order_status', kind: 'hang' },
    // The carrier's API: rate-limited, resetting connections, failing or slow for a window.
    { target: 'http:api.parcelco.example', kind: 'rate-limit', when: { beforeMs: 10_000 }, params: { retryAfterMs: 2_000 } },
    { target: 'http:api.parcelco.example', kind: 'outage', when: { beforeMs: 20_000 }, params: { mode: 'reset' } },
    { target: 'http:api.parcelco.example', kind: 'server-error', params: { status: 503 } },
    { target: 'http:api.parcelco.example', kind: 'latency', when: { beforeMs: 20_000 }, params: { latency: slow } },
    // The loyalty MCP server: down, stuck, slow to shake hands, or failing its tool.
    { target: 'mcp:loyalty', kind: 'disconnect', when: { afterMs: 0, beforeMs: 30_000 } },
    { target: 'mcp:loyalty', kind: 'hang' },
    { target: 'mcp:loyalty', kind: 'latency', when: { calls: [0] }, params: { latency: slow } },
    { target: 'mcp:loyalty', kind: 'error', params: { message: 'loyalty backend timed out' } },
  ],
  agents: { naive, hardened },
  expectations: { naive: 'fail', hardened: 'pass' },
  properties: [gracefulDegradation({ withinMs: 30_000 }), noDeadlock()],
  runs: 100,
});
