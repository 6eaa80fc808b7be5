// The parts of the simulated MCP servers that need the MCP SDK at run time: the in-process
// transport pair, the connection that makes its messages kernel events, and the HTTP endpoints
// served by the SDK's own server transports. McpHub gets them from harness/onDemand.ts, which
// loads this module before a run with MCP servers, so runs without any never load the SDK.
export { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
export { McpHttpEndpoints } from './httpEndpoints.ts';
export { McpConnection } from './mcpConnection.ts';
