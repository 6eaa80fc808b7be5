// A property read from the trace: an agent whose MCP session the server forgot starts a new one.
// The MCP specification (Streamable HTTP, session management, points 3–4): a server that ended a
// session answers 404 to requests carrying its Mcp-Session-Id, and a client that gets that 404
// MUST send a new InitializeRequest without a session id. The SDK's client transport only throws
// the 404 and keeps the dead id (modelcontextprotocol/typescript-sdk issue 1708), so a host that
// keeps one client for the life of its process is wedged. A request answered 404 is an `mcp` span
// ending with status 404 and the number of the session it named; the agent's next request to that
// server must be an initialize. Over the in-process transport a forgotten session closes the
// connection instead, and the client cannot send on it, so the property has nothing to judge there.
import { type Property, property, spansOf } from '../../harness/index.ts';

export function reinitializesExpiredSessions(): Property {
  return property(
    'reinitializesExpiredSessions',
    'Whenever an MCP server answered 404 to a session it had forgotten, the agent started a new session before it sent that server anything else.',
    (r) => {
      const order = new Map<number, number>();
      for (const e of r.trace) if (e.type === 'span.start') order.set(e.span, e.seq);
      const mcp = spansOf(r.trace)
        .filter((s) => s.kind === 'mcp')
        .sort((a, b) => (order.get(a.span) ?? 0) - (order.get(b.span) ?? 0));
      for (const dead of mcp.filter((s) => s.data.status === 404)) {
        const next = mcp.find((s) => s.target === dead.target && (order.get(s.span) ?? 0) > (order.get(dead.span) ?? 0));
        if (next?.data.method === 'initialize') continue;
        const session = dead.data.session === undefined ? 'a session' : `session #${String(dead.data.session)}`;
        const what = `${dead.actor} sent ${String(dead.data.method)} to ${dead.target} on ${session} at t=${dead.start}ms and got 404 Session not found`;
        const then =
          next === undefined
            ? 'and never started a new session'
            : `and then sent ${String(next.data.method)} at t=${next.start}ms${next.data.status === 404 ? ' on the same dead session' : ''} without starting a new one`;
        return {
          message: `${what}, ${then}: the client is wedged on a session the server forgot (the MCP spec says a client that gets 404 MUST send a new InitializeRequest).`,
          spans: [dead.span, ...(next === undefined ? [] : [next.span])],
        };
      }
      return undefined;
    },
  );
}
