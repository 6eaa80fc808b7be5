// session-expired: the server forgets its sessions at a moment, as a restart or a session TTL does.
// The MCP specification (Streamable HTTP, Session Management, points 3–4): a server MAY terminate a
// session at any time, after which it MUST answer requests carrying that Mcp-Session-Id with 404,
// and a client that gets 404 MUST start a new session with a new InitializeRequest. The TypeScript
// SDK's StreamableHTTPClientTransport keeps sending the dead id (modelcontextprotocol/typescript-sdk
// issue 1708), so a client kept for the life of a process is wedged until it is rebuilt.
import { defineFaultKind } from '../faultKind.ts';
import { none } from '../paramSchemas.ts';

export const sessionExpired = defineFaultKind({
  kind: 'session-expired',
  summary: 'The server forgets every session at when.afterMs, as a restart does: requests that carry an old session id get 404.',
  params: none,
  layers: {
    mcp: 'Streamable HTTP: every session ends (its open SSE streams drop) and each request carrying its Mcp-Session-Id is answered 404 `Session not found` until the client initializes a new session; legacy HTTP+SSE: the event stream drops and POSTs to the old session get 404; in-process: the connection closes (the client sees onclose), as a restarted server process ends its stdio connection',
  },
  refuse: (_params, where) => {
    if (where.when?.afterMs === undefined) return 'session-expired happens at a moment: give it when.afterMs (the virtual time at which the server restarts)';
    if (where.when.calls !== undefined || where.when.times !== undefined)
      return 'session-expired happens once, at when.afterMs; when.calls and when.times do not apply to it';
    return undefined;
  },
});
