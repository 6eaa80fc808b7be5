// MCP sprawl: many tool servers, nobody owns them, their tool lists change. A support agent works
// a case across three MCP servers while they disconnect, shake hands slowly, restart and forget
// its session, and remove, rename or redefine their tools mid-session. A correct agent fails
// closed on a missing or changed tool, starts a new session when a server forgot its own,
// degrades gracefully, and never calls a tool with a definition it knows to be stale. Each sample
// agent comes in-process and over Streamable HTTP (`-http`), under the same plan and properties.
import { defineScenario, gracefulDegradation, noDeadlock } from '../../harness/index.ts';
import { hardened, hardenedHttp, naive, naiveHttp } from './agents.ts';
import { MODEL, supportModel } from './brain.ts';
import { noStaleToolCalls } from './noStaleToolCalls.ts';
import { reinitializesExpiredSessions } from './reinitializesExpiredSessions.ts';
import { servers } from './servers.ts';

/** Server changes land here: after the customer lookup, before the rest of the case. */
const MID_SESSION = 600;

export const scenario = defineScenario({
  name: '06-mcp-sprawl',
  failureMode: 'MCP sprawl',
  description:
    'A support agent bridges three MCP servers (crm, billing, kb) to the openai SDK, in-process or over Streamable HTTP, while they disconnect, handshake slowly, restart and forget its session, and remove, rename or redefine tools mid-session; it must fail closed on changed tools, start a new session when one is forgotten, and still answer.',
  world: { llm: { models: { [MODEL]: supportModel } }, mcp: servers },
  faults: [
    // Tool lists that change under the agent.
    { target: 'mcp:crm', kind: 'tool-renamed', when: { afterMs: MID_SESSION }, params: { tool: 'add_note', to: 'append_note' } },
    { target: 'mcp:kb', kind: 'tool-removed', when: { afterMs: MID_SESSION }, params: { tool: 'search_articles' } },
    { target: 'mcp:billing', kind: 'schema-drift', when: { afterMs: MID_SESSION }, params: { tool: 'get_invoice', field: 'invoiceId', to: 'invoice_ref' } },
    { target: 'mcp:billing', kind: 'description-changed', when: { afterMs: MID_SESSION }, params: { tool: 'get_invoice' } },
    { target: 'mcp:crm', kind: 'list-changed', when: { afterMs: MID_SESSION } },
    // Servers that go away, stall or shake hands slowly.
    { target: 'mcp:kb', kind: 'disconnect', when: { afterMs: MID_SESSION, beforeMs: 60_000 } },
    { target: 'mcp:crm', kind: 'disconnect' },
    // A server that restarts and forgets every session (HTTP: 404 to the old Mcp-Session-Id).
    { target: 'mcp:crm', kind: 'session-expired', when: { afterMs: MID_SESSION } },
    { target: 'mcp:billing', kind: 'latency', when: { calls: [0] }, params: { latency: { kind: 'uniform', minMs: 20_000, maxMs: 60_000 } } },
    { target: 'mcp:*', kind: 'hang' },
    { target: 'mcp:*', kind: 'error', params: { message: 'upstream timeout' } },
  ],
  agents: { naive, hardened, 'naive-http': naiveHttp, 'hardened-http': hardenedHttp },
  expectations: { naive: 'fail', hardened: 'pass', 'naive-http': 'fail', 'hardened-http': 'pass' },
  properties: [gracefulDegradation({ withinMs: 20_000 }), noDeadlock(), noStaleToolCalls(), reinitializesExpiredSessions()],
  runs: 100,
});
