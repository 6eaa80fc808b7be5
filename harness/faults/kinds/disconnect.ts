// disconnect: the connection to an MCP server drops.
import { defineFaultKind } from '../faultKind.ts';
import { none } from '../paramSchemas.ts';

export const disconnect = defineFaultKind({
  kind: 'disconnect',
  summary: 'The MCP connection drops: the client sees onclose and its requests in flight fail.',
  params: none,
  layers: {
    mcp: 'per request: the connection breaks while the request is on its way (in-process the client sees onclose; over HTTP fetch rejects with ECONNRESET); with only a time window (when.afterMs, no calls): every connection drops at afterMs (over HTTP, every open SSE stream of the server) and connections attempted inside the window drop too',
  },
});
